"""The listener's daily purge when several workers tick at once (each runs the automation tick): one of them
purges and audits it; the others find it done. Before, each worker that read "no purge today" before the
first had audited ran its own, and the audit log showed the day's purge twice or more, with its counts
split or counted twice. Real SQLite and PostgreSQL, one engine per worker."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.model import load_charter
from inbox.charter.policies import Retention
from inbox.privacy.retention import ACTION, PurgeReport, purge_if_due
from inbox.store.engine import make_engine
from inbox.store.tables import AuditEvent, Channel, QuarantinedItem
from tests.support.reports_seed import Story, write_config

WORKERS = 4
OLD = 7


def test_workers_ticking_together_purge_once_and_audit_it_once(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        Story(session, load_charter(write_config(tmp_path / "config"))).channel("x-acme", "x")
        channel = session.exec(select(Channel)).one().id or 0
        for n, at in [(n, now - timedelta(days=3)) for n in range(OLD)] + [(OLD, now)]:
            session.add(QuarantinedItem(channel_id=channel, stream="x", error=f"bad {n}", created_at=at))
    retention = Retention(quarantine_days=1, audit_days=30)
    engines = [make_engine(db_url) for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)
    reports: list[PurgeReport | None] = []
    errors: list[BaseException] = []

    def tick(worker: Engine) -> None:
        start.wait()
        try:
            reports.append(purge_if_due(worker, retention, now, actor="automation"))
        except BaseException as exc:  # noqa: BLE001  (reported below, with the worker's traceback)
            errors.append(exc)

    threads = [threading.Thread(target=tick, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for e in engines:
        e.dispose()
    assert not errors, errors
    ran = [r for r in reports if r is not None]
    with Session(engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == ACTION)).all()
        left = session.exec(select(QuarantinedItem.error)).all()
    assert left == [f"bad {OLD}"]  # today's
    assert len(events) == 1 and len(ran) == 1, (len(events), [r and r.quarantined for r in reports])
    assert ran[0].quarantined == OLD and events[0].detail["removed"]["quarantined"] == OLD
