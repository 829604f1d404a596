"""Edits read in any order, split across pages in any way, read again any number of times: each message is
stored once, with its newest words, and every other version it went through in its history (Hypothesis,
through ``ingest_batch`` on the real database). As on X and Telegram, an original is read before its edits."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import default_due
from inbox.ingest.page import ingest_batch
from inbox.store import records as store
from inbox.store.tables import Conversation, Message

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COUNTER = itertools.count()


def _chain(prefix: str, versions: int) -> list[InboundItem]:
    """A post and its ``versions - 1`` edits, the k-th naming the k earlier ids."""
    ids = [f"{prefix}{k}" for k in range(versions)]
    return [
        InboundItem(
            channel="x-acme",
            external_id=ids[k],
            thread_key=ids[0],
            kind="mention",
            visibility="public",
            direction="in",
            author=Author(f"{prefix}-author", f"{prefix}user"),
            text=f"@AcmeCare version {k} of {prefix}",
            created_at=T0 + timedelta(minutes=k),
            edits=tuple(ids[:k]),
        )
        for k in range(versions)
    ]


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[list[list[InboundItem]], dict[str, list[InboundItem]]]:
    chains = {f"p{c}-": _chain(f"p{c}-", draw(st.integers(1, 4))) for c in range(draw(st.integers(1, 3)))}
    firsts = [chain[0] for chain in chains.values()]
    edits = [item for chain in chains.values() for item in chain[1:]]
    later = draw(st.lists(st.sampled_from(edits), max_size=12)) if edits else []
    order = (
        draw(st.permutations(firsts)) + draw(st.permutations(edits)) + later + draw(st.permutations(firsts))
    )
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(order) - 1)), max_size=5)))
    pages = [order[a:b] for a, b in itertools.pairwise([0, *cuts, len(order)]) if order[a:b]]
    return pages, chains


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deliveries())
def test_each_message_is_stored_once_with_its_newest_words(
    engine: Engine, delivered: tuple[list[list[InboundItem]], dict[str, list[InboundItem]]]
) -> None:
    pages, chains = delivered
    name = f"x-edits-{next(COUNTER)}"
    seen: set[str] = set()
    for page in pages:
        seen.update(i.external_id for i in page)
        with Session(engine) as s, s.begin():
            channel = store.ensure_channel(s, name, "x", "AcmeCare")
            ingest_batch(
                s,
                channel,
                "mentions",
                Batch(page, next_cursor=None),
                due=default_due,
                now=T0 + timedelta(hours=1),
            )
    with Session(engine) as s:
        channel = store.channel_by_name(s, name)
        assert channel is not None
        stored = {m.platform_id: m for m in s.exec(select(Message).where(Message.channel_id == channel.id))}
        conversations = s.exec(select(Conversation).where(Conversation.channel_id == channel.id)).all()
    assert sorted(stored) == sorted(chain[0].external_id for chain in chains.values())  # once each
    assert len(conversations) == len(chains)
    for chain in chains.values():
        message = stored[chain[0].external_id]
        newest = max((i for i in chain if i.external_id in seen), key=lambda i: len(i.edits))
        assert message.text == newest.text
        history = [v["id"] for v in message.raw.get("versions", [])]
        assert sorted(history) == sorted(
            i.external_id for i in chain if i.external_id in seen and i is not newest
        )
        assert message.created_at is not None and message.created_at.replace(tzinfo=UTC) == T0  # its own time
