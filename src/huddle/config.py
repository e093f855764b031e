import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import phonenumbers
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Regions whose national way of writing phone numbers PII masking recognises; numbers
# written with + or 00 are recognised for every country. Each region added costs a little
# speed and some precision (docs/privacy.md has the figures).
DEFAULT_PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "AU", "CA", "BR", "JP")


class SeverityWeights(BaseSettings):
    """Weights of the severity score; see docs/severity.md for the formula."""

    model_config = SettingsConfigDict(env_prefix="HUDDLE_SEVERITY_")

    accounts: float = 3.0
    mentions: float = 1.0
    arr: float = 2.0
    arr_at_risk: float = 2.0
    segments: float = 0.5
    trend: float = 1.5


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUDDLE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///huddle.db"
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    mask_pii: bool = True
    phone_regions: Annotated[tuple[str, ...], NoDecode] = DEFAULT_PHONE_REGIONS
    secure_cookies: bool = False
    session_days: int = 14
    # Failed sign-ins allowed per email, and per client address (over any emails), in the
    # window; the next attempt is refused until the window has passed.
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    default_currency: str = "USD"
    run_jobs_inline: bool = True
    # The job queue (docs/jobs.md).
    job_lease_seconds: float = Field(default=60, gt=0)
    job_max_attempts: int = Field(default=5, ge=1)
    job_poll_seconds: float = Field(default=1.0, gt=0)
    job_keep_days: float = Field(default=7, ge=0)
    job_keep_failed_days: float = Field(default=30, ge=0)
    task_modules: str = ""
    # The web server (README "Running Huddle under load"): requests worked on at once (the
    # rest wait their turn), how long one may wait before a 503, and seconds a stopping
    # server gives the requests in hand.
    web_concurrency: int = Field(default=8, ge=1, le=32)
    web_queue_seconds: float = Field(default=30, gt=0)
    shutdown_seconds: float = Field(default=10, ge=0)
    # One line per request on standard error (README "Configuration").
    access_log: bool = True
    # Request bodies: JSON and forms, and a file uploaded on the imports page.
    max_body_mb: float = 10
    max_upload_mb: float = 200
    # The search index (docs/search-index.md): where its file is kept (default: beside a
    # SQLite file, else ~/.cache/huddle/index), and below how many stored vectors search
    # simply compares the query with every one instead.
    index_dir: Path | None = None
    index_exact_below: int = Field(default=20_000, ge=0)
    # A starting server loads the language model and opens the search index in the
    # background, so the first search after a restart does not pay for both.
    warm_up: bool = True
    # Mail (docs/notifications.md): without a host, messages are shown in the app only.
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: bool = False
    mail_from: str = "Huddle <huddle@localhost>"
    # Outgoing webhooks (docs/notifications.md): every event is posted here, signed with the
    # secret; none without a URL.
    webhook_url: str = ""
    webhook_secret: str = ""
    # Incoming webhooks of issue trackers (docs/launch.md): a delivery is taken only when
    # signed with its tool's secret; without one, that tool's deliveries are refused.
    github_webhook_secret: str = ""
    linear_webhook_secret: str = ""
    jira_webhook_secret: str = ""
    # Where people reach this Huddle, for the links in messages.
    base_url: str = "http://127.0.0.1:8000"
    severity: SeverityWeights = Field(default_factory=SeverityWeights)

    @field_validator("phone_regions", mode="before")
    @classmethod
    def _split_regions(cls, value: object) -> object:
        """`HUDDLE_PHONE_REGIONS=US,GB,DE` (commas or spaces); empty for none."""
        if isinstance(value, str):
            return tuple(part for part in re.split(r"[\s,;]+", value) if part)
        return value

    @field_validator("phone_regions")
    @classmethod
    def _known_regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        regions = tuple(dict.fromkeys(region.upper() for region in value))
        unknown = [r for r in regions if r not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise ValueError(
                f"unknown region code(s) {', '.join(unknown)}: use ISO 3166 two-letter "
                "codes such as US, GB, DE"
            )
        return regions


@lru_cache
def get_settings() -> Settings:
    return Settings()


def database_url_from(value: str) -> str:
    """Accept a plain file path where a SQLAlchemy URL is expected."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"
