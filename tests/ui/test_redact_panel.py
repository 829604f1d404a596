"""Redacting part of a customer message from the conversation page (#15.4), in English and French: the text
typed is hidden in the stored message, a text not in it is refused; audited."""

from __future__ import annotations

from sqlmodel import Session, select

from inbox import i18n
from inbox.store.engine import open_engine
from inbox.store.tables import Message
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_events, french_conversation, open_conv


def _text(db_url: str, conv_id: int) -> str:
    engine = open_engine(db_url)
    with Session(engine) as s:
        text = s.exec(select(Message.text).where(Message.conversation_id == conv_id)).one()
    engine.dispose()
    return text


def test_an_agent_redacts_part_of_a_message(seeded: Seeded, db_url: str) -> None:
    late = seeded.conversations["late"]
    at = open_conv(app_as(seeded, "alice"), late)
    at.text_input(key=f"redact-part-{late}").input("not in it").run()
    at.button(key=f"redact-go-{late}").click().run()
    assert "this text is not in the message" in [e.value for e in at.error]
    at.text_input(key=f"redact-part-{late}").input("order still").run()
    at.button(key=f"redact-go-{late}").click().run()
    assert not at.exception
    assert "Redacted: 11 characters hidden for good (audited)." in [m.value for m in at.success]
    assert _text(db_url, late) == "@AcmeCare my parcel never arrived, ███████████ not here"
    assert [e.actor for e in audit_events(db_url, "message.redacted")] == ["alice"]


def test_redaction_speaks_french(seeded: Seeded, db_url: str) -> None:
    late = seeded.conversations["late"]
    at = french_conversation(seeded, db_url, "alice", late)
    with i18n.use_language("fr"):
        assert at.button(key=f"redact-go-{late}").label == "Masquer"
        at.text_input(key=f"redact-part-{late}").input("x").run()
        at.button(key=f"redact-go-{late}").click().run()
    assert "saisissez au moins 2 caractères à masquer" in [e.value for e in at.error]
