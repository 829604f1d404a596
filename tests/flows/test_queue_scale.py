"""10,000 open conversations: each queue page is read on its own, never the whole queue (speed: bench/)."""

from __future__ import annotations

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


CASES = [  # filters, page number, the total they select, the rows on that page of 50
    (Filters(), 0, N, 50),
    (Filters(), 150, N, 50),
    (Filters(language="fr", urgency="critical"), 3, N // 4, 50),  # i % 4 == 3: odd, so French too
    (Filters(text="number 9999"), 0, 1, 1),
    (Filters(assignee="unassigned"), 10, N, 50),
    (Filters(), N // 50, N, 0),  # past the end: an empty page, not an error
]


def test_ten_thousand_open_conversations_are_paged_without_loading_the_queue(engine: Engine) -> None:
    """How fast each page is: bench/queue_filters_bench.py. Here: the page is right and only it is loaded."""
    now = datetime.now(UTC)
    _bulk(engine, now)
    for filters, number, total, rows in CASES:
        with Session(engine) as s:
            page = queue_page(s, filters, user_id=None, now=now, number=number, size=50)
            loaded = len(s.identity_map)  # the objects read: at most a conversation, contact, assignee a row
        assert (page.total, len(page.rows)) == (total, rows), (filters, number)
        assert loaded <= 3 * 50, f"{loaded} objects read for one page of {filters}: the queue was read whole"
    with Session(engine) as s:
        first = queue_page(s, Filters(), user_id=None, now=now, size=50)
    due = [r.sla_due_at for r in first.rows]
    assert due == sorted(due, key=lambda d: (d is None, d)) and due[0] == now - timedelta(minutes=30)
    assert all(r.sla == "red" for r in first.rows[:10])  # the most overdue, 30 minutes late
