"""Queue search folds case and accents the same way on SQLite and PostgreSQL (issue #12, point 6): messages
arrive through the X sandbox and the listener, the search runs through ``queue_page``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.policies import Retention
from inbox.desk.queue import Filters, queue_page
from inbox.privacy.retention import purge
from inbox.store.engine import migrate
from inbox.store.tables import Contact, Conversation, Message
from tests.support.old_schema import add_conversation, downgrade_to
from tests.support.x_channel import poll, x_runtime

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)

MENTIONS = {  # author handle -> (display name, text)
    "elodie": ("Élodie Dupré", "@AcmeCare Ma commande n'est jamais arrivée, c'est inadmissible"),
    "juergen": ("Jürgen Groß", "@AcmeCare Die Lieferung in die Hauptstraße ist nicht angekommen"),
    "olga": ("Ольга", "@AcmeCare ЗАКАЗ НЕ ДОСТАВЛЕН, верните деньги"),
    "samir": ("سمير", "@AcmeCare مَرْحَبًا، طَلَبِي لَمْ يَصِلْ"),
    "nikos": ("Νίκος", "@AcmeCare Η ΠΑΡΑΓΓΕΛΙΑ ΜΟΥ ΔΕΝ ΗΡΘΕ ΑΚΟΜΗ"),
}


def _found(engine: Engine, query: str) -> set[str]:
    with Session(engine) as s:
        rows = queue_page(s, Filters(text=query, status="all"), user_id=None, now=NOW, size=100).rows
    return {r.handle or "" for r in rows}


@pytest.fixture
def ingested(engine: Engine, x_env: dict[str, str], sandbox: XSandbox) -> Engine:
    for handle, (name, body) in MENTIONS.items():
        sandbox.add_user(handle, name=name)
        sandbox.add_mention(body, author=handle)
    poll(engine, x_runtime(sandbox))
    return engine


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("ARRIVEE", "elodie"),  # French: accent and case
        ("arrivée", "elodie"),
        ("INADMISSIBLE", "elodie"),
        ("elodie dupre", "elodie"),  # the display name, folded
        ("ÉLODIE", "elodie"),
        ("hauptstrasse", "juergen"),  # German: ß is ss
        ("HAUPTSTRASSE", "juergen"),
        ("groß", "juergen"),
        ("GROSS", "juergen"),
        ("jurgen", "juergen"),
        ("заказ не доставлен", "olga"),  # Cyrillic: case
        ("ВЕРНИТЕ", "olga"),
        ("ольга", "olga"),
        ("مرحبا", "samir"),  # Arabic: vowel marks (harakat) ignored
        ("طلبي لم يصل", "samir"),
        ("παραγγελια", "nikos"),  # Greek: case, tonos, final sigma
        ("νικοσ", "nikos"),
    ],
)
def test_search_folds_case_and_accents(ingested: Engine, query: str, who: str) -> None:
    assert _found(ingested, query) == {who}


def test_nothing_else_matches_and_wildcards_stay_literal(ingested: Engine) -> None:
    assert _found(ingested, "commande introuvable") == set()
    assert _found(ingested, "%") == set() and _found(ingested, "_") == set()


def test_an_edited_text_is_searched_as_it_is_now(ingested: Engine) -> None:
    with Session(ingested) as s, s.begin():
        message = s.exec(select(Message).where(Message.author_handle == "elodie")).one()
        message.text = "[erased]"
        contact = s.exec(select(Contact).where(Contact.handle == "elodie")).one()
        contact.handle = contact.display_name = None
    assert _found(ingested, "arrivee") == set() and _found(ingested, "dupre") == set()
    assert _found(ingested, "ERASED") == {""}


def test_an_expired_text_is_no_longer_found(ingested: Engine) -> None:
    with Session(ingested) as s, s.begin():
        for conv in s.exec(select(Conversation)):
            conv.status = "resolved"
    report = purge(ingested, Retention(messages_days=1), datetime.now(UTC) + timedelta(days=3), actor="test")
    assert report.messages == len(MENTIONS)
    assert _found(ingested, "arrivee") == set() and _found(ingested, "ЗАКАЗ") == set()


def test_the_migration_folds_rows_stored_before_it(engine: Engine) -> None:
    downgrade_to(engine, "0012")
    with engine.begin() as c:
        add_conversation(c, contact=("olga", "Ольга Ёлкина"))
        c.execute(
            text(
                "INSERT INTO message (channel_id, conversation_id, platform_id, direction, visibility, kind, "
                "text, raw, created_at, ingested_at, sentiment_scores, urgency_reasons, pii) VALUES "
                "(1, 1, 'p1', 'in', 'public', 'mention', 'Où est ma COMMANDE ?', '{}', :at, :at, '{}', "
                "'[]', '[]')"
            ),
            {"at": "2026-01-01"},
        )
    migrate(engine)
    assert _found(engine, "ou est ma commande") == {"olga"}
    assert _found(engine, "ЕЛКИНА") == {"olga"}
