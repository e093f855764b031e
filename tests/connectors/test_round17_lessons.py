"""What round 17's held-back files showed, each rule on a small input of its own: HubSpot's
email activities name a mail the team sent "Email" (a sequence's step among them), an app's
standing sold in a help desk's inbox is spam, and an Italian "Grazie," signs a message off
as "Thanks," does."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.crm_activity import mail_direction
from huddle.connectors.noise import noise_reason
from huddle.connectors.replies import strip_replies
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))

HUBSPOT = """Activity ID,Activity date,Email subject,Email text,Email direction,Email from address,Associated Company,Sequence name
61001,2026-12-01 09:00,Re: exports,"The weekly export still drops the region column.",Incoming email,ana@acme-robotics.example,Acme Robotics,
61002,2026-12-01 10:00,Two-way sync beta,"Hi Oliver, we're inviting a few customers into the sync beta.",Email,sam@ourco.com,Vandelay Imports,Q4 beta invite (step 2)
61003,2026-12-01 11:00,Your quote,"Attached is the quote for 40 seats, as discussed.",Email,dana@ourco.com,Acme Robotics,
"""


def test_hubspots_email_type_is_a_mail_the_team_sent(tmp_path: Path) -> None:
    """HubSpot writes a sent mail's direction as its type alone, "Email" (beside "Incoming
    email" and "Forwarded email"): the team's own words, or a sequence's step when the row
    names one; the customer's reply comes in."""
    assert mail_direction("Email") == "out"
    assert mail_direction("EMAIL") == "out"
    assert mail_direction("Incoming email") == "in"
    assert mail_direction("Forwarded email") == "forwarded"
    path = tmp_path / "email_activities.csv"
    path.write_text(HUBSPOT)
    read = read_clean("hubspot", path, OURS)
    assert [r.text for r in read.feedback] == ["The weekly export still drops the region column."]
    assert sorted(reason for reason, _ in left_out_of(read)) == ["bot", "internal"]
    assert dict(left_out_of(read))["bot"].startswith("Hi Oliver")


def test_an_apps_standing_for_sale_is_spam() -> None:
    """Installs and five-star reviews sold with a ranking guaranteed, paid in crypto: spam.
    A customer counting their installs, or quoting a guarantee, is not."""
    offer = (
        "Boost your app ranking today! 5000 real installs + 200 five-star reviews, guaranteed "
        "top 10. Pay with USDT or BTC, 50% discount for new clients."
    )
    assert noise_reason(offer, "Boost your app ranking today!", options=OURS) == "spam"
    # Each signal counts on its own: with one other (paid in crypto), each makes spam.
    for signal in (
        "Boost your app ranking",
        "5000 real installs",
        "200 five-star reviews",
        "guaranteed top 10",
        "50% discount for new clients",
    ):
        assert noise_reason(f"{signal}. Pay with USDT.", options=OURS) == "spam", signal
        assert noise_reason(f"{signal}.", options=OURS) is None, signal
    customer = (
        "Our app has 5000 installs across the depots and we were guaranteed first response "
        "within an hour, but the sync has been down since Monday."
    )
    assert noise_reason(customer, "Sync down", options=OURS) is None


def test_thanks_on_a_line_of_its_own_signs_off_in_other_languages() -> None:
    """ "Grazie," over a name and a title is a sign-off as "Thanks," is: the name and title
    are cut; a thank-you inside a sentence is the sender's words."""
    mail = (
        "since Monday every complaint shows twice and both count in the weekly totals.\n\n"
        "Grazie,\nMarco Bellini\nCustomer Care, Globex Freight Italia"
    )
    assert strip_replies(mail) == (
        "since Monday every complaint shows twice and both count in the weekly totals."
    )
    for thanks in ("Gracias,", "Danke!", "Obrigada,", "Bedankt,", "Kiitos"):
        assert strip_replies(
            f"The export drops the region column.\n\n{thanks}\nAna\nOps, Acme"
        ) == ("The export drops the region column.")
    kept = "Grazie, the new filter works, but the export still drops the region column."
    assert strip_replies(kept) == kept
