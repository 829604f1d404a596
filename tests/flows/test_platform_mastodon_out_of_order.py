"""A Mastodon notifications page with an old notification among newer ones (a faulty server's order: one
already read, slipped into the page whatever since_id asks) does not end the sweep: the older pages behind
it are read and every mention is stored once (the Mastodon sandbox, requests, the listener, SQLite).

Before: any notification at or before since_id on a page ended the sweep and moved since_id to the newest
one read, so the mentions on the pages behind it were never read.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import Engine

from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from tests.support.clock import Clock
from tests.support.sandbox_channels import mastodon_runtime
from tests.support.stuck_listing import stored


def test_an_old_notification_among_newer_ones_hides_no_page_behind_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with MastodonSandbox() as mastodon:
        rt = mastodon_runtime(mastodon, monkeypatch)
        rt.connector.page_size = 3  # type: ignore[attr-defined]
        clock = Clock()
        mastodon.add_mention("first", author="ann")
        poll_channel(engine, rt, clock=clock, due=default_due)
        mastodon.misorder(mastodon.store.notifications[-1].id)
        backlog = [f"backlog {n}" for n in range(10)]
        for n, text in enumerate(backlog):
            mastodon.add_mention(text, author=f"u{n}")
        for _ in range(2):
            poll_channel(engine, rt, clock=clock, due=default_due)
        assert stored(engine, "@AcmeCare ") == Counter(["first", *backlog])
