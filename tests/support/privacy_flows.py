"""Shared by the privacy flow tests (tests/flows/test_privacy_*.py): jane's data filled by the listener, a
config folder on the X sandbox, `inbox listen --once` run for real, the `inbox` CLI run in-process, and every
stored value of every table (to look for erased text)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.cli.main import main
from inbox.desk.people import link
from inbox.store.tables import Contact, Conversation, Note, User
from tests.conftest import ROOT, x_channel_only
from tests.support.cli_process import run_inbox


def config_on(sandbox: XSandbox, folder: Path, charter_extra: str = "") -> Path:
    shutil.copytree(ROOT / "config", folder)
    channels = x_channel_only((folder / "channels.toml").read_text())
    (folder / "channels.toml").write_text(channels.replace("http://127.0.0.1:8701", sandbox.url))
    if charter_extra:
        with (folder / "charter.toml").open("a") as f:
            f.write("\n" + charter_extra)
    return folder


def listen_once(db_url: str, config: Path, x_env: dict[str, str], *extra: str) -> str:
    """The real listener, once, in its own process; its stdout."""
    env = {**x_env, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(config)}
    done = run_inbox(env, "listen", "--once", *extra)
    assert done.returncode == 0, done.stderr
    return done.stdout


def inbox(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``inbox ARGS`` in this process (INBOX_DATABASE_URL and INBOX_CONFIG_DIR set by the test)."""
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def every_value(engine: Engine) -> str:
    """Every row of every table as text (bytes decoded), to search for what must be gone."""
    parts = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts += [
                    bytes(v).decode("utf-8", "replace") if isinstance(v, bytes | memoryview) else str(v)
                    for v in row
                ]
    return "\n".join(parts)


JANE = ["@AcmeCare zebracorn one: my parcel is lost", "@AcmeCare zebracorn two: still nothing"]
JANE_PRO = ["@AcmeCare zebracorn pro: invoice for my company"]
JANE_DM = "zebracorn dm: my address is 3 rue des Lilas"
BOB = ["@AcmeCare unicornfish: mine arrived broken", "@AcmeCare unicornfish in jane's thread"]


def fill(sandbox: XSandbox, engine: Engine, db_url: str, config: Path, x_env: dict[str, str]) -> int:
    """The listener stores jane's, jane_pro's and bob's messages; jane's two accounts are linked. Returns the
    contact id of @janedoe77."""
    sandbox.add_user("janedoe77", name="Jane Doe")
    sandbox.add_user("janedoe_pro", name="Jane Doe (work)")
    start = datetime.now(UTC) - timedelta(minutes=10)
    at = [start + timedelta(seconds=30 * i) for i in range(7)]  # distinct: the order never rests on a tie
    root = sandbox.add_mention(JANE[0], author="janedoe77", created_at=at[0])
    sandbox.add_mention(JANE[1], author="janedoe77", in_reply_to=root, created_at=at[1])
    sandbox.add_mention(
        "@janedoe77 Hi Jane Doe, we are on it", author="AcmeCare", in_reply_to=root, created_at=at[2]
    )
    sandbox.add_mention(JANE_PRO[0], author="janedoe_pro", created_at=at[3])
    sandbox.add_dm(JANE_DM, sender="janedoe77", created_at=at[4])
    sandbox.add_mention(BOB[0], author="bobsmith", created_at=at[5])
    sandbox.add_mention(BOB[1], author="bobsmith", in_reply_to=root, created_at=at[6])
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        contacts = {c.handle: c for c in s.exec(select(Contact)).all()}
        manager = User(name="mia", password_hash="x", role="manager")
        s.add(manager)
        s.flush()
        now = datetime.now(UTC)
        link(s, contacts["janedoe77"].id or 0, contacts["janedoe_pro"].id or 0, manager, now)
        jane_conv = s.exec(select(Contact).where(Contact.handle == "janedoe77")).one()
        conv = s.exec(select(Conversation).where(Conversation.contact_id == jane_conv.id)).first()
        assert conv is not None
        s.add(
            Note(
                conversation_id=conv.id or 0,
                author_id=manager.id or 0,
                text="zebracorn note: Jane Doe is a VIP",
                created_at=now,
            )
        )
        return jane_conv.id or 0


@pytest.fixture
def filled(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> int:
    """``fill`` on the shipped config pointed at the X sandbox, with ``INBOX_DATABASE_URL`` and
    ``INBOX_CONFIG_DIR`` set for ``inbox``; the contact id of @janedoe77."""
    return fill(sandbox, engine, db_url, cli_on(sandbox, tmp_path, db_url, monkeypatch), x_env)


def cli_on(
    sandbox: XSandbox, tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, charter_extra: str = ""
) -> Path:
    """``config_on`` in ``tmp_path / "config"``, with ``INBOX_DATABASE_URL`` and ``INBOX_CONFIG_DIR`` set for
    ``inbox`` and ``listen_once``; the config folder."""
    config = config_on(sandbox, tmp_path / "config", charter_extra)
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    return config
