"""Cron mode (`inbox send`, a real process) follows a Telegram group's move the outbox learnt, as the
listener's sender thread does: a member's supergroup conversation merges into their first one at once.

Before, only `inbox listen` (its sender thread) followed such a move; with cron's `inbox send` the two
conversations stayed apart until a notice came (never, here). Real parts: the Telegram sandbox, the shipped
config pointed at it, the `inbox` command in its own process, SQLite or PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation
from tests.conftest import ROOT
from tests.flows import test_platform_telegram_supergroup as supergroup
from tests.flows.test_ingest_order_telegram_merge import _held_back
from tests.flows.test_platform_telegram_supergroup import NEW, OLD, _poll
from tests.support.clock import Clock
from tests.support.sandbox_channels import DEFAULT_TOKEN, telegram_runtime

tg = supergroup.tg  # the fixture: the Telegram sandbox


def _config(tmp_path: Path, tg: TelegramSandbox) -> Path:
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    text = (cfg / "channels.toml").read_text()
    (cfg / "channels.toml").write_text(
        text.replace('base_url = "http://127.0.0.1:8704"', f'base_url = "{tg.url}"')
    )
    return cfg


def test_inbox_send_follows_the_move_a_delivered_reply_taught(
    tmp_path: Path, db_url: str, engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = telegram_runtime(tg, monkeypatch), Clock()
    tg.add_group_message("@AcmeCareBot ma box ne marche plus", group_id=OLD, kind="group", user_id=43)
    _poll(engine, rt, clock)
    _held_back(tg)  # the group is upgraded; its notices never come
    tg.add_group_message("@AcmeCareBot toujours rien", group_id=NEW, user_id=43)
    _poll(engine, rt, clock)
    with Session(engine) as s, s.begin():
        first = s.exec(select(Conversation).where(Conversation.thread_key == f"{OLD}/43")).one()
        outbox.enqueue(
            s, first, visibility="public", text="Bonjour Jonas, nous regardons.", actor="a", now=clock()
        )
    env = {
        **os.environ,
        "INBOX_DATABASE_URL": db_url,
        "INBOX_CONFIG_DIR": str(_config(tmp_path, tg)),
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
    }
    done = subprocess.run(
        [sys.executable, "-m", "inbox.cli.main", "send"], env=env, cwd=ROOT, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    with Session(engine) as s:
        keys = sorted(c.thread_key or "" for c in s.exec(select(Conversation)))
        moved = s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.chat_moved")).all()
    assert keys == [f"{NEW}/43"], "the member's two conversations stayed apart after `inbox send`"
    assert len(moved) == 1
