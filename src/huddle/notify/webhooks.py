"""Outgoing webhooks: every event posted as JSON to `HUDDLE_WEBHOOK_URL`, signed.

Headers of each delivery:

- `X-Huddle-Event`: the event (`solution.shipped`, `problem.status_changed`);
- `X-Huddle-Delivery`: the message's key, the same on every attempt: a receiver that has
  seen it drops the copy;
- `X-Huddle-Timestamp`: seconds since 1970 when this attempt was signed;
- `X-Huddle-Signature`: `sha256=` and the hex HMAC-SHA256, under `HUDDLE_WEBHOOK_SECRET`,
  of the timestamp, a dot, and the body exactly as sent. A receiver recomputes it and
  refuses a delivery whose timestamp is more than a few minutes old (a replayed capture).
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from huddle.config import Settings, get_settings
from huddle.models.message import Message

TIMEOUT_SECONDS = 10


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def send_webhook(message: Message, settings: Settings | None = None) -> None:
    """POST the message's body, signed; any answer but 2xx, or none, raises."""
    settings = settings or get_settings()
    body = message.body.encode()
    timestamp = str(int(time.time()))
    _post(
        message.address,
        body,
        {
            "X-Huddle-Event": message.subject,
            "X-Huddle-Delivery": message.key,
            "X-Huddle-Timestamp": timestamp,
            "X-Huddle-Signature": signature(settings.webhook_secret, timestamp, body),
        },
    )


def send_chat(message: Message, settings: Settings | None = None) -> None:
    """POST the message to a person's chat webhook in Slack's incoming-webhook format
    (`{"text": …}`, which Mattermost, Rocket.Chat and others take too)."""
    text = f"*{message.subject}*\n{message.body}"
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    _post(message.address, body, {"X-Huddle-Delivery": message.key})


def _post(url: str, body: bytes, headers: dict[str, str]) -> None:
    """POST JSON; any answer but 2xx, or none within TIMEOUT_SECONDS, raises."""
    if not url.startswith(("http://", "https://")):
        raise RuntimeError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Huddle-Webhooks", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"the receiver answered {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise RuntimeError(f"no answer from the receiver: {error}") from None
    if not 200 <= status < 300:
        raise RuntimeError(f"the receiver answered {status}")
