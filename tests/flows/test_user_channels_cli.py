"""`inbox user add --channels` and `inbox user channels NAME x-acme|all`: an account restricted to some of the
channels of config/channels.toml (or of the store), refused for an unknown one; audited as user.channels."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from inbox.store.tables import AuditEvent, User
from tests.conftest import ROOT
from tests.flows.test_accounts import GOOD, _inbox, cli  # noqa: F401 - the command line's fixture


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))  # its channels: x-acme, mastodon-acme ...


def _channels(engine: Engine, name: str) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(User).where(User.name == name)).one().channels)


def test_the_operator_restricts_an_account_to_some_channels(
    cli: CliRunner,  # noqa: F811 - the fixture imported above
    engine: Engine,
    config: None,
) -> None:
    added = _inbox(
        cli,
        "user",
        "add",
        "out1",
        "--role",
        "agent",
        "--channels",
        "x-acme",
        "--password-stdin",
        stdin=GOOD + "\n",
    )
    assert added.exit_code == 0, added.output
    assert _channels(engine, "out1") == ["x-acme"]
    both = _inbox(cli, "user", "channels", "out1", "x-acme,mastodon-acme")
    assert both.exit_code == 0 and "works x-acme, mastodon-acme" in both.output
    unknown = _inbox(cli, "user", "channels", "out1", "tiktok-acme")
    assert unknown.exit_code == 2 and "unknown channel(s): tiktok-acme" in unknown.output
    assert _channels(engine, "out1") == ["x-acme", "mastodon-acme"]
    everything = _inbox(cli, "user", "channels", "out1", "all")
    assert everything.exit_code == 0 and "every channel" in everything.output
    assert _channels(engine, "out1") == []
    listed = _inbox(cli, "user", "list")
    assert "channels=all" in listed.output
    with Session(engine) as s:
        audit = s.exec(select(AuditEvent).where(AuditEvent.action == "user.channels")).all()
    assert [(e.actor, e.detail["to"]) for e in audit] == [
        ("cli", ["x-acme"]),
        ("cli", ["x-acme", "mastodon-acme"]),
        ("cli", []),
    ]
