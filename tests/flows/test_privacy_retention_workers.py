"""The listener's daily purge when several workers tick at once (each runs the automation tick): one of them
purges and audits it; the others find it done. Before, each worker that read "no purge today" before the
first had audited ran its own, and the audit log showed the day's purge twice or more, with its counts
split or counted twice. Real SQLite and PostgreSQL, one engine per worker."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.model import load_charter
from inbox.charter.policies import Retention
from inbox.privacy.retention import ACTION, PurgeReport, purge, purge_if_due
from inbox.store.engine import make_engine
from inbox.store.tables import AuditEvent, Channel, QuarantinedItem
from tests.support.reports_seed import Story, write_config

WORKERS = 4
OLD = 7
RETENTION = Retention(quarantine_days=1, audit_days=30)


def _seed(engine: Engine, tmp_path: Path, now: datetime) -> None:
    """``OLD`` quarantined items three days old, and one of today."""
    with Session(engine) as session, session.begin():
        Story(session, load_charter(write_config(tmp_path / "config"))).channel("x-acme", "x")
        channel = session.exec(select(Channel)).one().id or 0
        for n, at in [(n, now - timedelta(days=3)) for n in range(OLD)] + [(OLD, now)]:
            session.add(QuarantinedItem(channel_id=channel, stream="x", error=f"bad {n}", created_at=at))


def _together(db_url: str, work: Callable[[Engine], PurgeReport | None]) -> list[PurgeReport | None]:
    """``work`` run by ``WORKERS`` threads at once, each with its own engine; what each returned."""
    engines = [make_engine(db_url) for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)
    reports: list[PurgeReport | None] = []
    errors: list[BaseException] = []

    def run(worker: Engine) -> None:
        start.wait()
        try:
            reports.append(work(worker))
        except BaseException as exc:  # noqa: BLE001  (reported below, with the worker's traceback)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for e in engines:
        e.dispose()
    assert not errors, errors
    return reports


def _left(engine: Engine) -> tuple[list[AuditEvent], list[str]]:
    with Session(engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == ACTION)).all()
        return list(events), list(session.exec(select(QuarantinedItem.error)).all())


def test_workers_ticking_together_purge_once_and_audit_it_once(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    _seed(engine, tmp_path, now)
    reports = _together(db_url, lambda worker: purge_if_due(worker, RETENTION, now, actor="automation"))
    ran = [r for r in reports if r is not None]
    events, left = _left(engine)
    assert left == [f"bad {OLD}"]  # today's
    assert len(events) == 1 and len(ran) == 1, (len(events), [r and r.quarantined for r in reports])
    assert ran[0].quarantined == OLD and events[0].detail["removed"]["quarantined"] == OLD


def test_purges_run_together_count_each_row_once(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """``inbox privacy purge`` from cron while a listener's tick purges: each run says what it removed, and
    together they removed each row once (on PostgreSQL a row another run was deleting counted for both)."""
    now = datetime.now(UTC)
    _seed(engine, tmp_path, now)
    reports = _together(db_url, lambda worker: purge(worker, RETENTION, now, actor="cron"))
    events, left = _left(engine)
    assert left == [f"bad {OLD}"] and len(events) == WORKERS
    assert sum(r.quarantined for r in reports if r) == OLD, [r and r.quarantined for r in reports]


def test_a_purge_killed_after_its_claim_is_run_again_an_hour_later(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """A worker killed mid-purge leaves the day's claim with no counts (``removed`` null); before, no purge
    ran until the next day. Another worker takes it over once the claim is an hour old, not while it may
    still run."""
    now = datetime.now(UTC)
    _seed(engine, tmp_path, now)
    with Session(engine) as session, session.begin():  # what the killed worker left
        session.add(AuditEvent(at=now, actor="automation", action=ACTION, detail={"removed": None}))
    assert purge_if_due(engine, RETENTION, now + timedelta(minutes=30), actor="automation") is None
    report = purge_if_due(engine, RETENTION, now + timedelta(minutes=61), actor="automation")
    assert report is not None and report.quarantined == OLD
    events, left = _left(engine)
    assert left == [f"bad {OLD}"] and [e.detail["removed"] is None for e in events] == [True, False]
    assert purge_if_due(engine, RETENTION, now + timedelta(hours=2), actor="automation") is None  # done today
