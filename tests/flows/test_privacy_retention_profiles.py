"""Profiles have a retention period of their own (``profiles_days``): a customer not seen for that long has
their handle, name, platform id and follower count anonymised by the purge, audited; a profile in a live
conversation or under legal hold stays (real listener on the X sandbox; SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from connectors.sandbox.x.server import XSandbox
from inbox.privacy import profiles
from inbox.store.gone import TOMBSTONE
from inbox.store.tables import AuditEvent, Contact, Conversation
from tests.support.privacy_flows import cli_on, every_value, inbox, listen_once

RETENTION = "[privacy.retention]\nmessages_days = 1\nprofiles_days = 2\n"


def test_a_profile_not_seen_for_profiles_days_is_anonymised(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = cli_on(sandbox, tmp_path, db_url, monkeypatch, RETENTION)
    old, now = datetime.now(UTC) - timedelta(days=3), datetime.now(UTC)
    olga = sandbox.add_user("olgavieille", name="Olga Quasimodo", followers=4321)
    for handle in ("hankheld", "lealive"):
        sandbox.add_user(handle, name=handle.title())
    sandbox.add_mention("@AcmeCare my old question", author="olgavieille", created_at=old)
    sandbox.add_mention("@AcmeCare the contract dispute", author="hankheld", created_at=old)
    sandbox.add_mention("@AcmeCare still waiting", author="lealive", created_at=old)
    sandbox.add_mention("@AcmeCare new today", author="ninanew", created_at=now)
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():  # the profiles were last changed when their messages came
        s.execute(update(Contact).where(col(Contact.handle) != "ninanew").values(updated_at=old))
        live = select(Contact.id).where(Contact.handle == "lealive")
        s.execute(
            update(Conversation).where(col(Conversation.contact_id).not_in(live)).values(status="resolved")
        )
    assert inbox(capsys, "privacy", "hold", "--contact", "x-acme:hankheld", "--reason", "litigation")[0] == 0

    code, out, err = inbox(capsys, "privacy", "purge", "--dry-run")
    assert code == 0 and "would remove" in out and "1 profile" in out, err
    code, out, err = inbox(capsys, "privacy", "purge")
    assert code == 0 and "removed" in out and "1 profile" in out, err

    with Session(engine) as s:
        handles = set(s.exec(select(Contact.handle)).all())
        followers = set(s.exec(select(Contact.followers)).all())
        platform_ids = s.exec(select(Contact.platform_id)).all()
        purge = s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.purge")).all()[-1]
    assert "olgavieille" not in handles and {"hankheld", "lealive", "ninanew"} <= handles
    assert 4321 not in followers
    assert purge.detail["removed"]["profiles"] == 1
    assert sum(p.startswith(TOMBSTONE) for p in platform_ids) == 1  # the screens say "Erased customer"
    stored = every_value(engine)
    for trace in ("olgavieille", "Olga Quasimodo", olga):
        assert trace not in stored, trace
    assert "hankheld" in stored and "lealive" in stored
    assert "0 profiles" in inbox(capsys, "privacy", "purge")[1]  # safe to run twice


def test_a_profile_that_writes_again_while_the_purge_runs_stays(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The purge picks the profile, then the listener stores a new message of theirs, then the purge's batch
    applies: the profile is in a live conversation now and keeps its handle."""
    config = cli_on(sandbox, tmp_path, db_url, monkeypatch, RETENTION)
    old = datetime.now(UTC) - timedelta(days=3)
    sandbox.add_mention("@AcmeCare my old question", author="olgavieille", created_at=old)
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        s.execute(update(Contact).values(updated_at=old))
        s.execute(update(Conversation).values(status="resolved"))
    cutoff = datetime.now(UTC) - timedelta(days=2)
    with Session(engine) as s:
        picked = list(s.exec(select(Contact.id).where(profiles.due(cutoff))).all())
    assert len(picked) == 1
    sandbox.add_mention("@AcmeCare me again, still broken", author="olgavieille")
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        profiles.apply(s, picked)
    with Session(engine) as s:
        assert s.exec(select(Contact.handle).where(col(Contact.id) == picked[0])).one() == "olgavieille"
