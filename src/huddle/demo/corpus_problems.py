"""Topics with a problem: accounting sync, controls and approvals."""

# The demo's text is typeset the way people type: with en and em dashes.
# ruff: noqa: RUF001

from huddle.demo.corpus import Topic, topic

SYNC_AND_CONTROLS: tuple[Topic, ...] = (
    topic(
        "sync",
        "Accounting sync is unreliable",
        "Integrations",
        description="Whatever the ERP, finance teams do not trust what the sync writes to their "
        "ledger and re-check it by hand at every close. The symptoms roll up here.",
        status="validated",
        weight=0.7,
        enterprise=True,
        sources="call email interview",
        tags="integration",
        says="""
            we can't trust what lands in {erp} after a sync
            every month end the {erp} sync is the thing that breaks
            the accounting sync is honestly the weakest part of the product
            half of our close is spent checking what the sync did
            the sync to {erp} fails silently and nobody knows until the books don't balance
            our controller has stopped trusting the {erp} integration
            the sync works most days, but when it doesn't it's a mess to untangle
            we re-check every synced bill against {erp} by hand
        """,
        notes="""
            they don't trust the {erp} sync anymore
            the accounting sync keeps breaking at month end
            the controller re-checks everything the sync writes to {erp}
            sync failures are silent, they find out when the books don't balance
            they say the {erp} integration is the weakest part of the product
        """,
        details="""
            close took {days} days longer than planned
            they found {n} mismatches in the last close
            the sync log just says "completed"
            {pct}% of their AP team's week goes into it
            nothing shows up in the error list
        """,
        asks="""
            can we at least get a report of what didn't sync
            we need an alert when a sync partly fails
            a reconciliation view would save us days
        """,
        subjects="""
            Sync to {erp} not reliable
            Another month end, another sync problem
            Accounting sync – can we talk?
        """,
    ),
    topic(
        "netsuite_lines",
        "NetSuite sync drops line items",
        "Integrations",
        description="Bills with many lines arrive in NetSuite with some lines missing, so totals "
        "disagree and AP re-keys the lines by hand.",
        status="planned",
        parent="sync",
        weight=1.4,
        trend=1.0,
        enterprise=True,
        sources="ticket call email",
        tags="integration netsuite bug",
        says="""
            NetSuite sync drops line items on multi-line invoices
            invoices arrive in NetSuite with half the lines missing
            line items go missing when we push bills to NetSuite
            anything over {lines} lines gets cut off in NetSuite
            the NetSuite bill has {n} lines and ours has {num}
            the sync skips the tax lines when it sends bills to NetSuite
            NetSuite only gets the first page of line items
            split lines across departments vanish in NetSuite
            every big {vendor} invoice loses lines on the way into NetSuite
            the totals in NetSuite never match ours on long invoices
        """,
        notes="""
            NetSuite sync is dropping line items on their bigger invoices
            bills land in NetSuite with lines missing, totals don't match
            they lose line items on anything over ~{lines} lines in NetSuite
            tax lines are missing from the bills synced to NetSuite
            split-coded lines disappear in NetSuite
            the {vendor} invoices sync to NetSuite with only some of the lines
        """,
        details="""
            happened again on the {nth}
            mostly on invoices from {vendor}
            invoice {inv} is a good example
            the header total is right, the lines are not
            their AP clerk re-keys them by hand
            about {n} bills a week are affected
            it started after the {month} release
            no error in the sync log
        """,
        asks="""
            please make the sync send every line or fail loudly
            can the sync retry just the missing lines
            we need a warning before a partial bill is posted
        """,
        subjects="""
            NetSuite bills missing line items
            Line items lost in NetSuite sync (again)
            {inv} – lines missing in NetSuite
            Partial bills in NetSuite
        """,
    ),
    topic(
        "dup_invoices",
        "Duplicate bills after a sync retry",
        "Integrations",
        description="When a sync times out and retries, the same bill is created twice in the "
        "ERP, and some customers have paid vendors twice.",
        status="validated",
        parent="sync",
        weight=1.0,
        enterprise=True,
        sources="ticket email call",
        tags="integration bug",
        says="""
            we get duplicate bills in {erp} after the sync retries
            the same invoice shows up twice in {erp}
            a failed sync re-sends the bill and we end up paying twice
            we paid {vendor} twice last month because of a duplicate
            every time the sync times out we get doubles
            duplicates from the sync are messing up our AP aging
            there were {n} duplicate bills in {erp} after last night's sync
            the retry creates a second bill instead of updating the first one
        """,
        notes="""
            sync retries are creating duplicate bills in {erp}
            they paid a vendor twice because of a duplicate from the sync
            duplicates show up in {erp} whenever the sync times out
            the retry creates a second bill instead of updating the first
            {n} duplicate bills after one sync run
        """,
        details="""
            it was {amount} to {vendor}
            finance only caught it at the audit
            the vendor had to refund it
            the two bills have the same invoice number
            it happens every few weeks
            took {hours} hours to clean up
        """,
        asks="""
            the sync should check the invoice number before creating a bill
            can you flag possible duplicates before they post
            we need a way to roll back one sync run
        """,
        subjects="""
            Duplicate bills in {erp}
            Paid a vendor twice – duplicate from sync
            Duplicates after sync retry
        """,
    ),
    topic(
        "qbo_mapping",
        "QuickBooks class and location mapping is lost",
        "Integrations",
        description="Class and location set in Ledgerline are blank in QuickBooks after the sync, "
        "so departmental P&Ls are wrong.",
        parent="sync",
        weight=0.8,
        sources="ticket chat email",
        tags="integration quickbooks bug",
        says="""
            the class field is blank in QuickBooks after every sync
            QuickBooks loses the location we set on each bill
            our class mapping to QuickBooks resets itself
            bills reach QuickBooks without the class, so our department P&L is off
            I have to re-tag every bill in QuickBooks with the right location
            the QuickBooks sync ignores the class on split lines
        """,
        notes="""
            class and location are blank in QuickBooks after sync
            QuickBooks mapping for classes keeps resetting
            department P&L in QuickBooks is wrong because classes don't come across
            they re-tag bills in QuickBooks by hand every week
        """,
        details="""
            they have {n} classes and {n} locations
            the mapping screen shows it as saved
            it broke when they added a new location in {month}
            the bookkeeper spends a day a month on it
        """,
        asks="""
            please keep the class and location when syncing
            let us map classes per entity
        """,
        subjects="""
            QuickBooks class missing
            Location not syncing to QBO
            Class mapping reset again
        """,
    ),
    topic(
        "sso",
        "No single sign-on with Okta or Azure AD",
        "Permissions & SSO",
        description="Without SAML SSO and SCIM provisioning, IT teams block the rollout or the "
        "purchase; larger prospects stop at the security review.",
        status="validated",
        weight=1.2,
        trend=0.5,
        enterprise=True,
        sources="call email interview",
        tags="security",
        says="""
            we need SSO with {idp} before we can roll this out
            IT won't approve it without SAML single sign-on
            no {idp} login is a blocker in our security review
            our security team requires SSO for every finance tool
            we can't offboard people properly without SCIM
            people leave and still have a Ledgerline login for weeks
            managing {people} passwords by hand isn't going to fly with IT
            SSO is only on the Enterprise plan and that's a dealbreaker for us
        """,
        notes="""
            SSO with {idp} is a must-have for their IT team
            blocked in security review without SAML SSO
            they need SCIM to offboard leavers
            SSO being Enterprise-only is a dealbreaker on price
            IT won't sign off without single sign-on
        """,
        details="""
            it's on the security questionnaire
            they have {people} users to onboard
            their CISO raised it
            deal is on hold until it's sorted
            {competitor} has it on every plan
        """,
        asks="""
            SAML SSO and SCIM on the Business plan please
            give us a date for {idp} support
        """,
        subjects="""
            SSO with {idp}?
            Security review – SSO
            SCIM provisioning
        """,
    ),
    topic(
        "controls",
        "Spend controls don't satisfy our auditors",
        "Permissions & SSO",
        description="Finance and audit teams find the control environment too weak for SOX and "
        "similar audits: who may do what, who changed what, and who verified it.",
        status="validated",
        weight=0.6,
        enterprise=True,
        sources="call interview email",
        tags="security compliance",
        says="""
            our auditors flagged Ledgerline as a weak spot in our controls
            we can't show the auditors who did what and who checked it
            the controls aren't strong enough for a SOX audit
            our external auditor wasn't comfortable with the approval controls
            we failed a control test because of how Ledgerline handles changes
        """,
        notes="""
            auditors flagged Ledgerline as a weak spot in their controls
            they can't evidence segregation of duties for the audit
            controls are not strong enough for their SOX scope
            they failed a control test partly because of us
        """,
        details="""
            the audit is in {month}
            it's a management letter point now
            their audit firm asked for screenshots of everything
            they're going public in {months} months
        """,
        asks="""
            we need a controls pack we can hand to auditors
            please talk to our auditors with us
        """,
        subjects="""
            Audit findings – controls
            SOX questions about Ledgerline
        """,
    ),
    topic(
        "roles",
        "Permissions are too coarse",
        "Permissions & SSO",
        description="Roles are all-or-nothing: approvers can edit, everyone sees every "
        "department's spend, and there is no read-only role for auditors.",
        parent="controls",
        weight=1.0,
        sources="ticket call interview",
        tags="permissions",
        says="""
            we can't limit approvers to their own cost centre
            there's no read-only role for our auditors
            everyone can see every department's spend
            I need a role that can approve but not edit the bill
            managers in {team} can see salaries on the payroll vendor bills
            giving someone approval rights also gives them admin over vendors
            we have to make people admins just so they can run reports
            the roles are all or nothing
        """,
        notes="""
            roles are too coarse, approvers can also edit bills
            no read-only role for auditors
            everyone sees every department's spend
            they have to make people admins to run reports
            they want approvers limited to their own cost centre
        """,
        details="""
            they have {people} users
            it came up in their access review
            {team} should only see their own budget
            right now {n} people are admins who shouldn't be
        """,
        asks="""
            let us build custom roles
            a read-only auditor role would solve it
            we need permissions per cost centre
        """,
        subjects="""
            Read-only role for auditors?
            Permissions question
            Approver can edit bills – is that intended?
        """,
    ),
    topic(
        "audit_log",
        "No audit trail of who changed what",
        "Permissions & SSO",
        description="There is no history of edits to payments, vendors and approval rules that "
        "an auditor would accept.",
        status="planned",
        parent="controls",
        weight=1.0,
        trend=0.6,
        enterprise=True,
        sources="call email interview ticket",
        tags="security compliance",
        says="""
            we need an audit log of every change to a payment
            there's no history of who edited a vendor's details
            auditors want to see who approved what and when, and we can't export that
            I can't tell who changed the approval rule last week
            the activity feed doesn't show the old and new values
            there's no way to export an audit trail for the auditors
            when a bill amount is edited after approval nobody knows
        """,
        notes="""
            they need an audit log of changes to payments and vendors
            no history of who edited what
            auditors asked for an export of approvals and changes, they can't produce it
            bill amounts can be edited after approval without a trace
            can't see who changed an approval rule
        """,
        details="""
            the auditors are on site in {month}
            it's a SOX requirement for them
            they screenshot everything as evidence today
            a bill was changed by {amount} after approval
        """,
        asks="""
            please keep a full change history with old and new values
            we need to export the audit trail as CSV
        """,
        subjects="""
            Audit trail export
            Who changed this bill?
            Change history for vendors
        """,
    ),
    topic(
        "vendor_bank",
        "Vendor bank detail changes aren't verified",
        "Billing",
        description="Anyone with vendor access can change a vendor's bank account with no second "
        "check, which is how invoice fraud happens.",
        parent="controls",
        weight=0.9,
        trend=1.4,
        enterprise=True,
        sources="call email ticket internal",
        tags="security payments",
        says="""
            anyone can change a vendor's bank account without a second check
            we nearly paid a fraudster after a bank detail change
            bank detail updates should need a second approver
            we got a fake "new bank details" email and the change went straight through
            there's no alert when a vendor's IBAN changes
            a vendor's bank account was changed and nobody noticed for {weeks} weeks
            we lost {amount} to a payment redirect scam
        """,
        notes="""
            no second check on vendor bank detail changes
            they nearly paid a fraudster after a fake bank change request
            lost money to a payment redirect scam, bank details were changed with no review
            they want alerts when a vendor's bank account changes
            bank detail changes go straight through
        """,
        details="""
            it was a phishing email
            their insurer asked about it
            the bank couldn't recall the payment
            it was on the {vendor} account
            their CFO wants it fixed before anything else
        """,
        asks="""
            require two people to approve bank detail changes
            email the vendor's known contact before a change applies
            hold the first payment after a bank change
        """,
        subjects="""
            URGENT – bank details changed
            Fraud attempt via vendor bank change
            Second approval for bank details?
        """,
    ),
    topic(
        "approval_chains",
        "Approval rules can't express multi-step policies",
        "Approvals",
        description="Approval policies with tiers, conditions by department or amount, two "
        "approvers or delegates can't be modelled, so teams route by email.",
        status="validated",
        weight=1.2,
        enterprise=True,
        sources="call interview ticket",
        tags="approvals",
        says="""
            we need conditional approvals above {amount}
            approval chains can't branch by department
            there's no way to require two approvers for large purchases
            the approval rules don't support a delegate while someone is on leave
            our policy has three tiers and Ledgerline only does two
            we route half our approvals by email because the rules can't handle them
            I can't make IT approve anything that's software
            approvals get stuck when the approver is on holiday
            we need a different chain for {team}
        """,
        notes="""
            approval rules can't express their multi-tier policy
            they need conditional approvals by amount and department
            no delegate when approvers are away, bills get stuck
            they route approvals by email because the rules can't handle them
            want two approvers above a threshold
        """,
        details="""
            their policy has {n} tiers
            anything over {amount} needs the CFO
            {num} bills were stuck last month
            they run {n} entities with different rules
            the approver was out for {weeks} weeks
        """,
        asks="""
            let us build rules with conditions on amount, department and category
            add delegates for when someone is out
            we need a rule builder like {competitor} has
        """,
        subjects="""
            Approval rules for our policy
            Bills stuck waiting for approval
            Delegate approvals while on leave?
        """,
    ),
    topic(
        "approvals_mobile",
        "Approving on mobile is painful",
        "Mobile app",
        description="Managers who approve on their phones are logged out, can't open the "
        "attachment, or can't find the approve button.",
        weight=1.1,
        sources="review chat survey ticket",
        tags="mobile approvals",
        says="""
            approving invoices on the phone takes forever
            the mobile app logs me out before I can approve anything
            the approve button is hidden below the fold on my {device}
            I can't see the attachment when approving on mobile
            the app crashes when I open a bill with a PDF
            on {os} the approval list never finishes loading
            I get the push notification but tapping it opens an empty screen
            approving {n} bills on the app means logging in {n} times
        """,
        notes="""
            approving on mobile is painful, app keeps logging them out
            can't see attachments when approving in the mobile app
            app crashes opening bills with PDFs
            approve button hidden on smaller phones
            push notification opens an empty screen
        """,
        details="""
            on {os}
            their managers approve on the road
            it's worse on Android
            they reinstalled the app twice
            version {version} of the app
        """,
        asks="""
            let me approve straight from the notification
            keep me logged in on my phone
            please show the PDF inline
        """,
        subjects="""
            Mobile app logs out
            Can't open attachment on phone
            Approve button missing on {device}
        """,
    ),
)
