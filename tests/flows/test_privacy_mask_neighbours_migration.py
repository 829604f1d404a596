"""Migration 0035 masks the bank data stored in clear because a number before it hid it: a card after an order
number or a day ("Order 3 4111 1111 1111 1111"), a card after another's expiry, a second IBAN right after a
first, in message texts (and everything else stored, as 0032 does)."""

from __future__ import annotations

from sqlalchemy import Engine, column, insert, table, text

from inbox.store.engine import migrate
from tests.support.old_schema import add_conversation, downgrade_to

AFTER_ORDER = "Order 3 4111 1111 1111 1111"
AFTER_EXPIRY = "4111 1111 1111 1111 12/27 5500 0000 0000 0004"
TWO_IBANS = "FR76 3000 6000 0112 3456 7890 189 FR76 3000 6000 0112 3456 7890 189"
CLEAN = "commande 2026 livrée le 25"


MESSAGE = table(
    "message",
    *(column(name) for name in "channel_id conversation_id platform_id direction visibility kind".split()),
    *(column(name) for name in "text search_text raw created_at ingested_at".split()),
    *(column(name) for name in "sentiment_scores urgency_reasons pii".split()),
)


def _stored_in_clear(words: str, n: int) -> dict[str, object]:
    fixed = {"channel_id": 1, "conversation_id": 1, "direction": "in", "visibility": "public"}
    return fixed | {
        "kind": "mention",
        "platform_id": f"p{n}",
        "text": words,
        "search_text": words,
        "raw": f'{{"text": "{words}"}}',
        "created_at": "2026-01-01",
        "ingested_at": "2026-01-01",
        "sentiment_scores": "{}",
        "urgency_reasons": "[]",
        "pii": "[]",
    }


def test_the_migration_masks_bank_data_a_number_before_it_hid(engine: Engine) -> None:
    downgrade_to(engine, "0034")
    with engine.begin() as c:
        add_conversation(c)
        words = (AFTER_ORDER, AFTER_EXPIRY, TWO_IBANS, CLEAN)
        c.execute(insert(MESSAGE), [_stored_in_clear(w, n) for n, w in enumerate(words)])
    migrate(engine)
    with engine.connect() as c:
        rows = c.execute(text("SELECT text, search_text, raw FROM message ORDER BY platform_id")).all()
    assert rows[0].text == "Order 3 **** **** **** 1111"
    assert rows[1].text == "**** **** **** 1111 12/27 **** **** **** 0004"
    assert rows[2].text == "**** **** **** **** **** ***0 189 **** **** **** **** **** ***0 189"
    for row in rows[:3]:
        assert "4111 1111" not in row.search_text + str(row.raw)
        assert "5500 0000" not in row.search_text + str(row.raw) and "FR76" not in str(row.raw)
    assert rows[3].text == CLEAN
