"""NPS and CSAT survey exports (CSV): each answer with a comment becomes evidence.

Columns: a score (`NPS`, `Score`, `How likely are you to recommend…`, `CSAT`, `Rating`), a
comment (`Comment`, `Feedback`, or the open question's own words: `What's the main reason for
your score?`, `Why…`, `Tell us…`, `What could we do better?`, `Anything else…`), the respondent's
`Email` (Qualtrics' `Recipient Email`), a date, an optional `Response ID` and `Survey` type;
Qualtrics' three header rows are read as one, and its `Response Type` marks previews and
tests (left out as tests) and spam. NPS scores are 0 to 10, CSAT 1 to 5 (or in words,
"Extremely Happy" … "Extremely Unhappy"), a Customer Effort Score (CES) 1 to 7; the kind comes
from the score column's name (or a `Survey`/`Type` column, or `--map kind=csat`). The score is kept twice: as the tags `nps:3` and `nps:detractor`, and in the
text, "NPS 3 - …" (with an en dash). Answers without a comment carry no words to learn from and are skipped.
A response the tool flagged as a repeated submission (QuestionPro's `Duplicate` "Yes", Qualtrics'
`Q_RelevantIDDuplicate` or `Q_DuplicateRespondent` "true") is skipped, noise kept or not: the
first submission is the evidence. The import says how many were skipped.
Typeform's responses (its API, a webhook) and Refiner's (its API: `survey_refiner`, the
respondent's company from their Refiner account) are read as the rows of such an export.
"""

import re
from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import pick_source, run_rows
from huddle.connectors.csv_reading import csv_records
from huddle.connectors.export_dates import export_date
from huddle.connectors.json_reading import first_bytes, is_json
from huddle.connectors.noise import noise_reason, says_test
from huddle.connectors.survey_questions import (
    OPEN_QUESTIONS,
    SCORE_QUESTIONS,
    choice_columns,
    company_asked,
    email_asked,
    satisfaction,
)
from huddle.connectors.survey_refiner import COLUMNS as REFINER_COLUMNS
from huddle.connectors.survey_refiner import HEADER as REFINER_HEADER
from huddle.connectors.survey_refiner import account_aliases, is_refiner, refiner_rows
from huddle.connectors.survey_scores import score_from
from huddle.connectors.survey_typeform import COLUMNS as TYPEFORM_COLUMNS
from huddle.connectors.survey_typeform import HEADER as TYPEFORM_HEADER
from huddle.connectors.survey_typeform import is_typeform, typeform_rows
from huddle.imports.connected import is_public_mail
from huddle.imports.fields import FieldSpec, RowParser, account_reference, also_named, normalise
from huddle.imports.records import FeedbackRecord, RowError
from huddle.imports.rows import Row
from huddle.kit.ids import content_id

SURVEY_FIELDS = (
    FieldSpec(
        "score",
        (
            "nps",
            "nps_score",
            "score",
            "csat",
            "csat_score",
            "rating",
            "satisfaction",
            "how_likely_are_you_to_recommend_us_to_a_friend_or_colleague",
            "likelihood_to_recommend",
            "how_likely_are_you_to_recommend*",
            # SurveyMonkey's "How likely is it that you would recommend …?"
            "how_likely_is_it_that_you_would_recommend*",
            "how_likely_is_it_you_would_recommend*",
            "how_likely_would_you_be_to_recommend*",
            # The same questions in German, Spanish, French, Dutch, Italian, Portuguese;
            # satisfaction in their words.
            *SCORE_QUESTIONS,
            # A help desk's CSAT named by its question (Freshdesk: "How would you rate your
            # overall satisfaction for the resolution provided by the agent?").
            "how_would_you_rate*",
            "how_satisfied*",
            # AskNicely's responses: the score is the "answer", its kind the "question_type".
            "answer",
        ),
        required=True,
    ),
    FieldSpec(
        "text",
        (
            "comment",
            "comments",
            "feedback",
            "reason",
            "verbatim",
            "what_is_the_main_reason_for_your_score",
            "why",
            "open_text",
            "response",
            "text",
            # The open question's own words, as survey tools name its column.
            # Pendo's "Follow-up Response" to its NPS question.
            "follow_up_response",
            "follow_up_answer",
            "what_is_the_main_reason*",
            "what_s_the_main_reason*",
            "what_is_the_primary_reason*",
            "what_s_the_primary_reason*",
            "what_is_the_reason*",
            "reason_for*",
            "why_*",
            "tell_us*",
            "please_tell_us*",
            "what_could_we*",
            "what_can_we*",
            "what_should_we*",
            "what_would_make*",
            "how_can_we_improve*",
            "how_could_we_improve*",
            "anything*",  # "Anything else?", "Anything we could do better?"
            "is_there_anything*",
            "what_is_the_one_thing*",
            "what_s_one_thing*",
            "what_is_the_main_thing*",
            "what_s_the_main_thing*",
            "what_s_the_one_thing*",
            "what_one_thing*",
            "what_is_one_thing*",
            "what_would_you_improve*",
            "if_we_could*",
            "what_would_you_change*",
            "if_you_could*",
            "in_your_own_words*",
            "please_describe*",
            "describe*",
            "which_one_thing*",
            # German, Spanish, French, Dutch, Italian, Portuguese.
            *OPEN_QUESTIONS,
            # Freshdesk's "Additional feedback", others' "Additional comments".
            "additional_feedback",
            "additional_comment*",
        ),
        required=True,
    ),
    FieldSpec(
        "contact_email",
        (
            "email",
            "respondent_email",
            "contact_email",
            "customer_email",
            "recipient_email",
            "user_email",
            "email_address",
            "e_mail",
            "e_mail_adresse",
            "adresse_e_mail",
            "adresse_email",
            "correo_electronico",
            "direccion_de_correo_electronico",
            "ihre_e_mail_adresse",
            "ihre_geschaftliche_e_mail_adresse",
            "e_mailadres",
            "emailadres",
            "indirizzo_email",
            "indirizzo_e_mail",
            "endereco_de_e_mail",
            "endereco_de_email",
            # Formbricks: the address a respondent verified, a contact's attribute.
            "verified_email",
            "person_email",
        ),
    ),
    FieldSpec("contact_name", ("name", "respondent", "respondent_name", "contact_name")),
    FieldSpec(
        "account",
        (
            "account",
            # Alchemer passes it in the survey's link: "account:URL Variable".
            "account_url_variable",
            # HubSpot's feedback submissions: "Associated Company" (its ids beside it).
            "associated_company",
            "company",
            "account_id",
            "company_name",
            # A feedback hub's export of survey answers (Enterpret's "Account Name").
            "account_name",
            "organization",
            "organisation",
            "unternehmen",
            "firma",
            "empresa",
            "entreprise",
            "societe",
            "bedrijf",
            "bedrijfsnaam",
            "organisatie",
            "azienda",
            "societa",
            "organizacion",
            "organizzazione",
            "organizacao",
            "firmenname",
            "unternehmensname",
            "nombre_de_la_empresa",
            "nome_da_empresa",
            "nome_dell_azienda",
            "nom_de_l_entreprise",
            "person_company",
        ),
    ),
    FieldSpec(
        "occurred_at",
        (
            "date",
            "submitted_at",
            "response_date",
            "created_at",
            "timestamp",
            "completed_at",
            "responded_at",
            "responded",  # AskNicely, in Unix seconds
            # Typeform's "Submit Date (UTC)", SurveyMonkey's "End Date", Google Forms' own.
            "submit_date*",
            # LimeSurvey's "Date submitted" (empty for an incomplete response), not its "Date
            # started" beside it; "submitdate" in its headings of codes.
            "date_submitted",
            "submitdate",
            "submitted*",
            "end_date*",
            "completed*",
            "completion_time",  # Microsoft Forms
            "browser_time",  # Pendo
            "response_date*",
            "timestamp*",
            "date*",
            # Spanish SurveyMonkey's "Fecha de finalización", French "Date de réponse".
            "fecha_de_finalizacion",
            "fecha*",
            "datum*",
        ),
    ),
    FieldSpec(
        "external_id",
        (
            "response_id",
            "id",
            "survey_response_id",
            "responseid",
            "token",
            "id_de_reponse",
            "id_del_encuestado",
            "antwort_id",
        ),
    ),
    FieldSpec("kind", ("survey", "survey_type", "type", "kind", "question_type")),
    # Qualtrics' "Response Type": "IP Address" for an answer, else a preview, a test or spam.
    FieldSpec("response_type", ("response_type", "responsetype")),
    FieldSpec("link_url", ("url", "link", "response_url")),
    # The tags the team put on a response (Formbricks' "Tags", joined by ", "): "test".
    FieldSpec("tags", ("tags",)),
    # The tool's own flag on a repeated submission: QuestionPro's "Duplicate" (Yes/No),
    # Qualtrics' fraud check "Q_RelevantIDDuplicate" and its "Prevent multiple submissions"
    # flag "Q_DuplicateRespondent" (true when flagged).
    FieldSpec(
        "duplicate",
        ("duplicate", "is_duplicate", "q_relevantidduplicate", "q_duplicaterespondent"),
    ),
)

_TEXT_FIELD = next(spec for spec in SURVEY_FIELDS if spec.name == "text")
# The fields naming the respondent: Typeform's hidden fields and questions are read by them;
# with the score and the comment, Refiner's answers by their questions' identifiers.
_RESPONDENT = tuple(
    spec for spec in SURVEY_FIELDS if spec.name in {"contact_email", "contact_name", "account"}
)
_ANSWERED = tuple(spec for spec in SURVEY_FIELDS if spec.name in {"score", "text"}) + _RESPONDENT


def _kind_of(column: str, declared: str | None) -> str:
    """'nps', 'csat' or 'ces' (a Customer Effort Score, 1 to 7: HubSpot's feedback surveys)."""
    if declared:
        said = declared.lower()
        if "effort" in said or re.search(r"\bces\b", said):
            return "ces"
        return "csat" if "csat" in normalise(declared) or satisfaction(said) else "nps"
    name = normalise(column)
    if "effort" in name or name.split("_")[0] == "ces":
        return "ces"
    return "csat" if "csat" in name or satisfaction(name) or name == "rating" else "nps"


def nps_group(score: int) -> str:
    return "detractor" if score <= 6 else ("passive" if score <= 8 else "promoter")


class SurveyConnector:
    name = "survey"
    description = "NPS or CSAT survey CSV or Excel workbook: each comment with its score (tag nps:3, text 'NPS 3 - …')."
    suffixes = (".csv", ".xlsx")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        source = pick_source(options, "survey")

        more: dict[str, list[str]] = {}
        duplicates: list[tuple[int, str]] = []  # (line, the flag's column)

        def handle(row: Row, columns: dict[str, str], header: list[str]) -> None:
            if "duplicate" in columns and _flagged(row.values.get(columns["duplicate"])):
                # The same respondent again: the first submission is the evidence, kept or
                # left out on its own; this one would count the same words twice.
                output.skipped_rows += 1
                duplicates.append((row.line, columns["duplicate"]))
                return
            if "text" not in more:  # the header is the file's: looked up once
                # A choice question's answer is one of its options, not the respondent's words.
                choices = choice_columns(header)
                more["text"] = [
                    c
                    for c in [columns["text"], *also_named(header, _TEXT_FIELD, columns)]
                    if c not in choices
                ]
                more["company"] = [] if "account" in columns else company_asked(header, columns)
                # A question asking the address ("Wat is je e-mailadres?"), when no column
                # is named as it.
                more["email"] = [] if "contact_email" in columns else email_asked(header, columns)
            if more["company"]:
                columns = {**columns, "account": more["company"][0]}
            asked = next((c for c in more["email"] if "@" in str(row.values.get(c) or "")), None)
            if asked is not None:
                columns = {**columns, "contact_email": asked}
            parser = RowParser(row.line, row.values, columns)
            # Every open question's answer ("What should we fix first?", "Anything else?").
            answers = [parser.get(name) for name in more["text"]]
            comment = "\n\n".join(a for a in answers if a) or None
            if comment is None:
                return
            kind = _kind_of(columns["score"], parser.get("kind") or options.mapping.get("kind"))
            top = {"nps": 10, "ces": 7}.get(kind, 5)
            score = parser.get("score", lambda t: score_from(t, top))
            # Without a date the import dates it (`ConnectorOptions.occurred_at`).
            occurred_at = parser.get("occurred_at", export_date)
            email = parser.get("contact_email")
            if email is not None and "@" not in email:
                parser.errors.append(
                    RowError(row.line, columns["contact_email"], f"not an email address: {email!r}")
                )
            if parser.errors or score is None:
                output.errors.extend(parser.errors)
                return
            tags = [f"{kind}:{score}"] + ([f"nps:{nps_group(score)}"] if kind == "nps" else [])
            account = parser.get("account", account_reference)
            name = parser.get("contact_name")
            reason = (
                _response_noise(parser.get("response_type"))
                or _tagged_noise(parser.get("tags"))
                # Each answer on its own too: "test" in one box is a test whatever the other says.
                or next((r for a in answers if a and (r := _test_only(a))), None)
                or noise_reason(comment, email=email, name=name, options=options)
            )
            output.take(
                FeedbackRecord(
                    line=row.line,
                    text=f"{kind.upper()} {score} \u2013 {comment}",
                    source=source,
                    occurred_at=occurred_at,
                    external_id=parser.get("external_id")
                    or content_id(email, occurred_at.isoformat() if occurred_at else "", comment),
                    title=f"{kind.upper()} {score}",
                    link_url=parser.get("link_url"),
                    account_ref=account,
                    contact_email=email.lower() if email else None,
                    contact_name=name,
                    tags=tags,
                    # Refiner names the company's CRM id and domain beside its name.
                    account_aliases=(*account_aliases(row.values), *_by_address(account, email)),
                ),
                reason,
                options,
            )

        head = first_bytes(path, options.encoding) if is_json(path, options.encoding) else b""
        # Typeform's responses from its API (or a webhook), Refiner's from its API, each as
        # the row of an export.
        tool = (
            (typeform_rows(path, options.encoding, _RESPONDENT), TYPEFORM_COLUMNS, TYPEFORM_HEADER)
            if is_typeform(head)
            else (refiner_rows(path, options.encoding, _ANSWERED), REFINER_COLUMNS, REFINER_HEADER)
            if is_refiner(head)
            else None
        )
        if tool is not None:
            responses, columns, header = tool
            unscored: list[int] = []

            def response(row: Row) -> None:
                if row.values.get("comment") and not row.values.get("score"):
                    unscored.append(row.line)  # no score question answered: said, not lost
                    output.skipped_rows += 1
                else:
                    handle(row, columns, header)

            run_rows(output, lambda: responses, response)
            if unscored:
                output.warnings.append(
                    RowError(
                        unscored[0],
                        None,
                        f"{len(unscored)} response(s) with a comment but no score (no nps, "
                        "opinion scale or rating question answered) skipped",
                    )
                )
        else:
            csv_records(output, path, options, SURVEY_FIELDS, handle)
        if duplicates:
            output.warnings.append(_duplicates_warning(duplicates))
        return output


def _flagged(value: object) -> bool:
    """The tool's duplicate flag set: "Yes" (QuestionPro), "true" or 1 (Qualtrics)."""
    return str(value or "").strip().lower() in {"yes", "true", "1", "y"}


def _duplicates_warning(duplicates: list[tuple[int, str]]) -> RowError:
    line, column = duplicates[0]
    count = len(duplicates)
    said = (
        "1 response the survey tool marked as a duplicate was"
        if count == 1
        else f"{count} responses the survey tool marked as duplicates were"
    )
    # The column is named in the words: the warning is about the file, not one cell.
    return RowError(line, None, f"{said} skipped (column '{column}')")


def _company_address(email: str | None) -> bool:
    return bool(email and "@" in email and not is_public_mail(email.rpartition("@")[2]))


def _by_address(account: str | None, email: str | None) -> tuple[str, ...]:
    """The respondent's address, when the company they typed names no known account
    ("globex" from an @globex.example address): its domain is the account's."""
    return (email.lower(),) if account and email and _company_address(email) else ()


def _test_only(answer: str) -> str | None:
    return "test" if says_test(answer) else None


# What a survey tool says an answer was, when it was not a respondent's.
_RESPONSE_NOISE = {
    "survey_preview": "test",
    "preview": "test",
    "survey_test": "test",
    "test": "test",
    "spam": "spam",
}


def _response_noise(response_type: str | None) -> str | None:
    return _RESPONSE_NOISE.get(normalise(response_type)) if response_type else None


def _tagged_noise(tags: str | None) -> str | None:
    """What the team's tags on a response say it was ("test", "spam"; Formbricks joins them
    with ", ")."""
    return next(filter(None, map(_response_noise, (tags or "").split(","))), None)


connector = SurveyConnector()
