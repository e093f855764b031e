"""The one small Protocol every source of evidence implements.

A connector reads one file (or stream) of some tool's export and turns it into normalised
records; it never touches the database. `huddle.imports.service.import_records` checks the
records against what is stored and writes them all or nothing. Connectors are registered by
the entry-point group `huddle.connectors`, so a new source is one file, one entry point and
its test.
"""

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from huddle.imports.records import AccountRecord, ContactRecord, FeedbackRecord, RowError


@dataclass
class ConnectorOptions:
    """What a person may say about a file on the command line or the import page."""

    encoding: str = "utf-8"
    default_source: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    # The company's own email domains: their people are the vendor's side of a conversation.
    internal_domains: tuple[str, ...] = ()


@dataclass
class ConnectorOutput:
    accounts: list[AccountRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    feedback: list[FeedbackRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0


class Connector(Protocol):
    name: str
    """The SOURCE of `huddle import SOURCE FILE`, and the origin of the evidence it makes."""
    description: str
    suffixes: tuple[str, ...]

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput: ...


def iter_connectors() -> Iterator[Connector]:
    from importlib.metadata import entry_points

    for entry in sorted(entry_points(group="huddle.connectors"), key=lambda e: e.name):
        try:
            connector = entry.load()
        except (ImportError, AttributeError) as error:
            # One broken plugin must not take the whole CLI down with it.
            warnings.warn(f"connector {entry.name} could not be loaded: {error}", stacklevel=2)
            continue
        yield connector() if isinstance(connector, type) else connector


def get_connector(name: str) -> Connector:
    from huddle.errors import Invalid

    found = {c.name: c for c in iter_connectors()}
    if name not in found:
        raise Invalid(f"unknown source {name!r}; use one of {', '.join(sorted(found))}")
    return found[name]
