"""How each source sounds: the openers, asides, consequences and closers around a complaint.

Slots: {contact} and {first} are the customer, {title} their job, {account} their company,
{rep} the colleague who logged it, {area} the product area of the item's first topic.
"""

# The demo's text is typeset the way people type: with en and em dashes.
# ruff: noqa: RUF001

from huddle.demo.corpus import lines

TONES = ("angry", "frustrated", "neutral", "polite", "positive")

# Said by the customer, after the complaint.
CONSEQUENCES: dict[str, tuple[str, ...]] = {
    "angry": lines(
        """
        This is unacceptable for what we pay.
        Third time I'm reporting this.
        Fix it please!!
        This is a blocker for us.
        I'm really disappointed.
        We can't keep working like this.
        Nobody has even replied to my last email about it.
        """
    ),
    "frustrated": lines(
        """
        It costs us hours every week.
        We've built a spreadsheet workaround but it's painful.
        We raised this before and nothing changed.
        It's slowing down our month end.
        The team is getting frustrated.
        It's becoming a real blocker.
        Not the end of the world but it adds up.
        It keeps coming up in our team meetings.
        """
    ),
    "neutral": lines(
        """
        Not urgent, but wanted to flag it.
        Let us know if you need more details.
        Happy to jump on a call to show it.
        Curious if this is on the roadmap.
        Is there a workaround in the meantime?
        Can you confirm whether this is expected?
        Any update would be appreciated.
        Let me know what else you need from us.
        Wondering if others have asked for this too.
        """
    ),
    "polite": lines(
        """
        Thanks for looking into it!
        Would really appreciate a fix when you can.
        Otherwise loving the product.
        No rush, just wanted to share.
        Thank you so much in advance.
        Sorry if this has been asked before.
        """
    ),
    "positive": lines(
        """
        Everything else works great.
        Big fan of the product otherwise.
        Still recommending you to peers.
        Small thing, the rest is excellent.
        """
    ),
}

# Said (or, below, reported) only by customers at risk of leaving, when angry or frustrated:
# the churn warnings (notify/churn.py) are to find these accounts and no others.
LEAVING = lines(
    """
    Honestly we're close to cancelling.
    Our CFO is asking why we bought this.
    If this isn't fixed before renewal we'll move to {competitor}.
    We're starting to look at other options.
    I can't keep defending this tool to my team.
    We've escalated this to our leadership and the renewal is in question.
    To be frank we're not sure we'll renew.
    {competitor} keeps calling us and right now I'm listening.
    """
)

# Written down by a colleague about the customer.
NOTE_CONSEQUENCES: dict[str, tuple[str, ...]] = {
    "angry": lines(
        """
        {first} was really angry about it
        threatened to pause the rollout
        wants a call with our support lead
        """
    ),
    "frustrated": lines(
        """
        they're losing hours on it every month
        {first} sounded pretty fed up
        this could come up at renewal
        they've built a manual workaround
        they've raised it twice before
        """
    ),
    "neutral": lines(
        """
        not urgent for them
        they asked if it's on the roadmap
        mentioned {competitor} handles this
        nice to have rather than a must
        """
    ),
    "polite": lines(
        """
        they were very understanding about it
        no pressure, they just wanted us to know
        """
    ),
    "positive": lines(
        """
        otherwise very happy
        they're still big fans overall
        """
    ),
}

NOTE_LEAVING = lines(
    """
    they said they're looking at {competitor} because of this
    called it a blocker for the renewal
    escalated to their CFO
    {first} said they're evaluating alternatives before renewal
    not sure they will renew, {first} was blunt about it
    they asked how to end the contract early
    """
)

CALL_HEADERS = lines(
    """
    Call w/ {contact} ({title}) – {account}
    {account} check-in. Attendees: {contact} ({title}) and me
    QBR – {account}
    Renewal prep call, {account} / {first}
    Quick call with {first} at {account}
    Expansion conversation with {account}
    Onsite at {account} today, met {contact} and their AP team
    Weekly sync {account}
    Exec sponsor call with {contact} ({title}), {account}
    {account} – pricing call with {first}
    Call notes {account} ({first}, {title})
    {first} from {account} called me back
    Account review with {contact}, {account}
    """
)
PROSPECT_HEADERS = lines(
    """
    Discovery call with {account}. Spoke to {contact}, {title}.
    Demo follow-up – {account} ({contact}, {title})
    Intro call with {account}, {first} leads finance there
    Call w/ {contact} ({title}) – {account} (prospect)
    {account} evaluation call, {first} + their IT lead
    Second demo for {account}
    Pricing discussion with {first} at {account}
    """
)
CALL_CONTEXT = lines(
    """
    {people} employees, {n} entities, on {erp}
    champion is {first}, very engaged
    renewal in about {months} months
    budget for next year isn't signed off yet
    asked about Business plan pricing again
    {first} is new in the role
    good relationship overall
    they want to roll out to {team} next quarter
    their auditors start in {month}
    procurement wants a 3-year deal
    spend through the cards is up {pct}% this quarter
    they had a rough month end
    {competitor} reached out to them
    they just raised a round, growing fast
    cutting costs this year, every tool is under review
    happy with support response times
    new CFO started in {month}
    adoption in {team} is still low
    """
)
PROSPECT_CONTEXT = lines(
    """
    {people} employees, {n} entities, on {erp}
    they're also looking at {competitor}
    champion is {first}, very engaged
    {competitor} quoted them lower
    security review still open
    decision expected in {month}
    currently on spreadsheets and email approvals
    budget approved for this year
    asked for a reference call with a similar customer
    replacing {competitor}, contract ends in {month}
    """
)
CALL_LEADS = lines(
    """
    Main issue:
    Biggest complaint:
    They also raised:
    Pain point:
    Another one:
    Also:
    Then:
    Sore spot:
    Heard again:
    Open issue:
    """
)
CALL_QUOTE_LEADS = lines(
    """
    {first} said:
    In {first}'s words:
    Quote from {first}:
    Direct quote:
    {first}:
    """
)
CALL_NEXT = lines(
    """
    Next step: loop in product on the {area} piece
    Next: send them the roadmap deck
    Follow up in two weeks
    Action: open a ticket for the {area} issue
    Will send the security pack
    Booked a follow-up for {day}
    Todo: intro {first} to our PM
    Nothing else for product
    Need an answer before their budget meeting in {month}
    I promised an update by {day}
    Sending recap email
    Recap sent, waiting on their side
    Next call in {weeks} weeks
    Will check with support on the open tickets
    Asked product for an ETA
    Sharing a case study with {first}
    Proposal goes out {day}
    {first} to confirm budget by end of {month}
    Nothing to chase this week
    """
)

TICKET_GREETINGS: dict[str, tuple[str, ...]] = {
    "angry": ("Hi,", "Hello,", "", "To whom it may concern,", "Again,"),
    "frustrated": ("Hi team,", "Hi,", "Hello support,", ""),
    "neutral": ("Hi team,", "Hello,", "Hi there,", "Good morning,", ""),
    "polite": ("Hi there!", "Hello lovely support team,", "Hi team, hope you're well.", "Hi,"),
    "positive": ("Hi team!", "Hey folks,", "Hi,"),
}
TICKET_SIGNOFFS = lines(
    """
    Thanks,|{first}
    Regards,|{contact}
    – {first}
    {first} | {title}
    Best,|{first}|{title}, {account}
    Cheers
    Thanks
    Thanks in advance
    """
)
AGENT_SUMMARIES = lines(
    """
    Customer reports:
    {first} ({account}) reports:
    Escalating:
    Reported by {first}:
    Per {first} on the phone:
    Summary:
    Issue:
    """
)
AGENT_FOOTERS = lines(
    """
    Confirmed on our side.
    Could not reproduce yet.
    Asked for a HAR file.
    Linked to the existing eng ticket.
    Priority: high.
    Browser: {browser}.
    Workaround given, customer not happy with it.
    Customer is on the {plan} plan.
    Repro steps attached.
    Third ticket from this account on this.
    Sent the known-issue macro.
    Waiting on the customer for an example.
    Tagged for the next bug review.
    Same as last week's escalation.
    Customer okay to wait for a fix.
    Tried in a clean browser profile, same result.
    """
)
TICKET_REFS = lines(
    """
    Ref {inv}.
    Example: bill {inv}.
    See {inv}.
    Screenshot attached.
    Happens on {inv} too.
    Recording attached.
    Tried in {browser} as well.
    Started around the {nth}.
    """
)

CHAT_OPENERS = ("hey", "hi", "hello", "quick q", "hi there", "morning", "hey team", "hiya", "")
CHAT_CLOSERS = (
    "",
    "?",
    " any idea?",
    " pls help",
    " is this a known issue",
    " thx",
    " ??",
    " help",
    " is that normal",
    " what am i doing wrong",
    " :(",
    " thanks!",
)
CHAT_AGENT = lines(
    """
    thanks for flagging, checking with the team
    I've passed this on to our product team
    sorry about that! could you send a screenshot?
    let me look into it for you
    I can see the same thing here, I'll raise it
    thanks {first}, I've added your account to the issue
    """
)

SURVEY_PRAISE = lines(
    """
    Good product overall.
    Love the card controls.
    The team likes it.
    Does the job.
    Support is great.
    Mostly happy.
    """
)

REVIEW_HEADLINES: dict[str, tuple[str, ...]] = {
    "angry": lines(
        """
        Frustrating {area}
        Not ready for companies our size
        Support is nice, the product isn't
        Looked great in the demo
        Avoid if you rely on {area}
        """
    ),
    "frustrated": lines(
        """
        Solid, but {area} needs work
        Good AP tool with gaps in {area}
        Almost there
        Decent, with caveats
        """
    ),
    "neutral": lines(
        """
        Does the job
        Good for AP, average for {area}
        Fine for the price
        Mixed feelings
        """
    ),
    "polite": lines(
        """
        Good tool, a few rough edges
        Nice product, one wish
        """
    ),
    "positive": lines(
        """
        Great for AP, minor issues
        Love it, one small gripe
        Best spend tool we've tried
        Huge time saver
        """
    ),
}
REVIEW_PROS = lines(
    """
    Easy to set up cards for the team.
    Clean interface.
    Receipt matching works well.
    Support answers fast.
    The approval inbox.
    Managers actually use it.
    Good price for what you get.
    Way better than paper invoices.
    """
)
REVIEW_SITES = ("G2", "Capterra", "G2", "TrustRadius", "Capterra", "Software Advice")
APP_STORES = ("App Store", "Google Play")

EMAIL_SUBJECTS_GENERIC = lines(
    """
    Quick question
    Following up on our call
    Our call on {day}
    Issue with {area}
    Renewal – a few concerns
    Feedback
    Something we need help with
    Ledgerline question
    """
)
TICKET_SUBJECTS_GENERIC = lines(
    """
    Issue with {area}
    Problem with {area}
    {area} not working as expected
    Question about {area}
    Help needed
    """
)
EMAIL_GREETINGS_SALES = ("Hi {rep},", "Hello {rep},", "{rep},", "Hey {rep},", "Dear {rep},")
EMAIL_GREETINGS_SUPPORT = (
    "Hi support,",
    "Hello Ledgerline team,",
    "Hi all,",
    "Hello,",
    "Hi there,",
    "Good afternoon,",
    "Hi {rep},",
)
EMAIL_OPENERS = lines(
    """
    Following up on our call.
    Hope you're well.
    Quick one before the weekend.
    As discussed last week,
    Sorry for the long email.
    Flagging something for you.
    I wanted to put this in writing.
    """
)
EMAIL_SIGNOFFS = lines(
    """
    Best,|{first}
    Thanks,|{contact}
    Kind regards,|{contact}|{title}, {account}
    Cheers,|{first}
    Regards,|{first}
    """
)

INTERVIEW_HEADERS = lines(
    """
    Interview – {title}, {account}
    Research call: {account} ({title})
    Customer interview #{num}: {first}, {title}
    Discovery interview with {contact} ({account})
    Usability session with {first} ({title}, {account})
    Jobs-to-be-done interview, {account}
    """
)
INTERVIEW_CONTEXT = lines(
    """
    Context: {people} employees, uses {erp}, {n} approvers.
    Context: runs AP for {n} entities.
    Context: joined {months} months ago, moved from {competitor}.
    Context: small finance team of {n}.
    Background: closes the books in {days} days.
    Role: owns the AP process end to end.
    """
)
INTERVIEW_PAIN_LEADS = ("Pain:", "Pain point:", "Struggle:", "Observed:", "Key problem:", "Also:")
INTERVIEW_WORKAROUNDS = lines(
    """
    Workaround: exports to Excel and fixes it by hand.
    Workaround: asks AP to double-check everything every {day}.
    Workaround: keeps a shared spreadsheet on the side.
    Workaround: emails support each time.
    Workaround: none, they just live with it.
    Workaround: a script their IT team wrote.
    """
)
INTERVIEW_OUTROS = lines(
    """
    Would value:
    Wish:
    Opportunity:
    If we fixed one thing:
    """
)

INTERNAL_LEADS: dict[str, tuple[str, ...]] = {
    "engineering": lines(
        """
        On-call note:
        Customer-reported, needs triage:
        From the incident review:
        Raised in standup:
        From a customer call I joined:
        Support escalation to eng:
        Noting for planning:
        """
    ),
    "product": lines(
        """
        Heard from CS:
        Sales keeps hearing that
        From the support queue this week:
        Pattern I keep seeing:
        Idea from the implementation team:
        Raised in the customer advisory board:
        Recurring theme in churn interviews:
        """
    ),
}
INTERNAL_FOOTERS = lines(
    """
    {n} tickets about this in the last {weeks} weeks.
    Affects at least {n} accounts.
    Probably worth a proper look next quarter.
    Not sure who owns this.
    Could be a quick win.
    Related to the {area} work?
    Logging it here so it doesn't get lost.
    Happy to pair on a fix.
    Worth checking against the usage data.
    Came up twice in this week's calls.
    """
)
