"""The Audit page (#15.7): managers and admins filter the audit log by who, action, customer, conversation and
period, read it with local dates and download it as CSV; each view and download is itself audited; agents do
not get it. In English and French."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import streamlit as st
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences
from inbox.store import records
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation
from inbox.ui.common import USER
from tests.support.seed_desk import Seeded, add_user
from tests.support.ui import APP, app_as, audit_events, database, in_french

AUDIT = "inbox/ui/pages/audit.py"


@pytest.fixture
def logged(seeded: Seeded, db_url: str) -> Seeded:
    """A few events: alice tagged bob's conversation, bruno resolved jane's, one from last month."""
    engine = open_engine(db_url)
    at = datetime.now(UTC) - timedelta(hours=1)
    with Session(engine) as s, s.begin():
        late, soon = seeded.conversations["late"], seeded.conversations["soon"]
        records.audit(
            s, "alice", "conversation.tags", target=("conversation", late), detail={"tags": ["x"]}, at=at
        )
        records.audit(s, "bruno", "conversation.status", target=("conversation", soon), at=at)
        taken = {"from": None, "to": seeded.users["bruno"], "rule": "reply"}
        records.audit(s, "bruno", "conversation.assigned", target=("conversation", soon), detail=taken, at=at)
        old = datetime.now(UTC) - timedelta(days=40)
        records.audit(s, "alice", "conversation.status", target=("conversation", late), at=old)
    engine.dispose()
    return seeded


def _downloads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of each file the page offers to download, as it is rendered."""
    files: list[str] = []
    original = st.download_button

    def kept(label: str, data: str, *args: object, **kwargs: object) -> bool:
        files.append(data)
        return original(label, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(st, "download_button", kept)
    return files


def _shown(at: AppTest) -> list[tuple[str, str]]:
    frame = at.dataframe[0].value
    return list(zip(frame.iloc[:, 1], frame.iloc[:, 3], strict=True))


def test_a_manager_filters_the_log_and_each_view_is_audited(logged: Seeded, db_url: str) -> None:
    late = logged.conversations["late"]
    at = app_as(logged, "maya").switch_page(AUDIT).run()
    assert not at.exception
    assert at.title[0].value.endswith("Audit log")
    shown = _shown(at)
    assert ("Alice", f"Conversation #{late}") in shown and (
        "Bruno",
        f"Conversation #{logged.conversations['soon']}",
    ) in shown
    actions = set(at.dataframe[0].value.iloc[:, 2])
    assert {"Tags changed", "Status changed"} <= actions  # words, not codes
    assert any(
        d.startswith("nobody → ") and d.endswith(" (by answering)") for d in at.dataframe[0].value.iloc[:, 4]
    )
    assert len([r for r in shown if r[0] == "Alice"]) == 1  # last month's event is outside the week
    assert len(audit_events(db_url, "audit.viewed")) == 1
    at.run()  # a rerun is not a new view
    assert len(audit_events(db_url, "audit.viewed")) == 1

    at.selectbox(key="audit-actor").select("bruno").run()
    assert {who for who, _ in _shown(at)} == {"Bruno"}
    at.selectbox(key="audit-actor").select("").run()
    at.text_input(key="audit-customer").input("x-acme:bob").run()
    assert {subject for _, subject in _shown(at)} == {f"Conversation #{late}"}
    at.text_input(key="audit-customer").input("").run()
    at.number_input(key="audit-conversation").set_value(logged.conversations["soon"]).run()
    assert {who for who, _ in _shown(at)} == {"Bruno"}
    views = audit_events(db_url, "audit.viewed")
    assert [v.detail["filters"].get("actor") for v in views][:2] == [None, "bruno"]
    assert any(v.detail["filters"].get("customer") == "x-acme:bob" for v in views)
    assert all(v.actor == "maya" for v in views)
    assert at.get("download_button")


def test_an_unknown_customer_is_said_plainly(logged: Seeded) -> None:
    at = app_as(logged, "maya").switch_page(AUDIT).run()
    at.text_input(key="audit-customer").input("x-acme:nobody").run()
    assert not at.exception
    assert "Nobody is known by that name" in at.warning[0].value


def test_an_agent_cannot_open_the_audit_page(logged: Seeded, db_url: str) -> None:
    at = app_as(logged, "alice")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(AUDIT)  # not among an agent's pages
    assert not audit_events(db_url, "audit.viewed")


def test_the_audit_page_speaks_french(logged: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, logged.users["maya"], "fr", by="test", by_role="admin")
        conv = s.get(Conversation, logged.conversations["late"])
        assert conv is not None
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = logged.users["maya"]
    with i18n.use_language("fr"):
        at.run().switch_page(AUDIT).run()
    assert not at.exception
    assert at.title[0].value.endswith("Journal d'audit")
    assert list(at.dataframe[0].value.columns) == ["Quand", "Qui", "Action", "Objet", "Détails"]
    frame = at.dataframe[0].value
    assert "Étiquettes changées" in set(frame.iloc[:, 2]) and "Statut changé" in set(frame.iloc[:, 2])
    assert f"Conversation n°\xa0{logged.conversations['late']}" in set(frame.iloc[:, 3])
    month = at.dataframe[0].value.iloc[0, 0]
    assert any(
        m in month
        for m in (
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        )
    )


def test_the_csv_download_reads_as_the_page_in_the_teams_time_zone(
    logged: Seeded, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audit r20, UI finding 8: the audit CSV had UTC times while the page shows Paris time, and action keys
    (``conversation.auto_assigned``). Now: Paris time, named in the header, and the page's words in the
    reader's language, then the log's stable columns (the key, UTC time) for scripts."""
    files = _downloads(monkeypatch)
    in_french(db_url, logged.users["maya"])
    with i18n.use_language("fr"):
        at = app_as(logged, "maya").switch_page(AUDIT).run()
    assert not at.exception
    [text] = files
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert header == [
        "Quand (Europe/Paris)",
        "Qui",
        "Action",
        "Objet",
        "Détails",
        "at",
        "actor",
        "action",
        "target",
        "detail",
    ]
    tagged = [dict(zip(header, r, strict=True)) for r in rows if r[7] == "conversation.tags"]
    [row] = tagged
    assert row["Action"] == "Étiquettes changées" and row["actor"] == "alice" and row["Qui"] == "Alice"
    assert row["Objet"] == f"Conversation n°\xa0{logged.conversations['late']}"
    utc = datetime.fromisoformat(row["at"])
    paris = utc.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d %H:%M:%S")
    assert row["Quand (Europe/Paris)"] == paris != utc.strftime("%Y-%m-%d %H:%M:%S")


def test_people_are_named_as_colleagues_know_them_admins_read_the_login_too(
    logged: Seeded, db_url: str
) -> None:
    """Audit r20, UI finding 14: the log said « alice », « bruno »; a manager reads their display names, an
    admin (who manages the accounts) the user name beside it."""
    at = app_as(logged, "maya").switch_page(AUDIT).run()
    assert {"Alice", "Bruno"} <= {who for who, _ in _shown(at)}
    assert "Bruno" in at.selectbox(key="audit-actor").options
    with database(db_url) as s, s.begin():
        logged.users["ada"] = add_user(s, "ada", "admin")
    at = app_as(logged, "ada").switch_page(AUDIT).run()
    assert {"Alice (alice)", "Bruno (bruno)"} <= {who for who, _ in _shown(at)}


def test_an_account_the_log_names_as_its_subject_is_named_as_colleagues_know_it(
    logged: Seeded, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """UI review 22: a password reset or a resumed session read « Utilisateur n° 2 » in the Subject column,
    on the page and in its CSV; it names the account's owner, as the Who column does."""
    files = _downloads(monkeypatch)
    with database(db_url) as s, s.begin():
        records.audit(s, "maya", "user.password_reset", target=("user", logged.users["bruno"]))
    at = app_as(logged, "maya").switch_page(AUDIT).run()
    assert not at.exception
    frame = at.dataframe[0].value
    subjects = set(frame.iloc[:, 3][frame.iloc[:, 2] == "Password reset"])
    assert subjects == {"Bruno"}
    [text] = files
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["Subject"] for r in rows if r["action"] == "user.password_reset"] == ["Bruno"]
