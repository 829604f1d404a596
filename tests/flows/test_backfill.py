"""`inbox backfill`: history back to --since, page by page, classified in one batch per page, resumable."""

from __future__ import annotations

import signal
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.backfill import PREFIX, BackfillError, backfill_stream, backfill_streams, parse_since
from inbox.store.tables import ListeningCursor, Message
from tests.conftest import ROOT
from tests.support.eventually import eventually
from tests.support.workers import config_dir, job_env, start
from tests.support.x_channel import x_runtime

NOW = datetime.now(UTC)


def test_parse_since() -> None:
    assert parse_since("7d") == timedelta(days=7)
    assert parse_since("24h") == timedelta(hours=24)
    assert parse_since(" 30m ") == timedelta(minutes=30)
    for bad in ("7", "d", "0d", "-1d", "7w", "1.5h", ""):
        with pytest.raises(ValueError, match="--since"):
            parse_since(bad)


def _history(sandbox: XSandbox, days: float, per_day: int, *, dms: int = 0) -> set[str]:
    """Mentions (and DMs) spread evenly over the last ``days``, oldest first; the ids within 7 days."""
    recent: set[str] = set()
    total = int(days * per_day)
    for n in range(total):
        at = NOW - timedelta(days=days) + timedelta(days=days) * (n + 0.5) / total
        tid = sandbox.add_mention(
            f"@AcmeCare my parcel {n} never arrived", author=f"c{n % 13}", created_at=at
        )
        if at >= NOW - timedelta(days=7):
            recent.add(tid)
    for n in range(dms):
        at = NOW - timedelta(days=days) + timedelta(days=days) * (n + 0.5) / dms
        did = sandbox.add_dm(f"card {n} was charged twice", sender=f"d{n % 5}", created_at=at)
        if at >= NOW - timedelta(days=7):
            recent.add(did)
    return recent


class CountingClassifier:
    """The real classifier, noting the size of each call (to see one call per page)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[int] = []

    def classify(
        self, texts: Sequence[str], *, followers: Sequence[int | None] | None = None
    ) -> Sequence[Any]:
        self.calls.append(len(texts))
        return self.inner.classify(texts, followers=followers)


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


def _stored(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(Message.platform_id)).all())


def test_backfill_reads_back_to_since_classifies_per_page_and_leaves_listening_alone(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, classifier: Any
) -> None:
    expected = _history(sandbox, days=10, per_day=6, dms=12)
    rt = x_runtime(sandbox, page_size=10)
    assert backfill_streams(rt) == ["mentions", "dms"]
    counting = CountingClassifier(classifier)
    done = [
        backfill_stream(
            engine,
            rt,
            s,
            NOW - timedelta(days=7),
            clock=lambda: datetime.now(UTC),
            due=default_due,
            classifier=counting,
        )
        for s in ("mentions", "dms")
    ]
    ids = _stored(engine)
    assert len(ids) == len(set(ids)) == len(expected) and set(ids) == expected
    assert all(p.done for p in done) and done[0].pages >= 5
    assert sum(counting.calls) == len(expected) and max(counting.calls) <= 10  # one call per page
    pages = sum(p.pages for p in done)
    assert -(-len(expected) // 10) <= len(counting.calls) <= pages  # at most one call per page
    calls = [r for r in sandbox.requests if "/mentions" in r.path]
    assert all("start_time" in r.query and "since_id" not in r.query for r in calls)
    with Session(engine) as s:
        cursors = {c.stream: c for c in s.exec(select(ListeningCursor))}
        assert set(cursors) == {PREFIX + "mentions", PREFIX + "dms"}  # the listener's cursors untouched
        assert all(c.cursor is None and c.lease_owner is None for c in cursors.values())  # finished, released
        labelled = s.exec(select(Message.sentiment).where(Message.direction == "in")).all()
        assert all(label in ("negative", "neutral", "positive") for label in labelled)
    again = backfill_stream(
        engine, rt, "mentions", NOW - timedelta(days=7), clock=lambda: datetime.now(UTC), due=default_due
    )
    assert again.done and again.new == 0 and again.duplicates > 0 and len(_stored(engine)) == len(expected)


def test_a_refusing_platform_stops_the_backfill_and_keeps_its_place(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    _history(sandbox, days=2, per_day=20)
    rt = x_runtime(sandbox, page_size=5)
    sandbox.inject_fault("/2/users/", status=503, count=100)
    with pytest.raises(BackfillError, match="mentions"):
        backfill_stream(
            engine,
            rt,
            "mentions",
            NOW - timedelta(days=7),
            clock=lambda: datetime.now(UTC),
            due=default_due,
            sleep=lambda _s: None,
        )
    with Session(engine) as s:
        row = s.exec(select(ListeningCursor)).one()
        assert row.cursor is not None and row.lease_owner is None  # unfinished, to resume; lease released


def test_sigkill_mid_backfill_then_rerun_ends_with_exactly_the_expected_rows(
    tmp_path: Path, db_url: str, engine: Engine, sandbox: XSandbox
) -> None:
    expected = _history(sandbox, days=9, per_day=25, dms=30)
    env = job_env(db_url, config_dir(tmp_path, sandbox.url))
    sandbox.inject_fault("/2/", delay=0.15, count=100_000)  # slow pages: the kills land mid-run
    log = tmp_path / "backfill.log"
    args = ["backfill", "--channel", "x-acme", "--since", "7d"]
    kills = 0
    for calls, extra in ((2, 0.05), (4, 0.1), (3, 0.0), (6, 0.12)):
        proc = start(args, env, log)
        target = len(sandbox.requests) + calls
        eventually(
            lambda p=proc, n=target: len(sandbox.requests) >= n or p.poll() is not None,
            timeout=90,
            interval=0.01,
            message=f"the backfill's next {calls} API calls",
        )
        time.sleep(extra)  # not a wait: moves the kill to another point of the page (request, transaction)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
    assert kills >= 3, "the backfill finished before it could be killed: the test proves nothing"
    partial = len(_stored(engine))
    assert 0 < partial < len(expected)
    sandbox.clear_faults()
    proc = start(args, env, log)
    assert proc.wait(timeout=300) == 0, log.read_text()
    assert "resumed" in log.read_text()
    ids = _stored(engine)
    assert len(ids) == len(set(ids)) == len(expected) and set(ids) == expected
