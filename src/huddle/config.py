from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    secure_cookies: bool = False
    session_days: int = 14
    login_max_failures: int = 5
    login_window_minutes: int = 15
    default_currency: str = "USD"
    run_jobs_inline: bool = True
    # Request bodies: JSON and forms, and a file uploaded on the imports page.
    max_body_mb: float = 10
    max_upload_mb: float = 200
    severity: SeverityWeights = Field(default_factory=SeverityWeights)


@lru_cache
def get_settings() -> Settings:
    return Settings()


def database_url_from(value: str) -> str:
    """Accept a plain file path where a SQLAlchemy URL is expected."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"
