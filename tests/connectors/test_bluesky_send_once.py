"""Posting once on Bluesky: a reply's rkey is fixed per outbox key and 5-minute window, so a retried create
conflicts (a 409, or a 500 on some PDS versions) or is found among the account's posts instead of posting
twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from connectors.base import Unavailable
from connectors.bluesky.parse import RKEY_WINDOW_US, recent_rkeys, rkey_for
from connectors.sandbox.bluesky.server import BlueskySandbox
from connectors.sandbox.bluesky.store import tid_micros
from tests.connectors.test_bluesky_connector import BRAND, connector
from tests.support.eventually import eventually


@pytest.fixture(name="bsky")
def bluesky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def test_rkeys_are_tids_fixed_per_key_and_window() -> None:
    now = datetime.now(UTC)
    first = rkey_for("reply-1", now)
    assert rkey_for("reply-1", now) == first != rkey_for("reply-2", now)
    micros = tid_micros(first)
    assert micros is not None and abs(micros / 1e6 - now.timestamp()) < 600
    later = now + timedelta(minutes=12)
    assert rkey_for("reply-1", later) != first and first in recent_rkeys("reply-1", later)


def test_a_retried_reply_is_posted_once(bsky: BlueskySandbox) -> None:
    post = bsky.add_post(f"{BRAND} hello", author="jane.bsky.social")
    conn = connector(bsky)
    first = conn.reply_public(post, "Hello Jane", idempotency_key="same-key")
    again = conn.reply_public(post, "Hello Jane", idempotency_key="same-key")
    other = conn.reply_public(post, "Hello Jane", idempotency_key="another-key")
    assert first == again != other and len(bsky.sent_posts) == 2


def _away_from_a_window_end() -> None:
    """Both creates fall in one 5-minute rkey window (a retry in a later window is found by listing the
    account's posts, tested apart): start at least 30 s before the window ends (CI once straddled it)."""
    left = RKEY_WINDOW_US - (time.time_ns() // 1000) % RKEY_WINDOW_US
    if left < 30_000_000:
        time.sleep(left / 1_000_000 + 0.1)


@pytest.mark.parametrize("duplicate_status", [500, 409])
def test_a_create_conflict_on_the_rkey_returns_the_existing_post(duplicate_status: int) -> None:
    _away_from_a_window_end()
    with BlueskySandbox(duplicate_status=duplicate_status) as bsky:
        post = bsky.add_post(f"{BRAND} hello", author="jane.bsky.social")
        conn = connector(bsky)
        first = conn.reply_public(post, "Hello Jane", idempotency_key="k")
        bsky.inject_fault(
            "/xrpc/com.atproto.repo.listRecords", status=200, body={"records": []}
        )  # listing lags
        again = conn.reply_public(post, "Hello Jane", idempotency_key="k")
        assert again == first and len(bsky.sent_posts) == 1
        creates = [r for r in bsky.requests if r.path.endswith("createRecord")]
        assert len(creates) == 2  # the second create was refused, not posted


def test_a_timed_out_create_is_not_posted_again_on_retry(bsky: BlueskySandbox) -> None:
    post = bsky.add_post(f"{BRAND} hello", author="jane.bsky.social")
    conn = connector(bsky)
    conn.xrpc.timeout = (2.0, 0.4)
    bsky.inject_fault("/xrpc/com.atproto.repo.createRecord", delay=1.0)  # answered, but too late
    with pytest.raises(Unavailable):
        conn.reply_public(post, "Hello Jane", idempotency_key="slow")
    eventually(lambda: bsky.sent_posts, message="the create that timed out client-side to land anyway")
    conn.xrpc.timeout = (2.0, 10.0)
    retried = conn.reply_public(post, "Hello Jane", idempotency_key="slow")
    assert len(bsky.sent_posts) == 1 and retried.external_id == bsky.sent_posts[0]["uri"]
