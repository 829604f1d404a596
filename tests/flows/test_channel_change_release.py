"""When a channel restriction changes, a user who loses a channel loses what they held there: each of their
open or pending conversations on it goes back to the queue unassigned (its clock running on), audited; a
resolved one and one on a channel they still work keep their assignee. The bell, read each time, never lists
a notification about a conversation the user may not see now. Role-level and account-level, CLI output too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from inbox.charter.versions import charter_book
from inbox.desk import actions, channel_scope, notifications
from inbox.desk.accounts import OPERATOR
from inbox.desk.queue import Filters, queue_page
from inbox.store.tables import AuditEvent, Conversation, User
from tests.conftest import ROOT
from tests.flows.test_accounts import cli  # noqa: F401 - the command line's fixture
from tests.flows.test_role_channels_cli import _inbox
from tests.support.seed_desk import Seeded, add_toot, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, within the charter's hours
KNOWN = ("x-acme", "mastodon-acme", "wa-acme")


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    """The desk seed (x-acme: late, soon, dm open, done resolved) and a toot on mastodon-acme; alice holds
    late, dm, done and toot, bruno soon, maya (a manager) none; dm is pending."""
    out = add_toot(engine, seed(engine, NOW), NOW)
    with Session(engine) as s, s.begin():
        c, u = out.conversations, out.users
        owners = {"late": "alice", "dm": "alice", "done": "alice", "toot": "alice", "soon": "bruno"}
        for conv, name in owners.items():
            row = s.get(Conversation, c[conv])
            assert row is not None
            row.assignee_id = u[name]
            row.status = "pending" if conv == "dm" else row.status
    return out


def _owners(engine: Engine) -> dict[int, int | None]:
    with Session(engine) as s:
        return {c.id: c.assignee_id for c in s.exec(select(Conversation)) if c.id is not None}


def _released_events(engine: Engine) -> list[tuple[str, str | None, dict[str, object]]]:
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.assigned")).all()
        return [(e.actor, e.target_id, e.detail) for e in events]


def test_which_conversations_a_change_takes_back() -> None:
    held = [(1, "x-acme", 7), (2, "mastodon-acme", 7), (3, "x-acme", 8), (4, "wa-acme", 9)]
    scopes = {7: frozenset({"mastodon-acme"}), 8: None, 9: frozenset()}
    assert channel_scope.unworkable(held, scopes) == [1, 4]  # 8 works every channel, 9 none


def test_a_role_change_sends_its_agents_conversations_off_their_channels_back_to_the_queue(
    engine: Engine, seeded: Seeded
) -> None:
    c, u = seeded.conversations, seeded.users
    with Session(engine) as s:
        due = s.get(Conversation, c["late"]).sla_due_at  # type: ignore[union-attr]
    with Session(engine) as s, s.begin():
        saved, released = channel_scope.set_role_channels(s, OPERATOR, "agent", ["mastodon-acme"], KNOWN, NOW)
    assert (saved, released) == (["mastodon-acme"], 3)  # alice's late and dm (pending), bruno's soon
    owners = _owners(engine)
    assert owners[c["late"]] is None and owners[c["dm"]] is None and owners[c["soon"]] is None
    assert owners[c["toot"]] == u["alice"]  # a channel she still works
    assert owners[c["done"]] == u["alice"]  # resolved: left as it was
    with Session(engine) as s:
        late = s.get(Conversation, c["late"])
        assert late is not None and late.sla_due_at == due and late.status == "open"  # its clock runs on
        waiting = queue_page(s, Filters(assignee="unassigned"), user_id=None, now=NOW).rows
        assert {c["late"], c["soon"]} <= {r.id for r in waiting}
    assert sorted(_released_events(engine), key=lambda e: int(e[1] or 0)) == [
        ("cli", str(c[k]), {"from": u[who], "to": None, "rule": "channels", "channel": "x-acme"})
        for k, who in sorted((("late", "alice"), ("soon", "bruno"), ("dm", "alice")), key=lambda p: c[p[0]])
    ]


def test_an_account_change_takes_back_only_that_account_s_conversations(
    engine: Engine, seeded: Seeded
) -> None:
    c, u = seeded.conversations, seeded.users
    with Session(engine) as s, s.begin():
        user, released = channel_scope.set_channels(s, OPERATOR, "alice", ["mastodon-acme"], KNOWN, NOW)
        assert user.name == "alice"
    assert released == 2  # late and dm; not done (resolved), not toot (mastodon-acme)
    owners = _owners(engine)
    assert (owners[c["late"]], owners[c["dm"]]) == (None, None)
    assert (owners[c["toot"]], owners[c["done"]], owners[c["soon"]]) == (u["alice"], u["alice"], u["bruno"])
    assert [(e[1], e[2]["from"], e[2]["to"]) for e in _released_events(engine)] == [
        (str(c["late"]), u["alice"], None),
        (str(c["dm"]), u["alice"], None),
    ]
    with Session(engine) as s, s.begin():  # widening takes nothing back
        assert channel_scope.set_channels(s, OPERATOR, "alice", [], KNOWN, NOW)[1] == 0


def _bell(engine: Engine, seeded: Seeded) -> tuple[list[int], int]:
    with Session(engine) as s:
        listed = [n.conversation_id for n in notifications.notices(s, seeded.users["alice"])]
        return listed, notifications.unread_count(s, seeded.users["alice"])


def test_the_bell_lists_only_the_conversations_the_user_may_see_now(engine: Engine, seeded: Seeded) -> None:
    c, u = seeded.conversations, seeded.users
    with Session(engine) as s, s.begin():
        book = charter_book(s, ROOT / "config")
        notifications.poll(s, u["alice"], "alice", book, NOW)  # places her cursor
        for conv in ("late", "toot"):
            s.get(Conversation, c[conv]).assignee_id = None  # type: ignore[union-attr]
            actions.assign(s, c[conv], u["alice"], s.get(User, u["maya"]), NOW)  # type: ignore[arg-type]
        told = notifications.poll(s, u["alice"], "alice", book, NOW)
    assert {n.conversation_id for n in told} >= {c["late"], c["toot"]}
    before, unread = _bell(engine, seeded)
    assert c["late"] in before and c["toot"] in before
    with Session(engine) as s, s.begin():
        channel_scope.set_role_channels(s, OPERATOR, "agent", ["mastodon-acme"], KNOWN, NOW)
    after, unread_after = _bell(engine, seeded)
    assert c["toot"] in after and set(after) <= {c["toot"]}  # none about x-acme, told before the change
    assert unread_after == len(after) < unread
    with Session(engine) as s, s.begin():
        channel_scope.set_role_channels(s, OPERATOR, "agent", [], KNOWN, NOW)  # lifted: shown again
    assert _bell(engine, seeded) == (before, unread)


def test_the_cli_says_how_many_conversations_went_back_to_the_queue(
    cli: CliRunner,  # noqa: F811 - the fixture imported above
    engine: Engine,
    seeded: Seeded,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))  # its channels: x-acme, mastodon-acme ...
    mine = _inbox(cli, "user", "channels", "alice", "mastodon-acme")
    assert mine.exit_code == 0, mine.output
    assert "2 open conversations went back to the queue" in mine.output  # late and dm
    again = _inbox(cli, "user", "channels", "alice", "mastodon-acme,x-acme")
    assert "No open conversation went back to the queue." in again.output
    role = _inbox(cli, "role", "channels", "agent", "mastodon-acme")
    assert role.exit_code == 0, role.output
    assert "1 open conversation went back to the queue: its assignee" in role.output  # bruno's soon
    assert _owners(engine)[seeded.conversations["soon"]] is None
