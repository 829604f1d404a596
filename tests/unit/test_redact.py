"""connectors.redact (issue #12.4): secret values and credential patterns never survive in an error text."""

from __future__ import annotations

import logging

import pytest

from connectors.base import AuthFailed, ConnectorError
from connectors.redact import MASK, RedactingFormatter, redact, remember


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("401: Authorization: Bearer AAAAabc.def-123 was refused", "AAAAabc.def-123"),
        ('{"headers": {"Authorization": "Bearer tok_9f8e7d6c"}}', "tok_9f8e7d6c"),
        ("{'authorization': 'OAuth oauth_signature=\"c2lnbmF0dXJl\"'}", "c2lnbmF0dXJl"),
        ("bearer qwertyuiop in the echo", "qwertyuiop"),
        ("GET /me?fields=id&access_token=EAAGm0PX4ZCps&x=1", "EAAGm0PX4ZCps"),
        ('{"access_token": "EAAGm0PX4ZCps"}', "EAAGm0PX4ZCps"),
        ("oauth_token=1000-abcdef, oauth_signature=sig%3D%3D", "sig%3D%3D"),
        ("POST https://api.telegram.org/bot7000000001:AAsandbox-telegram/getUpdates", "AAsandbox-telegram"),
        ("proxy-authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
    ],
)
def test_credential_patterns_are_masked(text: str, gone: str) -> None:
    out = redact(text)
    assert gone not in out and MASK in out


def test_configured_values_are_masked_as_written_and_url_encoded() -> None:
    secret = "s3cr3t/value+with=chars"
    text = f"echo: {secret} and in a URL ?key=x&k2=s3cr3t%2Fvalue%2Bwith%3Dchars"
    out = redact(text, [secret])
    assert "s3cr3t" not in out and out.count(MASK) == 2


def test_short_values_and_ordinary_words_are_left_alone() -> None:
    assert redact("session timed out for user abc", ["abc"]) == "session timed out for user abc"
    assert redact("X refused the credentials (401): 401 Unauthorized") == (
        "X refused the credentials (401): 401 Unauthorized"
    )
    assert redact("next_token=abc123 pagination_token=xyz789") == "next_token=abc123 pagination_token=xyz789"


def test_connector_errors_are_redacted_where_they_are_built() -> None:
    remember(["remembered-secret-value-1"])
    exc = AuthFailed("X said: remembered-secret-value-1 is not valid; Authorization: Bearer zzz999")
    assert "remembered-secret-value-1" not in str(exc) and "zzz999" not in str(exc)
    assert isinstance(exc, ConnectorError)


def test_log_lines_and_tracebacks_are_redacted() -> None:
    remember(["remembered-secret-value-2"])
    try:
        raise RuntimeError("boom with remembered-secret-value-2")
    except RuntimeError:
        record = logging.LogRecord(
            "inbox", logging.ERROR, __file__, 1, "poll of %s failed", ("access_token=abcdef123",), True
        )
        import sys

        record.exc_info = sys.exc_info()
    line = RedactingFormatter("%(message)s").format(record)
    assert "abcdef123" not in line and "remembered-secret-value-2" not in line and "RuntimeError" in line
