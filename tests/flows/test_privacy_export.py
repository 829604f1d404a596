"""`inbox privacy export` on a database filled by the real listener from the X sandbox: one customer with two
linked accounts gets all their messages and nobody else's; the export is audited with its reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.desk.people import link
from inbox.store.tables import AuditEvent, Contact, Note, User
from tests.flows.privacy_listen import config_on, inbox, listen_once

JANE = ["@AcmeCare zebracorn one: my parcel is lost", "@AcmeCare zebracorn two: still nothing"]
JANE_PRO = ["@AcmeCare zebracorn pro: invoice for my company"]
JANE_DM = "zebracorn dm: my address is 3 rue des Lilas"
BOB = ["@AcmeCare unicornfish: mine arrived broken", "@AcmeCare unicornfish in jane's thread"]


def fill(sandbox: XSandbox, engine: Engine, db_url: str, config: Path, x_env: dict[str, str]) -> int:
    """The listener stores jane's, jane_pro's and bob's messages; jane's two accounts are linked. Returns the
    contact id of @janedoe77."""
    sandbox.add_user("janedoe77", name="Jane Doe")
    sandbox.add_user("janedoe_pro", name="Jane Doe (work)")
    root = sandbox.add_mention(JANE[0], author="janedoe77")
    sandbox.add_mention(JANE[1], author="janedoe77", in_reply_to=root)
    sandbox.add_mention("@janedoe77 Hi Jane Doe, we are on it", author="AcmeCare", in_reply_to=root)
    sandbox.add_mention(JANE_PRO[0], author="janedoe_pro")
    sandbox.add_dm(JANE_DM, sender="janedoe77")
    sandbox.add_mention(BOB[0], author="bobsmith")
    sandbox.add_mention(BOB[1], author="bobsmith", in_reply_to=root)
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        contacts = {c.handle: c for c in s.exec(select(Contact)).all()}
        manager = User(name="mia", password_hash="x", role="manager")
        s.add(manager)
        s.flush()
        now = datetime.now(UTC)
        link(s, contacts["janedoe77"].id or 0, contacts["janedoe_pro"].id or 0, manager, now)
        jane_conv = s.exec(select(Contact).where(Contact.handle == "janedoe77")).one()
        from inbox.store.tables import Conversation

        conv = s.exec(select(Conversation).where(Conversation.contact_id == jane_conv.id)).first()
        assert conv is not None
        s.add(
            Note(
                conversation_id=conv.id or 0,
                author_id=manager.id or 0,
                text="zebracorn note: Jane Doe is a VIP",
                created_at=now,
            )
        )
        return jane_conv.id or 0


@pytest.fixture
def config(tmp_path: Path, sandbox: XSandbox, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = config_on(sandbox, tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    return folder


def texts(record: dict) -> list[str]:
    return [m["text"] for conv in record["conversations"] for m in conv["messages"]]


def test_export_holds_all_their_messages_across_linked_accounts_and_nobody_elses(
    engine: Engine,
    db_url: str,
    config: Path,
    sandbox: XSandbox,
    x_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    jane = fill(sandbox, engine, db_url, config, x_env)
    code, out, err = inbox(
        capsys,
        "privacy",
        "export",
        "--contact",
        "x-acme:@JaneDoe77",
        "--reason",
        "DSAR 2026-17",
        "--actor",
        "dpo",
    )
    assert code == 0, err
    record = json.loads(out)
    assert sorted(texts(record)) == sorted(
        [*JANE, *JANE_PRO, JANE_DM, "@janedoe77 Hi Jane Doe, we are on it"]
    )
    assert "unicornfish" not in out  # bob's messages, even the one in jane's thread
    assert sorted(p["handle"] for p in record["profiles"]) == ["janedoe77", "janedoe_pro"]
    assert record["person"]["display_name"]
    every = [m for conv in record["conversations"] for m in conv["messages"]]
    assert all(m["raw"] for m in every if m["direction"] == "in")  # the raw payload is in the record
    assert any(
        n["text"].startswith("zebracorn note") for conv in record["conversations"] for n in conv["notes"]
    )
    assert any(
        e["action"].startswith("person.") or e["target_type"] == "contact" for e in record["audit_events"]
    )
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.export")).one()
    assert (event.actor, event.target_id, event.detail["reason"]) == ("dpo", str(jane), "DSAR 2026-17")
    assert len(event.detail["contacts"]) == 2 and "zebracorn" not in json.dumps(event.detail)


def test_export_needs_a_reason_and_a_known_person(
    engine: Engine, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(Exception, match="Missing parameter: reason"):  # typer's own usage error
        inbox(capsys, "privacy", "export", "--contact", "x-acme:nobody")
    code, _, err = inbox(capsys, "privacy", "export", "--contact", "x-acme:nobody", "--reason", "  ")
    assert code == 2 and "must say why" in err
    code, _, err = inbox(capsys, "privacy", "export", "--contact", "nowhere:jane", "--reason", "r")
    assert code == 2 and "no channel named 'nowhere'" in err
    with Session(engine) as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.export")).all() == []
