"""The page kept across the identity provider's round trip (inbox.desk.return_to): only the app's own pages
and known query keys, signed, short-lived; anything else is ignored."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from inbox.desk import return_to
from inbox.desk.return_to import Target

KEY, NOW = b"k" * 32, datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
PAGES = ("conversation", "dashboard", "templates")


def test_a_conversation_link_comes_back_with_its_id_alone() -> None:
    where = return_to.target("conversation", {"id": "42", "utm": "x", "next": "https://evil.test"}, PAGES)
    assert where == Target("conversation", {"id": "42"})
    assert where is not None
    value = return_to.encode(where, KEY, NOW)
    assert return_to.decode(value, KEY, NOW + timedelta(minutes=9), PAGES) == where


@pytest.mark.parametrize(
    "page", ["", "sign_in", "https://evil.test/conversation", "//evil.test", "../conversation", "Dashboard"]
)
def test_only_the_apps_own_pages_are_kept(page: str) -> None:
    assert return_to.target(page, {"id": "42"}, PAGES) is None


def test_a_value_that_is_not_plain_is_dropped() -> None:
    assert return_to.target("conversation", {"id": "42/../x"}, PAGES) == Target("conversation", {})


def _forged(data: object, key: bytes = KEY) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{payload}.{return_to._sign(key, payload)}"


def test_expired_altered_or_foreign_values_are_ignored() -> None:
    value = return_to.encode(Target("conversation", {"id": "42"}), KEY, NOW)
    payload, _dot, signature = value.partition(".")
    late = NOW + return_to.LIFETIME + timedelta(seconds=1)
    other = _forged({"p": "dashboard", "q": {}, "e": int(late.timestamp())})
    for value_, key, now in [
        (value, KEY, late),  # expired
        (value, b"other key", NOW),  # signed by another server
        (f"{other.partition('.')[0]}.{signature}", KEY, NOW),  # another page under this signature
        (payload, KEY, NOW),  # unsigned
        ("", KEY, NOW),
        ("not base64!.x", KEY, NOW),
    ]:
        assert return_to.decode(value_, key, now, PAGES) is None
    assert return_to.decode(other, KEY, NOW, PAGES) == Target("dashboard", {})


def test_a_signed_value_outside_the_rules_is_ignored_still() -> None:
    expires = int((NOW + timedelta(minutes=5)).timestamp())
    for data in (
        {"p": "https://evil.test", "q": {}, "e": expires},
        {"p": "conversation", "q": {"next": "//evil.test"}, "e": expires},
        {"p": "conversation", "q": {"id": 42}, "e": expires},
        {"p": "conversation", "q": {"id": "42"}, "e": "later"},
        ["conversation"],
    ):
        assert return_to.decode(_forged(data), KEY, NOW, PAGES) is None
