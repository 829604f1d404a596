"""Teams of agents (#18.4, "routing to agents or teams by reason"): an admin creates a team and sets its
members (inbox.desk.teams, audited, refused to others); the charter's ``[reasons.<reason>] teams`` then
leaves a conversation with that reason to the team's members while one of them is signed in, for "Next
conversation" and live assignment alike, and to anyone when none is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.access import PermissionDenied
from inbox.desk import presence, teams
from inbox.desk.accounts import OPERATOR
from inbox.desk.claim import next_conversation
from inbox.desk.live_assignment import assign_live
from inbox.desk.routing import left_for
from inbox.store.tables import AgentActivity, AuditEvent, Conversation, User
from inbox.store.tables.enforcement import CharterVersion
from tests.conftest import ROOT
from tests.support.enforcement import charter
from tests.support.seed_desk import add_user, seed

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday


def _team(engine: Engine, name: str, members: list[str]) -> None:
    with Session(engine) as s, s.begin():
        teams.create_team(s, OPERATOR, name, NOW)
        teams.set_members(s, OPERATOR, name, members, NOW)


def test_an_admin_creates_a_team_sets_its_members_and_removes_it(engine: Engine) -> None:
    seed(engine, NOW)
    with Session(engine) as s, s.begin():
        ada = s.get(User, add_user(s, "ada", "admin"))
        assert ada is not None
        created = teams.create_team(s, ada, " Billing ", NOW)
        assert created.name == "billing"  # lower-case, as the charter names it
        assert teams.set_members(s, ada, "billing", ["bruno", "ALICE", "bruno"], NOW) == ["alice", "bruno"]
        teams.create_team(s, ada, "recovery", NOW)
    with Session(engine) as s:
        assert teams.members(s) == {"billing": ["alice", "bruno"], "recovery": []}
        assert teams.members(s, {"billing", "nowhere"}) == {"billing": ["alice", "bruno"]}
        assert teams.teams_of(s, ["alice", "maya"]) == {"alice": ["billing"], "maya": []}
    with Session(engine) as s, s.begin():
        ada = s.exec(select(User).where(User.name == "ada")).one()
        assert teams.set_members(s, ada, "billing", ["maya"], NOW) == ["maya"]
        teams.remove_team(s, ada, "recovery", NOW)
    with Session(engine) as s:
        assert teams.members(s) == {"billing": ["maya"]}
        events = s.exec(select(AuditEvent).where(AuditEvent.action.startswith("team."))).all()  # type: ignore[attr-defined]
    assert [(e.actor, e.action, e.target_id) for e in events] == [
        ("ada", "team.created", "billing"),
        ("ada", "team.members", "billing"),
        ("ada", "team.created", "recovery"),
        ("ada", "team.members", "billing"),
        ("ada", "team.removed", "recovery"),
    ]
    assert (events[3].detail["from"], events[3].detail["to"]) == (["alice", "bruno"], ["maya"])


@pytest.mark.parametrize(
    ("name", "members", "fragment"),
    [
        ("bad name", [], "lower-case letters"),
        ("billing", [], "already exists"),
        ("recovery", ["alice", "zed"], "no user named 'zed'"),
    ],
)
def test_a_wrong_team_is_refused_and_changes_nothing(
    engine: Engine, name: str, members: list[str], fragment: str
) -> None:
    seed(engine, NOW)
    _team(engine, "billing", ["alice"])
    with pytest.raises(teams.TeamError, match=fragment), Session(engine) as s, s.begin():
        teams.create_team(s, OPERATOR, name, NOW)
        teams.set_members(s, OPERATOR, name, members, NOW)
    with Session(engine) as s:
        assert teams.members(s) == {"billing": ["alice"]}  # the transaction rolled back


def test_only_an_admin_may_change_teams(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    _team(engine, "billing", ["alice"])
    with Session(engine) as s:
        maya = s.get(User, seeded.users["maya"])  # a community manager
        assert maya is not None
        with pytest.raises(PermissionDenied):
            teams.create_team(s, maya, "recovery", NOW)
        with pytest.raises(PermissionDenied):
            teams.set_members(s, maya, "billing", ["maya"], NOW)
        with pytest.raises(PermissionDenied):
            teams.remove_team(s, maya, "billing", NOW)


def _routed_to_team(session: Session) -> None:
    text = (ROOT / "config" / "charter.toml").read_text(encoding="utf-8")
    routed = text.replace(
        '# [reasons.billing_payment]\n# agents = ["maya"]\n# teams = ["billing"]',
        '[reasons.billing_payment]\nteams = ["billing"]',
    )
    assert routed != text
    session.add(CharterVersion(saved_at=NOW - timedelta(days=1), saved_by="maya", toml=routed))


def test_next_conversation_leaves_a_reason_to_its_team_while_a_member_is_here(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    _team(engine, "billing", ["bruno"])
    with Session(engine) as s, s.begin():
        _routed_to_team(s)
        s.get(Conversation, seeded.conversations["late"]).reason = "billing_payment"  # type: ignore[union-attr]
        for user_id in (alice, bruno):
            s.merge(AgentActivity(user_id=user_id, seen_at=NOW))
    with Session(engine) as s:
        assert next_conversation(s, bruno, NOW) == seeded.conversations["late"]  # the most urgent: his team's
        assert next_conversation(s, alice, NOW) == seeded.conversations["soon"]  # left to the billing team
        assert left_for(s, alice, {}, NOW) == frozenset()  # no charter rule: nothing left to anyone
    with Session(engine) as s, s.begin():
        s.get(AgentActivity, bruno).seen_at = NOW - timedelta(hours=3)  # type: ignore[union-attr]
    with Session(engine) as s:
        assert next_conversation(s, alice, NOW) == seeded.conversations["late"]  # nobody of the team: anyone


def test_an_empty_or_missing_team_holds_nothing_back(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    with Session(engine) as s, s.begin():
        _routed_to_team(s)  # the team "billing" does not exist
        s.get(Conversation, seeded.conversations["late"]).reason = "billing_payment"  # type: ignore[union-attr]
        for user_id in (alice, bruno):
            s.merge(AgentActivity(user_id=user_id, seen_at=NOW))
    with Session(engine) as s:
        assert next_conversation(s, alice, NOW) == seeded.conversations["late"]
    _team(engine, "billing", [])
    with Session(engine) as s:
        assert next_conversation(s, alice, NOW) == seeded.conversations["late"]


def test_live_assignment_follows_the_team(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    _team(engine, "billing", ["bruno"])
    with Session(engine) as s, s.begin():
        s.get(Conversation, seeded.conversations["late"]).reason = "billing_payment"  # type: ignore[union-attr]
        for user_id in (alice, bruno):
            presence.heartbeat(s, user_id, NOW)
            s.get(User, user_id).capacity = 1  # type: ignore[union-attr]
    live = charter(**{"assignment.automatic": True, "reasons.billing_payment": {"teams": ["billing"]}})
    assert assign_live(engine, live, NOW) == 2
    with Session(engine) as s:
        assignees = {k: s.get(Conversation, v).assignee_id for k, v in seeded.conversations.items()}  # type: ignore[union-attr]
    # alice's turn comes first (the lower id): the most urgent is left to the billing team, bruno takes it
    assert (assignees["late"], assignees["soon"], assignees["dm"]) == (bruno, alice, None)
