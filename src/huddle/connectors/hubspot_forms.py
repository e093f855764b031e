"""A HubSpot form's submissions, exported as CSV (Marketing > Forms > a form > Export
submissions): each submission's message is the customer's own words.

The file names the conversion first ("Conversion Date", "Conversion Page", "Conversion
Title"; "Submitted at" in newer exports, with the "Contact"), then the form's fields by
their labels: "First Name", "Last Name", "Email", "Company Name", and the question asked
("Message", "How can we help?", "What's one thing we could improve?" — read as a survey's
open question is, `survey.SURVEY_FIELDS`). The submitter's company names the account, else
their address's domain does (the import's own rule). A test of the form or spam sent
through it is noise (`noise`); a submission one of the team made is internal.
"""

import csv
from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import pick_source
from huddle.connectors.csv_reading import csv_records, read_csv
from huddle.connectors.email_addresses import email_in
from huddle.connectors.export_dates import export_date
from huddle.connectors.noise import noise_reason
from huddle.connectors.survey import SURVEY_FIELDS
from huddle.errors import Invalid
from huddle.imports.fields import FieldSpec, RowParser, account_reference, also_named
from huddle.imports.records import FeedbackRecord
from huddle.imports.rows import Row, RowShapeError
from huddle.kit.ids import content_id

# The columns only a form's submissions have: when and where the form was sent.
_CONVERSION = ("conversion_date", "conversion_page", "conversion_title", "conversion_id")
_SUBMITTED = ("submitted_at", "submitted_on", "submission_date", "form_submission_date")
# The question a form asks for its message, and those a survey asks for a comment.
_SURVEY_TEXT = next(spec for spec in SURVEY_FIELDS if spec.name == "text")
_MESSAGE = FieldSpec(
    "text",
    (
        "message",
        "your_message",
        "how_can_we_help*",
        "how_can_we_assist*",
        "comments",
        "comment",
        "feedback",
        "your_feedback",
        "questions",
        "question",
        "your_question",
        "details",
        "additional_details",
        "additional_information",
        *_SURVEY_TEXT.aliases,
    ),
    required=True,
)
FORM_FIELDS = (
    _MESSAGE,
    FieldSpec("occurred_at", ("conversion_date", *_SUBMITTED, "date", "timestamp")),
    FieldSpec("link_url", ("conversion_page", "page_url", "page", "submission_url")),
    FieldSpec("title", ("conversion_title", "page_title", "form_name", "form")),
    FieldSpec("external_id", ("conversion_id", "submission_id", "submission_guid")),
    FieldSpec(
        "contact_email",
        ("email", "email_address", "e_mail", "work_email", "business_email", "contact_email"),
    ),
    FieldSpec("first_name", ("first_name", "firstname", "given_name")),
    FieldSpec("last_name", ("last_name", "lastname", "surname", "family_name")),
    FieldSpec("contact_name", ("contact", "name", "full_name", "your_name")),
    FieldSpec(
        "account",
        ("company_name", "company", "organization", "organisation", "company_domain_name"),
    ),
)
_MARK = (FieldSpec("conversion", (*_CONVERSION, *_SUBMITTED), required=True),)


def is_form_submissions(
    path: Path, options: ConnectorOptions, note_fields: tuple[FieldSpec, ...]
) -> bool:
    """Whether a CSV is a form's submissions: its header names a conversion or a submission
    date, and no note's body (a notes export may carry a form's conversion beside it). Told
    by the header alone: `--map` names the form's columns once it is read as one."""
    try:
        _, _, rows = read_csv(path, options.encoding, _MARK, {})
    except (Invalid, UnicodeDecodeError, RowShapeError, csv.Error, OSError, LookupError):
        return False  # reading it as notes or companies says what is wrong
    rows.close()
    try:
        _, notes, rows = read_csv(path, options.encoding, note_fields, {})
    except (Invalid, UnicodeDecodeError, RowShapeError, csv.Error, OSError, LookupError):
        return True
    rows.close()
    return "text" not in notes


def read_form_submissions(path: Path, options: ConnectorOptions) -> ConnectorOutput:
    """Each submission with a message, on the account its company or address names."""
    output = ConnectorOutput()
    # A form the customer filled in: their answers, as a survey's are.
    source = pick_source(options, "survey")
    more: dict[str, list[str]] = {}

    def handle(row: Row, columns: dict[str, str], header: list[str]) -> None:
        if "text" not in more:  # the header is the file's: looked up once
            # Every open question's answer ("What should we improve?", "Anything else?").
            more["text"] = [columns["text"], *also_named(header, _MESSAGE, columns)]
        parser = RowParser(row.line, row.values, columns)
        said = [parser.get(column) for column in more["text"]]
        text = "\n\n".join(s for s in said if s)
        if not text:
            output.skipped_rows += 1  # a submission with its message left empty
            return
        occurred_at = parser.get("occurred_at", export_date)
        contact = parser.get("contact_name")
        email = email_in(parser.get("contact_email")) or email_in(contact)
        given = " ".join(n for n in (parser.get("first_name"), parser.get("last_name")) if n)
        # HubSpot's "Contact" is the contact's name, or their address when it has no name.
        name: str | None = given or (contact if contact and "@" not in contact else None)
        if parser.errors:
            output.errors.extend(parser.errors)
            return
        # The form's own title is not the submitter's: a form named "Test drive request" is
        # no test.
        reason = noise_reason(text, email=email, name=name, options=options)
        output.take(
            FeedbackRecord(
                line=row.line,
                text=text,
                source=source,
                occurred_at=occurred_at,
                external_id=parser.get("external_id")
                or content_id(email or "", occurred_at.isoformat() if occurred_at else "", text),
                title=parser.get("title"),
                link_url=parser.get("link_url"),
                account_ref=parser.get("account", account_reference),
                contact_email=email,
                contact_name=name,
                tags=["hubspot:form"],
            ),
            reason,
            options,
        )

    csv_records(output, path, options, FORM_FIELDS, handle)
    return output
