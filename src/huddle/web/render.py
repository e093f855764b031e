import io
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from huddle import __version__
from huddle.insights.calibration import precision_at
from huddle.kit.money import format_money
from huddle.kit.spreadsheet import SafeCsvWriter
from huddle.kit.text import truncate
from huddle.kit.time import utcnow

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
# Templates ship with the package: no need to look at every file's time on every page.
TEMPLATES.env.auto_reload = False


def _ago(value: datetime | None) -> str:
    if value is None:
        return "—"
    seconds = (datetime.now(UTC) - value).total_seconds()
    for limit, unit in (
        (86400 * 365, "year"),
        (86400 * 30, "month"),
        (86400 * 7, "week"),
        (86400, "day"),
        (3600, "hour"),
        (60, "minute"),
    ):
        if seconds >= limit:
            count = int(seconds // limit)
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


TEMPLATES.env.filters["money"] = lambda minor, currency="USD": format_money(
    minor or 0, currency, compact=True
)
TEMPLATES.env.filters["money_full"] = lambda minor, currency="USD": format_money(
    minor or 0, currency
)
TEMPLATES.env.filters["ago"] = _ago
TEMPLATES.env.filters["precision"] = precision_at
TEMPLATES.env.filters["truncate_text"] = truncate
TEMPLATES.env.filters["date"] = lambda value: value.strftime("%d %b %Y") if value else "—"
TEMPLATES.env.globals["version"] = __version__


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    viewer = getattr(request.state, "viewer", None)
    context.setdefault("user", viewer)
    context.setdefault("csrf_token", viewer.csrf_token if viewer else "")
    context.setdefault("today", utcnow().date().isoformat())
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {
        403: "Not allowed",
        404: "Not found",
        409: "Already there",
        422: "Please check the form",
        429: "Slow down",
    }
    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        title=titles.get(status, "Something went wrong"),
        message=message,
    )


def csv_response(rows: Iterable[Iterable[object]], filename: str) -> Response:
    """A table to download and open in a spreadsheet (no cell is read as a formula)."""
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerows(rows)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
