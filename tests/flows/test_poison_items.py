"""Poison items never stop a channel (issue #12.2), through the real listener against the sandboxes.

A bad item in a page (a date out of range, a lone surrogate, a wrong type) is quarantined or stored with
U+FFFD, the rest of the page is stored, the cursor moves past it and the stream keeps going. A page that
cannot be read at all (valid JSON of the wrong shape) is the stream's error with backoff, never a crash of
``inbox listen --once``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import poll_channel, poll_stream
from inbox.store.engine import open_engine
from inbox.store.tables import ListeningCursor, Message, QuarantinedItem
from tests.conftest import BRAND_ID, ROOT, X_ENV, x_channel_only
from tests.support.clock import Clock
from tests.support.x_channel import x_runtime

SURROGATE_TEXT = "my router \ud83d died"  # half of an emoji: what a broken client sends


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def xsb() -> Iterator[XSandbox]:
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sandbox:
        yield sandbox


@pytest.fixture
def tg_rt(tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    cfg = ChannelConfig.model_validate(
        {
            "name": "tg-acme",
            "platform": "telegram",
            "account": "AcmeCareBot",
            "base_url": tg.url,
            "page_size": 5,
            "credentials": {"bot_token": "TELEGRAM_BOT_TOKEN"},
            "options": {"poll_seconds": 0},
        }
    )
    return Runtime(cfg, build_connector(cfg))


def _message(message_id: int, text: str, date: int) -> dict[str, object]:
    sender = {"id": 4300 + message_id, "is_bot": False, "first_name": "Eve"}
    chat = {"id": 4300 + message_id, "type": "private", "first_name": "Eve"}
    return {"message": {"message_id": message_id, "from": sender, "chat": chat, "date": date, "text": text}}


def _texts(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(Message.text).order_by(col(Message.id))))


def _quarantined(engine: Engine) -> list[QuarantinedItem]:
    with Session(engine) as s:
        return list(s.exec(select(QuarantinedItem).order_by(col(QuarantinedItem.id))))


def test_telegram_update_out_of_range_is_quarantined_and_the_stream_goes_on(
    engine: Engine, tg: TelegramSandbox, tg_rt: Runtime
) -> None:
    now = int(datetime.now(UTC).timestamp())
    for i in range(10):
        tg.add_message(f"question {i}", first_name="Camille", user_id=42)
    tg.add_raw_update(_message(1, "from the far future", 10**17))  # OverflowError: timestamp out of range
    tg.add_raw_update(_message(2, SURROGATE_TEXT, now))
    tg.add_raw_update(_message(3, "year 3170843", 10**14))  # ValueError: year is out of range
    for i in range(10, 29):
        tg.add_message(f"question {i}", first_name="Camille", user_id=42)
    clock = Clock()
    [report] = poll_channel(engine, tg_rt, clock=clock, due=default_due)
    assert report.error is None and (report.new, report.quarantined) == (30, 2)
    texts = _texts(engine)
    assert len(texts) == 30 and "my router \ufffd died" in texts
    assert [f"question {i}" for i in range(29)] == [t for t in texts if t.startswith("question")]
    bad = _quarantined(engine)
    assert [q.external_id for q in bad] == [f"update:{u}" for u in (500000011, 500000013)]
    assert all("'date' is not a time in range" in q.error for q in bad)
    with Session(engine) as s:
        stored = s.exec(select(Message).where(Message.text == "my router \ufffd died")).one()
        assert "U+FFFD" in stored.raw["_inbox"]["note"]
    tg.add_message("still there?", first_name="Camille", user_id=42)
    [again] = poll_channel(engine, tg_rt, clock=clock, due=default_due)
    assert (again.new, again.quarantined, again.error) == (1, 0, None)  # the cursor moved past the poison
    with Session(engine) as s:
        assert s.exec(select(ListeningCursor.cursor)).one() == str(tg.store.next_update_id)  # past them all


def test_x_mentions_with_a_surrogate_and_a_bad_year_store_the_rest(
    engine: Engine, x_env: dict[str, str], xsb: XSandbox
) -> None:
    good = [xsb.add_mention(f"@AcmeCare question {i}", author="jane") for i in range(6)]
    author = xsb.add_user("eve")
    broken = xsb.add_raw_mention({"text": f"@AcmeCare {SURROGATE_TEXT}", "author_id": author})
    xsb.add_raw_mention(
        {"text": "@AcmeCare hi", "author_id": author, "created_at": "3170843-01-01T00:00:00Z"}
    )
    xsb.add_raw_mention(
        {"text": "@AcmeCare hi", "author_id": author, "created_at": "9999-12-31T23:59:59-01:00"}
    )
    good += [xsb.add_mention(f"@AcmeCare later {i}", author="jane") for i in range(3)]
    rt = x_runtime(xsb, page_size=5)
    reports = {r.stream: r for r in poll_channel(engine, rt, clock=Clock(), due=default_due)}
    mentions = reports["mentions"]
    assert mentions.error is None and (mentions.new, mentions.quarantined) == (10, 2)
    with Session(engine) as s:
        ids = set(s.exec(select(Message.platform_id)))
        assert ids == {*good, broken}
        text = s.exec(select(Message.text).where(Message.platform_id == broken)).one()
        assert text == "@AcmeCare my router \ufffd died"
    assert all("created_at" in q.error for q in _quarantined(engine))
    later = xsb.add_mention("@AcmeCare one more", author="jane")
    again = {r.stream: r for r in poll_channel(engine, rt, clock=Clock(), due=default_due)}
    assert (again["mentions"].new, again["mentions"].quarantined) == (1, 0) and later


def test_x_page_of_the_wrong_shape_is_a_stream_error_with_backoff(
    engine: Engine, x_env: dict[str, str], xsb: XSandbox
) -> None:
    first = xsb.add_mention("@AcmeCare hello", author="jane")
    xsb.inject_fault("/2/users/", status=200, body=[{"id": "1"}, "not a page"])
    rt = x_runtime(xsb)
    clock = Clock()
    report = poll_stream(engine, rt, "mentions", clock=clock, due=default_due)
    assert report.error is not None and report.error.startswith("BadPayload: X answered mentions with a list")
    assert not report.fatal
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == "mentions")).one()
        assert cursor.failures == 1 and cursor.retry_at is not None and cursor.cursor is None
        assert cursor.last_error == report.error
    assert poll_stream(engine, rt, "mentions", clock=clock, due=default_due).skipped  # backing off
    clock.now += timedelta(minutes=16)
    assert poll_stream(engine, rt, "mentions", clock=clock, due=default_due).new == 1
    with Session(engine) as s:
        assert list(s.exec(select(Message.platform_id))) == [first]


def _config_dir(tmp_path: Path, base_url: str) -> Path:
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    text = x_channel_only((cfg / "channels.toml").read_text())
    (cfg / "channels.toml").write_text(
        text.replace('base_url = "http://127.0.0.1:8701"', f'base_url = "{base_url}"')
    )
    return cfg


def test_listen_once_survives_a_top_level_array(db_url: str, tmp_path: Path, xsb: XSandbox) -> None:
    xsb.add_mention("@AcmeCare hello", author="jane")
    xsb.inject_fault("/2/users/", status=200, body=["a", "top-level", "array"])
    env = {
        **os.environ,
        **X_ENV,
        "INBOX_DATABASE_URL": db_url,
        "INBOX_CONFIG_DIR": str(_config_dir(tmp_path, xsb.url)),
    }
    done = subprocess.run(
        [sys.executable, "-m", "inbox.cli.main", "listen", "--once", "--no-automation"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (
        "x-acme/mentions: 0 new" in done.stderr
        and "BadPayload: X answered mentions with a list" in done.stderr
    )
    assert "x-acme/dms: 0 new" in done.stdout + done.stderr
    engine = open_engine(db_url)
    try:
        with Session(engine) as s:
            cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == "mentions")).one()
            assert cursor.retry_at is not None and "BadPayload" in (cursor.last_error or "")
    finally:
        engine.dispose()
