"""What round 16's held-back files showed, each rule on a small input of its own: a Fathom
call whose customer asks about the product and "your onboarding" beside the vendor's people
marked "(OurCo)", a Zendesk follow-up whose export dropped its follow-up marks, and a PM's
forward from Outlook set to Portuguese ("ENC:")."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from tests.connectors.helpers import read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))

FATHOM = """Studio team - expansion scoping - December 01
VIEW RECORDING - 7 mins (No highlights): https://fathom.video/share/abc

---

0:00 - Sam Ortiz (OurCo)
  Hey Bram, hey Oluchi. Thanks for jumping on.

0:04 - Bram Haverkamp
  Hey Sam. What does the import do with forum channels?

0:10 - Oluchi Eze
  Our players live on Discord, so that matters to us.

0:15 - Keziah Boateng (OurCo)
  Forum channels come in as threads.

0:21 - Bram Haverkamp
  How does it handle a patch day with twenty thousand messages?

0:30 - Sam Ortiz (OurCo)
  It queues them and catches up within the hour.

0:36 - Bram Haverkamp
  Which languages does the slur filter cover? And what would twelve seats cost us?

0:44 - Bram Haverkamp
  The platform team says your onboarding was the best they've had, so no pressure.
"""


def test_with_the_vendors_people_marked_the_others_are_the_customer(tmp_path: Path) -> None:
    """Fathom writes the company beside the vendor's people ("Sam Ortiz (OurCo)"): a customer
    who asks how the product works and speaks of "your onboarding" is not taken for a second
    interviewer; the names without the mark are the customer's."""
    path = tmp_path / "studio_expansion.txt"
    path.write_text(FATHOM)
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    sides = {speaker.name: speaker.side for speaker in call.speakers.values()}
    assert sides == {
        "Sam Ortiz (OurCo)": "vendor",
        "Keziah Boateng (OurCo)": "vendor",
        "Bram Haverkamp": "customer",
        "Oluchi Eze": "customer",
    }


ZENDESK = """{"tickets": [
  {"id": 70308, "created_at": "2026-12-02T13:48:55Z", "subject": "Per-carrier report",
   "description": "This is a follow-up to your previous request #70112 \\"Monthly report\\"\\n\\nWe still can't chart complaints per carrier without exporting to Excel.",
   "requester_id": 7108, "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": null}}},
  {"id": 70309, "created_at": "2026-12-02T13:50:00Z", "subject": "Follow-ups",
   "description": "This is a follow-up to your previous request, as promised: the export still times out.",
   "requester_id": 7108, "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": null}}}
],
"users": [{"id": 7108, "name": "Ana Ruiz", "email": "ana@globex.example", "role": "end-user"}]}
"""


def test_zendesks_follow_up_line_is_cut_without_the_follow_up_marks(tmp_path: Path) -> None:
    """Zendesk's line on top of a follow-up names the closed request's number; an export that
    dropped `via.source.rel` still carries the line, and it is no one's words. A customer's
    own sentence that starts the same way but names no request is theirs."""
    path = tmp_path / "tickets.json"
    path.write_text(ZENDESK)
    first, second = read_clean("zendesk", path, OURS).feedback
    assert first.text == "We still can't chart complaints per carrier without exporting to Excel."
    assert second.text.startswith("This is a follow-up to your previous request, as promised")


ENC = """From: Priya Raman <priya@ourco.com>
To: Sam Ortiz <sam@ourco.com>
Subject: =?windows-1252?Q?ENC:_Formul=E1rio_de_campo?=
Date: Wed, 2 Dec 2026 09:14:21 +0000
Message-ID: <enc-1@ourco.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

Sam - vejam abaixo, do time de campo.

Priya

De: Lucas Andrade <lucas.andrade@acme-robotics.example>
Enviado em: ter=E7a-feira, 1 de dezembro de 2026 15:47
Para: Priya Raman <priya@ourco.com>
Assunto: Formul=E1rio de campo

Ol=E1 Priya,

O formul=E1rio de campo precisa estar em portugu=EAs antes de mar=E7o.

Abra=E7os,
Lucas
"""


def test_a_forward_from_portuguese_outlook_is_the_forwarded_customers_mail(
    tmp_path: Path,
) -> None:
    """Outlook set to Portuguese writes "ENC:" (encaminhada) before a forward's subject: the
    PM's forward is unwrapped to the customer's mail, its sender and date, without the PM's
    note above it."""
    path = tmp_path / "forward.eml"
    path.write_bytes(ENC.encode("ascii"))
    (record,) = read_clean("email", path, OURS).feedback
    assert record.contact_email == "lucas.andrade@acme-robotics.example"
    assert "precisa estar em português antes de março" in record.text
    assert "vejam abaixo" not in record.text
    assert record.occurred_at is not None and record.occurred_at.day == 1
