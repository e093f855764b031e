"""What every connector's run shares: unreadable input turned into `RowError`s, and the
options every connector reads (`--source`, the settings among the `--map` entries).

The readers (`csv_reading`, `json_reading`) report a file they cannot read as
`RowShapeError(line, reason)`; `run_rows` turns that, a wrong encoding or a damaged zip into
the connector's `RowError`s instead of a traceback.
"""

import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.errors import Invalid
from huddle.imports.records import RowError
from huddle.imports.rows import RowShapeError

# `--map KEY=VALUE` entries that are settings of a connector, not COLUMN=FIELD.
SETTING_KEYS = {"instance", "portal_id", "app_id", "workspace", "account", "recording", "kind"}


def column_overrides(options: ConnectorOptions) -> dict[str, str]:
    """The `--map COLUMN=FIELD` entries: the user's own column names, settings left aside."""
    return {k: v for k, v in options.mapping.items() if k not in SETTING_KEYS}


def unreadable(error: RowShapeError | Invalid) -> ConnectorOutput:
    """The output of a file that could not be read: the error, on its line."""
    output = ConnectorOutput()
    if isinstance(error, RowShapeError):
        output.errors.append(RowError(error.line, None, error.reason))
    else:
        output.errors.append(RowError(1, None, error.message.removeprefix("line 1: ")))
    return output


def run_rows(
    output: ConnectorOutput, rows: Callable[[], Iterator[Any]], handle: Callable[[Any], None]
) -> None:
    """Feeds each row to `handle`, turning unreadable input into RowErrors, never a traceback."""
    last_line = 1
    try:
        for row in rows():
            output.rows_read += 1
            last_line = getattr(row, "line", last_line)
            handle(row)
    except (RowShapeError, Invalid) as error:
        output.errors.extend(unreadable(error).errors)
    except UnicodeDecodeError as error:
        output.errors.append(
            RowError(
                last_line + 1,
                None,
                f"the file is not {error.encoding} text; pass --encoding (e.g. cp1252)",
            )
        )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
        # A zip whose member fails its checksum or cannot be inflated: damaged on the way.
        output.errors.append(
            RowError(
                last_line,
                None,
                f"the file is damaged ({error}); download the export again",
            )
        )


def workspace_site(options: ConnectorOptions) -> str | None:
    """The address of the tool's own server (a self-hosted Mattermost or Chatwoot), when
    `--workspace` (or `--map workspace=`) gives one: `chat.ourco.com` or a whole URL."""
    given = (options.workspace or options.mapping.get("workspace") or "").strip().rstrip("/")
    if given.startswith(("https://", "http://")):
        return given
    return f"https://{given}" if "." in given else None


def pick_source(options: ConnectorOptions, fallback: str) -> str:
    """The `--source` a person gave (checked), else the connector's own kind."""
    if not options.default_source:
        return fallback
    from huddle.imports.fields import to_source

    try:
        return to_source(options.default_source)
    except ValueError as error:
        raise Invalid(str(error), field="source") from None
