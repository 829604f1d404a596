"""A conversation has an address (/conversation?id=N): shared between agents and used by escalation alerts."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from inbox.ui.common import SELECTED, USER
from tests.support.seed_desk import Seeded
from tests.support.ui import APP


def test_the_address_opens_the_conversation_and_follows_the_one_shown(seeded: Seeded) -> None:
    late, soon = seeded.conversations["late"], seeded.conversations["soon"]
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users["alice"]
    at.run()
    at.query_params["id"] = str(late)
    at.switch_page("inbox/ui/pages/conversation.py").run()
    assert not at.exception
    assert at.session_state[SELECTED] == late
    assert "@AcmeCare my parcel never arrived, order still not here" in [t.value for t in at.text]
    at.query_params["id"] = str(soon)
    at.run()
    assert at.session_state[SELECTED] == soon and at.query_params["id"] in (str(soon), [str(soon)])
