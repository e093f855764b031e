"""The column labels HubSpot and Salesforce write in their exports when the user's language is
not English: German, French, Spanish, Italian, Portuguese, Dutch and Japanese. Each block is one field,
a line per language, the labels as the tool writes them (compared normalised: lower case,
accents off, words joined by "_"); `hubspot` and `salesforce` put them after the English ones.

A field whose English names come in an order (a company's name before its id) has a block
for each: the order is kept across languages. And the values a CRM writes for a company's
type or lifecycle stage and its health, in those languages too (`crm_status`,
`health_at_risk`).
"""

from huddle.imports.fields import normalise


def _labels(*names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalise(name) for name in names))


# --- Both CRMs ---------------------------------------------------------------------------

# "Annual Revenue", a company's or an account's.
ANNUAL_REVENUE = _labels(
    "Jahresumsatz",  # German
    "Chiffre d'affaires annuel",  # French
    "Ingresos anuales",  # Spanish
    "Fatturato annuo",  # Italian
    "Receita anual",  # Portuguese
    "Jaaromzet",  # Dutch
    "年間売上高", "年間収益",  # Japanese
)  # fmt: skip

# --- HubSpot: the notes (activities) export ---------------------------------------------

HUBSPOT_NOTE_TEXT = _labels(
    "Notiztext", "Text der Notiz", "Notizinhalt",  # German
    "Corps de la note", "Contenu de la note",  # French
    "Cuerpo de la nota", "Contenido de la nota",  # Spanish
    "Corpo della nota", "Contenuto della nota",  # Italian
    "Corpo da nota", "Conteúdo da nota",  # Portuguese
    "Notitietekst", "Hoofdtekst notitie",  # Dutch
    "メモ本文", "メモの本文", "ノート本文",  # Japanese
)  # fmt: skip
HUBSPOT_ACTIVITY_ID = _labels(
    "Aktivitäts-ID",  # German
    "ID de l'activité",  # French
    "ID de actividad", "ID de la actividad",  # Spanish
    "ID attività",  # Italian
    "ID da atividade",  # Portuguese
    "Activiteit-ID",  # Dutch
    "アクティビティーID", "アクティビティID",  # Japanese
)  # fmt: skip
# Any record's id ("Record ID"): a note's, a company's.
HUBSPOT_RECORD_ID = _labels(
    "Datensatz-ID",  # German
    "ID de fiche d'informations",  # French
    "ID de registro",  # Spanish
    "ID record",  # Italian
    "ID do registro",  # Portuguese
    "Record-ID",  # Dutch
    "レコードID",  # Japanese
)  # fmt: skip
# The note's companies by name: read before their ids (a name finds the account whichever
# system it came from).
HUBSPOT_COMPANY_NAMES = _labels(
    "Zugeordnetes Unternehmen", "Zugeordnete Unternehmen",  # German
    "Entreprise associée", "Entreprises associées",  # French
    "Empresa asociada", "Empresas asociadas",  # Spanish
    "Azienda associata", "Aziende associate",  # Italian
    "Empresa associada", "Empresas associadas",  # Portuguese
    "Gekoppeld bedrijf", "Gekoppelde bedrijven",  # Dutch
    "関連付けられた会社", "関連付けされた会社",  # Japanese
)  # fmt: skip
HUBSPOT_COMPANY_IDS = _labels(
    "ID des zugeordneten Unternehmens", "IDs der zugeordneten Unternehmen",  # German
    "ID de l'entreprise associée", "ID des entreprises associées",  # French
    "ID de empresa asociada", "ID de empresas asociadas",  # Spanish
    "ID azienda associata", "ID aziende associate",  # Italian
    "ID da empresa associada", "IDs de empresas associadas",  # Portuguese
    "ID gekoppeld bedrijf", "ID's gekoppelde bedrijven",  # Dutch
    "関連付けられた会社ID", "関連付けられた会社のID", "関連付けされた会社ID",  # Japanese
)  # fmt: skip
HUBSPOT_NOTE_DATE = _labels(
    "Datum der Aktivität", "Aktivitätsdatum", "Erstellungsdatum",  # German
    "Date de l'activité", "Date de création",  # French
    "Fecha de actividad", "Fecha de la actividad", "Fecha de creación",  # Spanish
    "Data attività", "Data di creazione",  # Italian
    "Data da atividade", "Data de criação",  # Portuguese
    "Activiteitsdatum", "Aanmaakdatum",  # Dutch
    "アクティビティー日", "アクティビティ日", "アクティビティー日付", "作成日",  # Japanese
)  # fmt: skip
HUBSPOT_NOTE_AUTHOR = _labels(
    "Aktivität zugewiesen an", "Erstellt von",  # German
    "Attribué à", "Activité attribuée à", "Créé par",  # French
    "Actividad asignada a", "Asignado a", "Creado por",  # Spanish
    "Attività assegnata a", "Assegnato a", "Creato da",  # Italian
    "Atividade atribuída a", "Atribuído a", "Criado por",  # Portuguese
    "Activiteit toegewezen aan", "Toegewezen aan", "Gemaakt door",  # Dutch
    "アクティビティーの担当者", "アクティビティ担当者", "担当者", "作成者",  # Japanese
)  # fmt: skip
HUBSPOT_CONTACTS = _labels(
    "Zugeordneter Kontakt", "Zugeordnete Kontakte",  # German
    "Contact associé", "Contacts associés",  # French
    "Contacto asociado", "Contactos asociados",  # Spanish
    "Contatto associato", "Contatti associati",  # Italian
    "Contato associado", "Contatos associados",  # Portuguese
    "Gekoppeld contactpersoon", "Gekoppelde contactpersonen",  # Dutch
    "関連付けられたコンタクト",  # Japanese
)  # fmt: skip
HUBSPOT_ACTIVITY_TYPE = _labels(
    "Aktivitätstyp",  # German
    "Type d'activité",  # French
    "Tipo de actividad",  # Spanish
    "Tipo di attività",  # Italian
    "Tipo de atividade",  # Portuguese
    "Activiteitstype",  # Dutch
    "アクティビティータイプ", "アクティビティーの種類", "アクティビティタイプ",  # Japanese
)  # fmt: skip

# --- HubSpot: the companies export -------------------------------------------------------

HUBSPOT_COMPANY_NAME = _labels(
    "Name des Unternehmens", "Unternehmensname",  # German
    "Nom de l'entreprise",  # French
    "Nombre de la empresa",  # Spanish
    "Nome dell'azienda",  # Italian
    "Nome da empresa",  # Portuguese
    "Bedrijfsnaam",  # Dutch
    "会社名",  # Japanese
)  # fmt: skip
HUBSPOT_COMPANY_DOMAIN = _labels(
    "Domain-Name des Unternehmens",  # German
    "Nom de domaine de l'entreprise",  # French
    "Nombre de dominio de la empresa",  # Spanish
    "Nome di dominio dell'azienda",  # Italian
    "Nome de domínio da empresa",  # Portuguese
    "Domeinnaam bedrijf",  # Dutch
    "会社のドメイン名", "会社ドメイン名",  # Japanese
)  # fmt: skip
HUBSPOT_LIFECYCLE = _labels(
    "Lifecycle-Phase", "Phase im Lebenszyklus",  # German
    "Phase du cycle de vie",  # French
    "Etapa del ciclo de vida",  # Spanish
    "Fase del ciclo di vita",  # Italian
    "Estágio do ciclo de vida",  # Portuguese
    "Lifecyclefase",  # Dutch
    "ライフサイクルステージ",  # Japanese
)  # fmt: skip
HUBSPOT_COMPANY_OWNER = _labels(
    "Unternehmensinhaber",  # German
    "Propriétaire de l'entreprise",  # French
    "Propietario de la empresa",  # Spanish
    "Proprietario dell'azienda",  # Italian
    "Proprietário da empresa",  # Portuguese
    "Bedrijfseigenaar",  # Dutch
    "会社の所有者", "会社所有者",  # Japanese
)  # fmt: skip

# --- Salesforce: accounts and activities (reports, list views) ----------------------------

SALESFORCE_ACCOUNT_NAME = _labels(
    "Accountname", "Account-Name",  # German
    "Nom du compte",  # French
    "Nombre de la cuenta",  # Spanish
    "Nome account",  # Italian
    "Nome da conta",  # Portuguese
    "Accountnaam",  # Dutch
    "取引先名",  # Japanese
)  # fmt: skip
SALESFORCE_ACCOUNT_ID = _labels(
    "Account-ID",  # German
    "ID du compte",  # French
    "ID de la cuenta", "Id. de la cuenta",  # Spanish
    "ID account",  # Italian
    "ID da conta",  # Portuguese
    "取引先 ID", "取引先ID",  # Japanese
)  # fmt: skip
SALESFORCE_WEBSITE = _labels(
    "Site Web",  # French
    "Sitio web",  # Spanish
    "Sito Web",  # Italian
)  # fmt: skip
SALESFORCE_ACCOUNT_TYPE = _labels(
    "Accounttyp",  # German
    "Type de compte",  # French
    "Tipo de cuenta",  # Spanish
    "Tipo di account",  # Italian
    "Tipo de conta",  # Portuguese
)  # fmt: skip
SALESFORCE_ACCOUNT_OWNER = _labels(
    "Accountinhaber",  # German
    "Propriétaire du compte",  # French
    "Propietario de la cuenta",  # Spanish
    "Titolare account",  # Italian
    "Proprietário da conta",  # Portuguese
    "Accounteigenaar",  # Dutch
    "取引先 所有者", "取引先所有者",  # Japanese
)  # fmt: skip
# A Task and Event report's comments: the full ones first (the plain ones are cut at 255).
SALESFORCE_FULL_COMMENTS = _labels(
    "Vollständige Kommentare",  # German
    "Commentaires complets",  # French
    "Comentarios completos",  # Spanish
    "Commenti completi",  # Italian
    "Comentários completos",  # Portuguese
    "Volledige opmerkingen",  # Dutch
    "完全なコメント",  # Japanese
)  # fmt: skip
SALESFORCE_COMMENTS = _labels(
    "Kommentare",  # German
    "Commentaires",  # French
    "Comentarios",  # Spanish
    "Commenti",  # Italian
    "Comentários",  # Portuguese
    "Opmerkingen",  # Dutch
    "コメント",  # Japanese
)  # fmt: skip
SALESFORCE_SUBJECT = _labels(
    "Betreff",  # German
    "Objet",  # French
    "Asunto",  # Spanish
    "Oggetto",  # Italian
    "Assunto",  # Portuguese
    "Onderwerp",  # Dutch
    "件名",  # Japanese
)  # fmt: skip
SALESFORCE_TASK_SUBTYPE = _labels(
    "Aufgabenuntertyp", "Ereignisuntertyp",  # German
    "Sous-type de tâche", "Sous-type d'événement",  # French
    "Subtipo de tarea", "Subtipo de evento",  # Spanish
    "Sottotipo attività", "Sottotipo evento",  # Italian
    "Subtipo da tarefa", "Subtipo do evento",  # Portuguese
    "Subtype taak", "Subtype gebeurtenis",  # Dutch
)  # fmt: skip
SALESFORCE_DATE = _labels(
    "Datum", "Erstellungsdatum", "Fälligkeitsdatum",  # German
    "Date de création", "Date d'échéance",  # French
    "Fecha", "Fecha de creación", "Fecha de vencimiento",  # Spanish
    "Data", "Data di creazione", "Data di scadenza",  # Italian
    "Data de criação", "Data de vencimento",  # Portuguese
    "Aanmaakdatum", "Vervaldatum",  # Dutch
    "日付", "作成日", "期日",  # Japanese
)  # fmt: skip
SALESFORCE_OPPORTUNITY = _labels(
    "Opportunity-Name",  # German
    "Opportunité", "Nom de l'opportunité",  # French
    "Oportunidad", "Nombre de la oportunidad",  # Spanish
    "Opportunità", "Nome opportunità",  # Italian
    "Oportunidade", "Nome da oportunidade",  # Portuguese
    "Opportunitynaam",  # Dutch
    "商談", "商談名",  # Japanese
)  # fmt: skip
SALESFORCE_CREATED_BY = _labels(
    "Erstellt von",  # German
    "Créé par",  # French
    "Creado por",  # Spanish
    "Creato da",  # Italian
    "Criado por",  # Portuguese
    "Gemaakt door",  # Dutch
    "作成者",  # Japanese
)  # fmt: skip

# A Task's subtype that is one mail sent to many (Salesforce's "List Email"), as the
# activity's type cell reads in each language.
LIST_EMAIL = (
    r"listen-?e-?mail|"  # German
    r"e-?mail de liste|"  # French
    r"correo( electr[oó]nico)? de lista|"  # Spanish
    r"e-?mail (di )?elenco|"  # Italian
    r"e-?mail de lista|"  # Portuguese
    r"lijst-?e-?mail|"  # Dutch
    r"リストメール"  # Japanese
)


def crm_status(text: str) -> str:
    """A CRM's type or lifecycle stage as Huddle's status; ValueError for partners and others."""
    value = text.strip().lower()
    # English, and the words French, German, Spanish, Italian, Dutch and Portuguese CRMs use.
    if any(
        word in value
        for word in ("former", "churn", "cancel", "lost", "ancien", "ehemalig", "antiguo")
    ) or any(word in value for word in ("ex-client", "ex-cliente", "voormalig")):
        return "churned"
    if "customer" in value or value in {
        "evangelist",
        "client",
        "active",
        "kunde",
        "cliente",
        "klant",
    }:
        return "customer"
    if any(
        word in value
        for word in ("prospect", "lead", "opportunit", "subscriber", "qualified", "trial")
    ):
        return "prospect"
    raise ValueError(f"not a customer status: {text!r}")


# Red, yellow and green as other languages write them too (German "Rot", French "Rouge"…).
_AT_RISK = frozenset(
    {"red", "poor", "at risk", "at_risk", "critical", "yes", "true", "1", "y"}
    | {"rot", "rouge", "rojo", "rosso", "rood", "vermelho", "ja", "oui", "sí", "si"}
)
_NOT_AT_RISK = frozenset(
    {"green", "yellow", "amber", "good", "healthy", "no", "false", "0", "n", ""}
    | {"grün", "gruen", "gelb", "vert", "jaune", "verde", "amarillo", "giallo", "groen", "geel"}
    | {"amarelo", "nein", "non"}
)


def health_at_risk(text: str) -> bool:
    value = text.strip().lower()
    if value in _AT_RISK:
        return True
    if value in _NOT_AT_RISK:
        return False
    raise ValueError(f"not a health or yes/no: {text!r}")
