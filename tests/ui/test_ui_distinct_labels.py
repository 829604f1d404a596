"""No two fields on one page share an accessible name: a screen reader lists the fields by name, and two
« Langue » or « Motif » cannot be told apart (audit r20, finding 16). Checked in French and English."""

from __future__ import annotations

from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from inbox import i18n
from tests.support.seed_desk import Seeded, add_user
from tests.support.ui import app_as, database, in_french, open_conv

FIELDS = (
    "selectbox",
    "multiselect",
    "text_input",
    "text_area",
    "date_input",
    "time_input",
    "number_input",
    "radio",
    "toggle",
    "checkbox",
)
CONVERSATION = "inbox/ui/pages/conversation.py"
PAGES = [
    ("alice", None),
    ("maya", CONVERSATION),
    ("maya", "inbox/ui/pages/audit.py"),
    ("maya", "inbox/ui/pages/incidents.py"),
    ("admin", "inbox/ui/pages/team.py"),
    ("alice", "inbox/ui/pages/templates.py"),
    ("alice", "inbox/ui/pages/my_figures.py"),
    ("maya", "inbox/ui/pages/dashboard.py"),
    ("maya", "inbox/ui/pages/charter.py"),
    ("admin", "inbox/ui/pages/channels.py"),
]


def _twice(at: AppTest) -> list[str]:
    names = Counter(str(w.label).replace("\\", "") for kind in FIELDS for w in getattr(at, kind))
    return sorted(name for name, n in names.items() if n > 1)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("user", "page"), PAGES)
def test_no_two_fields_share_a_name(
    seeded: Seeded, db_url: str, user: str, page: str | None, language: str
) -> None:
    if user == "admin":
        with database(db_url) as session, session.begin():
            seeded.users["admin"] = add_user(session, "admin", "admin")
    if language == "fr":
        in_french(db_url, seeded.users[user])
    with i18n.use_language(language):
        at = app_as(seeded, user)
        if page == CONVERSATION:
            open_conv(at, seeded.conversations["late"])
        elif page is not None:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        assert _twice(at) == []
