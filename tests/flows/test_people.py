"""One customer across networks: linking contacts (merge, unlink, who may), and the conversation page showing
the person's conversations from every channel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.access import PermissionDenied
from inbox.desk import people
from inbox.store.engine import open_engine
from inbox.store.tables import AuditEvent, Channel, Contact, Person, User
from tests.support.seed_desk import Seeded, add_conversation
from tests.support.ui import app_as, open_conv, seeded_app

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """The desk seed (X) plus bob's earlier conversation on a Mastodon channel."""
    for out in seeded_app(db_url, monkeypatch):
        engine = open_engine(db_url)
        with Session(engine) as session, session.begin():
            masto = Channel(name="mastodon-acme", platform="mastodon", account="acme")
            session.add(masto)
            session.flush()
            assert masto.id is not None
            out.conversations["masto"] = add_conversation(
                session,
                masto.id,
                handle="bob_on_masto",
                display_name="Bob",
                text="Hello from the fediverse: my parcel is late too",
                received=datetime.now(UTC) - timedelta(days=3),
                due=None,
                status="resolved",
            )
        engine.dispose()
        yield out


def contact_of(session: Session, handle: str) -> Contact:
    return session.exec(select(Contact).where(Contact.handle == handle)).one()


def user(session: Session, name: str) -> User:
    return session.exec(select(User).where(col(User.name) == name)).one()


def test_link_merge_and_unlink(seeded: Seeded, db_url: str) -> None:
    engine: Engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        bob, masto, jane, kim = (contact_of(s, h) for h in ("bob", "bob_on_masto", "jane", "kim"))
        maya = user(s, "maya")
        first = people.link(s, bob.id or 0, masto.id or 0, maya, NOW)
        second = people.link(s, jane.id or 0, kim.id or 0, maya, NOW)
        assert first != second
        merged = people.link(s, kim.id or 0, bob.id or 0, maya, NOW)  # two people become one
        assert {c.person_id for c in (bob, masto, jane, kim)} == {merged}
        assert s.get(Person, first if merged == second else second) is None
        assert {h.handle for h in people.linked_contacts(s, bob)} == {"bob_on_masto", "jane", "kim"}
        people.unlink(s, jane.id or 0, maya, NOW)
        people.unlink(s, kim.id or 0, maya, NOW)
        people.unlink(s, masto.id or 0, maya, NOW)  # bob is left alone: the person goes
        assert bob.person_id is None and s.get(Person, merged) is None
    with Session(engine) as s:
        actions = [
            e.action for e in s.exec(select(AuditEvent).where(col(AuditEvent.action).like("person.%")))
        ]
    engine.dispose()
    assert actions == ["person.linked"] * 3 + ["person.unlinked"] * 3


def test_agents_may_not_link_and_search_finds_every_channel(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        bob, masto = contact_of(s, "bob"), contact_of(s, "bob_on_masto")
        with pytest.raises(PermissionDenied, match="may not link"):
            people.link(s, bob.id or 0, masto.id or 0, user(s, "alice"), NOW)
        with pytest.raises(people.PeopleError, match="itself"):
            people.link(s, bob.id or 0, bob.id or 0, user(s, "maya"), NOW)
        hits = people.search_contacts(s, "@BOB", exclude=bob.id)
        assert [(h.handle, h.channel, h.platform) for h in hits] == [
            ("bob_on_masto", "mastodon-acme", "mastodon")
        ]
        assert people.search_contacts(s, "   ") == [] and people.search_contacts(s, "%") == []
    engine.dispose()


def earlier_captions(at: object) -> list[str]:
    return [c.value for c in at.caption]  # type: ignore[attr-defined]


def test_a_manager_links_two_contacts_and_sees_the_other_channels_conversation(
    seeded: Seeded, db_url: str
) -> None:
    late, masto_conv = seeded.conversations["late"], seeded.conversations["masto"]
    at = open_conv(app_as(seeded, "maya"), late)
    assert not [b for b in at.button if str(b.key) == f"earlier-{masto_conv}"]  # not linked yet
    engine = open_engine(db_url)
    with Session(engine) as s:
        bob, masto = contact_of(s, "bob"), contact_of(s, "bob_on_masto")
    engine.dispose()
    at.text_input(key=f"people-q-{bob.id}").input("bob_on").run()
    at.button(key=f"link-{bob.id}-{masto.id}").click().run()
    assert not at.exception
    assert at.button(key=f"earlier-{masto_conv}")  # the Mastodon conversation is now listed
    assert any(":gray-badge[Mastodon]" in c and "mastodon\\-acme" in c for c in earlier_captions(at))
    assert any("Same person on" in m.value for m in at.markdown)
    at.button(key=f"earlier-{masto_conv}").click().run()
    assert "Hello from the fediverse: my parcel is late too" in [t.value for t in at.text]
    at = open_conv(app_as(seeded, "maya"), late)
    at.button(key=f"unlink-{masto.id}").click().run()
    assert not [b for b in at.button if str(b.key) == f"earlier-{masto_conv}"]


def test_agents_see_linked_contacts_but_cannot_change_them(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        bob, masto = contact_of(s, "bob"), contact_of(s, "bob_on_masto")
        people.link(s, bob.id or 0, masto.id or 0, user(s, "maya"), NOW)
    engine.dispose()
    at = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    assert any("Same person on" in m.value for m in at.markdown)
    assert at.button(key=f"earlier-{seeded.conversations['masto']}")
    assert not [w for w in at.text_input if str(w.key).startswith("people-q-")]
    assert not [b for b in at.button if str(b.key).startswith("unlink-")]


def test_contact_search_folds_case_and_accents_like_the_queue(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        chan = Channel(name="x-acme", platform="x", account="acme")
        s.add(chan)
        s.flush()
        assert chan.id is not None
        s.add(Contact(channel_id=chan.id, platform_id="1", handle="helene_g", display_name="Hélène Gârçon"))
        s.add(Contact(channel_id=chan.id, platform_id="2", handle="strauss", display_name="Jürgen Straße"))
        s.add(Contact(channel_id=chan.id, platform_id="3", handle="olga", display_name="Ольга"))
    with Session(engine) as s:
        for query, handle in (
            ("HELENE", "helene_g"),
            ("garçon", "helene_g"),
            ("strasse", "strauss"),
            ("ОЛЬГА", "olga"),
        ):
            assert [h.handle for h in people.search_contacts(s, query)] == [handle], query
