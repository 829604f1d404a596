"""Fast seeding of a migrated database with real customer tweets repeated under new ids (benchmarks, EXPLAIN).

Shape: 4 messages per conversation, 40% of conversations open (a running SLA clock on most), the rest
resolved; times spread over ``days`` up to ``now``. PostgreSQL gets COPY, SQLite one executemany per table
in one transaction. ``seed(engine, messages=1_000_000)`` gives 250,000 conversations, 100,000 open.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

ROOT = Path(__file__).resolve().parents[1]
SHARED_TWEETS = ROOT.parent / "shared" / "data" / "twcs-customer-support" / "train.csv"
SAMPLE_TWEETS = ROOT / "connectors" / "sandbox" / "data" / "twcs_sample.csv"
PER_CONVERSATION = 4
URGENCIES = ("low", "normal", "normal", "high", "critical")
SENTIMENTS = ("negative", "neutral", "positive")
CHANNELS = ("x-acme", "x-other")


def customer_texts(path: Path | None = None) -> list[str]:
    """Inbound customer tweets of the Customer Support on Twitter sample (shared data, else the shipped)."""
    source = path or (SHARED_TWEETS if SHARED_TWEETS.exists() else SAMPLE_TWEETS)
    with source.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f)
        texts = [
            r["text"] for r in rows if r.get("inbound", "True") in ("True", "true", "1") and r.get("text")
        ]
    if not texts:
        raise ValueError(f"no inbound tweet in {source}")
    return texts


@dataclass(frozen=True)
class Seeded:
    messages: int
    conversations: int
    open: int
    contacts: int


def _naive(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(tzinfo=None)


def _conversations(count: int, contacts: int, start: datetime, span: float) -> Iterator[tuple[Any, ...]]:
    for i in range(1, count + 1):
        first = start + timedelta(seconds=span * i / count)
        is_open = i % 5 in (0, 1)
        answered = not is_open or i % 10 == 1  # resolved, or open with the clock stopped
        due = None if answered else first + timedelta(hours=1)
        private = i % 4 == 0
        yield (
            i,
            1 + i % len(CHANNELS),
            f"thread-{i}",
            "private" if private else "public",
            "dm" if private else "mention",
            1 + i % contacts,
            "open" if is_open else "resolved",
            None,
            first,
            first + timedelta(minutes=3 * (PER_CONVERSATION - 1)),
            first + timedelta(minutes=3 * (PER_CONVERSATION - 1)),
            first + timedelta(minutes=5) if answered else None,
            first + timedelta(minutes=5) if answered else None,
            due,
            first + timedelta(hours=1),  # the first-response due time stored at arrival
            URGENCIES[i % len(URGENCIES)],
            SENTIMENTS[i % len(SENTIMENTS)],
            "fr" if i % 7 == 0 else "en",
            "[]",
            first,
        )


CONVERSATION_COLUMNS = (
    "id, channel_id, thread_key, visibility, kind, contact_id, status, assignee_id, first_inbound_at, "
    "last_inbound_at, last_message_at, last_outbound_at, first_response_at, sla_due_at, "
    "first_response_due_at, urgency, sentiment, language, tags, created_at"
)
MESSAGE_COLUMNS = (
    "id, channel_id, conversation_id, platform_id, direction, visibility, kind, text, author_platform_id, "
    "author_handle, contact_id, created_at, raw, ingested_at, language, sentiment, sentiment_scores, "
    "urgency, urgency_reasons, pii"
)
SCORES = json.dumps({"negative": 0.2, "neutral": 0.5, "positive": 0.3})


def _messages(
    count: int, conversations: int, contacts: int, start: datetime, span: float, texts: list[str]
) -> Iterator[tuple[Any, ...]]:
    for j in range(count):
        conv = 1 + j % conversations
        step = j // conversations
        first = start + timedelta(seconds=span * conv / conversations)
        outbound = step == 1 and conv % 5 not in (0, 1)  # the brand answered the resolved ones
        contact = 1 + conv % contacts
        private = conv % 4 == 0
        at = first + timedelta(minutes=3 * step)
        yield (
            j + 1,
            1 + conv % len(CHANNELS),
            conv,
            str(10**15 + j),
            "out" if outbound else "in",
            "private" if private else "public",
            "dm" if private else "mention",
            texts[j % len(texts)],
            str(contact),
            f"customer{contact}",
            None if outbound else contact,
            at,
            "{}",
            at,
            "fr" if conv % 7 == 0 else "en",
            SENTIMENTS[j % 3],
            SCORES,
            URGENCIES[j % len(URGENCIES)],
            "[]",
            "[]",
        )


def _contacts(count: int, now: datetime) -> Iterator[tuple[Any, ...]]:
    for k in range(1, count + 1):
        tags = '["vip"]' if k % 50 == 0 else "[]"
        yield (k, 1 + k % len(CHANNELS), str(k), f"customer{k}", f"Customer {k}", k % 5000, tags, now, now)


CONTACT_COLUMNS = "id, channel_id, platform_id, handle, display_name, followers, tags, created_at, updated_at"


def _copy(raw: Any, table: str, columns: str, rows: Iterator[tuple[Any, ...]]) -> None:
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _executemany(raw: Any, table: str, columns: str, rows: Iterator[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" for _ in columns.split(","))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    chunk: list[tuple[Any, ...]] = []
    cur = raw.cursor()
    for row in rows:
        chunk.append(tuple(v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v for v in row))
        if len(chunk) == 20_000:
            cur.executemany(sql, chunk)
            chunk.clear()
    if chunk:
        cur.executemany(sql, chunk)


def seed(engine: Engine, *, messages: int, now: datetime | None = None, days: float = 30) -> Seeded:
    """Fill an empty, migrated database: channels, contacts, conversations and ``messages`` messages."""
    texts = customer_texts()
    end = _naive(now or datetime.now(UTC))
    span = days * 86400.0
    start = end - timedelta(seconds=span)
    conversations = max(1, messages // PER_CONVERSATION)
    contacts = max(1, conversations // 3)
    pg = engine.dialect.name == "postgresql"
    load = _copy if pg else _executemany
    with engine.begin() as conn:
        for n, name in enumerate(CHANNELS, start=1):
            conn.execute(
                text(
                    "INSERT INTO channel (id, name, platform, account, reads_used, created_at) "
                    "VALUES (:id, :name, 'x', 'AcmeCare', 0, :at)"
                ),
                {"id": n, "name": name, "at": start},
            )
        raw = conn.connection.driver_connection
        load(raw, "contact", CONTACT_COLUMNS, _contacts(contacts, start))
        load(raw, "conversation", CONVERSATION_COLUMNS, _conversations(conversations, contacts, start, span))
        load(
            raw, "message", MESSAGE_COLUMNS, _messages(messages, conversations, contacts, start, span, texts)
        )
        if pg:
            for table in ("channel", "contact", "conversation", "message"):
                top = f"(SELECT max(id) FROM {table})"
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {top})"))
    analyze(engine)
    opened = sum(1 for i in range(1, conversations + 1) if i % 5 in (0, 1))
    return Seeded(messages, conversations, opened, contacts)


def analyze(engine: Engine) -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map for index-only scans)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


@dataclass(frozen=True)
class SeededRun:
    """A seeded throwaway database for one benchmark size: its URL, the ``now`` it was seeded around, what
    was written and how long seeding took."""

    url: str
    now: datetime
    seeded: Seeded
    seed_seconds: float


@contextmanager
def seeded_database(kind: str, size: int, admin: str | None) -> Iterator[SeededRun]:
    """A new database of ``kind`` seeded with ``size`` messages (timed), dropped afterwards."""
    from bench.common import Timer, database
    from inbox.store.engine import open_engine

    with database(kind, admin) as url:
        engine = open_engine(url)
        now = datetime.now(UTC)
        with Timer() as t:
            seeded = seed(engine, messages=size, now=now)
        engine.dispose()
        yield SeededRun(url, now, seeded, t.seconds)
