"""The stable message export (JSON Lines or CSV). Keys and their meaning are documented in README.md."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.spreadsheet import safe_row
from inbox.store.tables import Channel, Message

FIELDS = [
    "channel",
    "platform_id",
    "direction",
    "visibility",
    "text",
    "author",
    "created_at",
    "conversation_id",
    "language",
    "sentiment",
    "sentiment_scores",
    "urgency",
    "urgency_reasons",
    "pii",
]


def message_record(message: Message, channel_name: str) -> dict[str, Any]:
    """One message as the export's flat record: classification fields are null until it is classified,
    then ``pii`` is the list of kinds found (empty when none)."""
    classified = message.sentiment is not None or message.urgency is not None
    return {
        "channel": channel_name,
        "platform_id": message.platform_id,
        "direction": message.direction,
        "visibility": message.visibility,
        "text": message.text,
        "author": message.author_handle,
        "created_at": message.created_at.isoformat() if message.created_at else None,
        "conversation_id": message.conversation_id,
        "language": message.language,
        "sentiment": message.sentiment,
        "sentiment_scores": message.sentiment_scores or None,
        "urgency": message.urgency,
        "urgency_reasons": message.urgency_reasons if classified else None,
        "pii": sorted({p["kind"] for p in message.pii or []}) if classified else None,
    }


def iter_messages(engine: Engine, channel: str | None = None, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """Every stored message in storage order, streamed in batches (never the whole table in memory)."""
    last_id = 0
    while True:
        with Session(engine) as session:
            stmt = select(Message, Channel.name).join(Channel, col(Channel.id) == col(Message.channel_id))
            stmt = stmt.where(col(Message.id) > last_id)
            if channel:
                stmt = stmt.where(Channel.name == channel)
            rows = session.exec(stmt.order_by(col(Message.id)).limit(batch)).all()
            for message, name in rows:
                yield message_record(message, name)
        if len(rows) < batch:
            return
        last_id = rows[-1][0].id or last_id


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    count = 0
    for record in records:
        flat = {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
            for k, v in record.items()
        }
        writer.writerow(safe_row(flat))
        count += 1
    return count
