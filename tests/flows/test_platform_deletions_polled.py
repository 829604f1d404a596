"""The platform's deletions honoured where the platform pushes none we read (#15.5): Mastodon (a deleted
status answers 404) and Bluesky (getPosts leaves a deleted post out). The listener polls the sandboxes
through the real connectors, the customer deletes an item there, and the sweep (inbox.ingest.recheck)
erases the stored copy as a Meta removal is; the rest stays. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, DEFAULT_PASSWORD, BlueskySandbox
from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.deletions import DELETED, TAG
from inbox.ingest.poll import poll_channel
from inbox.ingest.recheck import Sweeper, proven_gone, sweep
from inbox.store.tables import AuditEvent, Conversation, Message
from tests.support.clock import Clock
from tests.support.e2e import post_json


@pytest.fixture
def bluesky(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[BlueskySandbox, Runtime]]:
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", DEFAULT_PASSWORD)
    with BlueskySandbox() as sandbox:
        cfg = ChannelConfig.model_validate(
            {
                "name": "bsky-acme",
                "platform": "bluesky",
                "account": DEFAULT_HANDLE,
                "base_url": sandbox.url,
                "credentials": {"app_password": "BLUESKY_APP_PASSWORD"},
            }
        )
        yield sandbox, Runtime(cfg, build_connector(cfg))


def _texts(engine: Engine) -> dict[str, str]:
    with Session(engine) as s:
        return {m.platform_id: m.text for m in s.exec(select(Message).where(Message.direction == "in"))}


def _deleted_conversations(engine: Engine) -> list[Conversation]:
    with Session(engine) as s:
        return [c for c in s.exec(select(Conversation)) if TAG in c.tags]


def _audited(engine: Engine) -> list[str]:
    with Session(engine) as s:
        stmt = select(AuditEvent.actor).where(AuditEvent.action == "message.deleted_by_customer")
        return list(s.exec(stmt))


def test_a_deleted_mastodon_status_is_erased_at_the_next_sweep(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    sandbox, rt = mastodon_channel
    kept = sandbox.add_mention("@AcmeCare my parcel is late", author="jane")
    gone = sandbox.add_mention("@AcmeCare my card 4111 1111 1111 1111 zebracorn", author="kim")
    dm = sandbox.add_dm("zebradm: je voudrais un remboursement", sender="dan", language="fr")
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert set(_texts(engine)) == {kept, gone, dm}
    assert sweep(engine, rt, datetime.now(UTC), due=default_due).erased == 0  # nothing deleted yet

    assert sandbox.delete_status(gone)
    post_json(f"{sandbox.url}/_sandbox/deletions", {"id": dm})  # the control API, as the demo's
    assert sweep(engine, rt, datetime.now(UTC), due=default_due).erased == 2
    texts = _texts(engine)
    assert texts[gone] == texts[dm] == DELETED and "parcel" in texts[kept]
    assert len(_deleted_conversations(engine)) == 2
    assert all(c.status == "resolved" and c.sla_due_at is None for c in _deleted_conversations(engine))
    assert _audited(engine) == ["listener", "listener"]
    assert sweep(engine, rt, datetime.now(UTC), due=default_due).erased == 0  # twice changes nothing more


def test_items_older_than_the_window_are_not_asked_about(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    sandbox, rt = mastodon_channel
    gone = sandbox.add_mention("@AcmeCare zebracorn", author="kim")
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    sandbox.delete_status(gone)
    assert sweep(engine, rt, datetime.now(UTC) + timedelta(days=4), due=default_due).erased == 0
    assert "zebracorn" in _texts(engine)[gone]


def test_a_deleted_bluesky_post_is_erased_and_a_chat_message_is_not_asked_about(
    engine: Engine, bluesky: tuple[BlueskySandbox, Runtime]
) -> None:
    sandbox, rt = bluesky
    kept = sandbox.add_post(f"@{DEFAULT_HANDLE} where is my order?", author="jane.bsky.social")
    gone = sandbox.add_post(
        f"@{DEFAULT_HANDLE} zebracorn call me on 06 12 34 56 78", author="kim.bsky.social"
    )
    dm = sandbox.add_dm("zebradm hello", sender="dan.bsky.social")
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert {kept, gone, dm} <= set(_texts(engine))
    post_json(f"{sandbox.url}/_sandbox/deletions", {"uri": gone})
    assert not sandbox.delete_post(gone)  # already gone
    assert sweep(engine, rt, datetime.now(UTC), due=default_due).erased == 1
    texts = _texts(engine)
    assert texts[gone] == DELETED and "order" in texts[kept] and "zebradm" in texts[dm]
    assert _audited(engine) == ["listener"]


def test_a_platform_that_forgot_everything_erases_nothing(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    """Seen in the demo: restarted, the sandboxes' worlds are new, every stored status answered 404 and the
    sweep erased every recent customer message as "deleted by the customer"."""
    sandbox, rt = mastodon_channel
    stored = [sandbox.add_mention(f"@AcmeCare zebracorn {n}", author=f"c{n}") for n in range(4)]
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    for status in stored:  # the platform forgets them all, as a restarted sandbox or a moved instance
        assert sandbox.delete_status(status)
    newer = sandbox.add_mention("@AcmeCare hello again", author="eve")  # and goes on with new items
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert sweep(engine, rt, datetime.now(UTC), due=default_due).erased == 0
    assert all("zebracorn" in _texts(engine)[s] for s in stored) and newer in _texts(engine)
    assert "4 item(s) answer 'gone' with no older item still there" in caplog.text
    assert _audited(engine) == []


def test_gone_is_proven_by_an_item_no_newer_still_there() -> None:
    t = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    asked = [(f"n{n}", t + timedelta(minutes=n), t + timedelta(minutes=n)) for n in (5, 4, 3, 2, 1)]
    assert sorted(proven_gone(asked, {"n5", "n3"})) == ["n3", "n5"]  # n1 and n2, older, are still there
    assert proven_gone(asked, {"n1", "n2"}) == []  # nothing older than them answers: not proven
    assert proven_gone(asked, {"n1", "n3"}) == ["n3"]  # n2 is there, older than n3
    assert proven_gone(asked, {c[0] for c in asked}) == []
    same_second = [("a", t, t), ("b", t, t)]
    assert proven_gone(same_second, {"b"}) == ["b"]  # written in the same second as one still there
    # a survivor written earlier but stored later (a platform's new world, backdated) vouches for nothing
    later = [("old", t + timedelta(minutes=5), t), ("new", t, t + timedelta(hours=1))]
    assert proven_gone(later, {"old"}) == []


def test_a_platform_that_forgot_everything_and_goes_on_with_backdated_items_erases_nothing(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    """Seen in the demo after a restart: the new world's backlog is backdated over the past hour, so its
    statuses were written before the stored ones that answer 404; the sweep took them as witnesses."""
    sandbox, rt = mastodon_channel
    stored = [sandbox.add_mention(f"@AcmeCare zebracorn {n}", author=f"c{n}") for n in range(4)]
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    for status in stored:
        assert sandbox.delete_status(status)
    earlier = datetime.now(UTC) - timedelta(minutes=50)
    sandbox.add_mention("@AcmeCare from the new world", author="eve", created_at=earlier)
    poll_channel(engine, rt, clock=Clock(datetime.now(UTC) + timedelta(minutes=1)), due=default_due)
    assert sweep(engine, rt, datetime.now(UTC) + timedelta(minutes=2), due=default_due).erased == 0
    assert all("zebracorn" in _texts(engine)[s] for s in stored)
    assert _audited(engine) == []


def test_the_listener_sweeps_a_channel_at_most_every_ten_minutes() -> None:
    sweeper, start = Sweeper(), datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    assert sweeper.due("m", start) and not sweeper.due("m", start + timedelta(minutes=9))
    assert sweeper.due("b", start + timedelta(minutes=9)) and sweeper.due("m", start + timedelta(minutes=10))


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 50), st.booleans()),
        min_size=1,
        max_size=30,
        unique_by=lambda x: x[0],
    )
)
def test_never_erases_what_no_older_survivor_vouches_for(items: list[tuple[int, int, bool]]) -> None:
    """Any mix of items (written, stored, gone or still there): only gone items written and stored no earlier
    than one survivor are erased, and all of those are."""
    start = datetime(2026, 12, 5, tzinfo=UTC)
    at = {n: start + timedelta(minutes=n) for n in range(51)}
    asked = [(f"i{w}", at[w], at[s]) for w, s, _ in sorted(items, reverse=True)]
    gone = {f"i{w}" for w, _, is_gone in items if is_gone}
    survivors = [(w, s) for w, s, is_gone in items if not is_gone]
    expected = {
        f"i{w}" for w, s, is_gone in items if is_gone and any(sw <= w and ss <= s for sw, ss in survivors)
    }
    assert set(proven_gone(asked, gone)) == expected
