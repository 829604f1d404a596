"""Bank data arriving from the X sandbox is stored masked (text and raw payload), and migration 0011 masks
what was stored before it."""

from __future__ import annotations

import json

from sqlalchemy import Engine, text
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.engine import migrate
from inbox.store.tables import Message
from tests.support.old_schema import add_conversation, downgrade_to
from tests.support.x_channel import poll, x_runtime

CARD, IBAN, NIR = "4111 1111 1111 1111", "FR76 3000 6000 0112 3456 7890 189", "2 95 10 99 126 111 93"


def test_a_card_number_arrives_and_is_stored_masked(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    sandbox.add_mention(f"@AcmeCare débité deux fois sur ma carte {CARD}, IBAN {IBAN}", author="jane")
    sandbox.add_dm(f"mon numéro de sécu {NIR}", sender="jane")
    poll(engine, x_runtime(sandbox))
    with Session(engine) as s:
        dm, mention = sorted(s.exec(select(Message)).all(), key=lambda m: m.visibility)
        assert mention.text.endswith("ma carte **** **** **** 1111, IBAN **** **** **** **** **** ***0 189")
        assert dm.text == "mon numéro de sécu * ** ** ** *** *** **"
        assert {"kind": "nir", "start": 19, "end": 40} in dm.pii
        stored = json.dumps([mention.raw, dm.raw, mention.text, dm.text])
    for secret in (CARD, IBAN, NIR, CARD.replace(" ", "")):
        assert secret not in stored
    assert "1111" in stored and mention.platform_id in json.dumps(mention.raw)  # ids are not masked


def test_the_migration_masks_rows_stored_before_it(engine: Engine) -> None:
    downgrade_to(engine, "0010")
    raw = json.dumps({"id": "4111111111111111", "text": f"card {CARD}"})
    with engine.begin() as c:
        add_conversation(c)
        c.execute(
            text(
                "INSERT INTO message (channel_id, conversation_id, platform_id, direction, visibility, kind, "
                "text, raw, created_at, ingested_at, sentiment_scores, urgency_reasons, pii) VALUES "
                "(1, 1, 'p1', 'in', 'public', 'mention', :t, :raw, :at, :at, '{}', '[]', '[]')"
            ),
            {"t": f"card {CARD} and {IBAN}", "raw": raw, "at": "2026-01-01"},
        )
        c.execute(
            text(
                "INSERT INTO quarantined_item (channel_id, stream, error, raw, created_at) "
                "VALUES (1, 'mentions', 'bad', :raw, '2026-01-01')"
            ),
            {"raw": raw},
        )
        c.execute(
            text(
                "INSERT INTO webhook_event (channel_id, received_at, headers, body, status, attempts, items) "
                "VALUES (1, '2026-01-01', '{}', :body, 'done', 1, 1)"
            ),
            {"body": raw.encode()},
        )
    migrate(engine)
    with engine.connect() as c:
        message = c.execute(text("SELECT text, raw FROM message")).one()
        quarantined = c.execute(text("SELECT raw FROM quarantined_item")).scalar_one()
        body = bytes(c.execute(text("SELECT body FROM webhook_event")).scalar_one())
    assert message.text == "card **** **** **** 1111 and **** **** **** **** **** ***0 189"
    masked = {"id": "4111111111111111", "text": "card **** **** **** 1111"}
    for value in (message.raw, quarantined):
        assert (json.loads(value) if isinstance(value, str) else value) == masked
    assert json.loads(body) == masked
