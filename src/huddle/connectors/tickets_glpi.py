"""What the tickets CSV reads from an IT service desk's ticket list as GLPI exports it.

GLPI's search results saved as CSV ("Export" > CSV) name each column by the search option
in the user's language ("Titre", "Entité", "Date d'ouverture", "Demandeur - Demandeur" in
French; "Title", "Entity", "Opening date", "Requester - Requester" in English), separate
cells with a semicolon (its default) and quote every cell. An MSP-style desk keeps one
entity per customer, written as its path under the root ("Root entity > Globex Freight",
"Entité racine > Clinique Saint-Roch"); ids carry the locale's thousands separator
("1 482", "1,482"); people are listed surname first ("Morel Camille") and sign given name
first. The labels are compared as `imports.fields.normalise` gives them; `tickets` puts
them after the names other help desks use.
"""

import re

from huddle.connectors.email_addresses import email_in
from huddle.imports.fields import normalise
from huddle.imports.records import FeedbackRecord


def _labels(*names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalise(name) for name in names))


TITLE = _labels(
    "Titre",  # French
    "Título",  # Spanish, Portuguese
    "Titel",  # German, Dutch
    "Titolo",  # Italian
)  # fmt: skip
# The ticket's entity: the customer, on a desk that keeps one entity per customer.
ENTITY = _labels(
    "Entity",
    "Entité",  # French
    "Entidad",  # Spanish
    "Entidade",  # Portuguese
    "Entità",  # Italian
    "Entität",  # German
    "Entiteit",  # Dutch
)  # fmt: skip
OPENED = _labels(
    "Opening date",
    "Date d'ouverture",  # French
    "Fecha de apertura",  # Spanish
    "Data de abertura",  # Portuguese
    "Data di apertura", "Data apertura",  # Italian
    "Eröffnungsdatum",  # German
    "Openingsdatum",  # Dutch
)  # fmt: skip
# "Requester - Requester": the search option's group, then its name.
REQUESTER = _labels(
    "Requester - Requester",
    "Demandeur - Demandeur", "Demandeur",  # French
    "Solicitante - Solicitante", "Solicitante",  # Spanish
    "Requerente - Requerente", "Requerente",  # Portuguese
    "Richiedente - Richiedente", "Richiedente",  # Italian
)  # fmt: skip
REQUEST_SOURCE = _labels(
    "Request source",
    "Source de la demande",  # French
    "Origen de la solicitud",  # Spanish
    "Origem da requisição",  # Portuguese
)  # fmt: skip

# The root entity's own name where no ticket shows a path under it: the desk's top, no
# customer's.
_ROOT_NAMES = {"root entity", "entité racine"}
# A path of entities: "Root entity > Customers > Globex Freight".
_PATH = re.compile(r"\s+>\s+")


def entity_account(reference: str) -> tuple[str | None, str | None]:
    """(the account an entity names, the root its path starts from): a path's last entity
    ("Entité racine > Clinique Saint-Roch" is Clinique Saint-Roch, under "Entité racine");
    the root's name alone is no account; any other name is itself."""
    parts = [part.strip() for part in _PATH.split(reference.strip()) if part.strip()]
    if len(parts) > 1:
        return parts[-1], parts[0]
    if reference.strip().casefold() in _ROOT_NAMES:
        return None, reference.strip()
    return reference.strip() or None, None


# A number written with the locale's thousands separator: "1 482", "1,482", "1.482", a
# narrow no-break space.
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:[ ,.\u00a0\u202f']\d{3})+$")


def plain_number(reference: str) -> str:
    """A ticket number as digits alone, however the export's locale grouped them: one
    ticket, whichever language it was exported in."""
    text = reference.strip()
    return re.sub(r"\D", "", text) if _GROUPED_NUMBER.match(text) else text


def given_name_first(name: str) -> str | None:
    """A person listed surname first ("Morel Camille", "Morel, Camille") as they sign
    ("Camille Morel"); None for a name of one word or of more than two."""
    words = name.replace(",", " ").split()
    return f"{words[1]} {words[0]}" if len(words) == 2 and "@" not in name else None


def settle(record: FeedbackRecord, roots: set[str]) -> None:
    """A desk's ticket as its export writes it, read: the account its entity names (the
    path's root added to `roots`), its number as digits, a requester the desk knows only by
    their address (a mail collector's ticket) as that address."""
    if record.account_ref:
        record.account_ref, root = entity_account(record.account_ref)
        if root:
            roots.add(root)
    if record.external_id:
        record.external_id = plain_number(record.external_id)
    if not record.contact_email and (address := email_in(record.contact_name)):
        record.contact_email, record.contact_name = address, None


def off_the_root(records: list[FeedbackRecord], roots: set[str]) -> None:
    """Tickets on the root itself ("Entité racine", under which the customers' entities
    sit, whatever the desk named it) left without an account: the desk's own, no
    customer's."""
    for record in records:
        if record.account_ref in roots:
            record.account_ref = None
