# ruff: noqa: RUF001
import re
from pathlib import Path

import numpy as np
import pytest

from huddle.insights.boilerplate import strip_boilerplate
from huddle.insights.embedding import Embedder, get_default_embedder
from huddle.insights.labels import MAX_WORDS, _shape_penalty, _Spelling, clauses, label_themes
from huddle.insights.praise import is_praise, praise_by_rules
from huddle.insights.themes import _merge_near_identical, discover_themes

DARK_MODE = [
    "NPS 7 – Would love a dark mode for late month-end closes",
    "Hi team,\nPlease add a dark mode, the white screens hurt at night.\nThanks,\nMaria",
    "dark mode please!! my eyes",
    "Any plans for a dark mode? We work late during close.",
    "CSAT: 3/5 - no dark mode, the bright UI is tiring in the evening",
    "Our accountants asked again for a dark mode",
    "Dark mode would help the night shift a lot\n\nSent from my iPhone",
    "We need a dark mode for the approvals screen",
]
SSO = [
    "We need SAML single sign-on through Okta before security signs off",
    "Hi,\nNo SAML single sign-on through Okta is a blocker in our security review.\nRegards,\nTom",
    "SAML single sign-on through Okta is a must for our IT team",
    "Can we get SAML single sign-on? We use Okta for everything",
    "Security review failed: no single sign-on with Okta",
    "NPS 5 – Without SAML single sign-on we manage 150 passwords by hand",
    "IT wants every app behind Okta single sign-on",
    "Please support SAML SSO through Okta",
]
EXPORTS = [
    "Exports time out on large reports",
    "The CSV export times out for large reports",
    "Hello support,\nExports time out on large reports every Monday.\nBest,\nYara",
    "Exporting the spend report times out when it has more than 10,000 rows",
    "NPS 4 - exports time out on large reports, we split them by month",
    "Large report exports fail with a timeout",
    "The yearly report export never finishes, it times out",
    "Exports time out on large reports since the last release",
]
GROUPS = [DARK_MODE, SSO, EXPORTS]
PRAISE = [
    "Love the new dashboard, great job!",
    "NPS 10 – Love the new dashboard, great job team",
    "Thanks so much for the quick fix yesterday",
    "Great product, great people",
    "Hi team,\nReally happy with the rollout so far!\nCheers,\nAnna",
    "The new approval inbox is great, month end was calm for once",
    "Support was super quick to help us today, thank you",
    "Kudos to the team on the new mobile release",
    "Best spend tool we've used, by far",
    "Love the weekly digest, finally fewer emails",
    "Awesome update, the app feels so much faster",
    "Keep up the good work!",
]
FIXTURE = Path(__file__).parent / "fixtures" / "praise_cases.tsv"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_default_embedder()


@pytest.fixture(scope="module")
def labels(embedder: Embedder) -> list[str]:
    centres = np.vstack([embedder.encode(group).mean(axis=0) for group in GROUPS])
    return [found.label for found in label_themes(GROUPS, centres, embedder)]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[\w'’-]+", text.lower()))


def test_labels_are_short_phrases_taken_from_the_evidence(labels: list[str]) -> None:
    for label, group in zip(labels, GROUPS, strict=True):
        assert ", " not in label  # not a keyword list
        assert 1 <= len(label.split()) <= MAX_WORDS
        assert label[0].isupper()
        assert any(_words(label) in _words(strip_boilerplate(text)) for text in group), label


def test_labels_name_what_the_group_is_about(labels: list[str]) -> None:
    dark, sso, exports = (label.lower() for label in labels)
    assert "dark mode" in dark
    assert "single sign-on" in sso or "saml" in sso
    assert "export" in exports and "time" in exports


def test_labels_carry_no_boilerplate(labels: list[str]) -> None:
    for label in labels:
        for word in ("nps", "csat", "hi", "hello", "thanks", "regards", "iphone", "maria", "tom"):
            assert word not in _words(label).split(), label


def test_terms_are_different_phrases(embedder: Embedder) -> None:
    centres = np.vstack([embedder.encode(group).mean(axis=0) for group in GROUPS])
    for found in label_themes(GROUPS, centres, embedder):
        assert (
            found.terms[0] == found.label
            or found.label == found.terms[0][:1].upper() + found.terms[0][1:]
        )
        assert len(found.terms) == len({t.lower() for t in found.terms}) >= 3


def _cases() -> list[tuple[str, str, str]]:
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            half, kind, text = line.split("\t")
            rows.append((half, kind, text))
    return rows


def test_the_praise_corpus_is_balanced_and_large_enough() -> None:
    kinds = [kind for _, kind, _ in _cases()]
    assert len(kinds) >= 100
    assert 0.4 <= kinds.count("praise") / len(kinds) <= 0.6


@pytest.mark.parametrize(
    "text",
    [
        "Love it but exports time out on large reports",
        "Great app, but it crashes when I upload a photo",
        "Thanks for the update, the sync is still broken though",
        "Would love a dark mode for late nights",
        "Loving the new editor! Any chance of adding tables?",
        "Overall happy, just wish the search was better",
        "NPS 9 – We can't offboard people properly without SCIM. Big fan of the product otherwise.",
        # Slower than it was is a problem, however it is put.
        "Approvals used to take a day and now take a week",
        "Syncing used to take 2 minutes and now takes 20 minutes",
    ],
)
def test_mixed_praise_with_something_to_fix_is_a_problem(text: str) -> None:
    assert praise_by_rules(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "Love the new dashboard, great job!",
        "NPS 10 – Thanks so much for the quick fix yesterday",
        "No complaints at all, everything works as promised",
        "Our AP clerk says she can't imagine going back to paper",
        "We moved from Ramp and don't miss it",
        "Month-end close used to take us 10 days, now it takes 3 days",
        "NPS 10 – Approvals used to take a week and now take a day.",
    ],
)
def test_praise_is_recognised(text: str) -> None:
    assert praise_by_rules(text) is True


def test_praise_detection_on_the_labelled_corpus(embedder: Embedder) -> None:
    cases = _cases()
    texts = [text for _, _, text in cases]
    truth = np.asarray([kind == "praise" for _, kind, _ in cases])
    found = is_praise(texts, embedder.encode(texts), embedder)
    precision = (found & truth).sum() / found.sum()
    recall = (found & truth).sum() / truth.sum()
    # Hiding a problem costs more than showing praise: precision first.
    assert precision >= 0.97
    assert recall >= 0.85


def test_praise_is_not_suggested_as_a_problem(embedder: Embedder) -> None:
    texts = DARK_MODE + EXPORTS + PRAISE
    vectors = embedder.encode(texts)
    result = discover_themes(vectors, texts, embedder=embedder)
    # Praise that lands in a problem's group leaves it too.
    assert np.all(result.labels[is_praise(texts, vectors, embedder)] == -1)
    praise_rows = set(range(len(DARK_MODE) + len(EXPORTS), len(texts)))
    assert result.themes
    for theme in result.themes:
        assert len(praise_rows & set(theme.members.tolist())) < theme.size / 2, theme.label
    assert result.praise >= len(PRAISE) - 2
    assert (result.labels[sorted(praise_rows)] == -1).mean() >= 0.8


def test_near_identical_themes_are_merged(embedder: Embedder) -> None:
    texts = DARK_MODE + EXPORTS
    vectors = embedder.encode(texts)
    apart = discover_themes(vectors, texts, embedder=embedder)
    assert len(apart.themes) == 2 and apart.merged == 0
    closeness = float(apart.themes[0].centroid @ apart.themes[1].centroid)
    together = discover_themes(vectors, texts, embedder=embedder, merge_similarity=closeness - 0.01)
    assert len(together.themes) == 1 and together.merged == 1
    assert sorted(together.themes[0].members.tolist()) == list(range(len(texts)))
    still_apart = discover_themes(
        vectors, texts, embedder=embedder, merge_similarity=closeness + 0.01
    )
    assert np.array_equal(still_apart.labels, apart.labels)


def test_merging_is_transitive_and_keeps_far_themes_apart() -> None:
    # Themes 0~1 and 1~2 are close (cosine 0.95), 3 is far from all.
    base = np.array([[1.0, 0.0, 0.0], [0.95, 0.312, 0.0], [0.805, 0.593, 0.0], [0.0, 0.0, 1.0]])
    vectors = np.repeat(base, [4, 3, 2, 5], axis=0).astype(np.float32)
    labels = np.repeat(np.arange(4), [4, 3, 2, 5]).astype(np.int64)
    merged, count, joined = _merge_near_identical(vectors, labels, 4, 0.94)
    assert (count, joined) == (2, 2)
    # The merged theme (9 items) is numbered first, the far one second.
    assert merged.tolist() == [0] * 9 + [1] * 5


def test_boilerplate_every_member_shares_does_not_name_the_group(embedder: Embedder) -> None:
    core = [
        "approvals get stuck when the approver is on holiday",
        "bills wait for days when an approver is away",
        "nobody can approve while the approver is on leave",
        "we need a delegate when approvers are out of office",
        "approvals stall whenever the approver is travelling",
        "invoices sit unapproved while the approver is on vacation",
    ]
    texts = [f"NPS 6 – Hi team,\n{c}.\nThanks,\nMaria Lopez\nSent from my iPhone" for c in core]
    centre = embedder.encode([strip_boilerplate(t) for t in texts]).mean(axis=0, keepdims=True)
    (found,) = label_themes([texts], centre, embedder)
    for phrase in [found.label, *found.terms]:
        for word in ("nps", "hi", "team", "thanks", "maria", "lopez", "sent", "iphone"):
            assert word not in _words(phrase).split(), phrase
    assert "approv" in found.label.lower()


def test_praise_inside_a_problem_group_leaves_it(embedder: Embedder) -> None:
    glad = ["Love the new CSV export on large reports, great job!", "Exports are great now, thanks"]
    texts = DARK_MODE + EXPORTS + glad
    vectors = embedder.encode(texts)
    alone = discover_themes(vectors[:-2], texts[:-2], embedder=embedder)
    result = discover_themes(vectors, texts, embedder=embedder)
    # The same groups of problems, and the praise in none of them.
    assert {frozenset(t.members.tolist()) for t in result.themes} == {
        frozenset(t.members.tolist()) for t in alone.themes
    }
    assert result.labels[-2:].tolist() == [-1, -1]
    assert result.praise == 2


def _label_of(texts: list[str], embedder: Embedder) -> str:
    centre = embedder.encode(texts).mean(axis=0, keepdims=True)
    return label_themes([texts], centre, embedder)[0].label


def test_a_label_does_not_stop_in_the_middle_of_a_second_clause(embedder: Embedder) -> None:
    label = _label_of(
        [
            "Dashboards time out when we pick a date range",
            "dashboards time out when we pick last quarter",
            "The dashboards time out when we pick more than a month",
            "Dashboards time out when we pick a custom range",
            "Vendor bank account was changed and nobody noticed for a week",
        ],
        embedder,
    )
    assert not re.search(r"\bwhen( we( pick)?)?$", label.lower()), label
    assert "time out" in label.lower()


def test_a_label_does_not_stop_in_the_middle_of_a_question_it_asks(embedder: Embedder) -> None:
    label = _label_of(
        [
            "The docs don't say what the API limit is per minute",
            "Docs don't say what the API limit is for bulk calls",
            "docs don't say what the API limit is, we found out in production",
            "Your docs don't say what the API limit is",
        ],
        embedder,
    )
    assert not re.search(r"\bwhat( the( api( limit)?)?)?$", label.lower()), label


def test_a_wish_typed_without_its_apostrophe_does_not_open_a_label(embedder: Embedder) -> None:
    label = _label_of(
        [
            "wed love teams approvals, we are a microsoft shop",
            "wed love teams approvals for the managers",
            "Wed love Teams approvals instead of email",
            "id love teams approvals too",
        ],
        embedder,
    )
    assert label.lower().split()[0] not in {"wed", "id", "love"}, label


def test_a_label_names_the_problem_not_the_reason_for_it(embedder: Embedder) -> None:
    label = _label_of(
        [
            "We keep budgets in a spreadsheet because Ledgerline has no budgets",
            "Budgets live in a spreadsheet because Ledgerline has no budgets per team",
            "Finance tracks budgets in a spreadsheet because Ledgerline has no budgets",
            "No budgets in Ledgerline, so it's a spreadsheet",
        ],
        embedder,
    )
    assert "because" not in label.lower().split(), label


def test_a_preposition_closes_a_label_only_where_it_ends_the_clause(embedder: Embedder) -> None:
    label = _label_of(
        [
            "Flagged Ledgerline as a weak spot in the audit",
            "they flagged Ledgerline as a weak spot in our controls",
            "auditors flagged Ledgerline as a weak spot in the review",
            "Flagged Ledgerline as a weak spot in their report",
        ],
        embedder,
    )
    assert not label.lower().endswith(" in"), label


def test_and_between_two_things_is_not_a_second_clause(embedder: Embedder) -> None:
    label = _label_of(
        [
            "The activity feed doesn't show the old and new values of a change",
            "Activity feed doesn't show the old and new values",
            "activity feed doesn't show the old and new values when a bill is edited",
            "The activity feed should show the old and new values",
        ],
        embedder,
    )
    assert "old and new" in label.lower(), label


@pytest.mark.parametrize(
    ("weaker", "stronger"),
    [
        ("CFO", "Reports are slow"),  # one word, and a bare name
        ("Thistle Analytics", "Exports time out"),  # an account's name
        ("Owns the AP process end to end", "Approvals are slow"),  # a verb with no subject
        ("Needs the app in their language", "App in their language"),
    ],
)
def test_names_and_subjectless_verbs_read_less_like_titles(weaker: str, stronger: str) -> None:
    assert _shape_penalty(weaker) > _shape_penalty(stronger) == 0


@pytest.mark.parametrize(
    "title", ["No SAML SSO", "Dark mode", "Reports are slow", "Cards declined"]
)
def test_ordinary_titles_carry_no_shape_penalty(title: str) -> None:
    assert _shape_penalty(title) == 0


def test_a_label_is_spelled_as_the_members_spell_it(embedder: Embedder) -> None:
    members = [
        "We can't offboard people porperly without SCIM, the manager form is wrong",
        "We can't offboard people properly without SCIM, says our manager",
        "NPS 0 - offboarding is not done properly, the managed invoices stay",
        "can't offboard people properly from the invoices page",
    ]
    spelling = _Spelling([clauses(text) for text in members])
    assert not spelling.as_written("offboard people porperly")  # one member's typo
    assert spelling.as_written("offboard people properly")
    # Two forms of one word, and short words one letter apart, are not typos.
    assert spelling.as_written("the manager form")
    assert spelling.as_written("the managed invoice")
    label = _label_of(
        [
            "wed love teams approvals were a microsoft shop",
            "hey team wed love teams approvals were a microsoft shop :(",
            "We'd love Teams approvals, we're a Microsoft shop.",
            "CSAT 2/5 – We'd love Teams approvals, we're a Microsoft shop",
            "Asked for Teams approvals again",
        ],
        embedder,
    )
    assert "microsoft shop" not in label.lower(), label


def test_a_label_keeps_what_completes_it(embedder: Embedder) -> None:
    label = _label_of(
        [
            "A Slack approve button would save us so much time",
            "a slack approve button would save us so much time pls help",
            "NPS 3 - A Slack approve button would save us so much time.",
            "Slack approve button would save us hours at month end",
        ],
        embedder,
    )
    assert not label.lower().endswith(("would save", "slack approve")), label
    label = _label_of(
        [
            "I want our ERP to hear about a payment the moment it clears",
            "NPS 3 – But I want our ERP to hear about a payment the moment it clears.",
            "our ERP should hear about a payment the moment it clears",
        ],
        embedder,
    )
    assert not label.lower().endswith("the moment"), label


def test_a_label_does_not_leave_out_its_negation(embedder: Embedder) -> None:
    label = _label_of(
        [
            "Department heads have no idea how much of their budget is left",
            "department heads have no idea how much of their budget is left this month",
            "Budget owners have no idea how much of their budget is left",
            "They have no idea how much of their budget is left until month end",
        ],
        embedder,
    )
    assert not label.lower().startswith("idea"), label


def test_a_label_is_what_was_said_not_who_said_it(embedder: Embedder) -> None:
    label = _label_of(
        [
            "Support said it was the merchant category",
            "support said it was the merchant category, the card was under its limit",
            "Support said it was the merchant category. Cards declined at a trade show",
            "cards declined, support said it was the merchant category",
        ],
        embedder,
    )
    assert not label.lower().startswith("support said"), label


def test_a_label_does_not_end_on_last_or_next(embedder: Embedder) -> None:
    label = _label_of(
        [
            "Can't tell who changed the approval rule last week",
            "can't tell who changed the approval rule last month",
            "We can't tell who changed the approval rule last Friday",
            "No way to tell who changed the approval rule",
        ],
        embedder,
    )
    assert label.lower().split()[-1] not in {"last", "next"}, label
