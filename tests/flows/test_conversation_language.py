"""The conversation's language is the one the customer writes in across the conversation (issue #14.3, the
part left: no longer the latest message's guess): X sandbox, the real classifier, ingestion page by page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Conversation, Message
from tests.conftest import ROOT
from tests.support.clock import Clock
from tests.support.enforcement import MINUTE, PARIS_MONDAY_10
from tests.support.x_channel import x_runtime


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


def _poll(engine: Engine, sandbox: XSandbox, classifier: Any, minutes: int) -> None:
    poll_channel(
        engine,
        x_runtime(sandbox),
        clock=Clock(PARIS_MONDAY_10 + minutes * MINUTE),
        due=default_due,
        classifier=classifier,
    )


def test_a_short_english_follow_up_does_not_turn_a_french_conversation_english(
    engine: Engine, sandbox: XSandbox, classifier: Any, x_env: dict[str, str]
) -> None:
    at = PARIS_MONDAY_10
    first = sandbox.add_mention(
        "@AcmeCare Bonjour, mon colis n'est toujours pas arrivé depuis trois semaines",
        author="carl",
        created_at=at,
    )
    _poll(engine, sandbox, classifier, 1)
    sandbox.add_mention(
        "@AcmeCare je vous ai envoyé le numéro de commande en message privé",
        author="carl",
        in_reply_to=first,
        created_at=at + 2 * MINUTE,
    )
    _poll(engine, sandbox, classifier, 3)
    sandbox.add_mention(
        "@AcmeCare any news about my parcel please?",
        author="carl",
        in_reply_to=first,
        created_at=at + 4 * MINUTE,
    )
    _poll(engine, sandbox, classifier, 5)  # three pages: the conversation's language is decided each time
    with Session(engine) as s:
        languages = [m.language for m in s.exec(select(Message).order_by(Message.created_at)).all()]  # type: ignore[arg-type]
        conv = s.exec(select(Conversation)).one()
    assert languages == ["fr", "fr", "en"]  # the latest message alone would make it English
    assert conv.language == "fr"
