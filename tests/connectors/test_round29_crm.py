"""What round 29's CRM exports showed, each on a small input of its own: Twenty's notes API
(through hubspot), read by each note's targets and the actor who made it, and EspoCRM's stream
notes (through salesforce), of which only posts hold words, read by their parent and its
account."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("zentro.io",), staff_names=("Mira Patel",))


def _blocks(*blocks: tuple[str, str]) -> str:
    """A BlockNote document, as Twenty keeps it in `bodyV2.blocknote`: a JSON string."""
    return json.dumps(
        [
            {
                "id": f"b{i}",
                "type": kind,
                "props": {"textColor": "default"},
                "content": [{"type": "text", "text": text, "styles": {"bold": True}}],
                "children": [],
            }
            for i, (kind, text) in enumerate(blocks)
        ]
    )


def _twenty(
    note_id: str,
    title: str,
    blocks: str,
    *targets: dict[str, Any],
    source: str = "MANUAL",
    deleted: str | None = None,
) -> dict[str, Any]:
    return {
        "id": note_id,
        "createdAt": "2026-11-24T16:02:11.512Z",
        "deletedAt": deleted,
        "title": title,
        "bodyV2": {"blocknote": blocks, "markdown": "**not read when blocks are given**"},
        "createdBy": {
            "source": source,
            "workspaceMemberId": "m-1" if source == "MANUAL" else None,
            "name": "Mira Patel" if source == "MANUAL" else "Sync key",
            "context": {},
        },
        "noteTargets": list(targets),
    }


COMPANY = {
    "companyId": "c-1",
    "company": {
        "id": "c-1",
        "name": "Harbor Freight",
        "domainName": {"primaryLinkUrl": "https://www.harborfreight.example/"},
    },
}
PERSON = {
    "personId": "p-1",
    "person": {
        "id": "p-1",
        "name": {"firstName": "Ana", "lastName": "Ruiz"},
        "emails": {"primaryEmail": "ana@quayside.example"},
    },
}
DEAL = {"opportunityId": "o-1", "opportunity": {"id": "o-1", "name": "Tidewater - SSO add-on"}}
TWENTY_PAGE = {
    "data": {
        "notes": [
            _twenty(
                "n1",
                "QBR",
                _blocks(
                    ("paragraph", "Vans vanish from the map."),
                    ("bulletListItem", "Maps lag"),
                    ("numberedListItem", "Export"),
                    ("numberedListItem", "Import"),
                ),
                COMPANY,
            ),
            _twenty("n2", "Call", _blocks(("paragraph", "Rota export is manual.")), PERSON),
            _twenty("n3", "Blockers", _blocks(("paragraph", "SSO is a blocker.")), DEAL),
            # A workflow's note, an API key's, one in the trash, and the team's test.
            _twenty(
                "n4", "Stage", _blocks(("paragraph", "Stage set to Won.")), DEAL, source="WORKFLOW"
            ),
            _twenty("n5", "Sync", _blocks(("paragraph", "Synced 4 fields.")), source="API"),
            _twenty(
                "n6",
                "Draft",
                _blocks(("paragraph", "Old draft.")),
                COMPANY,
                deleted="2026-11-25T09:00:00.000Z",
            ),
            _twenty("n7", "test", _blocks(("paragraph", "test note, please ignore")), COMPANY),
        ]
    },
    "pageInfo": {"hasNextPage": True, "startCursor": "a", "endCursor": "cur-7"},
    "totalCount": 12,
}


def test_twenty_notes_read_by_their_targets_and_their_maker(tmp_path: Path) -> None:
    read = read_clean("hubspot", write_json(tmp_path / "notes.json", TWENTY_PAGE), OURS)
    assert [(f.text, f.account_ref, f.contact_email, f.mentions) for f in read.feedback] == [
        # A company by its name (its domain after it); the blocks a line each, lists marked.
        (
            "Vans vanish from the map.\n- Maps lag\n1. Export\n2. Import",
            "Harbor Freight",
            None,
            ("QBR",),
        ),
        # A person by their address; a deal by its name, where the account may be named.
        ("Rota export is manual.", None, "ana@quayside.example", ("Call",)),
        ("SSO is a blocker.", None, None, ("Tidewater - SSO add-on", "Blockers")),
    ]
    first = read.feedback[0]
    assert (first.external_id, first.title, first.account_aliases) == (
        "n1",
        "QBR",
        ("harborfreight.example",),
    )
    assert "author:mira_patel" in first.tags
    assert first.occurred_at is not None and first.occurred_at.isoformat().startswith(
        "2026-11-24T16:02:11.512"
    )
    # A workflow's and an API key's notes are no person's; the trash is not read.
    assert left_out_of(read) == [
        ("bot", "Stage set to Won."),
        ("bot", "Synced 4 fields."),
        ("test", "test note, please ignore"),
    ]
    assert read.skipped_rows == 1
    assert [(w.column, "starting_after=cur-7" in w.reason) for w in read.warnings] == [
        ("pageInfo.hasNextPage", True)
    ]


def test_a_twenty_graphql_page_with_markdown_only_and_companies_by_person(tmp_path: Path) -> None:
    on_person = {
        "node": {
            "personId": "p-2",
            "person": {
                "id": "p-2",
                "name": {"firstName": "Owen", "lastName": "Pryce"},
                "emails": {"primaryEmail": "owen@gmail.com"},
                "company": {"id": "c-9", "name": "Tidewater Logistics"},
            },
        }
    }
    note = _twenty("g1", "Intro", "", source="IMPORT")
    note["bodyV2"] = {"blocknote": None, "markdown": "They want **SSO** and [audit logs](x)."}
    note["noteTargets"] = {"edges": [on_person]}
    page = {
        "data": {
            "notes": {
                "edges": [{"node": note, "cursor": "x"}],
                "pageInfo": {"hasNextPage": False, "endCursor": "x"},
                "totalCount": 1,
            }
        }
    }
    read = read_clean("hubspot", write_json(tmp_path / "graphql.json", page), OURS)
    # A member's import is the team's; the person's company given beside them is the account.
    assert [(f.text, f.account_ref, f.contact_email) for f in read.feedback] == [
        ("They want SSO and audit logs.", "Tidewater Logistics", "owen@gmail.com")
    ]
    assert read.left_out == [] and read.warnings == []


def _espo(
    note_id: str,
    kind: str,
    post: str | None,
    parent: tuple[str, str, str] | None,
    by: str = "Mira Patel",
    **fields: Any,
) -> dict[str, Any]:
    parent_type, parent_id, parent_name = parent or (None, None, None)
    return {
        "id": note_id,
        "deleted": False,
        "post": post,
        "data": {},
        "type": kind,
        "targetType": None,
        "isInternal": False,
        "createdAt": "2026-11-24 10:14:22",
        "parentId": parent_id,
        "parentType": parent_type,
        "parentName": parent_name,
        "relatedId": None,
        "relatedType": None,
        "relatedName": None,
        "createdById": "u-1",
        "createdByName": by,
        "superParentId": None,
        "superParentType": None,
        **fields,
    }


HARBOR = ("Account", "a-1", "Harbor Freight")
ESPO_NOTES = [
    _espo("1", "Post", "Vans vanish from the map.", HARBOR),
    # Contacts and deals on an account by its id: the file names one of them.
    _espo(
        "2",
        "Post",
        "Call with Ana: rota export is manual.",
        ("Contact", "c-1", "Ana Ruiz"),
        superParentType="Account",
        superParentId="a-1",
    ),
    _espo(
        "3",
        "Post",
        "Owen at the Quayside renewal: SSO is a blocker.",
        ("Contact", "c-2", "Owen Pryce"),
        superParentType="Account",
        superParentId="a-9",
    ),
    _espo("4", "Post", "Duplicates on sync.", ("Opportunity", "o-1", "Tidewater - Fleet FY27")),
    # What the CRM did, not anyone's words; a post on no record; a bot's; a test.
    _espo("5", "Update", None, HARBOR, data={"fields": ["type"]}),
    # (An email on a record whose entity streams emails with their content.)
    _espo("6", "EmailReceived", "Re: invoice attached.", HARBOR, data={"emailName": "Re: inv"}),
    _espo("7", "Post", "Office closed on Friday.", None, targetType="all", isGlobal=True),
    _espo("8", "Post", "New review posted: 3 stars.", HARBOR, by="Zapier Integration"),
    _espo("9", "Post", "Nightly import finished.", HARBOR, createdById="system"),
    _espo("10", "Post", "@mira @sam.o test post, ignore", HARBOR),
    _espo("11", "Post", "Deleted words.", HARBOR, deleted=True),
]


def test_espocrm_posts_read_by_their_parent_and_its_account(tmp_path: Path) -> None:
    page = {"total": len(ESPO_NOTES), "list": ESPO_NOTES}
    read = read_clean("salesforce", write_json(tmp_path / "notes.json", page), OURS)
    assert [(f.text, f.account_ref, f.mentions) for f in read.feedback] == [
        ("Vans vanish from the map.", "Harbor Freight", ()),
        # The contact's account, named by a post on it.
        ("Call with Ana: rota export is manual.", "Harbor Freight", ("Ana Ruiz",)),
        # An account the file does not name: the parent's name and the post's opening.
        (
            "Owen at the Quayside renewal: SSO is a blocker.",
            None,
            ("Owen Pryce", "Owen at the Quayside renewal"),
        ),
        ("Duplicates on sync.", None, ("Tidewater - Fleet FY27", "Duplicates on sync")),
    ]
    first = read.feedback[0]
    assert (first.external_id, "author:mira_patel" in first.tags) == ("1", True)
    assert first.occurred_at is not None and first.occurred_at.isoformat() == (
        "2026-11-24T10:14:22+00:00"
    )
    # An integration's and the system's posts are a bot's; the users addressed are no words.
    assert left_out_of(read) == [
        ("bot", "New review posted: 3 stars."),
        ("bot", "Nightly import finished."),
        ("test", "test post, ignore"),
        ("internal", "Office closed on Friday."),
    ]
    assert read.skipped_rows == 3 and read.warnings == []


def test_an_espocrm_page_with_more_notes_says_so(tmp_path: Path) -> None:
    page = {"total": 40, "list": ESPO_NOTES[:2]}
    read = read_clean("salesforce", write_json(tmp_path / "notes.json", page), OURS)
    assert [(w.column, "offset=2" in w.reason) for w in read.warnings] == [("total", True)]


def test_an_espocrm_post_on_a_contact_is_attached_by_its_opening(
    tmp_path: Path, session: Session
) -> None:
    create_account(session, name="Quayside Retail")
    page = {"total": 3, "list": ESPO_NOTES[2:4]}
    path = write_json(tmp_path / "stream.json", page)
    report = run(session, actor(session, "admin"), "salesforce", path)
    assert came_in(session, report) == [
        ("Owen at the Quayside renewal: SSO is a blocker.", "Quayside Retail"),
        ("Duplicates on sync.", None),
    ]
    # The account's id the file never names is not listed as an account to make.
    assert report.unmatched_accounts == {}
