"""Bulk actions on the queue page (AppTest): tick rows or take all a filter matches, apply one action; each
conversation changed and audited; in English and French."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.store.engine import open_engine
from inbox.store.tables import AuditEvent, Conversation, Incident, IncidentMember
from tests.support.seed_desk import Seeded, add_conversation
from tests.support.ui import app_as, database, queue_ids
from tests.ui.test_ui_french import english_in, french, shown, signed_in  # noqa: F401 (french: a fixture)


@pytest.fixture
def listening(seeded: Seeded, db_url: str) -> int:
    """A listening post in the queue beside the seed's conversations."""
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        conv_id = add_conversation(
            s,
            seeded.channel_id,
            handle="fan",
            text="Acme router rocks",
            received=s.get(Conversation, 1).first_inbound_at,
            due=None,  # type: ignore[union-attr]
        )
        s.get(Conversation, conv_id).kind = "listening"  # type: ignore[union-attr]
    engine.dispose()
    return conv_id


def _apply(at: AppTest) -> AppTest:
    at.button(key="bulk-apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_agent_assigns_the_ticked_rows_each_audited(seeded: Seeded, db_url: str) -> None:
    at = app_as(seeded, "alice")
    late, soon = seeded.conversations["late"], seeded.conversations["soon"]
    assert "incident" not in at.selectbox(key="bulk-action").options  # managers and admins only
    at.checkbox(key=f"sel-{late}").check()
    at.checkbox(key=f"sel-{soon}").check().run()
    at.selectbox(key="bulk-action").set_value("assign")
    at.selectbox(key="bulk-assignee-en").set_value(seeded.users["bruno"])  # keyed by language
    _apply(at)
    assert at.success[0].value == "2 conversations changed."
    assert not at.checkbox(key=f"sel-{late}").value  # the selection is cleared
    with database(db_url) as s:
        assignees = {
            c.assignee_id for c in s.exec(select(Conversation).where(col(Conversation.id).in_([late, soon])))
        }
        events = s.exec(
            select(AuditEvent).where(col(AuditEvent.action).in_(["conversation.assigned", "bulk.assign"]))
        ).all()
    assert assignees == {seeded.users["bruno"]}
    assert sorted((e.action, e.target_id) for e in events) == sorted(
        [("bulk.assign", None), ("conversation.assigned", str(late)), ("conversation.assigned", str(soon))]
    )


def test_dismiss_says_which_rows_were_not_listening_items(
    seeded: Seeded, listening: int, db_url: str
) -> None:
    at = app_as(seeded, "alice")
    late = seeded.conversations["late"]
    at.checkbox(key=f"sel-{late}").check()
    at.checkbox(key=f"sel-{listening}").check().run()
    at.selectbox(key="bulk-action").set_value("dismiss")
    _apply(at)
    assert at.warning[0].value.startswith(f"1 conversation changed. 1 left as it was: #{late} ")
    with database(db_url) as s:
        assert s.get(Conversation, listening).status == "resolved"  # type: ignore[union-attr]
        assert s.get(Conversation, late).status == "open"  # type: ignore[union-attr]


def test_a_manager_declares_an_incident_from_all_a_filter_matches(seeded: Seeded, db_url: str) -> None:
    at = app_as(seeded, "maya")
    at.selectbox(key="q-language").set_value("en").run()
    at.checkbox(key="bulk-all").check().run()
    at.selectbox(key="bulk-action").set_value("incident").run()
    at.text_input(key="bulk-incident-title").input("Parcels late")
    at.checkbox(key="bulk-confirm-2").check()  # all a filter matches: the count is confirmed
    _apply(at)
    assert at.success[0].value == "2 conversations changed."
    badges = [m.value for m in at.markdown if "Incident #1" in m.value]
    assert len(badges) == 2  # each of its rows says so
    with database(db_url) as s:
        incident = s.exec(select(Incident)).one()
        members = set(s.exec(select(IncidentMember.conversation_id)))
    assert incident.title == "Parcels late" and incident.declared_by == "maya"
    assert members == {seeded.conversations["late"], seeded.conversations["soon"]}  # the open English ones


def test_bulk_actions_speak_french(french: Seeded, db_url: str) -> None:  # noqa: F811 (the imported fixture)
    at = signed_in(french, "maya")
    late, dm = french.conversations["late"], french.conversations["dm"]
    with i18n.use_language("fr"):
        at.checkbox(key=f"sel-{late}").check()
        at.checkbox(key=f"sel-{dm}").check().run()
        at.selectbox(key="bulk-action").set_value("status").run()
        at.selectbox(key="bulk-status").set_value("pending").run()
        assert english_in(shown(at)) == []
        assert at.selectbox(key="bulk-action").label == "2 sélectionnées\u00a0: action"
        assert at.checkbox(key="bulk-confirm-2").label == "Confirmer pour 2 conversations"
        at.checkbox(key="bulk-confirm-2").check()
        _apply(at)
    assert at.success[0].value == "2 conversations désormais «\u00a0En attente\u00a0»."
    with database(db_url) as s:
        assert {s.get(Conversation, c).status for c in (late, dm)} == {"pending"}  # type: ignore[union-attr]


def test_after_a_language_switch_the_assignee_reads_nobody_in_the_new_language(
    seeded: Seeded, db_url: str
) -> None:
    at = app_as(seeded, "alice")
    late = seeded.conversations["late"]
    at.checkbox(key=f"sel-{late}").check().run()
    at.selectbox(key="bulk-action").set_value("assign").run()
    assert at.selectbox(key="bulk-assignee-en").options[0] == "Nobody (unassign)"
    with i18n.use_language("en"):  # AppTest reads the page being left, which is English
        at.selectbox(key="my-language").select("fr").run()
    assignee = at.selectbox(key="bulk-assignee-fr")
    assert assignee.value == 0 and assignee.options[0] == "Personne (retirer l'attribution)"
    with i18n.use_language("fr"):
        _apply(at)
    with database(db_url) as s:
        assert s.get(Conversation, late).assignee_id is None  # type: ignore[union-attr]


def test_setting_the_status_of_all_a_filter_matches_asks_to_confirm_the_count(
    seeded: Seeded, db_url: str
) -> None:
    """Audit r20, UI finding 5: one click closed every conversation of the filter; Apply now asks to confirm
    how many will change, then says what was done."""
    at = app_as(seeded, "maya")
    at.selectbox(key="q-language").set_value("en").run()
    at.checkbox(key="bulk-all").check().run()
    at.selectbox(key="bulk-action").set_value("status").run()
    at.selectbox(key="bulk-status").set_value("resolved").run()
    _apply(at)
    assert "Confirm for 2 conversations" in at.warning[0].value
    with database(db_url) as s:
        assert s.get(Conversation, seeded.conversations["late"]).status == "open"  # type: ignore[union-attr]
    at.checkbox(key="bulk-confirm-2").check().run()
    assert at.checkbox(key="bulk-confirm-2").label == "Confirm for 2 conversations"
    _apply(at)
    assert at.success[0].value == "2 conversations now “Resolved”."
    with database(db_url) as s:
        assert s.get(Conversation, seeded.conversations["late"]).status == "resolved"  # type: ignore[union-attr]


def test_each_rows_checkbox_has_its_own_name_for_a_screen_reader(seeded: Seeded, db_url: str) -> None:
    """Audit r20, UI finding 16: every row's box was named « Sélectionner »."""
    at = app_as(seeded, "alice")
    late, soon = seeded.conversations["late"], seeded.conversations["soon"]
    assert at.checkbox(key=f"sel-{late}").label == f"Select conversation #{late}"
    assert at.checkbox(key=f"sel-{late}").label != at.checkbox(key=f"sel-{soon}").label


def test_after_a_bulk_action_under_a_search_the_queue_shows_what_still_matches(
    seeded: Seeded, db_url: str
) -> None:
    """Audit r20, UI finding 5: resolving a search's matches in bulk left « Rien ici. Les nouveaux messages
    des clients apparaissent d'eux-mêmes. », as if the queue were empty. The rows still matching stay listed;
    when none is left, the page says the search and filters match nothing."""
    at = app_as(seeded, "maya")
    late, soon = seeded.conversations["late"], seeded.conversations["soon"]
    at.text_input(key="q-text").input("AcmeCare").run()
    assert queue_ids(at) == [late, soon]
    at.checkbox(key=f"sel-{late}").check()
    at.selectbox(key="bulk-action").set_value("status").run()
    at.selectbox(key="bulk-status").set_value("resolved").run()
    _apply(at.checkbox(key="bulk-confirm-1").check().run())
    assert queue_ids(at) == [soon] and not at.info  # the other match is still there
    at.checkbox(key="bulk-all").check().run()
    _apply(at.checkbox(key="bulk-confirm-1").check().run())
    assert at.success[0].value == "1 conversation now “Resolved”."
    assert queue_ids(at) == []
    [empty] = [i.value for i in at.info]
    assert empty == (
        "No conversation matches “AcmeCare” with these filters (status: Open). Clear the search or change "
        "the filters to see more."
    )
    at.text_input(key="q-text").input("").run()
    assert queue_ids(at) == [seeded.conversations["dm"]]
    at.selectbox(key="q-language").set_value("en").run()
    assert [i.value for i in at.info] == [
        "No conversation matches these filters (status: Open). Change or clear them to see more."
    ]


def test_a_search_that_matches_nothing_says_so_in_french(french: Seeded) -> None:  # noqa: F811
    at = signed_in(french, "maya")
    with i18n.use_language("fr"):
        at.text_input(key="q-text").input("orange").run()
    assert [i.value for i in at.info] == [
        "Aucune conversation ne correspond à «\u00a0orange\u00a0» avec ces filtres (statut\u00a0: Ouverte). "
        "Effacez la recherche ou modifiez les filtres pour en voir davantage."
    ]
