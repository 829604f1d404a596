"""An X mentions or DM events page whose ``next_token`` is the token it was asked with (a cache serving the
same older page again) never holds the stream: newer mentions and DMs are still read, none twice, and the
older ones once X pages again (the X sandbox through tweepy, the listener, SQLite).

Before: the stream followed the repeated token page after page, poll after poll, and nothing written after
it started was read while X repeated itself.
"""

from __future__ import annotations

from sqlalchemy import Engine

from connectors.sandbox.x.server import XSandbox
from inbox.ingest.channels import Runtime
from tests.support.stuck_listing import stuck_then_paging


def test_a_repeated_next_token_never_hides_newer_mentions_nor_dms(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    stuck_then_paging(
        engine,
        rt,
        lambda text, who: sandbox.add_mention(f"@AcmeCare {text}", author=who),
        lambda text, who: sandbox.add_dm(text, sender=who),
        sandbox.stick_cursor,
        "@AcmeCare ",
        page=5,
    )
