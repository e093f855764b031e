"""When each API token was last used: noted in memory on every request, written once a minute.

A request authenticated by a token only reads, unless its route writes: writing the token's
`last_used_at` on every request turned every API read into a write, and on SQLite 60 users
reading the API failed 6% of their requests with "database is locked". The server notes the
use in memory instead and writes what it noted every `FLUSH_SECONDS` (and when it stops),
one UPDATE per token used since. What "last used" shows is never more than a minute behind
in the database and never behind at all through the server that noted it.
"""

import sys
import threading
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from huddle.db import SQLITE_BUSY_SECONDS, session_scope
from huddle.models.user import ApiToken

FLUSH_SECONDS = 60.0


class TokenUse:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._noted: dict[int, datetime] = {}
        self._unwritten: set[int] = set()

    def note(self, token_id: int, at: datetime) -> None:
        with self._lock:
            if token_id not in self._noted or self._noted[token_id] < at:
                self._noted[token_id] = at
                self._unwritten.add(token_id)

    def last_used(self, token: ApiToken) -> datetime | None:
        """The later of what the database holds and what this server noted."""
        with self._lock:
            noted = self._noted.get(token.id)
        stored = token.last_used_at
        if noted is None or (stored is not None and stored >= noted):
            return stored
        return noted

    def write(self, session: Session) -> int:
        """Write the uses noted since the last write; returns how many tokens."""
        with self._lock:
            due = {token_id: self._noted[token_id] for token_id in self._unwritten}
            self._unwritten.clear()
        try:
            for token_id, at in due.items():
                session.execute(
                    update(ApiToken)
                    .where(ApiToken.id == token_id)
                    .where((ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < at))
                    .values(last_used_at=at)
                )
            session.flush()
        except BaseException:
            with self._lock:  # not written: try again next time
                self._unwritten.update(due)
            raise
        return len(due)


class TokenUseWriter:
    """A thread of the server that writes the noted uses every `interval` seconds."""

    def __init__(self, url: str, uses: TokenUse, interval: float = FLUSH_SECONDS) -> None:
        self.url = url
        self.uses = uses
        self.interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="huddle-token-use", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop, writing what is still unwritten (a use not written is lost, nothing else)."""
        self._stopping.set()
        self._thread.join(timeout=SQLITE_BUSY_SECONDS + 5)
        try:
            self.write_now()
        except Exception as error:  # the database is gone or locked by a request cut short
            print(f"huddle: token use not written at shutdown: {error}", file=sys.stderr)

    def write_now(self) -> int:
        with session_scope(self.url) as session:
            return self.uses.write(session)

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.write_now()
            except Exception:  # the database is away for a moment: the uses stay noted
                continue
