"""Feedback tools' API pages saved as JSON, read by the `tickets` connector (which reads a
CSV otherwise).

Canny's API lists a board's posts as `{"hasMore": …, "posts": [...]}` (`POST
/api/v1/posts/list`) and their comments as `{"hasMore": …, "comments": [...]}` (`POST
/api/v1/comments/list`); a page may also be saved as a bare array or as JSON lines. A post has
its `id`, `title`, `details` (empty when the title says it all), `board`, `score` (votes),
`status`, `category`, `tags`, `url`, its `author` (`email`, `name`, `isAdmin`, the Canny
`companies` they belong to), `by` (an admin who posted it on the author's behalf) and
`mergeHistory` (the posts merged into it, each with its own `details`, no author). A comment
has its `id`, `value` (the words), `author`, the `post` it is on (`id`, `title`, `url`),
`parentID` (the comment it answers) and `internal` (a note only the team sees). GitHub's
issues are read by `tickets_github`, YouTrack's by `tickets_youtrack`.
"""

import re
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.cell_text import MARKUP, html_to_text
from huddle.connectors.chat_messages import thanks_alone
from huddle.connectors.common import run_rows
from huddle.connectors.email_addresses import domain_of, is_internal
from huddle.connectors.export_dates import parse_when
from huddle.connectors.json_reading import first_record, iter_json_records
from huddle.connectors.noise import noise_reason, says_nothing
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.replies import strip_replies
from huddle.connectors.tickets_github import is_github_issue, read_issue
from huddle.connectors.tickets_youtrack import is_youtrack_issue, issue_alone, not_an_issue
from huddle.connectors.tickets_youtrack import read_issue as read_youtrack_issue
from huddle.imports.connected import is_public_mail
from huddle.imports.records import FeedbackRecord, RowError

# Canny's pages; GitHub's issue search (`items`).
_LIST_KEYS = ("posts", "comments", "items")

# A cheer before the thanks ("Great news, thanks!", "Awesome - thank you!"): still only thanks.
_CHEER = re.compile(
    r"^\W*(great|good|awesome|amazing|excellent|fantastic|brilliant|perfect|nice|cool|"
    r"wonderful|wow|yay|woo+|love it|love this|sounds good|super)"
    r"( news| stuff| work| job| to hear( that)?| update)?\W+",
    re.IGNORECASE,
)


def is_canny_post(record: Any) -> bool:
    return isinstance(record, dict) and {"board", "score", "author"} <= record.keys()


def is_canny_comment(record: Any) -> bool:
    return isinstance(record, dict) and {"post", "value", "author"} <= record.keys()


def knows(path: Path, encoding: str) -> bool:
    """Whether the JSON file is a page of a tool read here (its first record says); any other
    is read as a table of its records, by the tickets CSV's column names."""
    record = first_record(path, _LIST_KEYS, encoding)
    return (
        is_canny_post(record)
        or is_canny_comment(record)
        or is_github_issue(record)
        or is_youtrack_issue(record)
        or not_an_issue(record) is not None
        or issue_alone(path, encoding) is not None
    )


def read(path: Path, options: ConnectorOptions) -> ConnectorOutput:
    """The records of a JSON page of a tool `tickets` knows (Canny's posts or comments,
    GitHub's issues, YouTrack's issues)."""
    output = ConnectorOutput()

    def handle(row: tuple[int, Any]) -> None:
        line, record = row
        if output.errors:
            return  # a file already refused: its first record says enough
        if is_canny_post(record):
            _post(line, record, options, output)
        elif is_canny_comment(record):
            _comment(line, record, options, output)
        elif is_github_issue(record):
            read_issue(line, record, options, output)  # `tickets_github`
        elif is_youtrack_issue(record):
            read_youtrack_issue(line, record, options, output)  # `tickets_youtrack`
        elif kind := not_an_issue(record):
            output.errors.append(
                RowError(
                    line,
                    None,
                    f"{path.name} holds YouTrack's {kind} records, not issues (the team's "
                    "writing, not customers' tickets): export the issues instead "
                    "(GET /api/issues)",
                )
            )
        else:
            output.errors.append(RowError(line, None, _unknown(path)))

    alone = issue_alone(path, options.encoding)  # one YouTrack issue: not its comments
    run_rows(
        output,
        lambda: (
            iter([(1, alone)])
            if alone is not None
            else iter_json_records(
                path, list_keys=_LIST_KEYS, encoding=options.encoding, what="a post or comment"
            )
        ),
        handle,
    )
    if not output.rows_read and not output.errors:
        output.errors.append(RowError(1, None, _unknown(path)))
    return output


# What tickets reads, for a refusal.
KNOWN = (
    "tickets reads a tickets CSV or Excel workbook (.xlsx), and Canny's API pages saved as "
    "JSON (posts/list: posts with `board`, `score` and `author`; comments/list: comments with "
    "`post`, `value` and `author`), and GitHub's issues (`gh issue list --json number,title,"
    "body,author,createdAt,url`, or the REST API's issues with `number`, `title`, `user`, "
    "`html_url`), and YouTrack's issues (its REST API's, with `idReadable`, `summary`, "
    "`reporter`, `customFields`), and Discourse's posts (`/posts.json`, a topic's "
    "`/t/{id}.json`), and any other tool's JSON page as a table of its records"
)


def _unknown(path: Path) -> str:
    return f"{path.name} is JSON but not a page tickets knows; {KNOWN}"


def _is_team(person: dict[str, Any], options: ConnectorOptions) -> bool:
    """One of the vendor's people: a Canny admin, or by their address or name."""
    if person.get("isAdmin") is True:
        return True
    email = as_text(person.get("email"))
    if email and "@" in email:
        return is_internal(email, options.internal_domains)
    name = " ".join((as_text(person.get("name")) or "").split()).casefold()
    return bool(name) and any(name == " ".join(n.split()).casefold() for n in options.staff_names)


def _account(author: dict[str, Any], options: ConnectorOptions) -> tuple[str | None, list[str]]:
    """The author's Canny company (their others, then their mail's domain, as aliases); a
    personal address names no company."""
    companies = [
        name
        for company in author.get("companies") or []
        if isinstance(company, dict) and (name := as_text(company.get("name")))
    ]
    domain = (domain_of(as_text(author.get("email"))) or "").lower()
    if (
        domain
        and not is_public_mail(domain)
        and not is_internal(f"x@{domain}", options.internal_domains)
    ):
        companies.append(domain)
    references = list(dict.fromkeys(companies))
    return (references[0] if references else None), references[1:]


def _words(text: str, sender: str | None) -> str:
    if MARKUP.search(text):
        text = html_to_text(text) or text
    return strip_replies(text, sender or "") or text.strip()


def _record(
    line: int,
    text: str,
    *,
    external_id: str | None,
    title: str | None,
    link: str | None,
    when: Any,
    author: dict[str, Any],
    options: ConnectorOptions,
) -> FeedbackRecord:
    account, aliases = _account(author, options)
    try:
        occurred = parse_when(when) if as_text(when) else None
    except ValueError:
        occurred = None
    return FeedbackRecord(
        line=line,
        text=text,
        source=options.default_source or "ticket",
        occurred_at=occurred,
        external_id=external_id,
        title=title,
        link_url=link,
        account_ref=account,
        account_aliases=tuple(aliases),
        contact_email=as_text(author.get("email")),
        contact_name=as_text(author.get("name")),
        team="support",
    )


def _post(
    line: int, post: dict[str, Any], options: ConnectorOptions, output: ConnectorOutput
) -> None:
    """A post: its details (its title when it has none); by the team it is theirs, posted
    by one of them for a customer (`by`) it is `staff`; each post merged into it comes in on
    its own, unattached (its author is not on the page)."""
    author = dict_at(post, "author")
    title = as_text(post.get("title"))
    link = as_text(post.get("url"))
    tags = [f"status:{s.lower()}"] if (s := as_text(post.get("status"))) else []
    if category := as_text(dict_at(post, "category").get("name")):
        tags.append(f"category:{category.lower()}")
    tags += [
        n for t in post.get("tags") or [] if isinstance(t, dict) and (n := as_text(t.get("name")))
    ]
    text = _words(as_text(post.get("details")) or title or "", as_text(author.get("name")))
    if not text:
        output.skipped_rows += 1
    else:
        record = _record(
            line,
            text,
            external_id=as_text(post.get("id")),
            title=title,
            link=link,
            when=post.get("created"),
            author=author,
            options=options,
        )
        record.tags = sorted(set(tags))
        by = dict_at(post, "by")
        team = _is_team(author, options)
        reason = noise_reason(
            record.text, title, email=record.contact_email, options=options, known_staff=team
        )
        if reason is None and by and by.get("id") != author.get("id") and _is_team(by, options):
            reason = "staff"  # one of the team posted it for the customer (after a call)
        output.take(record, reason, options)
    for merge in post.get("mergeHistory") or []:
        merged = dict_at(merge, "post") if isinstance(merge, dict) else {}
        merged_title = as_text(merged.get("title"))
        words = _words(as_text(merged.get("details")) or merged_title or "", None)
        if not words:
            continue
        record = _record(
            line,
            words,
            external_id=as_text(merged.get("id")),
            title=merged_title,
            link=link,
            when=merged.get("created"),
            author=dict_at(merged, "author"),
            options=options,
        )
        record.tags = sorted({*tags, "merged"})
        output.take(record, noise_reason(words, merged_title, options=options), options)


def _comment(
    line: int,
    comment: dict[str, Any],
    options: ConnectorOptions,
    output: ConnectorOutput,
) -> None:
    """A comment: a customer's words on a post; the team's replies and `internal` notes are
    theirs; a bare "+1" or a comment that only thanks is skipped."""
    author = dict_at(comment, "author")
    post = dict_at(comment, "post")
    team = _is_team(author, options)
    text = _words(as_text(comment.get("value")) or "", as_text(author.get("name")))
    if not text or says_nothing(text) or _thanks(text):
        output.skipped_rows += 1
        return
    record = _record(
        line,
        text,
        external_id=as_text(comment.get("id")),
        title=as_text(post.get("title")),
        link=as_text(post.get("url")),
        when=comment.get("created"),
        author=author,
        options=options,
    )
    reason = noise_reason(text, None, email=record.contact_email, options=options, known_staff=team)
    if reason is None and comment.get("internal") is True:
        reason = "internal"  # a note only the team sees
    output.take(record, reason, options)


def _thanks(text: str) -> bool:
    """Only thanks ("thanks!", "Great news, thanks!"): no question, nothing wrong."""
    return thanks_alone(text) or (
        bool(_CHEER.match(text)) and thanks_alone(_CHEER.sub("", text, count=1))
    )
