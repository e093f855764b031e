"""Topics nobody has made a problem of yet, so theme discovery has real work; and the praise
and off-topic chatter every inbox also holds."""

from huddle.demo.corpus import Topic, lines, topic

OPEN_TOPICS: tuple[Topic, ...] = (
    topic(
        "budgets",
        "",
        "Budgets",
        problem=False,
        weight=1.1,
        trend=1.2,
        sources="call interview survey",
        tags="budgets",
        says="""
            we need budgets per department with alerts
            there's no way to see spend against budget
            budget owners want a warning before they overspend
            I'd love to set a quarterly budget for {team} and track it here
            our budget lives in a spreadsheet because Ledgerline has no budgets
            department heads have no idea how much of their budget is left
        """,
        notes="""
            want budgets per department with alerts
            no spend-vs-budget view
            budget owners want a warning before they overspend
            their budgets live in spreadsheets
        """,
        details="""
            planning season starts in {month}
            {team} overspent by {pct}% last quarter
            their FP&A team asked for it
        """,
        asks="""
            let us load budgets and compare them to actual spend
            alert the budget owner at 80%
        """,
        subjects="""
            Budgets in Ledgerline?
            Spend vs budget
        """,
    ),
    topic(
        "po_matching",
        "",
        "Invoicing",
        problem=False,
        weight=1.0,
        enterprise=True,
        sources="call interview email",
        tags="procurement",
        says="""
            three-way matching with purchase orders is missing
            we can't match invoices to POs and goods receipts
            PO matching has to happen outside the tool
            we need purchase orders before we can move all our AP over
            there's no way to check an invoice against what we ordered
        """,
        notes="""
            no three-way matching with POs and receipts
            PO matching happens outside Ledgerline
            need purchase orders before moving all AP over
        """,
        details="""
            their warehouse team needs it
            {pct}% of their spend is on POs
            {competitor} has it
        """,
        asks="""
            add purchase orders and matching
        """,
        subjects="""
            Purchase orders and matching
            PO support
        """,
    ),
    topic(
        "tax_1099",
        "",
        "Billing",
        problem=False,
        weight=0.8,
        trend=4.0,
        sources="ticket email chat call",
        tags="tax",
        says="""
            we need 1099 reporting for our contractors
            year-end tax forms for vendors aren't supported
            collecting W-9s from vendors is a manual chase
            I have to pull every contractor payment out by hand for the 1099s
            there's no way to mark a vendor as 1099-eligible
            our accountant asked for a 1099 export and there isn't one
        """,
        notes="""
            need 1099 reporting for contractors
            no way to flag vendors as 1099-eligible
            W-9 collection is a manual chase
            accountant asked for a 1099 export
        """,
        details="""
            filing deadline is end of January
            they pay {num} contractors
            last year it took {days} days
        """,
        asks="""
            generate the 1099s for us
            collect W-9s when a vendor is added
        """,
        subjects="""
            1099 forms
            W-9 collection
            1099 export?
        """,
    ),
    topic(
        "slack_approvals",
        "",
        "Integrations",
        problem=False,
        weight=0.9,
        sources="survey interview call chat",
        tags="integration slack",
        says="""
            let us approve invoices straight from Slack
            approval requests should come as Slack messages
            a Slack approve button would save us so much time
            nobody reads the approval emails, everyone lives in Slack
            we'd love Teams approvals, we're a Microsoft shop
        """,
        notes="""
            want to approve from Slack
            approval requests should arrive in Slack
            asked for Teams approvals
        """,
        details="""
            their managers live in Slack
            {competitor} does this
            approvals would be same-day
        """,
        asks="""
            send approvals to Slack with approve and reject buttons
        """,
        subjects="""
            Slack approvals
        """,
    ),
    topic(
        "mileage",
        "",
        "Expenses",
        problem=False,
        weight=0.7,
        sources="survey review chat",
        tags="expenses mobile",
        says="""
            mileage claims have to be worked out by hand
            there's no mileage tracker for field staff
            please add a per-mile rate for car expenses
            our reps log mileage in a separate app and then retype it
        """,
        notes="""
            mileage claims calculated by hand
            no mileage tracking for field staff
            want a per-mile rate for car expenses
        """,
        details="""
            {num} field reps
            they use a separate app today
        """,
        asks="""
            add a mileage tracker with GPS
        """,
        subjects="""
            Mileage expenses
        """,
    ),
    topic(
        "translation",
        "",
        "Web app",
        problem=False,
        weight=0.6,
        sources="survey review email",
        tags="localisation",
        says="""
            our team in {country} needs the app in their language
            there's no German interface for our Munich office
            please localise the app, not everyone reads English
            the approval emails are only in English
        """,
        notes="""
            need the app in other languages
            their team in {country} struggles with English-only UI
            approval emails only in English
        """,
        details="""
            {num} employees outside the US
            HR asked for it
        """,
        asks="""
            translate the app into Spanish, German and French
        """,
        subjects="""
            Other languages?
        """,
    ),
    topic(
        "dark_mode",
        "",
        "Web app",
        problem=False,
        weight=0.4,
        sources="review survey chat",
        tags="ui",
        says="""
            please add a dark mode
            the bright white screens hurt at night, a dark theme would help
            would love a dark mode for late month-end closes
        """,
        notes="""
            asked for dark mode
        """,
        details="""
            small thing but people ask
        """,
        asks="""
            dark mode please
        """,
        subjects="""
            Dark mode
        """,
    ),
    topic(
        "offline_receipts",
        "",
        "Mobile app",
        problem=False,
        weight=0.5,
        trend=0.8,
        sources="review chat ticket",
        tags="mobile",
        says="""
            receipt capture doesn't work offline
            the app loses photos I take without signal
            receipts I snap on the plane never upload
            if I'm offline the receipt just disappears
        """,
        notes="""
            receipt capture fails offline
            photos taken without signal get lost
        """,
        details="""
            on {os}
            they travel a lot
            on {device}
        """,
        asks="""
            queue receipts and upload them later
        """,
        subjects="""
            Receipts lost offline
        """,
    ),
)

PRAISE = lines(
    """
    the new approval inbox is great, month end was calm for once
    support was super quick to help us today
    the team loves how clean the bill view is
    month end was a lot smoother this time
    really happy with the rollout so far
    the card controls saved us from a rogue subscription
    best spend tool we've used, by far
    setting up card limits for {team} took five minutes
    {rep} from your support team went above and beyond
    we closed the books {days} days faster this quarter
    the receipt matching just works
    love the weekly digest, finally fewer emails
    the new {report} is exactly what our CFO wanted
    our AP clerk says she can't imagine going back to paper
    implementation was smoother than we feared
    great product, great people
    the mobile app got so much better with the last update
    approvals used to take a week and now take a day
    Ledgerline paid for itself in {months} months
    super intuitive, our managers needed no training
    we moved from {competitor} and don't miss it
    the virtual cards for subscriptions are a lifesaver
    """
)

OFF_TOPIC = lines(
    """
    can you send me your latest SOC 2 report
    who is our account manager now
    please update our billing address, we moved to {city}
    is there a status page we can subscribe to
    we're moving offices next month, no action needed
    how do I reset my password
    can we get our Ledgerline invoices in {cur}
    please add {other} as an admin on our account
    what's the uptime SLA on the Business plan
    do you have a reference customer in our industry we could talk to
    our company is being acquired, what happens to the contract
    can we change the renewal date to align with our fiscal year
    is there a webinar on the new features
    where do I find the API docs
    we need a signed DPA for our legal team
    I'm out of office until the {nth}, please contact {other}
    can I get a copy of last year's invoices from you
    do you offer a discount for nonprofits
    """
)
