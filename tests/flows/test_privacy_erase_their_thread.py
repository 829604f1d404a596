"""Another customer who answers in the person's own public thread ("@janedoe77 same for me, Jane Doe") is
redacted by the erasure like one who names them elsewhere: their handle, name and platform id (X's
``in_reply_to_user_id``) go, the other customer's own words stay; the export lists that message as a
reference (real listener on the X sandbox, SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.privacy.record import person_record
from inbox.privacy.subject import find_subject
from inbox.store.tables import Contact
from tests.support.privacy_flows import cli_on, every_value, inbox, listen_once


def test_another_customer_in_their_thread_naming_them_is_redacted(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = cli_on(sandbox, tmp_path, db_url, monkeypatch)
    sandbox.add_user("janedoe77", name="Jane Doe")
    at = datetime.now(UTC) - timedelta(minutes=5)
    root = sandbox.add_mention("@AcmeCare my parcel is lost", author="janedoe77", created_at=at)
    sandbox.add_mention(
        "@janedoe77 @AcmeCare same for me, Jane Doe, mine too",
        author="bobsmith",
        in_reply_to=root,
        created_at=at + timedelta(minutes=1),
    )
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s:
        jane_id = s.exec(select(Contact.platform_id).where(Contact.handle == "janedoe77")).one()
        record = person_record(s, find_subject(s, "x-acme:janedoe77"), datetime.now(UTC))
    assert len(record["named_elsewhere"]["messages_of_others"]) == 1  # Bob's, as a reference
    code, _, err = inbox(
        capsys, "privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", "DSAR", "--yes"
    )
    assert code == 0, err
    stored = every_value(engine)
    for word in ("janedoe77", "Jane Doe", jane_id):
        assert word not in stored, word
    assert "[erased] @AcmeCare same for me, [erased], mine too" in stored
