"""The services check permissions themselves: an agent calling a manager's or an admin's service is refused,
and nothing is written (no row, no audit event, no file change, no platform call)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from inbox.access import PermissionDenied
from inbox.charter.deadlines import default_due
from inbox.charter.versions import save_version
from inbox.config import channel_file
from inbox.config.channels import ChannelConfig
from inbox.desk import actions, assignment, auth, notes, people, presence
from inbox.ingest import channel_admin
from inbox.store.tables import AuditEvent, Contact, Conversation, User
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHARTER_TEXT = (ROOT / "config" / "charter.toml").read_text(encoding="utf-8")
Call = Callable[[Session, User, Seeded, Path], object]
MASTODON = {
    "name": "masto",
    "platform": "mastodon",
    "account": "acme",
    "credentials": {"access_token": "M_TOKEN"},
}


def _contacts(session: Session) -> list[int]:
    return [c for c in session.exec(select(Contact.id).order_by(Contact.id)) if c is not None][:2]


def _unmark(s: Session, user: User, seeded: Seeded, _: Path) -> object:
    return actions.unmark_moderated(s, seeded.conversations["late"], user, NOW, default_due)


def _link(s: Session, user: User, _: Seeded, __: Path) -> object:
    first, second = _contacts(s)
    return people.link(s, first, second, user, NOW)


def _save_charter(s: Session, user: User, _: Seeded, __: Path) -> object:
    text = CHARTER_TEXT + "\n# edited\n"
    return save_version(s, text, by=user, comment="", now=NOW, based_on=None, previous_text=CHARTER_TEXT)


def _distribute(s: Session, user: User, _: Seeded, __: Path) -> object:
    return assignment.assign_unassigned(s, user, NOW)


def _add_user(s: Session, user: User, _: Seeded, __: Path) -> object:
    return auth.add_user(s, user, "newbie", "newbie-pw", "admin")


def _add_channel(_: Session, user: User, __: Seeded, folder: Path) -> object:
    return channel_file.append_channel(folder, MASTODON, user)


def _check_channel(_: Session, user: User, __: Seeded, ___: Path) -> object:
    cfg = ChannelConfig.model_validate(MASTODON)
    return channel_admin.check_connection(cfg, user, lambda _env: pytest.fail("a secret was read"))


MANAGERS = [_unmark, _link, _save_charter, _distribute]
ADMINS = [_add_user, _add_channel, _check_channel]


def _state(engine: Engine, folder: Path) -> tuple[object, ...]:
    with Session(engine) as s:
        audit = s.exec(select(func.count()).select_from(AuditEvent)).one()
        rows = s.exec(select(Conversation.tags, Conversation.status, Conversation.assignee_id)).all()
        persons = s.exec(select(Contact.person_id).order_by(Contact.id)).all()
        users = s.exec(select(func.count()).select_from(User)).one()
    return audit, sorted(map(str, rows)), persons, users, (folder / "channels.toml").read_text()


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> tuple[Seeded, Path]:
    seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, seeded.conversations["late"])
        assert conv is not None
        conv.tags, conv.status = ["moderated:spam"], "resolved"
        auth.create_user(s, "ada", "ada-pw", "admin", actor="test")
        for agent in ("alice", "bruno"):  # signed in: the round-robin has someone to hand out to
            presence.heartbeat(s, seeded.users[agent], NOW)
    (tmp_path / "channels.toml").write_text("# no channel yet\n", encoding="utf-8")
    return seeded, tmp_path


def _as(s: Session, name: str) -> User:
    user = auth.user_by_name(s, name)
    assert user is not None
    return user


@pytest.mark.parametrize(
    ("call", "who"),
    [(c, "alice") for c in MANAGERS + ADMINS] + [(c, "maya") for c in ADMINS],
    ids=lambda v: v.__name__.strip("_") if callable(v) else v,
)
def test_a_service_refuses_a_role_below_its_own(
    engine: Engine, world: tuple[Seeded, Path], call: Call, who: str
) -> None:
    seeded, folder = world
    before = _state(engine, folder)
    with pytest.raises(PermissionDenied, match=f"^{who} "), Session(engine) as s, s.begin():
        call(s, _as(s, who), seeded, folder)
    assert _state(engine, folder) == before


@pytest.mark.parametrize(("call", "who"), [(c, "maya") for c in MANAGERS] + [(c, "ada") for c in ADMINS[:2]])
def test_the_same_service_serves_the_role_it_names(
    engine: Engine, world: tuple[Seeded, Path], call: Call, who: str
) -> None:
    seeded, folder = world
    before = _state(engine, folder)
    with Session(engine) as s, s.begin():
        call(s, _as(s, who), seeded, folder)
    assert _state(engine, folder) != before


def test_a_deactivated_agent_can_no_longer_work(engine: Engine, world: tuple[Seeded, Path]) -> None:
    seeded, _ = world
    with Session(engine) as s, s.begin():
        _as(s, "alice").active = False
    with pytest.raises(PermissionDenied, match="deactivated"), Session(engine) as s, s.begin():
        notes.add_note(s, seeded.conversations["soon"], _as(s, "alice"), "still here?", NOW)
