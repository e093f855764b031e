"""App-store and review-site exports (CSV): App Store, Google Play, G2, Capterra; and Google
Business Profile's reviews as JSON (Takeout's `reviews.json`).

Columns: `Rating`/`Stars`, `Title`, `Review`/`Body` (or G2's "What do you like best?" and
"What do you dislike?" and "What problems is it solving?", kept with their question), `Author`/`Reviewer`, `Date`, and optional
`Review ID`, `URL`, `Store`/`Platform`, `Version`, `Email`. The rating is kept as the tag
`rating:2` and in the title; a rating left without a word is skipped (counted). The App
Store's customer-reviews RSS feed saved as JSON is read by app_store_feed, a page of the Play
Developer API's reviews by play_reviews, a page of Firefox Add-ons' ratings API by
amo_reviews, the Visual Studio Marketplace's by vscode_marketplace, a Facebook Page's
recommendations (no stars: recommended or not) by reviews_facebook, a WordPress.org plugin's
or theme's reviews (its API's `plugin_information`, the reviews one HTML section) by
reviews_wporg. Public
reviews name no account; a reviewer's email, when the export has one, links the review to
the account with that domain.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from huddle.connectors.amo_reviews import amo_reviews, is_amo
from huddle.connectors.app_store_feed import feed_reviews, is_feed
from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import pick_source, run_rows
from huddle.connectors.csv_reading import csv_records
from huddle.connectors.export_dates import export_date
from huddle.connectors.g2_reviews import g2_reviews, is_g2
from huddle.connectors.json_reading import first_bytes, iter_json_records
from huddle.connectors.noise import noise_reason
from huddle.connectors.play_reviews import is_play_api, play_reviews
from huddle.connectors.reviews_facebook import facebook_reviews, headline, is_facebook
from huddle.connectors.reviews_json import JSON_PLACES, review_values
from huddle.connectors.reviews_wporg import is_wporg, wporg_reviews
from huddle.connectors.vscode_marketplace import is_vscode_marketplace, marketplace_reviews
from huddle.imports.fields import FieldSpec, RowParser, normalise, resolve_columns
from huddle.imports.records import FeedbackRecord, RowError
from huddle.imports.rows import Row
from huddle.kit.ids import content_id


def _camel_cased(specs: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
    """Each field also by its names' words run together, after its own names: a scraper's
    JSON keys flattened into a CSV's columns are camelCase (Apify's `createdAt`,
    `whatsGreat`, `reviewer/name`), which `normalise` reads as one word ("createdat")."""
    return tuple(
        FieldSpec(
            spec.name,
            tuple(dict.fromkeys([*spec.aliases, *(a.replace("_", "") for a in spec.aliases)])),
            spec.required,
        )
        for spec in specs
    )


_NAMED_FIELDS = (
    FieldSpec(
        "rating",
        # Trustpilot's "Review Stars".
        (
            "rating",
            "stars",
            "star_rating",
            "score",
            "overall_rating",
            # Capterra's "Overall" beside its "Ease of Use", "Value for Money" sub-ratings.
            "overall",
            "overall_score",
            "review_stars",
            "review_rating",
            # German, French, Spanish sites; "Gesamtnote" is a school grade (1 is best).
            "gesamtnote",
            "sterne",
            "etoiles",
            "estrellas",
            "puntuacion",
            "valoracion",
        ),
        required=True,
    ),
    FieldSpec(
        "title", ("title", "review_title", "headline", "subject", "uberschrift", "titel", "titre")
    ),
    FieldSpec(
        "text",
        (
            "review",
            "body",
            "review_text",
            "content",
            "text",
            # Gartner Peer Insights' "Overall Comment", before its sections' "Comment"s.
            "overall_comment",
            "comment",
            "review_body",
            # Trustpilot's "Review Content"; Capterra's "Overall" (beside its Pros and Cons).
            "review_content",
            "overall",
            # Renamed by hand in a spreadsheet.
            "what_they_said*",
            "what_they_wrote*",
            "feedback",
            "comments",
            "verbatim",
            "bewertungstext",
            "erfahrungsbericht",
            "kommentar",
            "avis",
            "commentaire",
            "resena",
            "comentario",
            "opinion",
        ),
    ),
    # G2's questions, asked with the product's name: "What do you like best about OurCo?";
    # Product Hunt's structured review: "What's great", "What needs improvement", "vs
    # Alternatives".
    FieldSpec(
        "likes",
        (
            "what_do_you_like_best",
            "what_do_you_like*",
            "pros",
            "likes",
            "whats_great",
            "what_s_great",
        ),
    ),
    FieldSpec(
        "dislikes",
        (
            "what_do_you_dislike",
            "what_do_you_dislike*",
            "cons",
            "dislikes",
            "what_needs_improvement",
            "needs_improvement",
        ),
    ),
    FieldSpec("solves", ("what_problems*", "what_problem*", "what_business_problems*")),
    FieldSpec(
        "alternatives", ("vs_alternatives", "versus_alternatives", "compared_to_alternatives")
    ),
    # G2's "Recommendations to others considering OurCo".
    FieldSpec("advice", ("recommendations_to_others*", "recommendations*", "advice*")),
    FieldSpec(
        "author",
        (
            "author",
            "reviewer",
            "user_name",
            "username",
            "reviewer_name",
            "name",
            "nickname",
            "review_consumer_name",
            "consumer_name",
            "verfasser",
            "autor",
            "auteur",
        ),
    ),
    FieldSpec(
        "occurred_at",
        (
            "date",
            "review_date",
            "submitted_at",
            "created_at",
            "published_at",
            "updated",
            "published_date",
            # Google Play's "Review Submit Date and Time", Trustpilot's "Review Created (UTC)".
            "review_submit_date*",
            "review_created*",
            "review_date*",
            "date*",
            "datum",
            "fecha",
        ),
    ),
    FieldSpec("external_id", ("review_id", "id", "reviewid")),
    FieldSpec("link_url", ("url", "link", "review_url", "review_link", "permalink")),
    FieldSpec("store", ("store", "platform", "source", "site", "territory")),
    FieldSpec("version", ("version", "app_version")),
    FieldSpec("contact_email", ("email", "reviewer_email")),
)
REVIEW_FIELDS = _camel_cased(_NAMED_FIELDS)


# The review's own words: one column, or a site's questions (G2's likes and dislikes).
REVIEW_TEXT = ("text", "likes", "dislikes", "solves", "alternatives")


def _rating(text: str) -> int:
    """Stars out of five: "4", "4/5", "★★★★"; out of ten ("8/10", TrustRadius) halved."""
    if set(text.strip()) <= {"★", "☆", " "} and "★" in text:
        return text.count("★")  # "★★☆☆☆", copied from a store's page
    # Amazon's "4.0 out of 5 stars".
    text = re.sub(r"\s*out of\s*(\d+)(\s*stars?)?\s*$", r"/\1", text.strip(), flags=re.IGNORECASE)
    value, _, scale = text.strip().replace(",", ".").partition("/")
    value = value.replace("★", "").strip() or str(text.count("★"))
    try:
        number = float(value)
        out_of = float(scale) if scale.strip() else 5.0
    except ValueError:
        raise ValueError(f"not a rating: {text!r}") from None
    if out_of in {10.0, 100.0} and 0 <= number <= out_of:
        number = number * 5 / out_of
    if not 0 <= number <= 5:
        raise ValueError(f"a rating from 0 to 5, not {text!r}")
    return round(number)


# What a store's page puts in a review copied from it: not the reviewer's words.
_PAGE_TEXT = re.compile(
    r"^\s*(the media could not be loaded\.?|read more|show (more|less)|translate review( to \w+)?|"
    r"see (the )?original|verified purchase)\s*$",
    re.IGNORECASE,
)


def _without_page(parts: Iterable[str]) -> str:
    """A review's parts as one text, without the page's own lines and the page's indents
    and blank runs (a paragraph break stays one blank line)."""
    lines = [line.strip() for line in "\n".join(parts).splitlines() if not _PAGE_TEXT.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_EXCEL_ERROR = re.compile(r"^#(NAME\?|VALUE!|REF!|DIV/0!|NULL!|NUM!|N/A)$")
_REVIEWED_IN = re.compile(r"^reviewed in .{2,60}? on\s+", re.IGNORECASE)


def _review_date(text: str) -> datetime:
    """A review's date, or one copied from its page ("3 days ago", Amazon's "Reviewed in the
    United States on December 3, 2026")."""
    return export_date(_REVIEWED_IN.sub("", text), relative=True)


_PAGE_LINE = re.compile(
    r"^(was this (review )?helpful|(\d+ )?(people|persons?) found this|report (this review|abuse)|"
    r"helpful\?|read more$|show (more|less)$)",
    re.IGNORECASE,
)
# The developer's public reply, as stores and review sites head it.
_REPLY = re.compile(
    r"\b(developer|vendor|company|owner|business|publisher)(['\u2019]s)? (response|reply)\b|"
    r"^(response|reply) from\b",
    re.IGNORECASE,
)


# A German school grade for a rating (ProvenExpert's "Gesamtnote"): 1,0 is the best, 5,0
# the worst.
_GRADE_COLUMNS = {"gesamtnote", "schulnote", "note_gesamt"}


def _from_grade(text: str) -> int:
    try:
        grade = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"not a grade: {text!r}") from None
    if not 1 <= grade <= 6:
        raise ValueError(f"a grade from 1 (best) to 6, not {text!r}")
    return max(1, min(5, round(6 - grade)))


class ReviewsConnector:
    name = "reviews"
    description = (
        "App-store or G2/Capterra review CSV or Excel workbook (rating, title, body, author, date), or Google "
        "Business Profile reviews JSON, the App Store's customer-reviews RSS feed as JSON, or "
        "the Google Play Developer API's reviews, or Firefox Add-ons' ratings API, or a "
        "Facebook Page's ratings from the Graph API, or a WordPress.org plugin's information "
        "with its reviews."
    )
    suffixes = (".csv", ".xlsx", ".json", ".jsonl")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        source = pick_source(options, "review")

        def handle(row: Row, columns: dict[str, str], header: list[str]) -> None:
            parser = RowParser(row.line, row.values, columns)
            if parser.raw("rating") is None:
                # A store's page copied by hand: the page's own lines ("Was this review
                # helpful?") and the developer's reply on a row of its own carry no rating.
                said = " ".join(filter(None, (parser.get(n) for n in ("title", "text"))))
                if _PAGE_LINE.match(said):
                    output.skipped_rows += 1
                    return
                if _REPLY.search(said) or _REPLY.search(parser.get("author") or ""):
                    text = parser.get("text") or said
                    output.take(
                        FeedbackRecord(
                            line=row.line,
                            text=text,
                            source=source,
                            occurred_at=parser.get("occurred_at", _review_date),
                            external_id=content_id("reply", text),
                            contact_name=parser.get("author"),
                        ),
                        "internal",
                        options,
                    )
                    return
            graded = normalise(columns["rating"]) in _GRADE_COLUMNS
            # Facebook's reviews recommend or not, without stars.
            recommended = row.values.get("recommendation")
            rating = parser.get(
                "rating", _from_grade if graded else _rating, required=recommended is None
            )
            # Without a date the import dates it (`ConnectorOptions.occurred_at`).
            # A store's page copied by hand says "3 days ago".
            occurred_at = parser.get("occurred_at", _review_date)
            parts = [parser.get("text")]
            for name, label in (
                ("likes", "Likes"),
                ("dislikes", "Dislikes"),
                ("solves", "Problems solved"),
                ("alternatives", "Compared with alternatives"),
                ("advice", "Recommendations"),
            ):
                value = parser.get(name)
                if value:
                    parts.append(f"{label}: {value}")
            text = _without_page(p for p in parts if p)
            if _EXCEL_ERROR.match(parser.raw("text") or ""):
                # The review's words were a formula that failed in a spreadsheet: lost.
                output.warnings.append(
                    RowError(
                        row.line,
                        columns["text"],
                        f"the review is Excel's error {parser.raw('text')!r}: skipped",
                    )
                )
                output.skipped_rows += 1
                return
            title = parser.get("title")
            if not text and not title:
                # A rating left without a word (the stores let people do that): nothing to
                # learn from, skipped like a survey answer without a comment.
                output.skipped_rows += 1
                return
            if parser.errors or (rating is None and recommended is None):
                output.errors.extend(parser.errors)
                return
            store = parser.get("store")
            author = parser.get("author")
            email = parser.get("contact_email")
            tags = [f"rating:{rating}"] if rating is not None else []
            tags += [f"recommendation:{recommended}"] if recommended else []
            tags += [f"store:{normalise(store)}"] if store else []
            version = parser.get("version")
            if version:
                tags.append(f"version:{version}")
            reason = noise_reason(
                text or "",
                title,
                email=email,
                name=author,
                options=options,
                # WordPress.org's reviews by the plugin's own contributors.
                known_staff=_initialled_staff(author, options) or bool(row.values.get("by_vendor")),
            )
            output.take(
                FeedbackRecord(
                    line=row.line,
                    text=text or title or "",
                    source=source,
                    occurred_at=occurred_at,
                    external_id=parser.get("external_id")
                    or content_id(
                        author, occurred_at.isoformat() if occurred_at else "", text or title
                    ),
                    title=headline(rating, recommended, title),
                    link_url=parser.get("link_url", _hyperlink),
                    contact_email=email.lower() if email and "@" in email else None,
                    contact_name=author,
                    tags=tags,
                ),
                reason,
                options,
            )

        if path.suffix.lower() in {".json", ".jsonl", ".ndjson"}:
            # G2's reviews are read as the rows of its CSV export: their columns are its
            # questions, named per row.
            g2: list[bool] = []

            # Google Business Profile's reviews.json (Takeout, its API): one review a record.
            def reviews() -> Iterator[Row]:
                head = first_bytes(path, options.encoding)
                if is_g2(head):
                    g2.append(True)
                    for line, review in g2_reviews(path, options.encoding):
                        yield Row(line, review)
                    return
                # The App Store's customer-reviews RSS feed as JSON; the Play Developer API's
                # reviews.
                rows = (
                    feed_reviews(path, options.encoding)
                    if is_feed(head)
                    else play_reviews(path, options.encoding)
                    if is_play_api(head)
                    else amo_reviews(path, options.encoding)
                    if is_amo(head)
                    else marketplace_reviews(path, options.encoding)
                    if is_vscode_marketplace(head)
                    else facebook_reviews(path, options.encoding)
                    if is_facebook(head)
                    else wporg_reviews(path, options.encoding)
                    if is_wporg(head)
                    else None
                )
                if rows is not None:
                    for line, values in rows:
                        if values is None:
                            output.skipped_rows += 1  # the app's own entry, a reply alone
                        else:
                            yield Row(line, values)
                    return
                records = iter_json_records(
                    path, list_keys=("reviews", "data", "items"), encoding=options.encoding
                )
                for line, record in records:
                    yield Row(line, review_values(record))

            columns = {name: name for name in JSON_PLACES}

            def each(row: Row) -> None:
                if g2:
                    header = list(row.values)
                    found = resolve_columns(header, REVIEW_FIELDS, {}, strict=False)
                    # A review without its stars is refused for them, by G2's name for them.
                    handle(row, {"rating": "Star Rating", **found}, header)
                else:
                    handle(row, columns, list(columns))

            run_rows(output, reviews, each)
            if output.rows_read or output.errors or output.warnings:
                return output
            # A store's API page of a shape not read above: a table of its records, by the
            # CSV's column names (`json_table`).
            output = ConnectorOutput()
        # A file of ratings and titles only is a ratings export, not reviews (round 8).
        csv_records(output, path, options, REVIEW_FIELDS, handle, one_of=REVIEW_TEXT)
        return output


# Review sites show a reviewer by first name and initial (G2's and Capterra's "Dana L.").
_INITIALLED = re.compile(r"^(?P<first>[^\W\d_][\w'-]*)\s+(?P<initial>[^\W\d_])\.?$")


def _initialled_staff(author: str | None, options: ConnectorOptions) -> bool:
    """A reviewer shown as "Dana L." who is one of the workspace's people: a user's first name
    with their last name's initial (the vendor reviewing its own product)."""
    found = _INITIALLED.match(author.strip()) if author else None
    if found is None:
        return False
    first, initial = found["first"].casefold(), found["initial"].casefold()
    return any(
        len(words := name.split()) > 1
        and words[0].casefold() == first
        and words[-1][:1].casefold() == initial
        for name in options.staff_names
    )


# A link Excel keeps as its formula: =HYPERLINK("https://…","View review").
_HYPERLINK = re.compile(r'^=HYPERLINK\(\s*"([^"]+)"', re.IGNORECASE)


def _hyperlink(value: str) -> str:
    found = _HYPERLINK.match(value)
    return found.group(1) if found else value


connector = ReviewsConnector()
