"""A call typed up or pasted by a person: a legend of initials over turns said by them.

Notes a PM tidies by hand name each speaker by initials and say once, above the turns, who
they are: "Who: PR = Priya Raman (OurCo), GO = Grace Okoye (Initech Health, IT security)"
(on one line, or one person a line under "Who:"). The turns are "GO — text", "GO - text" or
"GO: text"; a turn's initials stand for the legend's person, and the company the legend
writes beside them says whose side they are on (the vendor's own name, "OurCo security", is
the vendor). Lines in brackets between turns ("(Arjun shared his screen here)", "[audio
dropped]") are the editor's notes, nobody's words.
"""

import re
from dataclasses import dataclass, field

from huddle.connectors.transcript_labels import letters
from huddle.connectors.transcript_rules import vendor_names

# "PR = Priya Raman (OurCo)", "GO = Grace Okoye (Initech Health, IT security)", "Dana = Dana
# Lee": a key (initials, a first name), an equals sign, a name, perhaps who they are with.
_ENTRY = re.compile(
    r"^(?P<key>[A-Z][\w.]{0,11})\s*=\s*(?P<name>[^()=,;]{2,60}?)\s*(?:\((?P<about>[^()]{1,80})\))?$"
)
# The heading a legend is written under: "Who:", "Speakers:", "Key:", "Legend:".
_HEADING = re.compile(
    r"^(?:who|speakers|participants|attendees|present|key|legend)\s*:\s*", re.IGNORECASE
)
# What separates a legend's entries on one line: commas and semicolons outside brackets.
_BETWEEN = re.compile(r"[,;](?![^(]*\))")
# A line wholly in brackets: an editor's note ("(not transcribed)", "[audio dropped]").
EDITOR_NOTE = re.compile(r"^(?:\[[^\[\]]*\]|\([^()]*\))$")
# What stands beside a name that is a job or a side, not a company ("IT security" is a
# job after a company, "(VP Operations)" a job alone).
_NOT_A_COMPANY = re.compile(
    r"\b(vp|svp|head|director|manager|engineer|lead|chief|officer|founder|ceo|cto|cfo|coo|"
    r"cio|ciso|analyst|consultant|specialist|coordinator|admin|pm|csm|ae|se|host|guest|"
    r"customer|vendor|external|internal)\b",
    re.IGNORECASE,
)
# How far down a file a legend stands: above the turns, among a title and a date.
_HEADER_LINES = 12


@dataclass
class Legend:
    """Who each key of a legend is (a speaker label the rules of sides read), and the
    lines the legend takes up."""

    speakers: dict[str, str] = field(default_factory=dict)
    lines: set[int] = field(default_factory=set)

    def turn(self, text: str) -> tuple[str, str] | None:
        """The speaker label and words of a turn led by one of the legend's keys ("GO —
        text", "GO - text", "GO: text"); None for any other line."""
        if not self.speakers:
            return None
        keys = "|".join(re.escape(k) for k in sorted(self.speakers, key=len, reverse=True))
        found = re.match(rf"^(?P<key>{keys})\s*(?:[-\u2013\u2014]|:)\s*(?P<said>\S.*)$", text)
        if found is None:
            return None
        return self.speakers[found["key"]], found["said"]


def read_legend(lines: list[tuple[int, str]], internal_domains: tuple[str, ...]) -> Legend:
    """The legend among the first lines of a file: entries "KEY = Name (Company, job)" on a
    line (perhaps after "Who:") or one a line; an empty legend when there is none."""
    legend = Legend()
    vendors = vendor_names(internal_domains)
    said = [(number, text) for number, text in lines if text][:_HEADER_LINES]
    for number, text in said:
        body = _HEADING.sub("", text)
        if not body:
            if _HEADING.match(text):
                legend.lines.add(number)  # "Who:" over one person a line
            continue
        parts = [part.strip() for part in _BETWEEN.split(body)]
        entries = [_ENTRY.match(part) for part in parts]
        if not parts or not all(entries):
            continue
        legend.lines.add(number)
        for entry in entries:
            assert entry is not None
            legend.speakers[entry["key"]] = _label(entry["name"], entry["about"], vendors)
    return legend


def _label(name: str, about: str | None, vendors: list[str]) -> str:
    """A legend's person as a speaker label: "Grace Okoye | Initech Health" for "Grace Okoye
    (Initech Health, IT security)", "Arjun Kapoor | OurCo" for "(OurCo security)" (the vendor
    named before the team); the name alone beside a job ("(VP Operations)") or nothing."""
    company = (about or "").split(",")[0].strip()
    first = company.split()[0] if company else ""
    if first and letters(first) in vendors:
        return f"{name} | {first}"
    if not company or _NOT_A_COMPANY.search(company):
        return name
    return f"{name} | {company}"
