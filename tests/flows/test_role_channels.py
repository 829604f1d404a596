"""A role restricted to some channels (#17.5): every account of the role sees and is given only those
channels' conversations, within the account's own restriction (the two intersect; each empty: every
channel). The queue, the conversation, each action, "Next conversation", live assignment, the Team page's
distribution, bulk actions and notifications all keep to that one set; changes are validated and audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.access import PermissionDenied
from inbox.charter.versions import charter_book
from inbox.desk import actions, assignment, bulk, channel_scope, notifications, presence
from inbox.desk.accounts import OPERATOR
from inbox.desk.auth import AuthError
from inbox.desk.claim import claim_next, next_conversation
from inbox.desk.live_assignment import assign_live
from inbox.desk.queue import Filters, matching_ids, queue_page
from inbox.store.tables import AuditEvent, Contact, Conversation, Message, Person, User
from tests.conftest import ROOT
from tests.support.enforcement import charter
from tests.support.seed_desk import Seeded, add_toot, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, within the charter's hours
KNOWN = ("x-acme", "mastodon-acme", "wa-acme")
LIVE = charter(**{"assignment.automatic": True})


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    """The desk seed (three open conversations on x-acme) and the most urgent one on mastodon-acme."""
    return add_toot(engine, seed(engine, NOW), NOW)


def _restrict_role(engine: Engine, role: str, channels: list[str]) -> list[str]:
    with Session(engine) as s, s.begin():
        return channel_scope.set_role_channels(s, OPERATOR, role, channels, KNOWN, NOW)[0]


def _restrict_user(engine: Engine, name: str, channels: list[str]) -> None:
    with Session(engine) as s, s.begin():
        channel_scope.set_channels(s, OPERATOR, name, channels, KNOWN, NOW)


def _user(session: Session, seeded: Seeded, name: str) -> User:
    user = session.get(User, seeded.users[name])
    assert user is not None
    return user


def _scope(engine: Engine, seeded: Seeded, name: str) -> channel_scope.Scope:
    with Session(engine) as s:
        return channel_scope.effective(s, _user(s, seeded, name))


def test_the_effective_channels_are_the_role_s_and_the_account_s_intersected() -> None:
    assert channel_scope.combine([], []) is None  # nobody restricted: every channel
    assert channel_scope.combine(["x-acme"], []) == {"x-acme"}
    assert channel_scope.combine([], ["wa-acme"]) == {"wa-acme"}
    assert channel_scope.combine(["x-acme", "wa-acme"], ["wa-acme", "fb-acme"]) == {"wa-acme"}
    assert channel_scope.combine(["x-acme"], ["wa-acme"]) == frozenset()  # none in common: no channel
    assert channel_scope.works_on(None, "x-acme") and not channel_scope.works_on(frozenset(), "x-acme")


def test_a_role_restriction_applies_to_every_account_of_that_role_only(
    engine: Engine, seeded: Seeded
) -> None:
    assert _restrict_role(engine, "agent", ["mastodon-acme", "x-acme"]) == ["mastodon-acme", "x-acme"]
    assert _scope(engine, seeded, "alice") == {"mastodon-acme", "x-acme"}
    assert _scope(engine, seeded, "maya") is None  # a manager: every channel
    _restrict_user(engine, "alice", ["x-acme", "wa-acme"])
    assert _scope(engine, seeded, "alice") == {"x-acme"}  # both allow x-acme only
    _restrict_user(engine, "bruno", ["wa-acme"])
    assert _scope(engine, seeded, "bruno") == frozenset()
    with Session(engine) as s:
        assert [u.name for u in channel_scope.stranded(s, "agent")] == ["bruno"]
    _restrict_role(engine, "agent", [])  # lifted: each account's own restriction again
    assert _scope(engine, seeded, "alice") == {"x-acme", "wa-acme"}
    assert _scope(engine, seeded, "bruno") == {"wa-acme"}


def test_role_restrictions_are_validated_admins_only_and_audited(engine: Engine, seeded: Seeded) -> None:
    with Session(engine) as s, s.begin():
        with pytest.raises(AuthError, match="tiktok"):
            channel_scope.set_role_channels(s, OPERATOR, "agent", ["x-acme", "tiktok"], KNOWN, NOW)
        with pytest.raises(AuthError, match="intern"):
            channel_scope.set_role_channels(s, OPERATOR, "intern", ["x-acme"], KNOWN, NOW)
        with pytest.raises(PermissionDenied):
            channel_scope.set_role_channels(s, _user(s, seeded, "maya"), "agent", ["x-acme"], KNOWN, NOW)
    _restrict_role(engine, "agent", [" x-acme ", "x-acme"])
    _restrict_role(engine, "agent", [])
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "role.channels")).all()
        assert channel_scope.role_channels(s) == {}
    assert [(e.actor, e.target_type, e.target_id, e.detail) for e in events] == [
        ("cli", "role", "agent", {"role": "agent", "from": [], "to": ["x-acme"]}),
        ("cli", "role", "agent", {"role": "agent", "from": ["x-acme"], "to": []}),
    ]


def test_the_queue_lists_only_the_channels_one_works(engine: Engine, seeded: Seeded) -> None:
    _restrict_role(engine, "agent", ["mastodon-acme"])
    c = seeded.conversations
    with Session(engine) as s:
        scope = channel_scope.effective(s, _user(s, seeded, "alice"))
        listed = queue_page(s, Filters(channels=scope), user_id=seeded.users["alice"], now=NOW).rows
        assert [r.id for r in listed] == [c["toot"]]
        everyone = queue_page(s, Filters(), user_id=seeded.users["maya"], now=NOW).rows
        assert len(everyone) == 4  # the manager is not restricted
        assert matching_ids(s, Filters(channels=scope), user_id=None, limit=50) == [c["toot"]]
        assert queue_page(s, Filters(channels=frozenset()), user_id=None, now=NOW).rows == []


def test_the_conversation_and_its_actions_are_refused_off_the_role_s_channels(
    engine: Engine, seeded: Seeded
) -> None:
    _restrict_role(engine, "agent", ["mastodon-acme"])
    late = seeded.conversations["late"]
    with Session(engine) as s, s.begin():
        alice = _user(s, seeded, "alice")
        with pytest.raises(actions.DeskError, match="x-acme, a channel you do not work"):
            actions.load(s, late, alice)
        for act in (
            lambda: actions.assign(s, late, alice.id, alice, NOW),
            lambda: actions.set_status(s, late, "resolved", alice, NOW),
            lambda: actions.set_tags(s, late, ["refund"], alice, NOW),
        ):
            with pytest.raises(actions.DeskError, match="a channel you do not work"):
                act()
        assert (
            actions.load(s, seeded.conversations["toot"], alice).conversation.id
            == seeded.conversations["toot"]
        )
        maya = _user(s, seeded, "maya")
        actions.load(s, late, maya)  # a manager sees every channel
        with pytest.raises(actions.DeskError, match="Alice does not work x-acme"):
            actions.assign(s, late, alice.id, maya, NOW)  # nor is it given to her
        assert [u.name for u in actions.agents(s, "x-acme")] == ["maya"]  # whom the page offers


def test_the_customer_s_earlier_conversations_only_on_the_user_s_channels(
    engine: Engine, seeded: Seeded
) -> None:
    c = seeded.conversations
    with Session(engine) as s, s.begin():  # bob on X and sam on Mastodon are one person
        person = Person(created_by="test")
        s.add(person)
        s.flush()
        for conv_id in (c["late"], c["toot"]):
            contact = s.get(Contact, s.get(Conversation, conv_id).contact_id)  # type: ignore[union-attr]
            assert contact is not None
            contact.person_id = person.id
    _restrict_role(engine, "agent", ["mastodon-acme"])
    with Session(engine) as s:
        assert [e.id for e in actions.load(s, c["toot"], _user(s, seeded, "maya")).earlier] == [c["late"]]
        assert actions.load(s, c["toot"], _user(s, seeded, "alice")).earlier == []


def test_next_conversation_and_live_assignment_keep_to_the_role_s_channels(
    engine: Engine, seeded: Seeded
) -> None:
    c = seeded.conversations
    _restrict_role(engine, "agent", ["x-acme"])
    with Session(engine) as s:
        assert next_conversation(s, seeded.users["alice"], NOW) == c["late"]  # not the older toot
    _restrict_role(engine, "agent", ["mastodon-acme"])
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, c["soon"])
        assert conv is not None
        conv.assignee_id = seeded.users["alice"]  # assigned to her before the restriction, due first
        s.get(Conversation, c["toot"]).sla_due_at = NOW + timedelta(minutes=30)  # type: ignore[union-attr]
    with Session(engine) as s, s.begin():
        assert claim_next(s, _user(s, seeded, "alice"), NOW) == c["toot"]  # not her x-acme one
    with Session(engine) as s, s.begin():
        for name in ("alice", "bruno"):
            presence.heartbeat(s, seeded.users[name], NOW)
        s.get(Conversation, c["toot"]).assignee_id = None  # type: ignore[union-attr]
    _restrict_role(engine, "agent", ["x-acme"])
    _restrict_user(engine, "bruno", ["mastodon-acme"])  # none in common with his role: nothing for him
    assert assign_live(engine, LIVE, NOW) == 2  # alice: late and dm (soon is hers already)
    with Session(engine) as s:
        owners = {conv.id: conv.assignee_id for conv in s.exec(select(Conversation))}
    assert owners[c["toot"]] is None
    assert {owners[c["late"]], owners[c["dm"]]} == {seeded.users["alice"]}


def test_the_team_page_distribution_keeps_to_the_role_s_channels(engine: Engine, seeded: Seeded) -> None:
    _restrict_role(engine, "agent", ["x-acme"])
    with Session(engine) as s, s.begin():
        presence.heartbeat(s, seeded.users["alice"], NOW)
        done = assignment.assign_unassigned(s, _user(s, seeded, "maya"), NOW).assigned
    assert seeded.conversations["toot"] not in done and len(done) == 3


def test_bulk_actions_refuse_the_conversations_off_the_user_s_channels(
    engine: Engine, seeded: Seeded
) -> None:
    _restrict_role(engine, "agent", ["mastodon-acme"])
    c = seeded.conversations
    with Session(engine) as s, s.begin():
        alice = _user(s, seeded, "alice")
        result = bulk.set_status(s, [c["toot"], c["late"]], "pending", alice, NOW)
        assert result.done == [c["toot"]]
        assert result.refused == {
            c["late"]: f"conversation #{c['late']} is on x-acme, a channel you do not work"
        }
        dismissed = bulk.dismiss(s, [c["late"]], alice, NOW)
        assert "a channel you do not work" in dismissed.refused[c["late"]]
        moved = bulk.assign(s, [c["late"], c["toot"]], alice.id, _user(s, seeded, "maya"), NOW)
        assert moved.done == [c["toot"]] and moved.refused == {c["late"]: "Alice does not work x-acme"}
    with Session(engine) as s:
        assert s.get(Conversation, c["late"]).status == "open"  # type: ignore[union-attr]


def test_no_notification_about_a_conversation_off_the_user_s_channels(engine: Engine, seeded: Seeded) -> None:
    def poll() -> list[int]:
        with Session(engine) as s, s.begin():
            book = charter_book(s, ROOT / "config")
            return [
                n.conversation_id for n in notifications.poll(s, seeded.users["alice"], "alice", book, NOW)
            ]

    c = seeded.conversations
    assert poll() == []  # the first poll places the cursor
    with Session(engine) as s, s.begin():
        for conv_id in (c["soon"], c["toot"]):  # both hers, by hand, before any restriction
            actions.assign(s, conv_id, seeded.users["alice"], _user(s, seeded, "maya"), NOW)
    _restrict_role(engine, "agent", ["mastodon-acme"])
    with Session(engine) as s, s.begin():
        for n, conv_id in enumerate((c["soon"], c["toot"])):  # their customers write again
            conv = s.get(Conversation, conv_id)
            assert conv is not None
            s.add(
                Message(
                    channel_id=conv.channel_id,
                    conversation_id=conv_id,
                    platform_id=f"again-{n}",
                    direction="in",
                    visibility=conv.visibility,
                    kind=conv.kind,
                    text="still waiting",
                    created_at=NOW,
                    ingested_at=NOW,
                )
            )
    told = poll()
    assert c["toot"] in told and c["soon"] not in told
