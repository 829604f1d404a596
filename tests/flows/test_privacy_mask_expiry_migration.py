"""Migration 0033 masks the card numbers stored in clear before the masking knew them: one followed by its
expiry ("4970 1012 3456 7890/12/27") or inside a link ("?card=…"), in message texts (and everything else
stored, as 0032 does); a post's id in its link stays."""

from __future__ import annotations

from sqlalchemy import Engine, text

from inbox.store.engine import migrate
from tests.support.old_schema import add_conversation, downgrade_to

BEFORE_EXPIRY = "ma carte 4970 1012 3456 7890/12/27"
IN_LINK = "payé via https://pay.acme.fr/?card=4111111111111111&exp=1227"
POST = "vu https://x.com/a/status/4111111111111111"
RIB_CVV = "RIB 30006 00001 12345678901 89, cvv 123"


def test_the_migration_masks_cards_before_an_expiry_or_in_a_link(engine: Engine) -> None:
    downgrade_to(engine, "0032")
    at = {"at": "2026-01-01"}
    with engine.begin() as c:
        add_conversation(c)
        for n, words in enumerate((BEFORE_EXPIRY, IN_LINK, POST, RIB_CVV)):
            c.execute(
                text(
                    "INSERT INTO message (channel_id, conversation_id, platform_id, direction, visibility, "
                    "kind, text, search_text, raw, created_at, ingested_at, sentiment_scores, "
                    "urgency_reasons, pii) VALUES (1, 1, :p, 'in', 'public', 'mention', :t, :t, :raw, :at, "
                    ":at, '{}', '[]', '[]')"
                ),
                {"p": f"p{n}", "t": words, "raw": f'{{"text": "{words}"}}', **at},
            )
    migrate(engine)
    with engine.connect() as c:
        rows = c.execute(text("SELECT text, search_text, raw FROM message ORDER BY platform_id")).all()
    assert rows[0].text == "ma carte **** **** **** 7890/12/27"
    assert rows[1].text == "payé via https://pay.acme.fr/?card=************1111&exp=1227"
    for row in rows[:2]:
        assert "4970 1012" not in row.search_text + str(row.raw) and "41111111" not in str(row.raw)
    assert rows[2].text == POST and POST in str(rows[2].raw)
    assert rows[3].text == "RIB ***** ***** *********01 89, cvv ***"
