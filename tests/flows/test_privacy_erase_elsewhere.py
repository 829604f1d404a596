"""An erasure reaches where others' data names the person: another customer's Telegram reply that carries a
copy of their message and names them, our reply waiting in that customer's thread, an incident's title and
an audit view filtered on them (found by an independent GDPR audit, r20)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.privacy.elsewhere import CANCELLED
from inbox.privacy.erase import erase
from inbox.privacy.record import person_record
from inbox.privacy.subject import find_subject
from inbox.store.records import audit
from inbox.store.tables import Conversation, Incident, Message, Note, OutboundReply
from tests.support.clock import Clock
from tests.support.privacy_flows import every_value
from tests.support.sandbox_channels import telegram_runtime
from tests.support.seed_desk import add_user

JEANNE, BOB = 777000111, 777000222
GONE = ("zebracorn", "jeanne_dpt", str(JEANNE), "Jeanne Dupont")


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _seed(engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Jeanne writes in a Telegram group; Bob answers her message there naming her; our reply to Bob
    waits, naming her; an incident and an audit view name her."""
    rt = telegram_runtime(tg, monkeypatch)
    hers = tg.add_group_message(
        "@AcmeCareBot zebracorn: ma commande 5521 est en retard",
        first_name="Jeanne Dupont",
        username="jeanne_dpt",
        user_id=JEANNE,
    )
    tg.add_group_message(
        "@AcmeCareBot unicornfish: pareil que @jeanne_dpt ici",
        first_name="Bob",
        username="bob_martin",
        user_id=BOB,
        reply_to=hers["message"]["message_id"],
    )
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        bob = session.exec(select(Message).where(Message.author_handle == "bob_martin")).one()
        copy = bob.raw["update"]["message"]["reply_to_message"]
        assert copy["text"].endswith("en retard")  # Telegram's copy of her message is stored
        conv = session.get(Conversation, bob.conversation_id)
        assert conv is not None
        text = "@jeanne_dpt nous regardons"
        outbox.enqueue(session, conv, visibility="public", text=text, actor="al", now=now)
        session.add(Incident(title="Retards (Jeanne Dupont)", since=now, declared_by="mia", declared_at=now))
        session.add(
            Note(
                conversation_id=conv.id or 0,
                author_id=add_user(session, "al", "agent"),
                text="Bob connaît Jeanne Dupont",
                created_at=now,
            )
        )
        audit(session, "mia", "audit.viewed", detail={"customer": "tg-acme:jeanne_dpt"}, at=now)
    return now


def test_erasure_reaches_other_customers_messages_replies_incidents_and_audit(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = _seed(engine, tg, monkeypatch)
    assert all(word in every_value(engine) for word in GONE)  # the check can fail

    report = erase(engine, "tg-acme:jeanne_dpt", actor="dpo", reason="RGPD art. 17", now=now)

    stored = every_value(engine)
    assert [word for word in GONE if word in stored] == []
    assert "unicornfish" in stored and "bob_martin" in stored  # Bob's own words and name stay
    assert report.elsewhere == 4  # Bob's message, our reply, the incident, the audit view (notes: below)
    assert report.notes == 1  # the note on Bob's conversation that named her
    with Session(engine) as session:
        bob = session.exec(select(Message).where(Message.author_handle == "bob_martin")).one()
        reply = session.exec(select(OutboundReply)).one()
    assert bob.text == "@AcmeCareBot unicornfish: pareil que [erased] ici"
    assert bob.raw["update"]["message"]["reply_to_message"] == "[erased]"
    assert bob.raw["update"]["message"]["from"]["username"] == "bob_martin"
    assert (reply.status, reply.last_error, reply.text) == ("failed", CANCELLED, "[erased] nous regardons")


def _record(engine: Engine, ref: str) -> dict[str, Any]:
    with Session(engine) as session:
        return person_record(session, find_subject(session, ref), datetime.now(UTC))


def test_each_customers_copy_holds_their_data_and_not_the_others(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(engine, tg, monkeypatch)
    bobs = _record(engine, "tg-acme:bob_martin")
    [bob_message] = [m for c in bobs["conversations"] for m in c["messages"]]
    assert bob_message["raw"]["update"]["message"]["reply_to_message"] == "[another person]"
    assert "zebracorn" not in json.dumps(bobs, ensure_ascii=False)  # her words are not in his copy

    hers = _record(engine, "tg-acme:jeanne_dpt")["named_elsewhere"]
    assert [r["text"] for r in hers["our_replies"]] == ["@jeanne_dpt nous regardons"]
    assert [i["title"] for i in hers["incidents"]] == ["Retards (Jeanne Dupont)"]
    assert [n["text"] for n in hers["notes"]] == ["Bob connaît Jeanne Dupont"]
    assert [e["detail"] for e in hers["audit_events"]] == [{"customer": "tg-acme:jeanne_dpt"}]
    assert len(hers["messages_of_others"]) == 1  # Bob's message, as a reference only
    assert set(hers["messages_of_others"][0]) == {"id", "conversation_id", "created_at", "channel"}
