"""An erasure also finds the person by the e-mail address and phone number they gave in their own messages:
another customer quoting them, or our reply repeating them, names them too (the r20 GDPR audit's open point:
"a phone number that is not the person's platform id is not recognised in others' data"). The details are
read from the personal data ingestion found in her messages (the classifier's ``pii`` spans)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.privacy.erase import erase
from inbox.privacy.record import person_record
from inbox.privacy.subject import find_subject
from inbox.store.tables import Message
from tests.conftest import ROOT
from tests.support.clock import Clock
from tests.support.privacy_flows import every_value
from tests.support.sandbox_channels import telegram_runtime

JEANNE, BOB = 777000111, 777000222


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _seed(engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch, classifier: Any) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    tg.add_message(
        "Rappelez-moi au 06 12 34 56 78 ou écrivez à j.dupont75@example.fr",
        first_name="Jeanne",
        username="jeanne_dpt",
        user_id=JEANNE,
    )
    tg.add_group_message(
        "@AcmeCareBot unicornfish: j'ai essayé le 06.12.34.56.78 et J.Dupont75@example.fr, rien",
        first_name="Bob",
        username="bob_martin",
        user_id=BOB,
    )
    poll_channel(engine, rt, clock=Clock(), due=default_due, classifier=classifier)


def test_her_phone_and_email_in_another_customers_message_are_erased(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch, classifier: Any
) -> None:
    _seed(engine, tg, monkeypatch, classifier)
    assert "06.12.34.56.78" in every_value(engine)  # the check can fail

    report = erase(engine, "tg-acme:jeanne_dpt", actor="dpo", reason="RGPD art. 17", now=datetime.now(UTC))

    with Session(engine) as session:
        bob = session.exec(select(Message).where(Message.author_handle == "bob_martin")).one()
    assert bob.text == "@AcmeCareBot unicornfish: j'ai essayé le [erased] et [erased], rien"
    assert report.elsewhere == 1
    stored = every_value(engine)
    assert "12.34.56" not in stored and "dupont75" not in stored.lower()


def test_her_copy_lists_the_message_that_quotes_her_details(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch, classifier: Any
) -> None:
    _seed(engine, tg, monkeypatch, classifier)
    with Session(engine) as session:
        record = person_record(session, find_subject(session, "tg-acme:jeanne_dpt"), datetime.now(UTC))
    assert len(record["named_elsewhere"]["messages_of_others"]) == 1
