"""Charter versions: TOML written back, what changed, saving a version, the listener picking it up live."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.editor import changes, days_from_text, days_to_text, edited, to_toml
from inbox.charter.versions import LiveCharter, StaleVersion, current_charter, save_version
from inbox.config.loader import ConfigError
from inbox.jobs.context import build
from inbox.settings import Settings
from inbox.store.tables import AuditEvent, User
from tests.conftest import ROOT
from tests.support.enforcement import PARIS_MONDAY_10, charter_data

MAYA, SAM = (User(name=name, role="manager", password_hash="-") for name in ("maya", "sam"))

CONFIG = ROOT / "config"
FILE_TEXT = (CONFIG / "charter.toml").read_text(encoding="utf-8")


def vip(minutes: int) -> str:
    return to_toml(edited(charter_data(), {"sla.segments.vip": minutes}))


def test_the_real_charter_is_written_back_as_the_same_data() -> None:
    data = charter_data()
    assert tomllib.loads(to_toml(data)) == data
    odd = edited(
        data, {"brands.acme.guidelines": 'Quote " and \\ and\nnew line\tand é', "sla.urgency.low": 240}
    )
    assert tomllib.loads(to_toml(odd)) == odd


def test_what_changed_between_two_versions_key_by_key() -> None:
    before = charter_data()
    after = edited(before, {"sla.segments.vip": 20, "peak.promise_hours": None, "sla.urgency.low": 240})
    shown = [str(c) for c in changes(before, after)]
    assert "sla.segments.vip: 30 → 20" in shown and "sla.urgency.low: (none) → 240" in shown
    assert "peak.promise_hours: 4 → (none)" in shown and len(shown) == 3


def test_closed_and_reduced_days_as_lines_and_a_bad_date_named_by_line() -> None:
    reduced = charter_data()["teams"]["care-fr"]["reduced_days"]
    text = days_to_text(reduced)
    assert "12-24 Veille de Noël | 08:00-12:00, 14:00-17:00" in text.splitlines()
    assert days_from_text(text, "teams.care-fr") == ([], reduced, [])
    older = [dt.date(2026, 5, 1), {"date": dt.date(2026, 5, 8), "name": "Victoire 1945"}]  # `holidays`
    closed, reduced, problems = days_from_text(
        days_to_text(older) + "\n08-14 Pont\n01/05/2027 Fête\n2027-12-24 | 09:00-11:00", "teams.care-fr"
    )
    assert closed == [*older, {"date": "08-14", "name": "Pont"}]
    assert reduced == [{"date": dt.date(2027, 12, 24), "shifts": ["09:00-11:00"]}]
    assert problems[0][0] == "teams.care-fr.closed_days[line 4]" and "YYYY-MM-DD" in problems[0][1]


def test_saving_validates_like_the_file_and_refuses_a_stale_base(engine: Engine) -> None:
    with Session(engine) as s, s.begin(), pytest.raises(ConfigError) as bad:
        save_version(
            s, vip(0), by=MAYA, comment="", now=PARIS_MONDAY_10, based_on=None, previous_text=FILE_TEXT
        )
    assert bad.value.problems == [
        ("charter (editor)", "sla.segments.vip.minutes", "Input should be greater than 0")
    ]
    with Session(engine) as s, s.begin():
        first_id = save_version(
            s,
            vip(20),
            by=MAYA,
            comment="VIP promise",
            now=PARIS_MONDAY_10,
            based_on=None,
            previous_text=FILE_TEXT,
        ).id
    with Session(engine) as s, s.begin(), pytest.raises(StaleVersion):
        save_version(
            s, vip(25), by=SAM, comment="", now=PARIS_MONDAY_10, based_on=None, previous_text=FILE_TEXT
        )
    with Session(engine) as s:
        assert current_charter(s, CONFIG).sla.segments["vip"].minutes == 20
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "charter.saved")).one()
    assert event.actor == "maya" and event.target_id == str(first_id)
    assert (
        event.detail["changes"] == ["sla.segments.vip: 30 → 20"] and event.detail["comment"] == "VIP promise"
    )


def test_the_live_charter_picks_up_a_new_version_and_keeps_the_old_one_for_earlier_arrivals(
    engine: Engine,
) -> None:
    ticks = [0.0]
    live = LiveCharter(engine, CONFIG, recheck_seconds=5, clock=lambda: ticks[0])
    assert live.current().sla.segments["vip"].minutes == 30 and live.book().version_id is None
    saved_at = PARIS_MONDAY_10
    with Session(engine) as s, s.begin():
        save_version(s, vip(20), by=MAYA, comment="", now=saved_at, based_on=None, previous_text=FILE_TEXT)
    assert live.current().sla.segments["vip"].minutes == 30  # not re-checked within 5 seconds
    ticks[0] = 5.0
    book = live.book()
    assert book.version_id == 1 and book.current.sla.segments["vip"].minutes == 20
    assert book.in_force(saved_at - dt.timedelta(minutes=1)).sla.segments["vip"].minutes == 30
    assert book.in_force(saved_at + dt.timedelta(minutes=1)).sla.segments["vip"].minutes == 20


def test_entry_points_load_the_newest_saved_version(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as s, s.begin():
        save_version(
            s, vip(20), by=MAYA, comment="", now=PARIS_MONDAY_10, based_on=None, previous_text=FILE_TEXT
        )
    ctx = build(Settings(database_url=db_url, config_dir=CONFIG), with_channels=False)
    try:
        assert ctx.charter is not None and ctx.charter.sla.segments["vip"].minutes == 20
        assert ctx.live is not None and ctx.due is ctx.live
    finally:
        ctx.engine.dispose()
