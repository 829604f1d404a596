"""A page with an old item among newer ones (a faulty server's order, one already read slipped into the
page) does not end the sweep: the older pages behind it are read and every message is stored once (Mastodon
notifications, X DM events; each sandbox through its real client library, the listener, SQLite).

Before: any item at or below the stream's watermark on a page ended the sweep and moved the watermark to
the newest item read, so the messages on the pages behind it were never read (7 of 10 here).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from connectors.sandbox.mastodon.server import MastodonSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from tests.support.clock import Clock
from tests.support.sandbox_channels import mastodon_runtime
from tests.support.stuck_listing import stored


def _scenario(
    engine: Engine, rt: Runtime, write: Callable[[str, str], str], misorder: Callable[[str], None]
) -> None:
    rt.connector.page_size = 3  # type: ignore[attr-defined]
    clock = Clock()
    misorder(write("first", "ann"))
    poll_channel(engine, rt, clock=clock, due=default_due)
    backlog = [f"backlog {n}" for n in range(10)]
    for n, text in enumerate(backlog):
        write(text, f"u{n}")
    for _ in range(2):
        poll_channel(engine, rt, clock=clock, due=default_due)
    assert stored(engine, "@AcmeCare ") == Counter(["first", *backlog])


def test_an_old_mastodon_notification_among_newer_ones_hides_no_page_behind_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with MastodonSandbox() as mastodon:
        notes = mastodon.store.notifications

        def mention(text: str, who: str) -> str:
            mastodon.add_mention(text, author=who)
            return notes[-1].id

        _scenario(engine, mastodon_runtime(mastodon, monkeypatch), mention, mastodon.misorder)


def test_an_old_x_dm_among_newer_ones_hides_no_page_behind_it(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    _scenario(engine, rt, lambda text, who: sandbox.add_dm(text, sender=who), sandbox.misorder_dm)
