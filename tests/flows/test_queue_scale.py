"""The queue stays fast with 10,000 open conversations: each page is one bounded query, never a full load."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert
from sqlmodel import Session

from inbox.desk.queue import Filters, queue_page
from inbox.store.tables import Channel, Contact, Conversation, Message

N = 10_000


def _bulk(engine: Engine, now: datetime) -> None:
    with Session(engine) as s, s.begin():
        channel = Channel(name="x-acme", platform="x", account="AcmeCare")
        s.add(channel)
        s.flush()
        cid = channel.id
        s.execute(
            insert(Contact),
            [
                {
                    "id": i + 1,
                    "channel_id": cid,
                    "platform_id": f"u{i}",
                    "handle": f"user{i}",
                    "tags": ["vip"] if i % 50 == 0 else [],
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(N)
            ],
        )
        s.execute(
            insert(Conversation),
            [
                {
                    "id": i + 1,
                    "channel_id": cid,
                    "thread_key": f"t{i}",
                    "visibility": "public",
                    "kind": "mention",
                    "contact_id": i + 1,
                    "status": "open",
                    "first_inbound_at": now - timedelta(minutes=i % 300),
                    "last_inbound_at": now,
                    "sla_due_at": now + timedelta(minutes=(i * 37) % 120 - 30),
                    "urgency": ("low", "normal", "high", "critical")[i % 4],
                    "language": ("en", "fr")[i % 2],
                    "tags": [],
                    "created_at": now,
                }
                for i in range(N)
            ],
        )
        s.execute(
            insert(Message),
            [
                {
                    "channel_id": cid,
                    "conversation_id": i + 1,
                    "platform_id": f"m{i}",
                    "direction": "in",
                    "visibility": "public",
                    "kind": "mention",
                    "text": f"@AcmeCare problem number {i}",
                    "raw": {},
                    "created_at": now,
                    "ingested_at": now,
                    "sentiment_scores": {},
                    "urgency_reasons": [],
                    "pii": [],
                }
                for i in range(N)
            ],
        )


def test_ten_thousand_open_conversations_page_quickly(engine: Engine) -> None:
    now = datetime.now(UTC)
    _bulk(engine, now)
    with Session(engine) as s:
        queue_page(s, Filters(), user_id=None, now=now)  # warm-up
        timings = []
        for filters, number in [
            (Filters(), 0),
            (Filters(), 150),
            (Filters(language="fr", urgency="critical"), 3),
            (Filters(text="number 9999"), 0),
            (Filters(assignee="unassigned"), 10),
        ]:
            start = time.perf_counter()
            page = queue_page(s, filters, user_id=None, now=now, number=number, size=50)
            timings.append(time.perf_counter() - start)
            assert page.rows or filters.text
        first = queue_page(s, Filters(), user_id=None, now=now, size=50)
    assert first.total == N and len(first.rows) == 50
    assert all(r.sla == "red" for r in first.rows[:10])  # most overdue first
    print("page timings (s):", [round(t, 3) for t in timings])
    assert max(timings) < 1.5, timings  # generous for slow CI; typically ~50 ms on SQLite
