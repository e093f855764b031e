"""The columns the tickets connector knows by the names help desks, task trackers, feedback
boards and BI tools give them: each field Huddle reads and the headers that hold it
(`Description`, `Subject`, `Requester email`, `Organization`, `Created at`…; a BI tool's
"<View> <Field>" names over a help desk's model; the tools' own in `tickets_tools`)."""

from huddle.connectors import tickets_glpi, tickets_tools
from huddle.imports.fields import FieldSpec

# A BI tool's export over a help desk's model names each column "<View> <Field>" (Looker's
# "Requesters Email", "Organizations Name" beside "Tickets Description"): the people's and
# organisations' views, as the help desk's model names them.
_PEOPLE_VIEWS = ("requester", "requesters", "user", "users", "contact", "contacts")
_ORGANISATION_VIEWS = ("organization", "organizations", "organisations", "companies", "accounts")
_LOOKER_VIEWS = {
    "account": tuple(f"{view}_name" for view in _ORGANISATION_VIEWS if view != "organization"),
    "contact_email": tuple(f"{view}_email" for view in _PEOPLE_VIEWS if view != "requester"),
    "contact_name": tuple(f"{view}_name" for view in _PEOPLE_VIEWS if view != "requester"),
}

TICKET_FIELDS = (
    FieldSpec(
        "text",
        (
            "description",
            "body",
            "text",
            "message",
            "comment",
            "first_message",
            "content",
            # LiveChat's "chat transcript"; headers people rename by hand.
            "chat_transcript",
            "transcript",
            "customer_feedback",
            "feedback",
            "what_they_said",
            # A feedback board's posts (Canny's "Details", UserVoice's "Feedback Text"),
            # Front's message "Extract".
            "details",
            "extract",
            "feedback_text",
            # A monday.com board's long-text column ("Request details").
            "request_details",
            "request_description",
            # HubSpot tickets: "Ticket description", "Ticket name", "Create date".
            "ticket_description",
            # A help desk's export in Portuguese, Spanish, French, German, Italian, Dutch.
            "descricao",
            "descripcion",
            "beschreibung",
            "descrizione",
            "beschrijving",
            # A research table's quote (Airtable's "Snippet", Dovetail's "Highlight"); a
            # feedback inbox's whole message beside its highlighted snippet (Harvestr).
            "snippet",
            "highlight",
            "highlight_text",
            "message_content",
        ),
        required=True,
    ),
    FieldSpec(
        "title",
        (
            "subject",
            "title",
            "summary",
            "short_description",
            # Dynamics 365's cases.
            "case_title",
            "name",
            "request",
            "ticket_name",
            "assunto",
            "asunto",
            "sujet",
            "objet",
            "betreff",
            "oggetto",
            "onderwerp",
            *tickets_glpi.TITLE,
        ),
    ),
    FieldSpec(
        "external_id",
        (
            "ticket_id",
            "id_ticket",
            "id_del_ticket",
            "id_du_ticket",
            "id_do_ticket",
            # The ticket's number in other languages, before an "ID" Excel may have mangled.
            "numero_do_ticket",
            "numero_de_ticket",
            "numero_del_ticket",
            "numero_du_ticket",
            "ticketnummer",
            "id",
            "ticket",
            "ticket_number",
            "case_number",
            "key",
            # monday.com's "Item ID (auto generated)".
            "item_id",
        ),
    ),
    FieldSpec("link_url", ("url", "link", "ticket_url", "link_url", "permalink")),
    FieldSpec(
        "account",
        (
            "organization",
            "organisation",
            "account",
            "company",
            "customer",
            # Zoho Desk's "Account Name"; others' "Organization Name", "Company Name"; the
            # name before the tool's own id of it (Pendo's "Account ID").
            "account_name",
            "account_id",
            "organization_name",
            "organisation_name",
            "company_name",
            # Help Scout's "Customer Company", Jira Service Management's "Custom field
            # (Organizations)".
            "customer_company",
            "organizations",
            "organisations",
            "custom_field_organizations",
            # Jira Product Discovery's team-made "Customers" field.
            "custom_field_customers",
            # LiveChat's pre-chat form: "pre-chat: Company".
            "pre_chat_company",
            # Salesforce's Web-to-Case: the company the web form was given ("Web Company",
            # SuppliedCompany), where the case has no account yet.
            "web_company",
            "suppliedcompany",
            "supplied_company",
            "org",
            # Canny's "Author Company", Featurebase's "Author Companies", HappyFox's "Contact
            # Groups".
            "author_company",
            "author_companies",
            "companies",
            "contact_groups",
            "contact_group",
            # UserVoice's "Account Name" then "Account External ID"; HubSpot tickets'
            # "Associated Company" then its ids.
            "account_external_id",
            "associated_company",
            "associated_companies",
            "associated_company_ids",
            # Productboard's "Company domain" beside its "Company".
            "company_domain",
            "nome_da_conta",
            "nombre_de_la_cuenta",
            "nom_du_compte",
            "kontoname",
            "nome_account",
            "accountnaam",
            # The requester's company in the help desk's own language (Freshdesk's "Azienda",
            # "Empresa", "Entreprise", "Unternehmen", "Bedrijf").
            "azienda",
            "empresa",
            "entreprise",
            "societe",
            "societa",
            "unternehmen",
            "bedrijf",
            # Freshdesk in Dutch: "Bedrijfsnaam".
            "bedrijfsnaam",
            "organisatie",
            "organizzazione",
            "organizacion",
            "organizacao",
            *_LOOKER_VIEWS["account"],
            # An IT service desk's entity, one per customer (GLPI's "Entité").
            *tickets_glpi.ENTITY,
        ),
    ),
    FieldSpec(
        "contact_email",
        (
            "requester_email",
            "requester",
            "email",
            "customer_email",
            "contact_email",
            "from",
            "visitor_email",
            "caller_email",
            "author_email",
            "user_email",
            # Airtable's lookup of a linked contact: "Email (from Contacts)".
            "email_from_contacts",
            "email_from_contact",
            # A research participant; the person who asked (Savio's "Person Email", Pendo's
            # "Requested By Email" beside "Created By Email").
            "participant_email",
            "person_email",
            "requested_by_email",
            # Who wrote an idea (Aha!'s "Idea created by email").
            "created_by_email",
            "e_mail",
            "correo_electronico",
            "courriel",
            # Freshdesk in Dutch: "E-mail aanvrager".
            "e_mail_aanvrager",
            "email_aanvrager",
            *_LOOKER_VIEWS["contact_email"],
        ),
    ),
    FieldSpec(
        "contact_name",
        # Freshdesk's "Full name", Jira's "Reporter".
        (
            "requester_name",
            "customer_name",
            "contact_name",
            "name",
            "full_name",
            "reporter",
            "visitor_name",
            # ServiceNow's caller.
            "caller_id",
            "caller",
            "author_name",
            "user_name",
            "associated_contact",
            "participant",
            "participant_name",
            "person_name",
            "requested_by",
            # Productboard's "Customer" (a person) when "Company" names the account; where
            # no other column does, "Customer" is the account's (the field before this one).
            "customer",
            "nome_do_contato",
            "nombre_del_contacto",
            "nom_du_contact",
            "kontaktname",
            "nome_contatto",
            # Freshdesk in Dutch: "Naam aanvrager".
            "naam_aanvrager",
            "aanvrager",
            *_LOOKER_VIEWS["contact_name"],
            *tickets_glpi.REQUESTER,
        ),
    ),
    FieldSpec(
        "occurred_at",
        (
            "created_at",
            "created",
            "date",
            "opened",
            "opened_at",
            "submitted_at",
            "timestamp",
            # Zoho Desk's "Created Time", "Created On", "Date Created", "Creation Date".
            "created_time",
            "created_on",
            "created_date",
            "date_created",
            "creation_date",
            # Salesforce Cases' "Date/Time Opened", LiveChat's "chat start date".
            "date_time_opened",
            "date_opened",
            "opened_date",
            "chat_start_date",
            "date_received",
            "received",
            "received_at",
            # Gorgias' "Created Datetime", Front's "Message date".
            "created_datetime",
            "created_date_time",
            "message_date",
            # A feedback table kept by hand (Coda's "Logged").
            "logged",
            "logged_at",
            "logged_on",
            "create_date",
            # Intercom's conversations CSV: "Started at".
            "started_at",
            "started",
            # A chat or messages API's record (`json_table`): when it was sent or posted.
            "sent_at",
            "posted_at",
            "inserted_at",
            "time",
            # Zoho Desk and others in Portuguese, Spanish, French, German, Italian.
            "hora_de_criacao",
            "data_de_criacao",
            "fecha_de_creacion",
            "hora_de_creacion",
            "date_de_creation",
            "heure_de_creation",
            "erstellt_am",
            "erstellungszeit",
            "erstellungsdatum",
            "data_di_creazione",
            "ora_di_creazione",
            # Dutch: "Aangemaakt op", "Aanmaakdatum".
            "aangemaakt_op",
            "aanmaakdatum",
            "datum_aangemaakt",
            # GLPI's "Opening date", "Date d'ouverture".
            *tickets_glpi.OPENED,
        ),
        required=True,
    ),
    FieldSpec("tags", ("tags", "labels", "tag", "categories")),
    # How the ticket came in (Freshdesk's "Source": Portal, Email, Phone; Zendesk's "Via"): a
    # tag, not Huddle's source, which is `ticket` (or --source) for every row of a help desk.
    FieldSpec(
        "channel",
        # Salesforce's "Case Origin", ServiceNow's "contact_type".
        (
            "source",
            "channel",
            "via",
            "channel_kind",
            "case_origin",
            "origin",
            "contact_type",
            "canal",
            "kanal",
            # Freshdesk's "Source" in Italian, Spanish, Portuguese, French, German, Dutch.
            "fonte",
            "fuente",
            "origem",
            "origine",
            "quelle",
            "bron",
            "canale",
            "kanaal",
            *tickets_glpi.REQUEST_SOURCE,
        ),
    ),
    # The help desk's own team or group ("Tier 2", "Billing"): a tag, not Huddle's team,
    # which is support for every ticket.
    FieldSpec(
        "group",
        ("team", "group", "assigned_group", "gruppo", "grupo", "groupe", "gruppe", "groep"),
    ),
    # A messages export: the conversation each message belongs to, who sent it.
    FieldSpec("conversation", ("conversation_id", "thread_id")),
    FieldSpec("message_id", ("message_id",)),
    FieldSpec("direction", ("direction", "message_direction")),
    # Gorgias' "First Message From Agent": one of ours opened the ticket.
    FieldSpec("from_agent", ("first_message_from_agent", "from_agent", "created_by_agent")),
    FieldSpec("submitter_email", ("submitter_email",)),
    FieldSpec("status", ("status", "state", "stato", "estado", "statut", "etat")),
    FieldSpec(
        "priority",
        (
            "priority",
            "severity",
            "urgency",
            "prioridade",
            "prioridad",
            "priorite",
            "prioritat",
            "priorita",
            "prioriteit",
        ),
    ),
    # The task a row is a subtask of (ClickUp's "Parent ID", Jira's "Parent id").
    FieldSpec(
        "parent",
        (
            "parent_id",
            "parent",
            "parent_task_id",
            "parent_task",
            "parent_item_id",
            "parent_issue_id",
        ),
    ),
    *tickets_tools.FIELDS,
)
