"""A plugin's (or theme's) reviews on WordPress.org, as its API gives them, read as reviews.

The plugins API (`https://api.wordpress.org/plugins/info/1.2/?action=plugin_information&
request[slug]=…&request[fields][reviews]=1`; 1.0's and 1.1's JSON alike) answers one object
about the plugin: its `name`, `slug`, `author` (HTML: a link around the name),
`author_profile`, `contributors` (by profile slug: `display_name`, `profile`; 1.0 only the
profile's address), its star summary (`rating` out of 100, `ratings` by stars, `num_ratings`:
no one's words) and its `sections`: the readme's description, FAQ and changelog (the vendor's
own words) and, when asked for, `reviews`, the latest reviews as ONE string of HTML.
`query_plugins` lists such objects under `plugins`, and a script may gather several answers
in an array or keep the section's HTML alone (a JSON string, or `{"reviews": "…"}`). The
themes API (`theme_information`, alone or several keyed by slug; `query_themes`) answers
alike but never with its reviews' words, only their count and address (`reviews_url`): such
a file is refused saying where the reviews are.

Each review there is a `<div class="review">`: its title in `h4.review-title`, its stars in a
`div.wporg-ratings` (`data-rating`, and "4 out of 5 stars" in its `aria-label` or `title`;
older markup says them in a `screen-reader-text`, or only by the filled stars), the reviewer
in `a.reviewer-name` (its `<small>(login)</small>`, and the profile its link names), the date
for people in `span.review-date` ("December 2, 2026") and the words in `div.review-body`
(Gutenberg's paragraphs, HTML entities). A review by one of the plugin's own contributors or
its author is the vendor's (left out as internal); the stars summary is not a review. Each
review becomes the row a reviews export would give.
"""

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.json_reading import json_values_at
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.errors import Invalid

STORE = "WordPress.org"

# The API's own keys beside a wordpress.org address, or the reviews' markup (the section kept
# alone): what no other reviews JSON holds.
_SUMMARY = re.compile(rb'"num_ratings"\s*:')
_MARKUP = re.compile(rb"class=\\\"review-(?:body|title)")


def _classed(tag: str, name: str) -> str:
    """An opening tag whose class list holds `name`."""
    return rf"<{tag}\b[^>]*\bclass=[\"'](?:[^\"']*\s)?{name}(?:\s[^\"']*)?[\"'][^>]*>"


_REVIEW = re.compile(_classed("div", "review"), re.IGNORECASE)
_TITLE = re.compile(_classed(r"h\d", "review-title") + r"(.*?)</h\d>", re.IGNORECASE | re.DOTALL)
_ANY_TITLE = re.compile(r"<h\d\b[^>]*>(.*?)</h\d>", re.IGNORECASE | re.DOTALL)
_NAME = re.compile(_classed("a", "reviewer-name") + r"(.*?)</a>", re.IGNORECASE | re.DOTALL)
_REVIEWER = re.compile(_classed("p", "reviewer") + r"(.*?)</p>", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_LOGIN = re.compile(r"<small\b[^>]*>.*?</small>", re.IGNORECASE | re.DOTALL)
_PROFILE = re.compile(r"profiles\.wordpress\.org/([^/\"'?#\s]+)", re.IGNORECASE)
_DATE = re.compile(_classed("span", "review-date") + r"(.*?)</span>", re.IGNORECASE | re.DOTALL)
_BODY = re.compile(_classed("div", "review-body"), re.IGNORECASE)
# The stars: the number the markup carries, else said for a screen reader, else drawn.
_STARS = re.compile(r"\bdata-rating=[\"']([\d.]+)[\"']", re.IGNORECASE)
_STARS_SAID = re.compile(
    r"(?:aria-label|title)=[\"']([\d.]+) out of 5 stars?[\"']|"
    r"screen-reader-text[\"'][^>]*>\s*([\d.]+)(?: out of 5)? stars?\s*<",
    re.IGNORECASE,
)
_FILLED = re.compile(r"\bstar-(?:filled|full)\b", re.IGNORECASE)
_HALF = re.compile(r"\bstar-half\b", re.IGNORECASE)


def is_wporg(head: bytes) -> bool:
    """Whether a JSON file's first bytes hold WordPress.org's answer about a plugin or theme
    (or the reviews section of one kept alone)."""
    start = head.lstrip()[:1]
    if start in (b"{", b"[") and _SUMMARY.search(head) and b"wordpress.org" in head:
        return True
    # The section kept alone: WordPress.org's star markup, or a review's markup beside its
    # reviewer's wordpress.org profile (a review's title and body alone are anyone's HTML).
    return start in (b"{", b"[", b'"') and (
        b"wporg-ratings" in head
        or (bool(_MARKUP.search(head)) and b"profiles.wordpress.org" in head)
    )


def wporg_reviews(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line, the review's cells as a reviews export names them) of each review of each
    plugin the file holds; Invalid when it holds the plugin's answer without its reviews."""
    asked = found = False
    themes: list[dict[str, Any]] = []
    for value in json_values_at(path, "", encoding=encoding, what="the plugin's information"):
        for plugin in _plugins(value):
            section = _reviews_section(plugin)
            asked = asked or section is not None
            if section is None and _is_theme(plugin):
                themes.append(plugin)
            vendor = _vendor(plugin)
            link = _reviews_page(plugin)
            for review in _split(section or ""):
                found = True
                yield 1, {**_row(review, vendor), "link_url": link}
    if not asked and themes:
        where = as_text(themes[0].get("reviews_url")) or _reviews_page(themes[0])
        raise Invalid(
            f"line 1: {path.name} is WordPress.org's information about a theme: its API gives "
            "the stars' count but never the reviews' words (they are on "
            f"{where or 'the theme page'}); copy them into a reviews CSV (title, rating, text, "
            "author, date) and import that"
        )
    if not asked:
        raise Invalid(
            f"line 1: {path.name} is WordPress.org's information about a plugin without its "
            "reviews: ask the API for them (request[fields][reviews]=1) and import that answer"
        )
    if not found:
        raise Invalid(f"line 1: {path.name} is WordPress.org's reviews section, holding none")


def _plugins(value: Any) -> Iterator[dict[str, Any]]:
    """The plugins (or themes) an answer is about: itself, a query's `plugins`, an array of
    answers; the reviews section kept alone as a string is one plugin's."""
    if isinstance(value, str):
        yield {"sections": {"reviews": value}}
    elif isinstance(value, list):
        for item in value:
            yield from _plugins(item)
    elif isinstance(value, dict):
        listed_ones = listed(value.get("plugins")) or listed(value.get("themes"))
        if not listed_ones and "slug" not in value and value:
            # Several answers by slug (the themes API asked for `slugs`): each of them.
            answers = [v for v in value.values() if isinstance(v, dict) and "slug" in v]
            listed_ones = answers if len(answers) == len(value) else []
        if listed_ones:
            for item in listed_ones:
                yield from _plugins(item)
        else:
            yield value


def _reviews_section(plugin: dict[str, Any]) -> str | None:
    section = dict_at(plugin, "sections").get("reviews", plugin.get("reviews"))
    return section if isinstance(section, str) else None


def _split(section: str) -> Iterator[str]:
    """Each review's markup: from its `div.review` to the next one."""
    found = list(_REVIEW.finditer(section))
    for n, opened in enumerate(found):
        yield section[opened.end() : found[n + 1].start() if n + 1 < len(found) else None]


def _row(review: str, vendor: tuple[set[str], set[str]]) -> dict[str, Any]:
    body = _BODY.search(review)
    head, words = (review[: body.start()], review[body.end() :]) if body else (review, "")
    title = _TITLE.search(head) or _ANY_TITLE.search(head)
    named = _NAME.search(head)
    if named is None:
        reviewer = _REVIEWER.search(head)
        links = _LINK.findall(reviewer.group(1)) if reviewer else []
        said = next((link for link in reversed(links) if _text(link)), None)
    else:
        said = named.group(1)
    author = _text(_LOGIN.sub("", said)) if said else None
    profile = _PROFILE.search(head)
    slugs, names = vendor
    date = _DATE.search(head)
    return {
        "rating": _stars(head),
        "title": _text(title.group(1)) if title else None,
        "text": _text(words),
        "author": author,
        "occurred_at": _text(date.group(1)) if date else None,
        "external_id": None,
        "store": STORE,
        "by_vendor": bool(profile and profile.group(1).lower() in slugs)
        or bool(author and author.casefold() in names),
    }


def _stars(head: str) -> str | None:
    """The review's stars as written ("2", "4.5"), None when the markup says none."""
    found = _STARS.search(head) or _STARS_SAID.search(head)
    if found:
        return next(group for group in found.groups() if group)
    filled = len(_FILLED.findall(head))
    half = len(_HALF.findall(head))
    return str(filled + half / 2) if filled or half else None


def _text(markup: str) -> str | None:
    return as_text(html_to_text(markup) if "<" in markup else html.unescape(markup))


def _vendor(plugin: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The profile slugs and the names of the plugin's own people: its contributors (keyed by
    their profile's slug; 1.2 names each, 1.0 gives only the profile's address) and its
    author (the themes API's an object, the plugins API's the name in a link)."""
    slugs: set[str] = set()
    names: set[str] = set()
    author = plugin.get("author")
    people = [*dict_at(plugin, "contributors").items(), ("", author)]
    for slug, person in people:
        if slug:
            slugs.add(str(slug).lower())
        where = person if isinstance(person, dict) else {"profile": person, "name": person}
        for key in ("profile", "author_url"):
            found = _PROFILE.search(str(where.get(key) or ""))
            if found:
                slugs.add(found.group(1).lower())
        name = where.get("display_name") or where.get("name")
        if isinstance(name, str) and (said := _text(name)) and "://" not in said:
            names.add(said.casefold())
    profile = _PROFILE.search(str(plugin.get("author_profile") or ""))
    if profile:
        slugs.add(profile.group(1).lower())
    return slugs, names


def _reviews_page(plugin: dict[str, Any]) -> str | None:
    """Where a person reads the reviews: the plugin's (or theme's) reviews on its forum."""
    slug = as_text(plugin.get("slug"))
    if slug is None or not re.fullmatch(r"[a-z0-9-]+", slug):
        return None
    kind = "theme" if _is_theme(plugin) else "plugin"
    return f"https://wordpress.org/support/{kind}/{slug}/reviews/"


def _is_theme(plugin: dict[str, Any]) -> bool:
    """The themes API's answer (its preview and screenshot, or its reviews' address)."""
    reviews = str(plugin.get("reviews_url") or "")
    return "preview_url" in plugin or "screenshot_url" in plugin or "/support/theme/" in reviews
