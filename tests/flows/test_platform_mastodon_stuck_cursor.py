"""A Mastodon listing whose ``Link`` "next" points at the very page it answered (a cache or a buggy instance
serving the same older page again) never holds the mentions or DM stream: newer ones are still read, none
twice, and the older ones once the instance pages again (the Mastodon sandbox, requests, the listener,
SQLite).

Before: the stream followed the repeated link page after page, poll after poll, and nothing written after
it started was read while the instance repeated itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from connectors.sandbox.mastodon.server import MastodonSandbox
from tests.support.sandbox_channels import mastodon_runtime
from tests.support.stuck_listing import stuck_then_paging


@pytest.fixture
def mastodon() -> Iterator[MastodonSandbox]:
    with MastodonSandbox() as sandbox:
        yield sandbox


def test_a_repeated_next_link_never_hides_newer_mentions_nor_dms(
    engine: Engine, mastodon: MastodonSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck_then_paging(
        engine,
        mastodon_runtime(mastodon, monkeypatch),
        lambda text, who: mastodon.add_mention(text, author=who),
        lambda text, who: mastodon.add_dm(text, sender=who),
        mastodon.stick_cursor,
        "@AcmeCare ",
    )
