"""`inbox role channels ROLE x-acme,mastodon-acme|all` and `inbox role list`: every account of a role
restricted to some channels of config/channels.toml (or of the store), refused for an unknown channel or
role; a warning names the accounts left with no channel; audited as role.channels by 'cli'."""

from __future__ import annotations

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from inbox.cli import roles, users
from inbox.desk import channel_scope
from inbox.store.tables import AuditEvent, RoleScope
from tests.conftest import ROOT
from tests.flows.test_accounts import GOOD, cli  # noqa: F401 - the command line's fixture


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))  # its channels: x-acme, mastodon-acme ...


def _inbox(runner: CliRunner, *args: str, stdin: str | None = None) -> Result:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """inbox"""

    users.register(app)
    roles.register(app)
    return runner.invoke(app, list(args), input=stdin)


def _roles(engine: Engine) -> dict[str, list[str]]:
    with Session(engine) as s:
        return channel_scope.role_channels(s)


def test_the_operator_restricts_a_role_to_some_channels(
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
    both = _inbox(cli, "role", "channels", "agent", "x-acme,mastodon-acme")
    assert both.exit_code == 0 and "role 'agent' works x-acme, mastodon-acme" in both.output
    assert _roles(engine) == {"agent": ["x-acme", "mastodon-acme"]}
    listed = _inbox(cli, "role", "list")
    assert (
        "agent    channels=x-acme,mastodon-acme" in listed.output and "manager  channels=all" in listed.output
    )
    unknown = _inbox(cli, "role", "channels", "agent", "tiktok-acme")
    assert unknown.exit_code == 2 and "unknown channel(s): tiktok-acme" in unknown.output
    no_role = _inbox(cli, "role", "channels", "intern", "x-acme")
    assert no_role.exit_code == 2 and "unknown role 'intern'" in no_role.output
    alone = _inbox(cli, "role", "channels", "agent", "mastodon-acme")  # out1 works x-acme only
    assert alone.exit_code == 0 and "these accounts now work no channel: out1" in alone.output
    everything = _inbox(cli, "role", "channels", "AGENT", "all")
    assert everything.exit_code == 0 and "role 'agent' works every channel" in everything.output
    assert _roles(engine) == {}
    with Session(engine) as s:
        assert s.get(RoleScope, "agent") is not None  # kept, empty: who lifted it and when
        audit = s.exec(select(AuditEvent).where(AuditEvent.action == "role.channels")).all()
    assert [(e.actor, e.target_id, e.detail["to"]) for e in audit] == [
        ("cli", "agent", ["x-acme", "mastodon-acme"]),
        ("cli", "agent", ["mastodon-acme"]),
        ("cli", "agent", []),
    ]
