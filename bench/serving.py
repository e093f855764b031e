"""What the benchmarks that drive a real `huddle serve` share: a scratch database, the CLI in
a process of its own, and a server on a free loopback port."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

HUDDLE = [sys.executable, "-m", "huddle.cli.main"]


def run(url: str, *args: str, env: dict[str, str] | None = None) -> str:
    """`huddle --db URL args…` in its own process; its output, or exit with its error."""
    result = subprocess.run(
        [*HUDDLE, "--db", url, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"huddle {' '.join(args)} failed:\n{result.stderr}{result.stdout}")
    return result.stdout


def scratch_database(folder: Path, postgres: str | None, prefix: str) -> str:
    """A new SQLite file in `folder`, or a new database on the PostgreSQL `postgres` names."""
    if postgres is None:
        return f"sqlite:///{folder / f'{prefix}.db'}"
    name = f"huddle_{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(postgres).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, postgres: str | None) -> None:
    if postgres is None or url.startswith("sqlite"):
        return
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`huddle serve` on a free loopback port, in a process of its own."""

    def __init__(
        self, url: str, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
    ) -> None:
        self.url = url
        self.args = args
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {"HUDDLE_RUN_JOBS_INLINE": "false", **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Seconds until it answers its health check."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [*HUDDLE, "--db", self.url, "serve", "--port", str(self.port), *self.args],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def rss_mb(self) -> tuple[float, float]:
        """Resident memory now and at its peak, in MB (of every server process)."""
        assert self.process is not None
        now = peak = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            status = Path(f"/proc/{pid}/status").read_text()
            now += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            peak += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        return now / 1024, peak / 1024

    def stop(self, timeout: float = 60) -> float:
        """SIGTERM; seconds until the process is gone (killed after `timeout`: then inf)."""
        if self.process is None:
            return 0.0
        started = time.perf_counter()
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
            took = time.perf_counter() - started
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            took = float("inf")
        self.process = None
        return took


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.extend(int(child) for child in children)
    return found
