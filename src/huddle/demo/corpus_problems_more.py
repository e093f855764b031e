"""Topics with a problem: reporting, money movement, platform and pricing."""

# The demo's text is typeset the way people type: with en and em dashes.
# ruff: noqa: RUF001

from huddle.demo.corpus import Topic, topic

REPORTING_AND_MORE: tuple[Topic, ...] = (
    topic(
        "reporting",
        "Finance can't get the numbers it needs",
        "Reporting",
        description="Reporting doesn't answer the questions finance is asked, so teams export to "
        "spreadsheets. Slow reports, missing filters and lossy exports roll up here.",
        status="validated",
        weight=0.6,
        sources="call interview survey",
        tags="reporting",
        says="""
            we still build every management report in Excel
            Ledgerline's reporting doesn't answer the questions our CFO asks
            I can never get the numbers I need without exporting
            reporting is the reason we keep a spreadsheet next to Ledgerline
            the reports look nice but they don't help at month end
        """,
        notes="""
            reporting doesn't answer their CFO's questions
            they build all management reports in Excel
            reporting is why they keep a spreadsheet next to us
        """,
        details="""
            the board pack takes {days} days
            their FP&A analyst does it every {day}
            they compared with {competitor}'s reports
        """,
        asks="""
            give us a report builder
            we want to save our own report views
        """,
        subjects="""
            Reporting gaps
            Board pack from Ledgerline?
        """,
    ),
    topic(
        "reports_slow",
        "Reports are slow to load",
        "Performance",
        description="Reports over more than a month of data take minutes or time out, worse since "
        "the spring release.",
        status="planned",
        parent="reporting",
        weight=1.2,
        trend=2.2,
        sources="ticket chat survey internal",
        tags="performance reporting",
        says="""
            the {report} takes over a minute to load
            dashboards time out when we pick a full year
            reporting is painfully slow for anything beyond a month
            the analytics page just spins
            the {report} took {secs} seconds this morning
            I get a timeout error on the {report} every single time
            reports got much slower after the last update
            opening the {report} freezes my browser
        """,
        notes="""
            reports are slow, the {report} takes over a minute
            dashboards time out on a full year of data
            reports got much slower since the last release
            {report} times out for them
        """,
        details="""
            they have about {big} transactions
            in {browser}
            it used to take a few seconds
            even with one entity selected
            it's worst on Monday mornings
        """,
        asks="""
            please make reports load in seconds
            let us schedule the report and email it instead
        """,
        subjects="""
            Reports timing out
            {report} very slow
            Dashboard won't load
        """,
    ),
    topic(
        "report_filters",
        "Can't filter or group reports by cost centre or project",
        "Reporting",
        description="Reports can't be filtered or grouped by cost centre, project or custom "
        "fields, so finance exports everything to Excel.",
        parent="reporting",
        weight=1.0,
        sources="call interview ticket survey",
        tags="reporting",
        says="""
            we can't filter the {report} by {field}
            there's no project dimension in the reports
            I want to group spend by a custom field and can't
            the {report} can't be split by {field}
            there's no way to see {team} spend on its own
            filters reset every time I open the report
        """,
        notes="""
            can't filter reports by {field}
            no project dimension in reporting
            they want to group spend by custom fields
            filters reset every time they open a report
        """,
        details="""
            so they export everything to Excel
            their CFO asks for it every week
            they track {num} projects
            it takes {hours} hours a month
        """,
        asks="""
            let us filter and group by any field
            please save the filters with the report
        """,
        subjects="""
            Filter by {field}?
            Report by project
        """,
    ),
    topic(
        "export",
        "Exports to Excel lose columns and formatting",
        "Data export",
        description="CSV and Excel exports drop custom fields, flip dates, lose currencies and "
        "cut off large result sets.",
        parent="reporting",
        weight=0.9,
        sources="ticket chat email",
        tags="export bug",
        says="""
            the Excel export drops our custom fields
            CSV exports come out with the dates flipped
            exported amounts lose their currency
            the export cuts off after {big} rows
            the CSV uses commas in amounts so Excel splits the columns
            the export file is missing the approver column
            accents in vendor names come out garbled in the CSV
        """,
        notes="""
            exports drop custom fields
            CSV dates come out flipped (US vs EU format)
            export cuts off large result sets
            amounts lose their currency on export
            accented vendor names get garbled in CSV
        """,
        details="""
            they rebuild it by hand
            their accountant noticed the dates
            needed for the auditors
            in {browser}
        """,
        asks="""
            please export exactly what's on the screen
            give us an option for the date format
        """,
        subjects="""
            Export missing columns
            CSV dates wrong
            Export truncated
        """,
    ),
    topic(
        "currency",
        "Multi-currency handling is wrong",
        "Billing",
        description="FX uses the wrong date's rate, entities can't hold different base "
        "currencies, and summaries mix currencies.",
        weight=0.9,
        enterprise=True,
        sources="call email ticket",
        tags="multi-currency",
        says="""
            the FX conversion uses today's rate instead of the invoice date
            we can't run a {cur} and a USD entity in one workspace
            totals add up different currencies as if they were the same
            bills in {cur} show the wrong USD amount
            our entity in {country} can't have its own base currency
            the rounding on {cur} bills is off by a few cents every time
        """,
        notes="""
            FX conversion uses the wrong date's rate
            can't have entities with different base currencies
            summary totals mix currencies
            their entity in {country} is stuck because of currency handling
        """,
        details="""
            they operate in {n} countries
            the difference was {amount} last quarter
            their auditors noticed
            they're opening an office in {country}
        """,
        asks="""
            use the rate from the invoice date
            let each entity have its own base currency
        """,
        subjects="""
            FX rate on {cur} bills
            Multi-currency for our entity in {country}
        """,
    ),
    topic(
        "invoice_ocr",
        "Invoice scanning misreads amounts and dates",
        "Invoicing",
        description="Scanned invoices come through with the wrong total, due date or tax, "
        "especially for European formats.",
        status="planned",
        weight=1.2,
        sources="ticket chat survey review",
        tags="ocr bug",
        says="""
            the OCR reads the VAT number as the total
            scanned invoices get the wrong due date
            invoice capture misses the tax amount
            the scanner confuses commas and dots in amounts
            it read {amount} as a completely different number
            every {vendor} invoice gets scanned with the wrong vendor
            we correct about one in five scanned invoices
            the due date comes out as the invoice date
        """,
        notes="""
            OCR misreads totals and due dates
            scanner confuses commas and dots in European amounts
            invoice capture misses the tax line
            they correct about one in five scanned invoices
        """,
        details="""
            especially on invoices from {country}
            on PDFs from {vendor}
            it used to be better
            their AP clerk checks every one now
        """,
        asks="""
            show us where on the page the number came from
            let us correct it once and learn from it
        """,
        subjects="""
            Wrong amount from scanned invoice
            OCR reading VAT number as total
            Due date wrong on scans
        """,
    ),
    topic(
        "card_declines",
        "Card declines come with no explanation",
        "Cards",
        description="Corporate and virtual cards are declined at checkout, abroad and for "
        "travel, and neither the cardholder nor the admin can see why.",
        weight=1.0,
        trend=4.5,
        sources="chat ticket call survey",
        tags="cards bug",
        says="""
            our cards get declined at checkout with no reason
            card declines don't say why, not even to the admin
            my card was declined at {hotel}
            virtual cards for subscriptions keep failing
            half the team's cards were declined during {event}
            the decline notification just says "declined", nothing else
            my card got declined at {vendor} even though I'm under my limit
            cards fail abroad even with travel mode on
        """,
        notes="""
            cards declined with no reason shown
            cardholders and admins can't see why a card was declined
            team cards declined at {event}
            virtual cards for subscriptions keep failing
            declines abroad even under the limit
        """,
        details="""
            they were under their limit
            it happened at {hotel}
            support said it was the merchant category
            {n} declines this week
            it started about two weeks ago
        """,
        asks="""
            tell us why a card was declined
            let admins approve a retry from the app
        """,
        subjects="""
            Card declined – why?
            Cards declined abroad
            Declines at {event}
        """,
    ),
    topic(
        "onboarding",
        "Setting up a new entity takes weeks",
        "Onboarding",
        description="Onboarding a company or a new entity takes weeks of back-and-forth: the "
        "chart of accounts, vendors and approval rules can't be imported.",
        weight=0.9,
        sources="call interview survey email",
        tags="onboarding",
        says="""
            setting up a new entity took us {weeks} weeks
            onboarding needs too many calls with support
            the setup wizard doesn't let us import our chart of accounts
            we had to add {num} vendors one by one
            implementation dragged on way longer than we were promised
            I still don't know which settings I'm supposed to fill in first
        """,
        notes="""
            new entity setup took weeks
            can't import the chart of accounts in the setup wizard
            added vendors one by one during onboarding
            implementation took much longer than promised
        """,
        details="""
            they're adding {n} subsidiaries this year
            the kickoff call was rescheduled twice
            their go-live slipped to {month}
            they expected it to take days
        """,
        asks="""
            give us a CSV import for vendors and accounts
            a checklist of setup steps would help
        """,
        subjects="""
            Onboarding our entity in {country}
            Importing our chart of accounts
        """,
    ),
    topic(
        "notifications",
        "Too many notification emails",
        "Notifications",
        description="Every approval and comment sends an email; people filter them away and miss "
        "the important ones. Digests shipped in the summer.",
        status="solved",
        weight=1.0,
        trend=-1.0,
        sources="survey chat review",
        tags="notifications",
        says="""
            we get an email for every single approval
            notifications are way too noisy
            there's no daily digest, just a flood of emails
            I got {num} emails from Ledgerline yesterday
            people set up filters to hide your emails and then miss the important ones
            I can't turn off the comment notifications
        """,
        notes="""
            too many notification emails
            they want a daily digest instead of one email per approval
            people filter the emails away and miss the important ones
        """,
        details="""
            their managers complained
            it's {num} a day for AP
            they tried the settings page, nothing helps
        """,
        asks="""
            please give us a daily digest
            let each person choose which emails they get
        """,
        subjects="""
            Too many emails
            Notification settings
        """,
    ),
    topic(
        "search",
        "Search can't find invoices by vendor or amount",
        "Search",
        description="Search only matches invoice numbers; vendor names, amounts and notes are "
        "not searchable.",
        weight=0.8,
        sources="chat ticket survey",
        tags="search",
        says="""
            searching by vendor name returns nothing
            I can't search invoices by amount
            search only matches the invoice number
            I typed "{vendor}" and got zero results
            the search doesn't look at notes or memos
            finding an old bill means scrolling page after page
        """,
        notes="""
            search can't find invoices by vendor name or amount
            search only matches invoice numbers
            they scroll through pages to find old bills
        """,
        details="""
            it's faster to ask finance
            they have {big} bills in there
            partial names don't match either
        """,
        asks="""
            let me search by vendor, amount and memo
            fuzzy search please
        """,
        subjects="""
            Search not finding vendor
            How do I search by amount?
        """,
    ),
    topic(
        "api_limits",
        "API rate limits break nightly integrations",
        "API",
        description="Customers' own integrations hit rate limits during nightly syncs and "
        "backfills; the limits aren't documented.",
        weight=0.8,
        sources="ticket internal email",
        tags="api",
        says="""
            we hit the API rate limit during the nightly sync
            the API returns 429s when we backfill
            rate limits make our ERP integration fail halfway
            the docs don't say what the API limit actually is
            our script gets throttled after {num} requests
            the bulk endpoint we need doesn't exist, so we hit the limit
        """,
        notes="""
            their integration hits our API rate limits at night
            429s during backfills
            rate limits aren't documented
            they need a bulk endpoint to stay under the limits
        """,
        details="""
            they push about {big} records a night
            it started in {month}
            their integrator is blocked
            retries make it worse
        """,
        asks="""
            raise our limit or give us a bulk API
            document the limits and return a Retry-After header
        """,
        subjects="""
            429 errors from API
            API rate limits
            Bulk API?
        """,
    ),
    topic(
        "webhooks",
        "Webhooks are missing for approval and payment events",
        "API",
        description="There are no webhooks for approvals or payment status, so integrations poll "
        "the API.",
        weight=0.7,
        sources="internal email ticket call",
        tags="api",
        says="""
            there's no webhook when an invoice is approved
            we need a webhook for payment status changes
            we poll the API every few minutes because there are no webhooks for approvals
            webhooks don't cover card transactions
            I want our ERP to hear about a payment the moment it clears
        """,
        notes="""
            no webhooks for approvals or payment status
            they poll the API because webhooks are missing
            want webhooks for card transactions
        """,
        details="""
            polling eats their rate limit
            their dev team asked again
            they'd build on it right away
        """,
        asks="""
            add webhooks for approved, paid and declined
            let us subscribe to every event type
        """,
        subjects="""
            Webhooks for approvals
            Payment status webhook?
        """,
    ),
    topic(
        "salesforce",
        "Salesforce connector can't map accounts to vendors",
        "Integrations",
        description="Customers want Salesforce accounts and custom objects to map to vendors and "
        "projects. Decided against: out of scope for AP.",
        status="wont_fix",
        weight=0.5,
        sources="call email",
        tags="integration salesforce",
        says="""
            the Salesforce connector ignores our custom objects
            opportunity data doesn't flow into Ledgerline
            we can't map Salesforce accounts to vendors
            the Salesforce integration only syncs contacts, which we don't need
        """,
        notes="""
            Salesforce connector ignores their custom objects
            want Salesforce accounts mapped to vendors
            want project codes from Salesforce opportunities
        """,
        details="""
            their RevOps team wants one source of truth
            they have {num} custom objects
        """,
        asks="""
            let us map any Salesforce object
        """,
        subjects="""
            Salesforce mapping
        """,
    ),
    topic(
        "pricing",
        "Per-seat pricing keeps occasional approvers out",
        "Billing",
        description="Paying a full seat for managers who approve a few bills a month makes "
        "customers ration licences; procurement pushes back at renewal.",
        weight=0.9,
        enterprise=True,
        sources="call email survey",
        tags="pricing",
        says="""
            paying per seat for occasional approvers is too expensive
            the price jumps every time we add approvers
            we ration licences, so managers share logins
            {competitor} doesn't charge for approvers
            we'd roll out to {team} but not at this price per seat
            the Business plan is a big jump for {n} extra users
        """,
        notes="""
            per-seat pricing too expensive for occasional approvers
            they ration licences, managers share logins
            {competitor} doesn't charge for approvers, they mentioned it twice
            would expand to {team} if approvers were cheaper
        """,
        details="""
            procurement flagged it
            renewal is in {months} months
            they have {people} employees but only {num} seats
            budget is flat this year
        """,
        asks="""
            make approver seats free or cheap
            we need a pricing model per bill, not per user
        """,
        subjects="""
            Pricing for approvers
            Renewal quote – seats
        """,
    ),
    topic(
        "slow_app",
        "Login and page loads are slow",
        "Performance",
        description="Login and switching entities took many seconds. Fixed by the caching "
        "work in the autumn.",
        status="solved",
        weight=0.7,
        trend=-0.6,
        sources="chat survey ticket",
        tags="performance",
        says="""
            logging in takes {secs} seconds some mornings
            every page feels sluggish since the update
            the app freezes when I switch entities
            the bill list takes ages to appear
        """,
        notes="""
            login and page loads are slow
            switching entities freezes the app
            bill list slow to load
        """,
        details="""
            in {browser}
            on the office wifi and at home
            mostly before 10am
        """,
        asks="""
            please make it snappier
        """,
        subjects="""
            App very slow today
            Slow login
        """,
    ),
)
