"""Secrets out of every error text: the one place that redacts them, for every connector and the inbox.

A platform's error may echo the request (``Authorization: Bearer …``, ``access_token=…``, a Telegram URL with
the bot token). ``redact`` masks:

- every secret value of the configured channels (``remember``: ``registry.build`` feeds it each channel's
  credentials as the connector is built), as written and URL-encoded, plus any value passed in;
- ``Authorization`` header values, ``Bearer`` tokens, ``access_token=`` / ``oauth_signature=`` and other
  credential parameters, and ``/bot<id>:<token>`` in Telegram URLs, whatever their values.

``ConnectorError`` applies it to its message, so no connector can build an error that carries a secret;
``RedactingFormatter`` applies it to every log line. No I/O; the remembered values live in this process only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote

MASK = "[redacted]"
MIN_LENGTH = 6  # a shorter "secret" would mask ordinary words in messages
_KEYS = (
    r"access_token|refresh_token|bearer_token|id_token|token|oauth_token|oauth_token_secret|oauth_signature"
    r"|oauth_consumer_key|consumer_secret|client_secret|app_secret|app_password|api_key|apikey|password"
    r"|secret|verify_token|hub\.verify_token|signature"
)
PATTERNS = (  # in this order: parameters inside a header value are masked before the header's value
    re.compile(rf"(?i)(\b(?:{_KEYS})[\"']?\s*[=:]\s*[\"']?)[^\s&\"',;}})]+"),
    re.compile(r"(?i)(\bbearer\s+)[\w\-.~+/%]+=*"),
    re.compile(r"(/bot\d+:)[\w-]+"),
    # An Authorization header's value, to the end of the line or the closing quote (JSON, repr, raw).
    re.compile(r"(?i)(\b(?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)[^\r\n\"']+"),
)

_lock = threading.Lock()
_remembered: frozenset[str] = frozenset()


def remember(values: Iterable[str]) -> None:
    """Add configured secret values (a channel's credentials) to those every ``redact`` masks."""
    global _remembered
    fresh = {v for v in values if isinstance(v, str) and len(v) >= MIN_LENGTH}
    with _lock:
        _remembered = _remembered | fresh


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every remembered secret, every one of ``secrets`` and every credential pattern masked."""
    values = {v for v in (*_remembered, *secrets) if isinstance(v, str) and len(v) >= MIN_LENGTH}
    variants = {form for v in values for form in (v, quote(v, safe=""), quote(v))}
    for value in sorted(variants, key=len, reverse=True):
        text = text.replace(value, MASK)
    for pattern in PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


class RedactingFormatter(logging.Formatter):
    """A log formatter whose lines (message, arguments and traceback) never carry a secret."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
