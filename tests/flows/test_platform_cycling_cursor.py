"""A listing whose next-page tokens cycle (A -> B -> A ..., a faulty cache or server) never holds the
stream: newer mentions and DMs are still read, none twice, the stream's last error on the Channels page
names the cycle while it lasts, and the older ones are read once the platform pages normally again (each
sandbox through its real client library, the listener, SQLite).

Before: only a token repeated at once was caught; a cycle of two or more pages was followed page after page,
poll after poll, and nothing written after it started was read while the server cycled.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from connectors.sandbox.mastodon.server import MastodonSandbox
from connectors.sandbox.meta.server import MetaSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import ListeningCursor
from tests.conftest import BRAND_ID, X_ENV
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, mastodon_runtime
from tests.support.stuck_listing import stored, stuck_then_paging
from tests.support.x_channel import x_runtime

BSKY = f"@{DEFAULT_HANDLE} "


def last_errors(engine: Engine) -> dict[str, str | None]:
    with Session(engine) as s:
        return {c.stream: c.last_error for c in s.exec(select(ListeningCursor))}


@contextmanager
def platform(name: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Runtime, Callable, Callable]]:
    """The sandbox, its channel, and how a customer mentions the brand and writes to it."""
    if name == "x":
        for key, value in X_ENV.items():
            monkeypatch.setenv(key, value)
        with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as x:
            yield (
                x,
                x_runtime(x),
                lambda text, who: x.add_mention(f"@AcmeCare {text}", author=who),
                lambda text, who: x.add_dm(text, sender=who),
            )
    elif name == "mastodon":
        with MastodonSandbox() as m:
            yield (
                m,
                mastodon_runtime(m, monkeypatch),
                m.add_mention,
                lambda text, who: m.add_dm(text, sender=who),
            )
    else:
        with BlueskySandbox() as b:
            yield (
                b,
                bluesky_runtime(b, monkeypatch),
                lambda text, who: b.add_post(BSKY + text, author=f"{who}.bsky.social"),
                lambda text, who: b.add_dm(text, sender=f"{who}.bsky.social"),
            )


CASES = [  # platform, items a page, the prefix taken off stored texts, the mentions and DM streams
    ("x", 5, "@AcmeCare ", ("mentions", "dms")),
    ("mastodon", 2, "@AcmeCare ", ("mentions", "dms")),
    ("bluesky", 2, BSKY, ("notifications", "dms")),
]


@pytest.mark.parametrize("length", [2, 3])
@pytest.mark.parametrize(("name", "page", "prefix", "streams"), CASES)
def test_tokens_that_cycle_never_hide_newer_mentions_nor_dms(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    page: int,
    prefix: str,
    streams: tuple[str, str],
    length: int,
) -> None:
    with platform(name, monkeypatch) as (sandbox, rt, mention, dm):

        def named() -> None:  # the Channels page's last error names the cycle while it lasts
            errors = last_errors(engine)
            assert all((errors.get(s) or "").startswith("CyclingCursor: ") for s in streams), errors

        stuck_then_paging(
            engine,
            rt,
            mention,
            dm,
            lambda on: sandbox.cycle_cursor(length if on else 0),
            prefix,
            page=page,
            pages=length + 2,
            while_stuck=named,
        )
        assert not any(last_errors(engine)[s] for s in streams), last_errors(engine)


def test_a_bluesky_convo_whose_messages_cycle_loses_none_of_them(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One customer's messages read through getMessages cursors that cycle: the convo is held (never read
    half: its older messages would be past the watermark for good) and read whole once the service pages.

    Before: the convo's newest pages were read, the cycle followed up to 20 pages, and the dms sweep moved
    its watermark past the older messages, lost (3 of 9 here)."""
    with BlueskySandbox() as bsky:
        rt = bluesky_runtime(bsky, monkeypatch)
        rt.connector.page_size = 2  # type: ignore[attr-defined]
        clock = Clock()
        rt.connector.clock = lambda: clock.now  # type: ignore[attr-defined]
        bsky.add_dm("dm first", sender="ann.bsky.social")
        poll_channel(engine, rt, clock=clock, due=default_due)
        texts = [f"dm {n}" for n in range(9)]
        for text in texts:
            bsky.add_dm(text, sender="ann.bsky.social")
        bsky.cycle_cursor(2)
        poll_channel(engine, rt, clock=clock, due=default_due)
        assert "chat convo" in (last_errors(engine).get("dms") or ""), last_errors(engine)
        bsky.cycle_cursor(0)
        clock.now += timedelta(hours=2)
        poll_channel(engine, rt, clock=clock, due=default_due)
        assert stored(engine, "") == Counter(["dm first", *texts])


@pytest.mark.parametrize("length", [1, 2, 3])
def test_facebook_comments_pages_that_cycle_hold_only_their_post_and_lose_none(
    engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], length: int
) -> None:
    """A post whose comments pages cycle (or name themselves, ``length`` 1) is held apart like a post Graph
    fails to list: the other posts' comments are read, the stream's last error names it, and once Graph
    pages normally all its comments are stored, once.

    Before: a cycle of two pages or more kept the stream on that post for good (the other posts' comments
    never read), and a page naming itself ended the post, its older comments never read."""
    rt = next(r for r in runtimes if r.name == "fb-acme")
    rt.connector.page_size = 2  # type: ignore[attr-defined]
    now = [time.time()]
    rt.connector.clock = lambda: now[0]  # type: ignore[attr-defined]
    older = meta.add_post("Older post", created_at=datetime.now(UTC) - timedelta(days=2))
    newer = meta.add_post("Newer post", created_at=datetime.now(UTC) - timedelta(days=1))
    meta.add_comment("on the older post", on=older, author="Ann", push=False)
    texts = [f"comment {n}" for n in range(9)]
    for n, text in enumerate(texts):
        meta.add_comment(text, on=newer, author=f"C{n}", push=False)
    meta.cycle_cursor(length)
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert "on the older post" in stored(engine, ""), stored(engine, "")
    assert newer in (last_errors(engine).get("comments") or ""), last_errors(engine)
    meta.cycle_cursor(0)
    now[0] += 7200
    for _ in range(2):
        poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert stored(engine, "") == Counter(["on the older post", *texts])
    assert not last_errors(engine).get("comments"), last_errors(engine)


def test_bluesky_empty_pages_that_name_a_next_one_lose_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An AppView may answer a page with no item and a cursor (what it read was filtered out after paging):
    the sweep follows it, so every mention and DM behind it is stored, once.

    Before: an empty page ended the sweep and moved the watermark to the newest item read, so the older pages
    behind it were never read."""
    with BlueskySandbox() as bsky:
        stuck_then_paging(
            engine,
            bluesky_runtime(bsky, monkeypatch),
            lambda text, who: bsky.add_post(BSKY + text, author=f"{who}.bsky.social"),
            lambda text, who: bsky.add_dm(text, sender=f"{who}.bsky.social"),
            bsky.hollow_pages,
            BSKY,
            pages=3,
        )


def test_x_search_tokens_that_cycle_never_hide_newer_posts(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    """Keyword listening on X's recent search: the same trail as mentions and DMs."""
    rt = x_runtime(sandbox, page_size=10, listening=["Acme"])

    def named() -> None:
        assert (last_errors(engine).get("search:Acme") or "").startswith("CyclingCursor: "), last_errors(
            engine
        )

    stuck_then_paging(
        engine,
        rt,
        lambda text, who: sandbox.add_post(f"Acme {text}", author=who),
        lambda text, who: sandbox.add_dm(text, sender=who),
        lambda on: sandbox.cycle_cursor(2 if on else 0),
        "Acme ",
        page=10,
        pages=4,
        while_stuck=named,
    )
