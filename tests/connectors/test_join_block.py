"""An online meeting's join block (Teams, Zoom, Google Meet, Webex) under a meeting request's
agenda or a meeting's notes: one cut (`join_blocks.without_join_block`) for mail and CRM notes.
It goes from the block's header over the invitation's own lines; what the customer wrote
after the block is kept, and a mention of Teams or a link in a sentence is no block."""

import pytest

from huddle.connectors.join_blocks import without_join_block
from huddle.connectors.mail_body import invitation_words as _invitation_words

RULE = "_" * 80
AGENDA = "Agenda: why shift-swap approvals time out for the night staff."

TEAMS = (
    f"{RULE}\nMicrosoft Teams meeting\nJoin on your computer, mobile app or room device\n"
    "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19>\n"
    "Meeting ID: 318 442 907 155\nPasscode: p7Xk2M\n"
    "Download Teams<https://www.microsoft.com/en-us/microsoft-teams/download-app> | "
    "Join on the web<https://www.microsoft.com/microsoft-teams/join-a-meeting>\n"
    "Learn More<https://aka.ms/JoinTeamsMeeting> | "
    "Meeting options<https://teams.microsoft.com/meetingOptions/>\n"
    f"{RULE}\n"
)
# Teams' newer block: "Need help?" beside its name, the number to dial under a rule.
TEAMS_DIAL_IN = (
    f"{RULE}\nMicrosoft Teams Need help?<https://aka.ms/JoinTeamsMeeting?omkt=en-US>\n"
    "Join the meeting now<https://teams.microsoft.com/l/meetup-join/19>\n"
    "Meeting ID: 291 774 018 332\nPasscode: Qm4kT9\n"
    f"{RULE}\nDial in by phone\n"
    "+1 323-555-0100,,291774018# United States, Los Angeles\n"
    "Find a local number<https://dialin.teams.microsoft.com/x>\n"
    "Phone conference ID: 291 774 018#\n"
    "For organizers: Meeting options<https://teams.microsoft.com/meetingOptions/> | "
    "Reset dial-in PIN<https://dialin.teams.microsoft.com/usp/pstnconferencing>\n"
    f"{RULE}\n"
)
TEAMS_GERMAN = (
    f"{RULE}\nMicrosoft Teams-Besprechung\n"
    "Nehmen Sie von Ihrem Computer, Ihrer mobilen App oder Ihrem Raumgerät teil\n"
    "Klicken Sie hier, um an der Besprechung teilzunehmen"
    "<https://teams.microsoft.com/l/meetup-join/19>\n"
    "Besprechungs-ID: 318 442 907 155\nKennung: p7Xk2M\n"
    "Teams herunterladen<https://www.microsoft.com/de-de/microsoft-teams/download-app> | "
    "Im Web beitreten<https://www.microsoft.com/de-de/microsoft-teams/join-a-meeting>\n"
    "Weitere Infos<https://aka.ms/JoinTeamsMeeting> | "
    "Besprechungsoptionen<https://teams.microsoft.com/meetingOptions/>\n"
    f"{RULE}\n"
)
TEAMS_FRENCH = (
    f"{RULE}\nRéunion Microsoft Teams\n"
    "Participer à partir de votre ordinateur, de l'application mobile ou de l'appareil de "
    "salle\n"
    "Cliquez ici pour rejoindre la réunion<https://teams.microsoft.com/l/meetup-join/19>\n"
    "ID de la réunion : 318 442 907 155\nCode secret : p7Xk2M\n"
    "Télécharger Teams<https://www.microsoft.com/fr-fr/microsoft-teams/download-app> | "
    "Rejoindre sur le web<https://www.microsoft.com/fr-fr/microsoft-teams/join-a-meeting>\n"
    "En savoir plus<https://aka.ms/JoinTeamsMeeting> | "
    "Options de réunion<https://teams.microsoft.com/meetingOptions/>\n"
    f"{RULE}\n"
)
TEAMS_SPANISH = (
    f"{RULE}\nReunión de Microsoft Teams\n"
    "Únase desde su equipo, aplicación móvil o dispositivo de sala\n"
    "Haga clic aquí para unirse a la reunión<https://teams.microsoft.com/l/meetup-join/19>\n"
    "Id. de reunión: 318 442 907 155\nCódigo de acceso: p7Xk2M\n"
    "Descargar Teams<https://www.microsoft.com/es-es/microsoft-teams/download-app> | "
    "Unirse en la web<https://www.microsoft.com/es-es/microsoft-teams/join-a-meeting>\n"
    "Más información<https://aka.ms/JoinTeamsMeeting> | "
    "Opciones de reunión<https://teams.microsoft.com/meetingOptions/>\n"
    f"{RULE}\n"
)
ZOOM = (
    "Join Zoom Meeting\nhttps://us02web.zoom.us/j/88122310099?pwd=bXk4\n\n"
    "Meeting ID: 881 2231 0099\nPasscode: 482019\n\n---\n\n"
    "One tap mobile\n+16469313860,,88122310099#,,,,*482019# US\n"
    "+13017158592,,88122310099#,,,,*482019# US (Washington DC)\n\n---\n\n"
    "Dial by your location\n- +1 646 931 3860 US\n- +1 301 715 8592 US (Washington DC)\n\n"
    "Meeting ID: 881 2231 0099\nPasscode: 482019\n\n"
    "Find your local number: https://us02web.zoom.us/u/kdZ3\n"
)
MEET = (
    "Join with Google Meet\nhttps://meet.google.com/qxv-hnpb-tra\n"
    "Or dial: (US) +1 405-555-0177 PIN: 482 019 337#\n"
    "More phone numbers: https://tel.meet/qxv-hnpb-tra?pin=482019337\n"
)
WEBEX = (
    "Join Webex meeting\nhttps://ourco.webex.com/ourco/j.php?MTID=m5f1c\n"
    "Meeting number (access code): 2634 123 4567\nMeeting password: Mx7pQ2\n\n"
    "Tap to join from a mobile device (attendees only)\n"
    "+1-415-655-0001,,26341234567## US Toll\n\n"
    "Join by phone\n+1-415-655-0001 US Toll\n"
    "Global call-in numbers<https://ourco.webex.com/ourco/globalcallin.php?MTID=m5f1c>\n\n"
    "Join from a video system or application\nDial 26341234567@ourco.webex.com\n"
    "You can also dial 173.243.2.68 and enter your meeting number.\n\n"
    "Need help? Go to https://help.webex.com\n"
)


@pytest.mark.parametrize(
    "block",
    [TEAMS, TEAMS_DIAL_IN, TEAMS_GERMAN, TEAMS_FRENCH, TEAMS_SPANISH, ZOOM, MEET, WEBEX],
    ids=["teams", "teams-dial-in", "teams-de", "teams-fr", "teams-es", "zoom", "meet", "webex"],
)
def test_a_join_block_under_the_words_is_cut(block: str) -> None:
    """Each tool's block, with the rule above it, is cut from under the agenda, in mail and
    in a CRM note alike."""
    text = f"Hi Priya,\n\n{AGENDA}\n\nAditya\n\n{block}"
    assert without_join_block(text) == f"Hi Priya,\n\n{AGENDA}\n\nAditya"
    assert _invitation_words(text) == f"Hi Priya,\n\n{AGENDA}\n\nAditya"
    assert without_join_block(f"{AGENDA}\n{block}") == AGENDA


def test_the_customers_words_after_a_block_are_kept() -> None:
    """Notes written under the pasted invitation are the customer's: only the block goes,
    a few words in a paragraph of their own too."""
    after = "Follow-up: Carmen wants the caps per district, not per store, before March."
    assert without_join_block(f"{AGENDA}\n\n{TEAMS}\n{after}\n") == f"{AGENDA}\n\n{after}"
    assert without_join_block(f"{AGENDA}\n{ZOOM}\nThanks, Carmen\n") == (
        f"{AGENDA}\n\nThanks, Carmen"
    )
    steps = "Next steps\n\n- Pricing for the pilot stores\n- SSO demo on Tuesday"
    assert without_join_block(f"{AGENDA}\n{TEAMS_DIAL_IN}\n{steps}") == f"{AGENDA}\n\n{steps}"
    # Words straight under the block's last line, with no blank line between.
    assert without_join_block(f"{AGENDA}\n\n{MEET}{after}") == f"{AGENDA}\n\n{after}"
    # A block with nothing above it leaves what follows it.
    assert without_join_block(f"{WEBEX}\n{after}") == after


def test_a_message_that_is_only_a_block() -> None:
    """A CRM meeting whose notes are only the invitation has no words left (it is skipped);
    a mail that is only a block is left as it is, as before."""
    assert without_join_block(TEAMS) == ""
    assert _invitation_words(TEAMS) == TEAMS


@pytest.mark.parametrize(
    "text",
    [
        "We moved the weekly call to Microsoft Teams because Zoom kept dropping the line.",
        "Leeds wants a Teams notification when a theme spikes.\nSpec: https://acme.example/spec",
        "They asked why Join Zoom Meeting opens the browser: https://zoom.us/j/1 fails on Citrix.",
        # A header's words opening a sentence: a header is a line of its own.
        "Microsoft Teams meeting rooms drop the approvals bot, see https://acme.example/bug",
        # A header on its own with no link or number under it is no invitation.
        "Notes from the demo\nJoin Zoom Meeting\nThey never joined the second session.",
        # A meeting id with no join header above it: the note goes on after it.
        "Meeting ID: 881 2231 0099\nDispatch wants the dock slots to respect each depot's "
        "cut-off time before the peak season starts.",
    ],
    ids=[
        "teams-in-a-sentence",
        "link-in-a-sentence",
        "zoom-in-a-sentence",
        "header-words",
        "bare-header",
        "id",
    ],
)
def test_text_that_is_no_join_block_is_left_whole(text: str) -> None:
    assert without_join_block(text) == text
    assert without_join_block(text) == text
    assert _invitation_words(text) == text
