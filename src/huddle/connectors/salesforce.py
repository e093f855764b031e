"""Salesforce: an Accounts export (report or Data Loader CSV) and Notes exports.

Accounts: `Account ID`/`Id`, `Account Name`, `Website`, `Type` (Customer - Direct, Prospect,
Former Customer…), `ARR__c`/`Annual Revenue`, `Account Owner Email`, `Renewal Date__c`/
`Contract End Date`, `Segment__c`, `Health__c`/`At Risk__c`, and a notes field (`Notes__c`,
`Pain Points__c`) as evidence. Notes (`Note.csv`): `Id`, `ParentId`, `Title`, `Body`,
`CreatedDate`; SuiteCRM's and SugarCRM's notes export (`Subject`, `Note`, `Parent ID`,
`Deleted`, text stored HTML-escaped) reads as one; so do notes or accounts as JSON from the REST
API or `sf data export tree` (`salesforce_records`); Dynamics 365's notes from its Web API
(`annotations`: `crm_dynamics`), Zoho CRM's from its REST API (`crm_zoho`), EspoCRM's
stream posts from its REST API (`crm_espo`) and Capsule CRM's entries (notes, emails, completed
tasks) from its API v2 (`crm_capsule`). Labels in
Salesforce's other languages ("Nombre de la cuenta", "Comentarios completos"): `crm_labels`.
Links go through login.salesforce.com, which opens any record by its id (or
`--map instance=acme.my.salesforce.com` for your own domain).
"""

import csv
import re
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

from huddle.connectors import crm_labels as local
from huddle.connectors.base import ConnectorOptions, ConnectorOutput, DataExportPlan
from huddle.connectors.crm import CrmShape, read_crm
from huddle.connectors.crm_capsule import is_capsule_entries, read_capsule_entries
from huddle.connectors.crm_dynamics import is_dataverse_notes, read_dataverse_notes
from huddle.connectors.crm_espo import is_espo_notes, read_espo_notes
from huddle.connectors.crm_zoho import is_zoho_notes, read_zoho_notes
from huddle.connectors.csv_reading import read_csv
from huddle.connectors.json_reading import is_json
from huddle.connectors.salesforce_records import is_records, read_records
from huddle.connectors.sf_query import cli_failure
from huddle.connectors.sf_report import is_report, read_report
from huddle.errors import Invalid
from huddle.imports.fields import FieldSpec
from huddle.imports.records import RowError
from huddle.imports.rows import RowShapeError


def _link(record_id: str, mapping: dict[str, str]) -> str:
    host = mapping.get("instance", "login.salesforce.com").removeprefix("https://").strip("/")
    return f"https://{host}/{record_id}"


ACCOUNT_FIELDS = (
    FieldSpec(
        "name",
        ("account_name", "name", "account", "company", *local.SALESFORCE_ACCOUNT_NAME),
        required=True,
    ),
    FieldSpec(
        "external_id",
        (
            "account_id",
            "id",
            "salesforce_id",
            "account_id_18",
            "18_digit_account_id",
            *local.SALESFORCE_ACCOUNT_ID,
        ),
    ),
    FieldSpec(
        "domain", ("website", "domain", "domain_c", "company_domain", *local.SALESFORCE_WEBSITE)
    ),
    FieldSpec("segment", ("segment_c", "segment", "customer_segment_c", "tier_c", "industry")),
    FieldSpec("plan", ("plan_c", "plan", "edition_c", "product_c")),
    FieldSpec(
        "arr",
        (
            "arr_c",
            "arr",
            "annual_recurring_revenue_c",
            "annual_recurring_revenue",
            "annual_revenue",
            "annualrevenue",
            *local.ANNUAL_REVENUE,
        ),
    ),
    FieldSpec("mrr", ("mrr_c", "mrr")),
    FieldSpec("currency", ("currencyisocode", "currency_iso_code", "account_currency", "currency")),
    FieldSpec(
        "owner_email",
        (
            "account_owner_email",
            "owner_email",
            "owner_email_c",
            "account_owner",
            "owner",
            *local.SALESFORCE_ACCOUNT_OWNER,
        ),
    ),
    FieldSpec(
        "status",
        ("type", "account_type", "status_c", "customer_status_c", *local.SALESFORCE_ACCOUNT_TYPE),
    ),
    FieldSpec(
        "renewal_date",
        ("renewal_date_c", "renewal_date", "contract_end_date", "next_renewal_date_c"),
    ),
    FieldSpec(
        "at_risk", ("at_risk_c", "health_c", "customer_health_c", "health_score_c", "at_risk")
    ),
    FieldSpec(
        "note",
        (
            "notes_c",
            "notes",
            "account_notes_c",
            "pain_points_c",
            "feedback_c",
            "customer_feedback_c",
        ),
    ),
    FieldSpec(
        "last_activity",
        ("last_activity_date", "lastactivitydate", "last_modified_date", "lastmodifieddate"),
    ),
)
NOTE_FIELDS = (
    # Zoho CRM's "Note Content", Dynamics 365's "Description" (a note's text there).
    FieldSpec(
        "text",
        (
            "body",
            "note_body",
            "textpreview",
            "content",
            # Odoo's messages (mail.message): their HTML "Contents" ("Contenu" in French).
            "contents",
            "contenu",
            "note",
            "note_content",
            "description",
            # Gainsight's timeline "Notes" (an accounts export's "Notes" is its own: `_kind`).
            "notes",
            # EmailMessage's plain-text body.
            "textbody",
            # A Task and Event report's comments (the Description field, as a report names it):
            # its "Comments" are cut at 255 characters, read only without "Full Comments".
            "full_comments",
            *local.SALESFORCE_FULL_COMMENTS,
            "comments",
            *local.SALESFORCE_COMMENTS,
        ),
        required=True,
    ),
    # A Task's or an Event's subtype: Call, Email, Task, List Email (a mass send).
    FieldSpec(
        "activity_type",
        (
            "task_subtype",
            "tasksubtype",
            "event_subtype",
            "eventsubtype",
            # An ActivityHistory's or an OpenActivity's (a parent-child query's activities).
            "activitysubtype",
            "activitytype",
            # An activities report's columns ("Activity Subtype").
            "activity_subtype",
            "activity_type",
            *local.SALESFORCE_TASK_SUBTYPE,
        ),
    ),
    FieldSpec("external_id", ("id", "note_id", "contentnoteid", "record_id")),
    FieldSpec(
        "account",
        (
            "parentid",
            "parent_id",
            "linkedentityid",
            "account_id",
            # A Task's or an Event's account (its WHATID may be a deal: the title names it).
            "accountid",
            # Gainsight's timeline: "SFDC Account ID", else its "Company Name".
            "sfdc_account_id",
            "account_name",
            "account",
            # Dynamics 365's "Regarding": the record the note is about, by name.
            "regarding",
            "company_name",
            # A Lightning activities report's "Company / Account".
            "company_account",
            # Salesforce in another language: "Nombre de la cuenta", "Nom du compte"…
            *local.SALESFORCE_ACCOUNT_NAME,
            *local.SALESFORCE_ACCOUNT_ID,
        ),
    ),
    FieldSpec("title", ("title", "subject", "note_title", *local.SALESFORCE_SUBJECT)),
    # Salesforce Inspector's and a report's "Parent.Name": the parent record's name.
    FieldSpec(
        "parent_name",
        (
            "parent_name",
            "parentname",
            "parent",
            "targetable",
            "related_to",
            # An activities report's opportunity, by its name ("Globex Freight - Renewal").
            "opportunity",
            "opportunity_name",
            *local.SALESFORCE_OPPORTUNITY,
            # Insightly's notes: the record a note is linked to, by name and type.
            "link_subject_name",
        ),
    ),
    # A Task's or an Event's WhatId: the record it is about (an account, a deal, a case…).
    FieldSpec("what", ("whatid", "what_id")),
    # Freshsales' "Targetable type" (SalesAccount, Deal, Contact): what the parent is.
    FieldSpec(
        "parent_type", ("targetable_type", "parent_type", "related_to_type", "link_subject_type")
    ),
    FieldSpec(
        "occurred_at",
        (
            # A Task's or an Event's own day (a data export's API names), before the day the
            # record was made: a meeting is booked weeks before it happens.
            "activitydatetime",
            "activitydate",
            "createddate",
            "created_date",
            "date",
            "lastmodifieddate",
            "created_time",
            "created_on",
            # Freshsales' "Created at".
            "created_at",
            "activity_date",
            "messagedate",
            *local.SALESFORCE_DATE,
        ),
    ),
    # An EmailMessage's sender, its HTML body, its direction and its headers.
    FieldSpec("contact_email", ("fromaddress", "from_address")),
    FieldSpec("contact_name", ("fromname", "from_name")),
    FieldSpec("html", ("htmlbody", "html_body")),
    FieldSpec("incoming", ("incoming",)),
    FieldSpec("mail_headers", ("headers",)),
    FieldSpec(
        "author",
        (
            "createdby_email",
            "created_by_email",
            "owner_email",
            "createdby_name",
            "created_by",
            # A query's `Owner.Name`: whom the activity is assigned to.
            "owner_name",
            *local.SALESFORCE_CREATED_BY,
        ),
    ),
)
# Record ids name their object by their first three characters: 003 a contact, 006 an
# opportunity, 00Q a lead, 500 a case, 701 a campaign (001 is an account).
_OTHER_RECORD = re.compile(r"^(003|006|00Q|500|701)[A-Za-z0-9]{12,15}$")


def _not_an_account(parent: str) -> bool:
    return bool(_OTHER_RECORD.match(parent))


# A record id: 15 characters, case-sensitive, or 18, the 15 and three that spell their case.
_RECORD_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Z0-5]{3})?$")
_CASE_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def id_forms(ref: str) -> tuple[str, ...]:
    """A record id's 15-character form and its 18-character form (the 15 and a suffix that
    spells which of them are capitals, five at a time): one record however it is written.
    () for what is no record id."""
    ref = ref.strip()
    if not _RECORD_ID.match(ref) or sum(c.isdigit() for c in ref[:15]) < 3:
        return ()
    short = ref[:15]
    suffix = "".join(
        _CASE_DIGITS[sum(1 << bit for bit, c in enumerate(short[at : at + 5]) if c.isupper())]
        for at in (0, 5, 10)
    )
    return (short, short + suffix)


# An account's id: its first three characters, the object's key prefix, are 001 (written in
# any length a system kept it in).
_ACCOUNT_ID = re.compile(r"^001[A-Za-z0-9]{12,}$")


def _an_account_id(ref: str) -> bool:
    return bool(_ACCOUNT_ID.match(ref.strip()))


SHAPE = CrmShape(
    "salesforce",
    ACCOUNT_FIELDS,
    NOTE_FIELDS,
    _link,
    _not_an_account,
    id_forms=id_forms,
    account_id=_an_account_id,
)


# Salesforce's Data Export (Setup > Data Export, weekly or on demand) names each object's file
# by its API name ("Account.csv", "Note.csv", a custom object's "Visit__c.csv").
_OBJECT_FILE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\.csv$")
# The objects of a data export whose rows are the team's notes on a customer, read after the
# accounts: notes, logged calls, mails and meetings, a case's mail. (Not Chatter's FeedItem:
# a whole org's posts, on users, groups and deals; import FeedItem.csv on its own to read it.)
EVIDENCE_OBJECTS = ("Note", "Task", "Event", "EmailMessage")
# The objects whose rows tie a record to its account (`AccountId`): a note on a contact, a
# deal or a case is on that account.
LINK_OBJECTS = ("Contact", "Opportunity", "Case")


def plan_data_export(names: list[str]) -> DataExportPlan | None:
    """How a zip of several CSVs is read when it is Salesforce's data export (every file named
    by an object, a notes object among them): the accounts first, then the evidence objects
    in `EVIDENCE_OBJECTS`' order; contacts, deals and cases for their accounts; the others
    (users, products…) passed over. None for any other zip."""
    objects = {name: found.group(1) for name in names if (found := _OBJECT_FILE.match(name))}
    if len(objects) != len(names) or not set(objects.values()) & set(EVIDENCE_OBJECTS):
        return None
    read = [name for name in names if objects[name] == "Account"]
    for kind in EVIDENCE_OBJECTS:
        read.extend(name for name in names if objects[name] == kind)
    links = [name for name in names if objects[name] in LINK_OBJECTS]
    passed_over = [name for name in names if name not in read and name not in links]
    return DataExportPlan(read, links, passed_over)


# What a contact, deal or case file gives a record on it: its own id and its account's.
LINK_FIELDS = (FieldSpec("id", ("id",)), FieldSpec("account", ("accountid", "account_id")))


def link_accounts(
    output: ConnectorOutput, files: Mapping[str, Path], options: ConnectorOptions | None = None
) -> None:
    """Every record whose account reference is a contact's, a deal's or a case's id (in
    either form) put on that record's `AccountId`, as the `LINK_OBJECTS` files give it
    (read as every file of the export is: its encoding, a byte-order mark). A file read only
    for these links that cannot be read does not refuse the export: what it gave before the
    bad row is used, and a warning names it."""
    encoding = (options or ConnectorOptions()).encoding
    account_of: dict[str, str] = {}
    for name, path in files.items():
        if path.stat().st_size == 0:
            continue
        try:
            _, columns, rows = read_csv(path, encoding, LINK_FIELDS, {})
            with closing(rows):
                if "id" not in columns or "account" not in columns:
                    continue  # no account column: nothing on it can be linked
                for row in rows:
                    record_id = str(row.values.get(columns["id"]) or "").strip()
                    account = str(row.values.get(columns["account"]) or "").strip()
                    if record_id and account:
                        for form in (record_id, *id_forms(record_id)):
                            account_of[form] = account
        except (Invalid, RowShapeError, UnicodeDecodeError, csv.Error) as error:
            output.warnings.append(
                RowError(
                    getattr(error, "line", 1),
                    None,
                    f"read for the accounts of the records on it only in part ({error}): a "
                    "record on one of its rows after that stays without its account",
                    file=name,
                )
            )
    if not account_of:
        return
    for record in (*output.feedback, *(left.record for left in output.left_out)):
        ref = (record.account_ref or "").strip()
        linked = next((account_of[f] for f in (ref, *id_forms(ref)) if f in account_of), None)
        if linked is not None:
            record.account_ref, record.account_aliases = linked, id_forms(linked)


class SalesforceConnector:
    name = "salesforce"
    description = (
        "Salesforce CSV or Excel exports: accounts (ARR, owner, renewal) or notes as evidence "
        "(also as JSON records from its REST API, sf data query --json or sf data export "
        "tree), or its data export zip whole; also Dynamics 365's notes (annotations) from its "
        "Web API, Zoho CRM's notes, EspoCRM's stream posts and Capsule CRM's entries from their "
        "REST APIs, and another tool's JSON page read as a table of its records."
    )
    suffixes = (".csv", ".xlsx", ".json")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        if is_json(path, options.encoding):
            failed = cli_failure(path, options.encoding)
            if failed:
                return ConnectorOutput(errors=[RowError(1, "status", failed)])
            if is_records(path, options.encoding):
                # The REST API's query result or `sf data export tree`: the same rows, as JSON.
                return read_records(path, options, SHAPE)
            if is_report(path, options.encoding):
                # A report run through the Analytics API: its detail rows, as its CSV's.
                return read_report(path, options, SHAPE)
            if is_dataverse_notes(path, options.encoding):
                # Dynamics 365's notes from its Web API, read as its notes export.
                return read_dataverse_notes(path, options, SHAPE)
            if is_zoho_notes(path, options.encoding):
                # Zoho CRM's notes from its REST API, read as its notes export.
                return read_zoho_notes(path, options, SHAPE)
            if is_espo_notes(path, options.encoding):
                # EspoCRM's stream notes from its REST API: its posts, as a notes export.
                return read_espo_notes(path, options, SHAPE)
            if is_capsule_entries(path, options.encoding):
                # Capsule CRM's entries from its API v2: notes, emails and completed tasks.
                return read_capsule_entries(path, options, SHAPE)
        return read_crm(path, options, SHAPE)

    def plan_data_export(self, names: list[str]) -> DataExportPlan | None:
        return plan_data_export(names)

    def link_accounts(
        self,
        output: ConnectorOutput,
        files: Mapping[str, Path],
        options: ConnectorOptions | None = None,
    ) -> None:
        link_accounts(output, files, options)


connector = SalesforceConnector()
