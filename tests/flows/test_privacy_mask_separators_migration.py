"""Migration 0032 masks what was stored in clear before the masking knew no-break spaces, dots and dashed
IBANs: message texts (and their search column) and payloads with the earlier versions of edits, quarantined
payloads and errors, webhook bodies, notes, and delivered replies with their template's parameters."""

from __future__ import annotations

import json

from sqlalchemy import Engine, text

from inbox.store.engine import migrate
from tests.support.old_schema import add_conversation, downgrade_to

NBSP = "\u00a0"
CARD = NBSP.join(["4111"] + ["1111"] * 3)
IBAN = "FR76-3000-6000-0112-3456-7890-189"
MASKED_CARD = NBSP.join(["****"] * 3 + ["1111"])


def test_the_migration_masks_what_the_wider_masking_finds(engine: Engine) -> None:
    downgrade_to(engine, "0031")
    raw = json.dumps({"id": "4111111111111111", "text": f"card {CARD}", "versions": [{"text": IBAN}]})
    at = {"at": "2026-01-01"}
    with engine.begin() as c:
        add_conversation(c)
        c.execute(
            text(
                "INSERT INTO message (channel_id, conversation_id, platform_id, direction, visibility, kind, "
                "text, search_text, raw, created_at, ingested_at, sentiment_scores, urgency_reasons, pii) "
                "VALUES (1, 1, 'p1', 'in', 'public', 'mention', :t, :t, :raw, :at, :at, '{}', '[]', '[]')"
            ),
            {"t": f"card {CARD}", "raw": raw, **at},
        )
        c.execute(
            text(
                "INSERT INTO quarantined_item (channel_id, stream, error, raw, created_at) "
                "VALUES (1, 'mentions', :error, :raw, :at)"
            ),
            {"error": f"not a time: 'card {CARD}'", "raw": raw, **at},
        )
        c.execute(
            text(
                "INSERT INTO webhook_event (channel_id, received_at, headers, body, status, attempts, items) "
                "VALUES (1, :at, '{}', :body, 'done', 1, 1)"
            ),
            {"body": raw.encode(), **at},
        )
        c.execute(
            text(
                "INSERT INTO app_user (name, password_hash, role, languages, capacity, channels, active, "
                "must_change_password, created_at) VALUES ('mia', 'x', 'agent', '[]', 20, '[]', :y, :n, :at)"
            ),
            {"y": True, "n": False, **at},
        )
        c.execute(
            text("INSERT INTO note (conversation_id, author_id, text, created_at) VALUES (1, 1, :t, :at)"),
            {"t": f"IBAN {IBAN}", **at},
        )
        for key, status in (("sent-1", "sent"), ("waiting-1", "pending")):
            c.execute(
                text(
                    "INSERT INTO outbound_reply (idempotency_key, channel_id, conversation_id, visibility, "
                    "text, status, action, attempts, created_at, platform_template) "
                    "VALUES (:k, 1, 1, 'private', :t, :s, 'reply', 0, :at, :tpl)"
                ),
                {"k": key, "t": f"IBAN {IBAN}", "s": status, "tpl": json.dumps({"parameters": [IBAN]}), **at},
            )
    migrate(engine)
    with engine.connect() as c:
        message = c.execute(text("SELECT text, search_text, raw FROM message")).one()
        quarantined = c.execute(text("SELECT error, raw FROM quarantined_item")).one()
        body = bytes(c.execute(text("SELECT body FROM webhook_event")).scalar_one()).decode()
        note = c.execute(text("SELECT text FROM note")).scalar_one()
        replies = dict(c.execute(text("SELECT status, text || platform_template FROM outbound_reply")).all())
    assert message.text == f"card {MASKED_CARD}" and "4111 1111" not in message.search_text
    for stored in (str(message.raw), str(quarantined.raw), quarantined.error, body, note, replies["sent"]):
        assert "4111" + NBSP not in stored and "\\u00a04111" not in stored and "3000-6000" not in stored, (
            stored
        )
    assert "4111111111111111" in str(message.raw)  # ids are not masked
    assert IBAN in replies["pending"]  # a reply still to send keeps its text as written
