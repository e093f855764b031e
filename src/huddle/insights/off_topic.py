"""Evidence that is not about the product: account business, paperwork and people's
comings and goings.

Sales call notes and inboxes carry more than product feedback: "send us your SOC 2 report",
"can the renewal move to July", "our new CFO starts next month", "out of office until
Monday", "who is our account manager now?". They belong in the inbox (someone should answer
them) but not in a suggested problem: accepted, "Renewal in about 2 months" would become a
problem to rank.

Rules, in order:

1. A product cue — a complaint ("broken", "slow", "fails", "can't", "no way to", "wrong",
   "loses"), a wish for the product ("would love", "please add", "it would be great") —
   makes a text about the product: "renewal reminders go to someone who left and we can't
   change it" is a problem, whatever it mentions.
2. Otherwise an off-topic cue makes it off-topic: a request for paperwork (security
   reports, certificates, agreements, forms), the contract and its commercial terms
   (renewal dates, quotes, receipts, discounts for a kind of customer, billing details), people and
   company events (someone new, someone leaving, an acquisition, a budget freeze, an office
   move), meetings and events (calls, reviews, webinars, conferences, references), absence
   (out of office, automatic replies), and questions about the account itself (who is our
   contact, where is our data stored).
3. A text with neither is about the product.

How-to questions ("how do I change my PIN?", "where do I find the API docs?") are not
off-topic here: for a consumer product they are how its own features are used (Banking77
is made of them), so they are left to a person, who dismisses them from the inbox.

Measured on `tests/insights/fixtures/off_topic_cases.tsv` by `bench/labels.py`: "tune" cases
were read while writing the patterns, "report" cases were not.

A theme is left out of suggestions when at least `OFF_TOPIC_SHARE` of its members are
off-topic; its items stay in the inbox, where a PM dismisses or answers them.
"""

# People type curly apostrophes; the patterns must match them.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from huddle.insights.boilerplate import strip_boilerplate
from huddle.insights.praise import praise_by_rules

OFF_TOPIC_SHARE = 0.5

_APOSTROPHE = r"(?:'|’)?"
_PRODUCT = re.compile(
    r"\b(?:error|errors|broken|break|breaks|bug|bugs|crash\w*|fail\w*|slow\w*|"
    r"hang|hangs|stuck|time(?:s|d)?\s+out|timeout|wrong|lost|lose|loses|losing|drop|drops|"
    r"dropped|missing|lacks?|garbled|truncat\w*|cut\s+off|cuts\s+off|duplicate\w*|twice|"
    r"frozen|froze|freez(?:e|es|ing)\b(?!\s+(?:all|new|hiring|spend|purchases))|"
    r"ignor\w*|unusable|painful\w*|forever|too\s+(?:many|much|high|expensive|slow|noisy|long)|"
    r"expensive|no\s+way|not\s+possible|isn" + _APOSTROPHE + r"t\s+possible|impossible|"
    r"hard\s+to|by\s+hand|one\s+by\s+one|workaround|"
    r"can" + _APOSTROPHE + r"t|cannot|won" + _APOSTROPHE + r"t|doesn" + _APOSTROPHE + r"t|"
    r"don" + _APOSTROPHE + r"t\s+(?:work|load|show|let|get|see|have)|never\s+(?:get|arrive\w*|"
    r"load\w*|work\w*|show\w*|sync\w*)|nothing\s+(?:happens|shows)|"
    r"would\s+love|(?:we|i)" + _APOSTROPHE + r"d\s+love|it\s+would\s+be\s+(?:great|nice|good)|"
    r"(?:please|could\s+you)\s+(?:add|support|make|let|allow)\b(?!\s+\w+\s+(?:as\s+an?|an?)\s+"
    r"(?:admin|owner|user)\b)|"
    r"wish|feature\s+request|support\s+for|instead\s+of\s+(?:opening|having|going)|"
    r"keeps?\s+(?:asking|crashing|failing|logging)|still\s+(?:broken|slow|waiting\s+for\s+a\s+fix))\b",
    re.IGNORECASE,
)
_OFF_TOPIC = re.compile(
    # Paperwork: security and compliance reports, certificates, agreements, forms.
    r"\b(?:soc\s*[12](?:\s+type\s+(?:i|ii|1|2))?|iso\s*27001|pen(?:etration)?\s*test\w*|"
    r"vulnerability\s+scan\w*|security\s+questionnaire|questionnaire|dpa|data\s+processing\s+"
    r"(?:addendum|agreement)|business\s+associate\s+agreement|baa|w-?9|w-?8|"
    r"certificate\s+of\s+insurance|master\s+services?\s+agreement|msa|terms\s+(?:of\s+service\s+)?"
    r"we\s+(?:agreed|signed)|order\s+form|supplier\s+onboarding|vendor\s+(?:file|form|onboarding)|"
    r"signed\s+(?:copy|agreement|contract)|nda|"
    # The contract and its commercial terms.
    r"renewal|renew\s+(?:our|the)\s+(?:contract|subscription|licen[cs]es?|plan)|contract|"
    r"multi-?year|(?:two|three|2|3)-year\s+(?:term|deal|contract)|quote|procurement|"
    r"purchasing\s+department|accounts\s+payable\s+needs|(?:a|the)\s+receipt\s+for|"
    r"billing\s+contact|our\s+billing\s+(?:"
    r"address|admin|cycle)|invoices?\s+(?:issued|sent|history)|"
    r"(?:our|my)\s+(?:\w+\s+)?invoices?\s+in\s+[a-z]{3}\b|uptime\s+sla|sla\s+on|"
    r"(?:copy|copies)\s+of\s+(?:our|last|the)|special\s+pricing|partner\s+program|"
    r"discount\s+for\s+(?:non-?profits?|charities|schools|education|startups|academic\w*)|"
    r"referral\s+program|reseller|upgrad\w+\s+our\s+plan|plan\s+options|extra\s+(?:\w+\s+)?seats|"
    r"(?:plan|tier)\s+pricing|pricing\s+(?:of|for)\s+(?:the\s+)?\w+\s+(?:plan|tier)|"
    r"(?:asked|asking|question\w*)\s+about\s+(?:our\s+|the\s+)?(?:pricing|prices?|discounts?)|"
    # People and company events.
    r"new\s+(?:cfo|ceo|cto|cio|ciso|coo|vp|head\s+of|director|admin|manager)|joined\s+(?:last|"
    r"this|the)|starting\s+next|starts\s+next|left\s+the\s+company|is\s+leaving|leaving\s+at|"
    r"taken\s+over\s+as|replaced\s+\w+\s+as|champion|point\s+of\s+contact|acquired|acquisition|"
    r"bought\s+by|merged\s+with|reorg\w*|layoffs?|raised\s+(?:a|an|their|its)\s+(?:\w+\s+)?"
    r"(?:round|series\s+[a-f])|growing\s+fast|joined\s+\d+\s+(?:weeks?|months?|years?)\s+ago|"
    r"(?:moved|switched|came)\s+(?:over\s+)?from\s+(?-i:[A-Z])\w*|"
    r"cutting\s+costs|cost[- ]cutting|(?:every|each)\s+(?:tool|vendor)\s+is\s+under\s+review|"
    r"reached\s+out\s+to\s+them|roll(?:ing)?\s+(?:it\s+)?out\s+to\s+(?:(?-i:[A-Z])\w*|"
    r"[^.!?\n]{1,40}?\s+(?:next|this|in)\s+(?:quarter|month|year|q[1-4]))|"
    r"adoption\s+(?:in|among|across)\s+|good\s+relationship|"
    r"auditors?\s+(?:start|starts|arrive|arrives|come\s+in|are\s+(?:on\s+site|coming))|"
    # The account's size and its use of the product: "400 employees, 3 entities, on
    # NetSuite", "spend through the cards is up 18% this quarter".
    r"\d[\d,.]*\+?\s+(?:employees|staff|people\s+in\s+finance|(?:legal\s+)?entities|"
    r"subsidiaries|locations|offices|countries)|"
    r"(?:up|down)\s+(?:by\s+)?\d+(?:[.,]\d+)?\s*%\s+(?:this|last|since|over|on|from|year|"
    r"quarter|month|yoy|qoq|mom)|budget\s+(?:freeze|for\s+next\s+year|is\s+"
    r"approved|gets\s+decided)|new\s+budget|freez\w+\s+all|(?:spend|purchases|purchasing|budget|"
    r"deal|project|rollout)\s+(?:is|are)\s+(?:\w+\s+)?on\s+hold|headcount|consolidat\w+\s+"
    r"vendors|review\w*\s+all\s+vendors|every\s+contract|board\s+asked|"
    # Meetings, events, references.
    r"schedule\s+(?:a|the|our)|set\s+up\s+a\s+(?:call|meeting|check-in)|check-in\s+call|qbr|"
    r"business\s+review|intro\s+call|webinar|training\s+sessions?|conference|booth|trade\s+show|"
    r"slides\s+from|recording\s+of|case\s+study|testimonial|reference\s+(?:call|customer)|"
    r"customer\s+in\s+\w+\s+we\s+could|speak\s+with\s+before|thanks\s+for\s+the\s+(?:call|"
    r"meeting|demo)|great\s+(?:call|meeting)|circle\s+back|"
    # Absence.
    # (someone's own absence: "approvals stall when the approver is out of office" is not)
    r"(?:i" + _APOSTROPHE + r"m|i\s+am|i\s+will\s+be|i" + _APOSTROPHE + r"ll\s+be|we\s+are|"
    r"we" + _APOSTROPHE + r"re)\s+(?:currently\s+)?(?:out\s+of\s+(?:the\s+)?office|away\s+"
    r"(?:until|from|with)|on\s+(?:parental|annual|maternity|paternity|sick)\s+leave)|"
    r"auto-?reply|automatic\s+reply|limited\s+access\s+to\s+email|no\s+access\s+to\s+email|"
    # Moving.
    r"relocat\w+|mov(?:e|es|ing)\s+(?:to\s+)?(?:the\s+|a\s+)?new\s+(?:office|headquarters)|"
    r"moving\s+offices|new\s+headquarters|"
    # Questions about the account itself.
    r"who\s+(?:is|are)\s+our|who\s+should\s+i\s+talk|who\s+can\s+walk|who\s+replaced|who\s+signs|"
    r"what\s+uptime|response\s+time\s+on|in\s+which\s+region|where\s+(?:our|is\s+our)\s+data|"
    r"data\s+is\s+(?:hosted|stored)|(?:download|find|get)\s+our\s+(?:invoices?|receipts?|"
    r"contract|agreement)|is\s+there\s+a\s+status\s+page|as\s+an?\s+(?:admin|owner)\s+"
    r"(?:on|of|to)\s+our\s+(?:account|workspace|subscription)|"
    r"update\s+(?:your|the)\s+records|"
    r"(?:make|give)\s+\w+\s+(?:an?\s+)?(?:owner|admin|access\s+as))\b",
    re.IGNORECASE,
)


_ABSENT = re.compile(r"^\W*out\s+of\s+(?:the\s+)?office\b", re.IGNORECASE)


def off_topic_by_rules(text: str) -> bool:
    """Whether a text is about the account's business rather than the product."""
    return _about_the_account(strip_boilerplate(text))


# The parts of a note: its lines, their bullets and sentences.
_PART_BREAK = re.compile(r"\n+|(?<=[.!?])\s+(?=[A-Z\d\"“-])|\s+[-–—]\s+|^\s*[-*•]\s*", re.MULTILINE)


def product_part(text: str) -> str:
    """What a text says about the product: boilerplate removed and, in a text of several
    parts, the parts about the account's business ("400 employees, on NetSuite",
    "procurement wants a 3-year deal") and the praise ("Pros: receipt matching works well.")
    left out — embedded, they would make two call notes or reviews about different problems
    look alike because both open with the same facts or the same compliment. A text that is
    all about the account, or all praise, is kept whole."""
    body = strip_boilerplate(text)
    parts = [part.strip() for part in _PART_BREAK.split(body) if part and part.strip()]
    if len(parts) < 2:
        return body
    kept = [
        part for part in parts if not _about_the_account(part) and praise_by_rules(part) is not True
    ]
    if not kept or len(kept) == len(parts):
        return body
    return "\n".join(kept)


def _about_the_account(part: str) -> bool:
    if _PRODUCT.search(part):
        return False
    return bool(_OFF_TOPIC.search(part) or _ABSENT.search(part))


def is_off_topic(texts: Sequence[str]) -> npt.NDArray[np.bool_]:
    return np.asarray([off_topic_by_rules(text) for text in texts], dtype=bool)
