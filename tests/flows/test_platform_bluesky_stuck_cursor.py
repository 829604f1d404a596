"""A Bluesky listing whose cursor comes back as it was asked (a cache or a buggy AppView serving the same
older page again) never holds the stream: newer mentions and DMs are still read, nothing read twice is
stored twice, and once the server pages again the older ones are read too (the Bluesky sandbox, requests,
the listener, SQLite).

Before: the sweep followed the repeated cursor page after page, poll after poll, never reaching its
watermark, so no mention or DM written after it started was read while the server repeated itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from tests.support.sandbox_channels import bluesky_runtime
from tests.support.stuck_listing import stuck_then_paging


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def test_a_repeated_cursor_never_hides_newer_mentions_nor_dms(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = f"@{DEFAULT_HANDLE} "
    stuck_then_paging(
        engine,
        bluesky_runtime(bsky, monkeypatch),
        lambda text, who: bsky.add_post(brand + text, author=f"{who}.bsky.social"),
        lambda text, who: bsky.add_dm(text, sender=f"{who}.bsky.social"),
        bsky.stick_cursor,
        brand,
    )
