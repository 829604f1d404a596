"""Migration 0023 masks the bank data of agents' notes written before notes were masked at write time, leaves
masked notes as they are, and audits the count once."""

from __future__ import annotations

import json

from sqlalchemy import Engine, text

from inbox.store.engine import migrate
from tests.support.old_schema import WHEN, add_agent, add_conversation, downgrade_to

CARD, IBAN = "4970 1012 3456 7893", "DE89 3704 0044 0532 0130 00"  # Luhn-valid, mod-97-valid
MASKED = "IBAN **** **** **** **** **30 00, carte **** **** **** 7893"


def _at_0022_with_notes(engine: Engine, notes: list[str]) -> None:
    downgrade_to(engine, "0022")
    with engine.begin() as c:
        add_conversation(c)
        add_agent(c)
        for note in notes:
            c.execute(
                text(
                    "INSERT INTO note (conversation_id, author_id, text, created_at) VALUES (1, 1, :t, :at)"
                ),
                {"t": note, "at": WHEN},
            )


def _notes_and_audit(engine: Engine) -> tuple[list[str], list[tuple[str, str, object]]]:
    with engine.connect() as c:
        notes = list(c.execute(text("SELECT text FROM note ORDER BY id")).scalars())
        events = [
            (row.actor, row.action, json.loads(row.detail) if isinstance(row.detail, str) else row.detail)
            for row in c.execute(text("SELECT actor, action, detail FROM audit_event"))
        ]
    return notes, events


def test_the_migration_masks_notes_written_before_it_and_audits_the_count(engine: Engine) -> None:
    _at_0022_with_notes(engine, [f"IBAN {IBAN}, carte {CARD}", MASKED, "rappeler demain"])
    migrate(engine)
    notes, events = _notes_and_audit(engine)
    assert notes == [MASKED, MASKED, "rappeler demain"]
    assert events == [("migration", "privacy.notes_masked", {"notes": 1, "revision": "0023"})]


def test_already_masked_notes_are_left_alone_and_nothing_is_audited(engine: Engine) -> None:
    _at_0022_with_notes(engine, [MASKED])
    migrate(engine)
    assert _notes_and_audit(engine) == ([MASKED], [])
