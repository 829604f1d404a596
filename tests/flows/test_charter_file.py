"""One source of truth for the charter (#13.15): a save is written back to config/charter.toml with its
comments (a one-number change is a one-line diff), the file's first text stays the charter of earlier
arrivals, and ``inbox charter export`` writes the version in force as a commented file."""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.charter import charter_file
from inbox.charter.editor import edited, to_toml
from inbox.charter.toml_edit import rewrite
from inbox.charter.versions import FILE_IMPORT, charter_book, history, save_version
from inbox.cli.main import main
from inbox.store.tables import User
from inbox.store.tables.enforcement import CharterVersion
from tests.support.config_copy import config_copy
from tests.support.enforcement import PARIS_MONDAY_10

MAYA = User(name="maya", role="manager", password_hash="-")
PUBLIC_60 = (
    'first_response = { minutes = 60, clock = "business_hours" }     # the social-media norm: within the hour'
)
PUBLIC_45 = PUBLIC_60.replace("60", "45")
FIRST_RESPONSE = "sla.default.public.first_response.minutes"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return config_copy(tmp_path)


def diff_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) from ``before`` to ``after``."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))[2:]
    return [d[1:] for d in diff if d.startswith("-")], [d[1:] for d in diff if d.startswith("+")]


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def test_a_one_number_change_is_a_one_line_diff_with_its_comment_kept(config: Path) -> None:
    text = charter_file.read_file(config)
    after = rewrite(text, edited(tomllib.loads(text), {FIRST_RESPONSE: 45}))
    assert diff_lines(text, after) == ([PUBLIC_60], [PUBLIC_45])
    assert tomllib.loads(after)["sla"]["default"]["public"]["first_response"] == {
        "minutes": 45,
        "clock": "business_hours",
    }


def test_added_removed_and_rewritten_keys_keep_every_comment_and_the_layout(config: Path) -> None:
    text = charter_file.read_file(config)
    data = edited(
        tomllib.loads(text),
        {
            "sla.segments.gold": 20,
            "teams.care-fr.week.sat": None,
            "teams.care-fr.reduced_days": [{"date": "12-24", "name": "Veille", "shifts": ["08:00-12:00"]}],
            "sla.default.listening.resolution": {"minutes": 2880, "clock": "business_hours"},
        },
    )
    after = rewrite(text, data)
    assert tomllib.loads(after) == data
    assert comment_lines(after) == comment_lines(text)
    lines = after.splitlines()
    assert (
        lines[lines.index("vip = 30") + 1] == "gold = 20"
    )  # in its table, before the next section's comments
    listening = lines.index("[sla.default.listening]")
    assert lines[listening + 2] == 'resolution = { minutes = 2880, clock = "business_hours" }'
    removed, added = diff_lines(text, after)
    assert removed == [
        '    { date = "12-24", name = "Veille de Noël", shifts = ["08:00-12:00", "14:00-17:00"] },',
        '    { date = "12-31", name = "Saint-Sylvestre", shifts = ["08:00-12:00", "14:00-17:00"] },',
        'sat = ["09:00-13:00"]',
    ]
    assert added == [
        'resolution = { minutes = 2880, clock = "business_hours" }',
        "gold = 20",
        '    { date = "12-24", name = "Veille", shifts = ["08:00-12:00"] },',
    ]


def test_an_array_of_tables_stays_one() -> None:
    text = '[[surveys]]\nkind = "nps"  # once a quarter\nsend_after_minutes = 60\n\n[survey]\nkind = "csat"\n'
    data = tomllib.loads(text)
    data["surveys"][0]["send_after_minutes"] = 90
    after = rewrite(text, data)
    assert diff_lines(text, after) == (["send_after_minutes = 60"], ["send_after_minutes = 90"])
    data["surveys"].append({"kind": "ces"})
    assert after.count("[[surveys]]") == 1 and rewrite(after, data).count("[[surveys]]") == 2


def test_text_that_cannot_be_edited_in_place_is_written_afresh_with_the_same_data() -> None:
    data = {"sla": {"team": "care-fr"}}
    assert tomllib.loads(rewrite("not [valid", data)) == data


def save(engine: Engine, config: Path, text: str, at: dt.datetime, based_on: int | None) -> int | None:
    """What the Charter page does: save a version (the file kept first), then write it back."""
    with Session(engine) as s, s.begin():
        before = charter_file.read_file(config)
        row = save_version(
            s, text, by=MAYA, comment="", now=at, based_on=based_on, previous_text=before, file_text=before
        ).id
    assert charter_file.write_back(config, text) is None
    return row


def test_a_save_writes_the_file_back_and_the_first_file_stays_the_charter_of_earlier_arrivals(
    engine: Engine, config: Path
) -> None:
    shipped = charter_file.read_file(config)
    vip_20 = rewrite(shipped, edited(tomllib.loads(shipped), {"sla.segments.vip": 20}))
    first = save(engine, config, vip_20, PARIS_MONDAY_10, None)
    assert diff_lines(shipped, charter_file.read_file(config)) == (["vip = 30"], ["vip = 20"])
    vip_25 = rewrite(vip_20, edited(tomllib.loads(vip_20), {"sla.segments.vip": 25}))
    save(engine, config, vip_25, PARIS_MONDAY_10 + dt.timedelta(days=1), first)
    assert charter_file.read_file(config) == vip_25
    with Session(engine) as s:
        rows = history(s)
        book = charter_book(s, config)
    assert [(r.saved_by, r.toml) for r in rows] == [
        ("maya", vip_25),
        ("maya", vip_20),
        (FILE_IMPORT, shipped),
    ]
    assert len(s.exec(select(CharterVersion).where(col(CharterVersion.saved_by) == FILE_IMPORT)).all()) == 1
    minutes = [
        book.in_force(PARIS_MONDAY_10 + dt.timedelta(hours=h)).sla.segments["vip"].minutes
        for h in (-1, 1, 25)
    ]
    assert minutes == [30, 20, 25] and book.current.sla.segments["vip"].minutes == 25


def test_export_writes_an_old_uncommented_version_onto_the_files_comments(
    engine: Engine,
    config: Path,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shipped = charter_file.read_file(config)
    with Session(engine) as s, s.begin():  # saved as the editor did before the write-back: no comments
        bare = to_toml(edited(tomllib.loads(shipped), {FIRST_RESPONSE: 45}))
        save_version(s, bare, by=MAYA, comment="", now=PARIS_MONDAY_10, based_on=None, previous_text=shipped)
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    assert main(["charter", "export"]) == 0
    written = charter_file.read_file(config)
    assert diff_lines(shipped, written) == ([PUBLIC_60], [PUBLIC_45])
    assert "version #1 written (2 lines added or removed)" in capsys.readouterr().out
    assert main(["charter", "export"]) == 0
    assert "already version #1, nothing to write" in capsys.readouterr().out
    assert main(["charter", "export", "--output", "-"]) == 0
    assert capsys.readouterr().out == written
    assert main(["charter", "export", "--version", "7"]) == 2
