"""HubSpot: a Companies export and a Notes (activities) export, both CSV.

Companies: `Record ID`, `Company name`, `Company Domain Name`, `Lifecycle Stage`, `Annual
recurring revenue`/`Annual Revenue`, `Company owner` (an email is matched to a user; a bare
name is left out), `Renewal date`, `Segment`, `Health`, and a notes property as evidence.
Notes: `Activity ID`/`Record ID`, `Note body`, `Activity date`/`Create date`, `Associated
Company`/`Associated Company IDs` (the first one is used), `Associated Contact` (`Name
(email)`: with no company, the contact's domain finds the account). Email activities: `Email
text`, `Email direction` (incoming mail is the customer's, without what it quotes; outgoing is
the team's, or a sequence's when `Sequence name` is set; a forward is the forwarded mail's),
`Email from address`. Links need the portal id: `--map portal_id=1234567`.
HubSpot in German, French, Spanish, Italian, Portuguese or Dutch writes these labels in that
language ("Notiztext", "Corps de la note"): `crm_labels`.
Also Close's JSON lead export (`crm_close`), Pipedrive's notes API pages (`crm_pipedrive`),
Attio's (`crm_attio`), Twenty's (`crm_twenty`) and Affinity's (`crm_affinity`), for a team whose
CRM has no connector, and a form's submissions ("Conversion Date", "Conversion Page", the form's fields:
`hubspot_forms`), each message the customer's words.
"""

from pathlib import Path

from huddle.connectors import crm_labels as local
from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm import CrmShape, read_crm
from huddle.connectors.crm_affinity import is_affinity_notes, read_affinity_notes
from huddle.connectors.crm_attio import is_attio_notes, read_attio_notes
from huddle.connectors.crm_close import is_close, read_close
from huddle.connectors.crm_pipedrive import is_pipedrive_notes, read_pipedrive_notes
from huddle.connectors.crm_twenty import is_twenty_notes, read_twenty_notes
from huddle.connectors.hubspot_api import is_api_page, read_api_page
from huddle.connectors.hubspot_forms import is_form_submissions, read_form_submissions
from huddle.connectors.json_reading import is_json
from huddle.imports.fields import FieldSpec


def _link(record_id: str, mapping: dict[str, str]) -> str | None:
    portal = mapping.get("portal_id")
    return f"https://app.hubspot.com/contacts/{portal}/record/0-2/{record_id}" if portal else None


ACCOUNT_FIELDS = (
    FieldSpec(
        "name", ("company_name", "name", "company", *local.HUBSPOT_COMPANY_NAME), required=True
    ),
    FieldSpec(
        "external_id", ("record_id", "company_id", "hs_object_id", "id", *local.HUBSPOT_RECORD_ID)
    ),
    FieldSpec(
        "domain",
        ("company_domain_name", "domain", "website_url", "website", *local.HUBSPOT_COMPANY_DOMAIN),
    ),
    FieldSpec("segment", ("segment", "customer_segment", "tier", "industry")),
    FieldSpec("plan", ("plan", "product_plan", "subscription")),
    FieldSpec(
        "arr",
        (
            "annual_recurring_revenue",
            "arr",
            "total_revenue",
            "annual_revenue",
            *local.ANNUAL_REVENUE,
        ),
    ),
    FieldSpec("mrr", ("mrr", "monthly_recurring_revenue")),
    FieldSpec("currency", ("currency", "company_currency")),
    FieldSpec(
        "owner_email",
        (
            "company_owner_email",
            "owner_email",
            "company_owner",
            "hubspot_owner",
            "owner",
            *local.HUBSPOT_COMPANY_OWNER,
        ),
    ),
    FieldSpec(
        "status",
        (
            "lifecycle_stage",
            "lifecyclestage",
            "type",
            "company_type",
            "status",
            *local.HUBSPOT_LIFECYCLE,
        ),
    ),
    FieldSpec("renewal_date", ("renewal_date", "contract_end_date", "next_renewal_date")),
    FieldSpec("at_risk", ("health", "customer_health", "health_status", "at_risk", "churn_risk")),
    FieldSpec("note", ("notes", "customer_notes", "pain_points", "feedback")),
    FieldSpec(
        "last_activity", ("last_activity_date", "recent_activity_date", "last_modified_date")
    ),
)
NOTE_FIELDS = (
    # Pipedrive's notes export: "Note - Content", "Note - Organization", "Note - Add time"; its
    # activities export: "Activity - Note" (read as "Note", the words after the entity most
    # columns open with), "Organization - Name", "Person - Email", "Deal - Title".
    FieldSpec(
        "text",
        (
            "note_body",
            "body",
            "hs_note_body",
            "notes",
            "note",
            "note_content",
            # The calls and meetings exports: what the team wrote of the call or meeting (a
            # meeting's description is its calendar invitation).
            "call_notes",
            "internal_meeting_notes",
            "meeting_notes",
            # Copper's activity export: an activity's words in "Details".
            "details",
            # The email activities export: the mail as plain text.
            "email_text",
            "email_body",
            # HubSpot in another language: "Notiztext", "Corps de la note"…
            *local.HUBSPOT_NOTE_TEXT,
        ),
        required=True,
    ),
    FieldSpec(
        "external_id",
        (
            "activity_id",
            "record_id",
            "engagement_id",
            "hs_object_id",
            "id",
            *local.HUBSPOT_ACTIVITY_ID,
            *local.HUBSPOT_RECORD_ID,
        ),
    ),
    FieldSpec(
        "account",
        (
            # The company's name before its HubSpot id: a name finds the account whichever
            # system it came from; the id only when the companies were imported from HubSpot.
            "associated_company",
            "associated_companies",
            *local.HUBSPOT_COMPANY_NAMES,
            "associated_company_ids",
            "associated_company_id",
            *local.HUBSPOT_COMPANY_IDS,
            "company_id",
            "company_name",
            "company",
            "note_organization",
            "organization_name",
        ),
    ),
    FieldSpec("title", ("subject", "title", "email_subject", "activity_subject")),
    # The deal a note is on (Pipedrive's "Note - Deal"): its name may name the account.
    FieldSpec(
        "parent_name",
        (
            "note_deal",
            "associated_deal",
            "deal_name",
            "deal",
            "deal_title",
            "related_to",
            "targetable",
            # Insightly's notes: the record a note is linked to, by name and type.
            "link_subject_name",
        ),
    ),
    # Copper's "Related To Type" (Company, Person, Opportunity): what the parent is.
    FieldSpec(
        "parent_type", ("related_to_type", "parent_type", "targetable_type", "link_subject_type")
    ),
    FieldSpec(
        "occurred_at",
        (
            "activity_date",
            "create_date",
            "hs_timestamp",
            "created_at",
            "date",
            "note_add_time",
            # A Pipedrive activity's day (its "Add time" is when it was logged).
            "activity_due_date",
            *local.HUBSPOT_NOTE_DATE,
        ),
    ),
    FieldSpec(
        "author",
        (
            "activity_assigned_to",
            "activity_assigned_to_user",
            "created_by",
            "owner",
            *local.HUBSPOT_NOTE_AUTHOR,
        ),
    ),
    # HubSpot's and Copper's activity exports: a note, a call, a meeting or a synced email.
    FieldSpec("activity_type", ("activity_type", "engagement_type", *local.HUBSPOT_ACTIVITY_TYPE)),
    # The contacts a note or a mail is associated with, "Name (email)", joined by ';'.
    FieldSpec("contacts", ("associated_contact", "associated_contacts", *local.HUBSPOT_CONTACTS)),
    # The email activities export: which way the mail went ("Incoming email", "Outgoing
    # email", "Forwarded email"), its sender, and the sequence that sent it, if one did.
    FieldSpec("direction", ("email_direction",)),
    FieldSpec(
        "contact_email", ("email_from_address", "from_address", "from_email", "person_email")
    ),
    # The person a Pipedrive activity was with ("Person - Name").
    FieldSpec("contact_name", ("person_name",)),
    FieldSpec("sequence", ("sequence_name", "sequence")),
)
SHAPE = CrmShape("hubspot", ACCOUNT_FIELDS, NOTE_FIELDS, _link)


class HubSpotConnector:
    name = "hubspot"
    description = (
        "HubSpot CSV or Excel exports: companies (ARR, owner, renewal), notes or a form's "
        "submissions as evidence; also pages of HubSpot's CRM API (notes, calls, emails, "
        "meetings, companies) saved as JSON, Close's JSON lead export (its notes, calls and "
        "the customers' mail as evidence), Pipedrive's, Attio's, Twenty's and Affinity's notes "
        "APIs, and another tool's JSON page read as a table of its records."
    )
    suffixes = (".csv", ".xlsx", ".json")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        if is_json(path, options.encoding):
            if is_api_page(path, options.encoding):
                return read_api_page(path, options, SHAPE)  # its CRM API's pages
            if is_close(path, options.encoding):
                return read_close(path, options)
            if is_pipedrive_notes(path, options.encoding):
                return read_pipedrive_notes(path, options, SHAPE)  # its notes API's pages
            if is_attio_notes(path, options.encoding):
                return read_attio_notes(path, options, SHAPE)  # Attio's notes API
            if is_twenty_notes(path, options.encoding):
                return read_twenty_notes(path, options, SHAPE)  # Twenty's REST or GraphQL API
            if is_affinity_notes(path, options.encoding):
                return read_affinity_notes(path, options, SHAPE)  # Affinity's API v1
            # Another tool's JSON: read below as a table of its records, by the CSV's names.
        if is_form_submissions(path, options, NOTE_FIELDS):
            return read_form_submissions(path, options)
        return read_crm(path, options, SHAPE)


connector = HubSpotConnector()
