"""An open traffic spike's alert quotes its top messages (handle, name, words) until the spike closes; an
erasure empties it when it quotes the person. ``inbox privacy export`` lists it in ``named_elsewhere`` (what
an erasure redacts outside their conversations), and not another spike's (real listener on the X sandbox)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.store.tables import Contact, Conversation, TrafficSpike
from tests.support.privacy_flows import inbox


def _spike(scope: str, conversation: int, handle: str, words: str) -> TrafficSpike:
    quoted = {"conversation_id": conversation, "customer": handle, "customer_name": None, "urgency": "high"}
    payload = {"text": f"Spike on {scope}:\n• @{handle}: “{words}”", "spike": {"messages": [quoted]}}
    return TrafficSpike(scope=scope, open_key=scope, opened_at=datetime.now(UTC), payload=payload)


def test_an_open_spikes_alert_quoting_them_is_named_elsewhere(
    filled: int, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with Session(engine) as s, s.begin():
        janes = s.exec(select(Conversation.id).where(Conversation.contact_id == filled)).first() or 0
        bob = s.exec(select(Contact.id).where(Contact.handle == "bobsmith")).one()
        bobs = s.exec(select(Conversation.id).where(Conversation.contact_id == bob)).one() or 0
        s.add(_spike("channel:x-acme", janes, "janedoe77", "zebracorn one: my parcel is lost"))
        s.add(_spike("listening:x-acme:acme", bobs, "bobsmith", "unicornfish: mine arrived broken"))
    code, out, err = inbox(capsys, "privacy", "export", "--contact", "x-acme:janedoe77", "--reason", "DSAR")
    assert code == 0, err
    spikes = json.loads(out)["named_elsewhere"]["spike_alerts"]
    assert [s["scope"] for s in spikes] == ["channel:x-acme"]
    assert "zebracorn one" in spikes[0]["payload"]["text"] and "unicornfish" not in out
