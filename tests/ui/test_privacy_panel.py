"""The Privacy action on a customer's profile (#15.1, #15.2): a community manager exports the person's record
(JSON download) or erases it, with a reason, a typed confirmation and legal holds respected; each audited. An
agent does not get it. In English and French."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.access import PermissionDenied
from inbox.desk import preferences
from inbox.privacy import requests
from inbox.privacy.subject import find_subject, set_hold
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, Message, User
from inbox.ui.common import SELECTED, USER
from inbox.ui.labels import stored_text
from tests.support.seed_desk import Seeded, add_user
from tests.support.ui import APP, app_as, audit_events, open_conv
from tests.ui.placement import said_after

BOB = "@AcmeCare my parcel never arrived, order still not here"


def _contact_id(seeded: Seeded, db_url: str) -> int:
    engine = open_engine(db_url)
    with Session(engine) as s:
        conv = s.get(Conversation, seeded.conversations["late"])
        assert conv is not None and conv.contact_id is not None
        contact_id = conv.contact_id
    engine.dispose()
    return contact_id


def _texts(db_url: str) -> list[str]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        texts = list(s.exec(select(Message.text)))
    engine.dispose()
    return texts


def _flash(at: AppTest) -> str:
    return " ".join([e.value for e in at.error] + [s.value for s in at.success])


def test_a_manager_exports_the_persons_record_with_a_reason(seeded: Seeded, db_url: str) -> None:
    cid = _contact_id(seeded, db_url)
    at = open_conv(app_as(seeded, "maya"), seeded.conversations["late"])
    at.button(key=f"privacy-export-go-{cid}").click().run()
    assert "Say why you export this data." in _flash(at)
    assert not audit_events(db_url, "privacy.export")
    at.text_input(key=f"privacy-export-reason-{cid}").input("access request 2026-041").run()
    at.button(key=f"privacy-export-go-{cid}").click().run()
    assert not at.exception
    data = json.loads(at.session_state[f"privacy-export-{cid}"])
    texts = [m["text"] for conv in data["conversations"] for m in conv["messages"]]
    assert texts == [BOB]  # theirs only
    assert len(at.get("download_button")) == 2  # the JSON, and the page to send the person
    page = at.session_state[f"privacy-export-page-{cid}"]
    assert page.startswith("<!doctype html>") and html.escape(BOB, quote=False) in page
    (event,) = audit_events(db_url, "privacy.export")
    assert event.actor == "maya" and event.detail["reason"] == "access request 2026-041"
    assert event.detail["via"] == "web"
    assert event.detail["format"] == "json+html"  # both copies are prepared (it said "json")


def test_a_manager_erases_after_typing_the_handle(seeded: Seeded, db_url: str) -> None:
    cid = _contact_id(seeded, db_url)
    at = open_conv(app_as(seeded, "maya"), seeded.conversations["late"])
    at.text_input(key=f"privacy-erase-reason-{cid}").input("erasure request 2026-042")
    at.text_input(key=f"privacy-erase-confirm-{cid}").input("jane").run()
    at.button(key=f"privacy-erase-go-{cid}").click().run()
    # right under the button, not at the top of the panel (audit r20, UI finding 2)
    assert "Type the customer's handle exactly" in said_after(at, f"privacy-erase-go-{cid}")
    assert BOB in _texts(db_url) and not audit_events(db_url, "privacy.erase")
    at.text_input(key=f"privacy-erase-confirm-{cid}").input("@bob").run()
    at.button(key=f"privacy-erase-go-{cid}").click().run()
    assert not at.exception
    assert "Erased: 1 message anonymised." in _flash(at)
    assert BOB not in _texts(db_url)
    shown = [t.value for t in at.text]  # the thread says what happened, in words, not the stored marker
    assert "[erased at the customer's request]" in shown and "[erased]" not in shown
    with i18n.use_language("fr"):
        assert stored_text("[erased]") == "[effacé à la demande du client]"
    (event,) = audit_events(db_url, "privacy.erase")
    assert event.actor == "maya" and event.detail["reason"] == "erasure request 2026-042"
    assert "bob" not in json.dumps(event.detail)


def test_a_legal_hold_blocks_the_erasure_with_its_reason(seeded: Seeded, db_url: str) -> None:
    cid = _contact_id(seeded, db_url)
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        set_hold(s, find_subject(s, "x-acme:bob"), "litige 2026-7", actor="dpo", now=datetime.now(UTC))
    engine.dispose()
    at = open_conv(app_as(seeded, "maya"), seeded.conversations["late"])
    assert any("Under legal hold (litige 2026\\-7)" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == f"privacy-erase-go-{cid}"]
    assert BOB in _texts(db_url)


def test_an_agent_has_no_privacy_action(seeded: Seeded, db_url: str) -> None:
    at = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    assert not at.exception
    assert not [b for b in at.button if str(b.key).startswith("privacy-")]
    assert "Privacy" not in [e.label for e in at.expander]


def test_the_privacy_action_speaks_french(seeded: Seeded, db_url: str) -> None:
    cid = _contact_id(seeded, db_url)
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users["maya"], "fr", by="test", by_role="admin")
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users["maya"]
    at.session_state[SELECTED] = seeded.conversations["late"]
    with i18n.use_language("fr"):
        at.run().switch_page("inbox/ui/pages/conversation.py").run()
        assert "Confidentialité" in [e.label for e in at.expander]
        assert at.button(key=f"privacy-export-go-{cid}").label == "Préparer l'export"
        assert at.button(key=f"privacy-erase-go-{cid}").label == "Effacer définitivement"
        at.button(key=f"privacy-erase-go-{cid}").click().run()
    assert "Indiquez pourquoi les données de cette personne sont effacées." in _flash(at)


def _admin(db_url: str) -> int:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        admin = add_user(s, "dpo", "admin")
    engine.dispose()
    return admin


def test_an_admin_puts_a_legal_hold_and_lifts_it_with_reasons(seeded: Seeded, db_url: str) -> None:
    cid = _contact_id(seeded, db_url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = _admin(db_url)
    at = open_conv(at.run(), seeded.conversations["late"])
    at.button(key=f"privacy-hold-go-{cid}").click().run()
    assert "Say why" in _flash(at) and not audit_events(db_url, "privacy.hold")
    at.text_input(key=f"privacy-hold-reason-{cid}").input("litige 2026-7").run()
    at.button(key=f"privacy-hold-go-{cid}").click().run()
    assert not at.exception
    assert any("Under legal hold (litige 2026\\-7)" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == f"privacy-erase-go-{cid}"]  # erasure refused while held
    (held,) = audit_events(db_url, "privacy.hold")
    assert held.actor == "dpo" and held.detail["reason"] == "litige 2026-7"
    at.text_input(key=f"privacy-hold-reason-{cid}").input("litige clos").run()
    at.button(key=f"privacy-release-go-{cid}").click().run()
    assert "Legal hold lifted." in _flash(at)
    (lifted,) = audit_events(db_url, "privacy.release")
    assert lifted.actor == "dpo" and lifted.detail["reason"] == "litige clos"
    assert at.button(key=f"privacy-erase-go-{cid}")  # erasure possible again


def test_a_manager_cannot_set_or_lift_a_legal_hold(seeded: Seeded, db_url: str) -> None:
    cid = _contact_id(seeded, db_url)
    at = open_conv(app_as(seeded, "maya"), seeded.conversations["late"])
    assert not [b for b in at.button if str(b.key).startswith(("privacy-hold-", "privacy-release-"))]
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        maya = s.get(User, seeded.users["maya"])
        assert maya is not None
        with pytest.raises(PermissionDenied):
            requests.release_for(s, maya, cid, "to erase", datetime.now(UTC))
    engine.dispose()


def test_after_the_erasure_the_manager_sees_it_done_and_no_code_names_the_customer(
    seeded: Seeded, db_url: str
) -> None:
    """UI review 22: after « Effacer définitivement » the success message was inside the Privacy panel, which
    the browser showed closed, and the profile read « erased:80 » where the customer's handle was."""
    cid = _contact_id(seeded, db_url)
    at = open_conv(app_as(seeded, "maya"), seeded.conversations["late"])
    at.text_input(key=f"privacy-erase-reason-{cid}").input("erasure request 2026-042")
    at.text_input(key=f"privacy-erase-confirm-{cid}").input("@bob").run()
    at.button(key=f"privacy-erase-go-{cid}").click().run()
    assert not at.exception
    assert "Privacy" not in [e.label for e in at.expander]  # nothing left to export or erase
    assert [s.value for s in at.success] == ["Erased: 1 message anonymised."]
    assert "This customer's data was erased: nothing is left to export or erase." in [
        c.value for c in at.caption
    ]
    shown = " ".join(m.value for m in at.markdown)
    assert "erased:" not in shown and "Erased customer" in shown
