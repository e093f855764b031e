"""What the t25 tuning files showed of HubSpot and Salesforce set to another language: every
column label is the user's language's (HubSpot's "Notiztext", "Corps de la note";
Salesforce's "Nombre de la cuenta", "Comentarios completos"), so the export's kind (notes or
accounts) and its columns are found by those labels too; a Salesforce "List Email" task reads
"Correo de lista". Each rule on a small file of its own, so a change that breaks one names it."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz", "Tom Becker")
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_hubspot_notes_in_german_are_read_by_their_german_labels(tmp_path: Path) -> None:
    """HubSpot in German: "Aktivitäts-ID", "Datum der Aktivität" (03.12.2026 09:14),
    "Notiztext" holding HTML, "Zugeordnete Unternehmen" (the company's name), "Zugeordnete
    Kontakte", "Erstellt von". Each note is evidence on its company, dated, with its id."""
    path = _write(
        tmp_path,
        "notizen.csv",
        "Aktivitäts-ID,Datum der Aktivität,Notiztext,Zugeordnete Unternehmen,"
        "Zugeordnete Kontakte,Erstellt von\n"
        '501,02.12.2026 14:05,"<p>Der Export nach DATEV fehlt.</p>",Hooli Cloud GmbH,'
        "Anna Berg (anna@hooli.example),Dana Lee\n",
    )
    read = read_clean("hubspot", path, OURS)
    [note] = read.feedback
    assert (note.text, note.account_ref, note.external_id, note.contact_email) == (
        "Der Export nach DATEV fehlt.",
        "Hooli Cloud GmbH",
        "501",
        "anna@hooli.example",
    )
    assert note.occurred_at is not None
    assert (note.occurred_at.day, note.occurred_at.month, note.occurred_at.hour) == (2, 12, 14)
    assert "author:dana_lee" in note.tags


def test_hubspot_french_notes_take_the_company_name_before_its_id(tmp_path: Path) -> None:
    """HubSpot in French: "Corps de la note", "Entreprises associées" (names) beside "ID des
    entreprises associées" (HubSpot's ids, unknown to a workspace whose accounts came from
    elsewhere): the name is the note's account; a note with no name is on the id."""
    path = _write(
        tmp_path,
        "notes.csv",
        "ID de l'activité,Date de l'activité,Corps de la note,Entreprises associées,"
        "ID des entreprises associées,Créé par\n"
        "7,2026-12-01 10:00,Les étiquettes sortent décalées.,Globex SAS,9870001,Sam Ortiz\n"
        "8,2026-12-02 11:00,Ils veulent un export des avoirs.,,9870002,Sam Ortiz\n",
    )
    read = read_clean("hubspot", path, OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Les étiquettes sortent décalées.", "Globex SAS"),
        ("Ils veulent un export des avoirs.", "9870002"),
    ]


def test_salesforce_spanish_activities_report(tmp_path: Path) -> None:
    """A Lightning activities report from a Salesforce in Spanish: its title and "Filtrado
    por:" rows above the header, "Subtipo de tarea" (an activity export: notes, not accounts,
    though "Nombre de la cuenta" and "Propietario de la cuenta" are an account's labels, as in
    an accounts report), "Comentarios completos" taken
    before the cut "Comentarios", "Asunto" as the title, a "Correo de lista" task (a mass
    mail) left out as a bot's, and the total and footer rows skipped."""
    path = _write(
        tmp_path,
        "informe.csv",
        "Actividades - Comentarios\nFiltrado por:\n    Fecha: Últimos 30 días\n\n"
        "Asunto,Subtipo de tarea,Fecha,Nombre de la cuenta,Propietario de la cuenta,Comentarios,"
        "Comentarios completos\n"
        "Llamada,Llamada,03/12/2026,Initech S.L.,Tom Becker,Faltan los,"
        "Faltan los informes por almacén.\n"
        "Aviso,Correo de lista,19/11/2026,Initech S.L.,Tom Becker,Estimado cliente,"
        "Estimado cliente: su renovación vence pronto.\n"
        "\nTotal general (2 registros),,,,,,\n\nConfidencial - Información de la empresa\n",
    )
    read = read_clean("salesforce", path, OURS)
    assert [(r.text, r.account_ref, r.title) for r in read.feedback] == [
        ("Faltan los informes por almacén.", "Initech S.L.", "Llamada")
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["bot"]
    assert not read.accounts


def test_list_email_subtype_in_other_languages_is_a_bot(tmp_path: Path) -> None:
    """Salesforce's "List Email" subtype as German, French and Portuguese users see it: one
    mail sent to many, a bot's; a plain call in the same languages stays evidence."""
    path = _write(
        tmp_path,
        "aufgaben.csv",
        "Betreff,Aufgabenuntertyp,Datum,Accountname,Vollständige Kommentare\n"
        "Newsletter,Listen-E-Mail,01.12.2026,Acme AG,Unser Dezember-Update für Sie.\n"
        "Newsletter,E-mail de liste,01.12.2026,Acme AG,Notre lettre de décembre.\n"
        "Newsletter,E-mail de lista,01.12.2026,Acme AG,Nossa carta de dezembro.\n"
        "Anruf,Anruf,02.12.2026,Acme AG,Die Freigabe dauert zu lange.\n",
    )
    read = read_clean("salesforce", path, OURS)
    assert [r.text for r in read.feedback] == ["Die Freigabe dauert zu lange."]
    assert [reason for reason, _ in left_out_of(read)] == ["bot", "bot", "bot"]


def test_localized_accounts_exports_are_accounts(tmp_path: Path) -> None:
    """A Salesforce accounts report in German ("Accountname", "Accounttyp", "Jahresumsatz")
    and HubSpot's companies export in French ("Nom de l'entreprise", "Phase du cycle de vie",
    "Chiffre d'affaires annuel") are accounts exports: each row an account with its status
    and revenue."""
    sf = _write(
        tmp_path,
        "accounts.csv",
        "Accountname,Accounttyp,Jahresumsatz,Website\nAcme AG,Kunde,120000,acme.example\n",
    )
    [account] = read_clean("salesforce", sf, OURS).accounts
    assert (account.name, account.status, account.arr_minor) == ("Acme AG", "customer", 12000000)
    hs = _write(
        tmp_path,
        "entreprises.csv",
        "ID de fiche d'informations,Nom de l'entreprise,Phase du cycle de vie,"
        "Chiffre d'affaires annuel\n42,Hooli SAS,Client,50000\n",
    )
    [company] = read_clean("hubspot", hs, OURS).accounts
    assert (company.name, company.external_id, company.status, company.arr_minor) == (
        "Hooli SAS",
        "42",
        "customer",
        5000000,
    )
