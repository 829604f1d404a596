"""The charter editor page (AppTest): errors name the key; a VIP change is a version new conversations get,
written back to config/charter.toml as a one-line change with every comment kept (#13.15)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from connectors.base import Author, Batch, InboundItem
from inbox import i18n
from inbox.charter.versions import LiveCharter
from inbox.desk import preferences
from inbox.ingest.page import ingest_batch
from inbox.store.tables import AuditEvent, Channel, Contact, Conversation
from inbox.store.tables.enforcement import CharterVersion
from tests.support.config_copy import config_copy
from tests.support.enforcement import PARIS_MONDAY_10
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, seeded_app
from tests.ui.placement import message_under, said_after

PAGE = "inbox/ui/pages/charter.py"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return config_copy(tmp_path)


@pytest.fixture
def seeded(db_url: str, config: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    for found in seeded_app(db_url, monkeypatch):
        monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
        yield found


def editor(seeded: Seeded, user: str = "maya") -> AppTest:
    at = app_as(seeded, user)
    return at.switch_page(PAGE).run()


def problems(at: AppTest) -> list[tuple[str, str]]:
    table = at.dataframe[0].value
    return list(zip(table["Key"], table["Problem and what is allowed"], strict=True))


def ingest_mention(
    engine: Engine, due: LiveCharter, handle: str, tag: list[str], n: int, at: datetime = PARIS_MONDAY_10
) -> Conversation:
    """A public mention from ``handle`` (a contact tagged ``tag``) received ``at``: Monday 10:00 in Paris."""
    with Session(engine) as s, s.begin():
        channel = s.exec(select(Channel).where(Channel.name == "x-acme")).one()
        s.add(Contact(channel_id=channel.id or 0, platform_id=f"p-{handle}", handle=handle, tags=tag))
        s.flush()
        item = InboundItem(
            channel="x-acme",
            external_id=f"t-{handle}-{n}",
            thread_key=f"t-{handle}-{n}",
            kind="mention",
            visibility="public",
            direction="in",
            author=Author(f"p-{handle}", handle),
            text="@AcmeCare help please",
            created_at=at,
        )
        ingest_batch(s, channel, "mentions", Batch([item], None), due=due, now=at)
    with Session(engine) as s:
        return s.exec(select(Conversation).where(Conversation.thread_key == f"t-{handle}-{n}")).one()


def test_an_invalid_value_shows_the_key_and_what_is_allowed_and_saves_nothing(
    seeded: Seeded, engine: Engine
) -> None:
    at = editor(seeded)
    assert not at.exception and [t.value for t in at.title] == ["Response charter"]
    at.number_input(key="cf0-at-risk").set_value(150.0)
    at.button(key="cf0-save").click().run()
    assert not at.exception and "Not saved: 1 problem. Correct the value below" in at.error[0].value
    assert problems(at) == [("escalation.at_risk_fraction", "Input should be less than 1")]
    at.text_area(key="toml-0-text").set_value(
        at.text_area(key="toml-0-text").value.replace("vip = 30", "vip = 0")
    )
    at.button(key="toml-0-save").click().run()
    assert problems(at) == [("sla.segments.vip.minutes", "Input should be greater than 0")]
    with Session(engine) as s:
        assert s.exec(select(CharterVersion)).all() == []


def test_vip_from_30_to_20_saves_a_version_that_new_conversations_get(
    seeded: Seeded, engine: Engine, config: Path
) -> None:
    shipped = (config / "charter.toml").read_text(encoding="utf-8")
    live = LiveCharter(engine, config, recheck_seconds=0)  # a running listener, started before the edit
    before = ingest_mention(engine, live, "early", ["VIP"], 1)
    assert before.sla_due_at == PARIS_MONDAY_10 + timedelta(minutes=30)
    at = editor(seeded)
    at.number_input(key="cf0-seg-vip").set_value(20)
    at.text_input(key="cf0-note").input("VIP promise shortened for the launch")
    at.button(key="cf0-save").click().run()
    assert not at.exception and not at.error
    assert "Saved as version #2" in at.success[0].value  # #1 keeps the file as it was
    [save] = [str(b.key) for b in at.button if str(b.key).startswith("cf") and str(b.key).endswith("-save")]
    assert "Saved as version #2" in said_after(at, save)  # under the button (audit r20, UI finding 2)
    with Session(engine) as s:
        kept, version = s.exec(select(CharterVersion).order_by(CharterVersion.id)).all()  # type: ignore[arg-type]
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "charter.saved")).one()
    assert (kept.saved_by, kept.toml) == ("config/charter.toml", shipped)
    assert (version.saved_by, version.comment) == ("maya", "VIP promise shortened for the launch")
    assert event.detail["changes"] == ["sla.segments.vip: 30 → 20"]
    written = (config / "charter.toml").read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(shipped.splitlines(), written.splitlines(), lineterm="", n=0))[2:]
    assert [d for d in diff if not d.startswith("@@")] == ["-vip = 30", "+vip = 20"] and len(diff) == 3
    assert written == version.toml
    # A conversation is judged by the charter in force when it arrives: these arrive after the save (which
    # happens now, on the wall clock), on a later Monday 10:00 in Paris.
    later = PARIS_MONDAY_10.replace(year=2030, month=6, day=3)
    vip = ingest_mention(engine, live, "vipper", ["vip"], 2, at=later)
    plain = ingest_mention(engine, live, "plain", [], 3, at=later)
    assert vip.sla_due_at == later + timedelta(minutes=20)
    assert plain.sla_due_at == later + timedelta(minutes=60)
    with Session(engine) as s:
        assert s.get(Conversation, before.id).sla_due_at == PARIS_MONDAY_10 + timedelta(minutes=30)  # type: ignore[union-attr]
    history = at.switch_page(PAGE).run()
    table = history.dataframe[0].value
    assert list(table["By"]) == ["Maya", "config/charter.toml"]
    assert table["Note"][0] == "VIP promise shortened for the launch"
    assert table["Note"][1].startswith("The file as it was before the first save from this page (")
    assert list(table["Saved"])[1] == "from the start" and table["What changed"][1] == ""
    assert "sla.segments.vip: 30 → 20" in table["What changed"][0]
    assert any("-vip = 30" in c.value and "+vip = 20" in c.value for c in history.code)
    assert not history.warning  # the file and the version in force agree


def test_agents_cannot_edit_the_charter(seeded: Seeded) -> None:
    at = app_as(seeded, "alice")
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in an agent's navigation
        at.switch_page(PAGE).run()


def test_business_hours_and_days_off_from_the_form(seeded: Seeded, engine: Engine) -> None:
    at = editor(seeded)
    at.text_input(key="cf0-care-fr-sat").input("")
    at.text_input(key="cf0-care-fr-public-holidays").input("FR-57")
    days = at.text_area(key="cf0-care-fr-days")
    days.input(days.value + "\n2028-01-03 Inventaire\n08-14 Pont | 10:00-12:00")
    at.text_input(key="cf0-note").input("Moselle holidays, Saturday closed")
    at.button(key="cf0-save").click().run()
    assert not at.error
    with Session(engine) as s:
        saved = tomllib.loads(
            s.exec(select(CharterVersion).where(CharterVersion.saved_by == "maya")).one().toml
        )
    team = saved["teams"]["care-fr"]
    assert "sat" not in team["week"] and team["week"]["mon"] == ["08:00-12:00", "14:00-20:00"]
    assert team["public_holidays"] == "FR-57"
    assert team["closed_days"] == [{"date": dt.date(2028, 1, 3), "name": "Inventaire"}]
    assert team["reduced_days"][-1] == {"date": "08-14", "name": "Pont", "shifts": ["10:00-12:00"]}
    assert len(team["reduced_days"]) == 3  # 24 and 31 December kept
    assert saved["teams"]["care-fr"]["out_of_hours"]["day_names"][0] == "lundi"  # untouched keys survive


def test_a_bad_public_holiday_code_from_the_form_names_the_key(seeded: Seeded) -> None:
    at = editor(seeded)
    at.text_input(key="cf0-care-fr-public-holidays").input("FR-99")
    at.button(key="cf0-save").click().run()
    assert not at.exception and "Not saved: 1 problem. Correct the value below" in at.error[0].value
    [(key, message)] = problems(at)
    assert key == "teams.care-fr.public_holidays" and "unknown subdivision '99' of FR" in message


def test_a_file_changed_outside_the_inbox_is_flagged_and_can_be_imported(
    seeded: Seeded, engine: Engine, config: Path
) -> None:
    at = editor(seeded)
    at.number_input(key="cf0-seg-vip").set_value(20)
    at.text_input(key="cf0-note").input("VIP 20")
    at.button(key="cf0-save").click().run()
    path = config / "charter.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("high = 30", "high = 25"), encoding="utf-8")
    at = editor(seeded)
    assert "config/charter.toml differs from version #2" in at.warning[0].value
    at.button(key="charter-import-file").click().run()
    assert not at.exception and "Saved as version #3" in at.success[0].value and not at.warning
    with Session(engine) as s:
        newest = s.get(CharterVersion, 3)
    assert newest is not None and newest.toml == path.read_text(encoding="utf-8")
    assert newest.comment == "Imported from config/charter.toml"


def test_reason_targets_and_brand_channels_from_the_form(seeded: Seeded, config: Path) -> None:
    """A manager sets a 20-minute billing target and takes a channel from the brand, without the TOML tab."""
    at = editor(seeded)
    assert at.number_input(key="cf0-reason-account_access").value == 30  # the shipped [sla.reasons]
    at.number_input(key="cf0-reason-billing_payment").set_value(20)
    at.number_input(key="cf0-reason-account_access").set_value(0)  # 0 = none: the key goes
    brand = at.multiselect(key="cf0-brand-acme")
    assert "wa-acme" in brand.value
    brand.unselect("wa-acme")
    at.text_input(key="cf0-note").input("billing first; WhatsApp handled by the partner")
    at.button(key="cf0-save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = tomllib.loads((config / "charter.toml").read_text(encoding="utf-8"))
    assert saved["sla"]["reasons"] == {"billing_payment": 20}
    assert "wa-acme" not in saved["brands"]["acme"]["channels"]
    assert "mastodon-acme" in saved["brands"]["acme"]["channels"]


def test_the_history_speaks_the_readers_language(seeded: Seeded, engine: Engine) -> None:
    """The kept file's note is stored in English; a French reader reads it in French, with its date."""
    at = editor(seeded)
    at.number_input(key="cf0-seg-vip").set_value(20)
    at.text_input(key="cf0-note").input("VIP 20")
    at.button(key="cf0-save").click().run()
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users["maya"], "fr", by="test", by_role="admin")
    with i18n.use_language("fr"):  # AppTest formats option values again in the test's thread
        table = editor(seeded).dataframe[0].value
    year = datetime.now(dt.UTC).year
    assert re.fullmatch(
        rf"Le fichier tel qu'il était avant le premier enregistrement depuis cette page \(\d+ \w+\.? {year} "
        r"\d\d:\d\d\)",
        table["Note"][1],
    ), table["Note"][1]


@pytest.mark.parametrize("tab", ["cf0", "toml-0"])
def test_a_version_is_not_saved_without_saying_what_and_why(seeded: Seeded, engine: Engine, tab: str) -> None:
    """As in a change log, the note is required (audit r20, finding 15): without it nothing is saved, the
    refusal says why under the button, and what was changed is still there to save with a note."""
    at = editor(seeded)
    if tab == "cf0":
        at.number_input(key="cf0-seg-vip").set_value(20)
    else:
        text = at.text_area(key="toml-0-text")
        text.set_value(text.value.replace("vip = 30", "vip = 20"))
    at.text_input(key=f"{tab}-note").input("   ")
    at.button(key=f"{tab}-save").click().run()
    assert not at.exception
    assert "Not saved: say what you changed and why" in message_under(at, f"{tab}-save")
    with Session(engine) as s:
        assert s.exec(select(CharterVersion)).all() == []
    at.text_input(key=f"{tab}-note").input("VIP promise shortened for the launch")
    at.button(key=f"{tab}-save").click().run()
    assert "Saved as version #2" in " ".join(m.value for m in at.success)
    with Session(engine) as s:
        saved = s.exec(select(CharterVersion).where(CharterVersion.saved_by == "maya")).one()
    assert saved.comment == "VIP promise shortened for the launch" and "vip = 20" in saved.toml
