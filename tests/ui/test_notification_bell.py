"""The notification bell in the sidebar (AppTest): the unread count, the list, opening one, the settings, in
English and in French."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import actions, notifications, preferences
from inbox.store.engine import open_engine
from inbox.store.tables import User
from inbox.ui.widgets import notification_bell
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, open_conv


def _assign_to_alice(db_url: str, seeded: Seeded, conv: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        maya = s.get(User, seeded.users["maya"])
        assert maya is not None
        actions.assign(s, seeded.conversations[conv], seeded.users["alice"], maya, datetime.now(UTC))
    engine.dispose()


def _bell(at: AppTest) -> list[str]:
    """The labels of the sidebar's notification popovers (AppTest has no accessor for popovers; the sidebar
    has others, "My password")."""
    found, todo = [], list(at.sidebar.children.values())
    while todo:
        node = todo.pop(0)
        if getattr(node, "type", None) == "popover" and node.proto.popover.label.startswith("Notifications"):
            found.append(node.proto.popover.label)
        todo.extend(getattr(node, "children", {}).values())
    return found


def _settings(db_url: str, user_id: int) -> notifications.NotificationSettings:
    engine = open_engine(db_url)
    with Session(engine) as s:
        found = notifications.settings_of(s, user_id)
    engine.dispose()
    return found


@pytest.mark.parametrize(
    ("language", "bell", "heading", "sound"),
    [
        ("en", "Notifications (1)", "Tell me when", "A sound for critical ones"),
        ("fr", "Notifications (1)", "Me prévenir quand", "Un son pour les critiques"),
    ],
)
def test_the_bell_counts_lists_opens_and_keeps_settings(
    seeded: Seeded, db_url: str, language: str, bell: str, heading: str, sound: str
) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users["alice"], language, by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language(language):  # AppTest formats option values again in the test's thread
        at = app_as(seeded, "alice")  # the first run places alice's cursor: nothing old is told
        assert _bell(at) == ["Notifications"]
        _assign_to_alice(db_url, seeded, "done")  # resolved: no clock, so no risk either
        at.run()
        assert _bell(at) == [bell]
        assert heading in [c.value for c in at.sidebar.caption]
        assert any("old" in m.value and "x\\-acme" in m.value for m in at.sidebar.markdown)
        at.sidebar.toggle(key="notify-set-sound").set_value(False).run()
        assert not _settings(db_url, seeded.users["alice"]).sound
        assert [t.label for t in at.sidebar.toggle if t.key == "notify-set-sound"] == [sound]
        assert any(str(b.key).startswith("notify-open-") for b in at.sidebar.button)
        # its Open button switches page from a fragment: AppTest cannot, tests/e2e does it in Chromium
        at = open_conv(at, seeded.conversations["done"]).run()  # its page reads its notifications
        assert _bell(at) == ["Notifications"]


@pytest.mark.parametrize(
    ("language", "at_risk", "late"),
    [
        ("en", "At risk of missing the charter: @bob on x-acme", "Late on the charter: @bob on x-acme"),
        (
            "fr",
            "Délai de la charte menacé\u00a0: @bob sur x-acme",
            "Délai de la charte dépassé\u00a0: @bob sur x-acme",
        ),
    ],
)
def test_a_late_clock_is_told_as_late_not_at_risk(language: str, at_risk: str, late: str) -> None:
    from datetime import UTC, datetime

    from inbox.desk.notifications import Notice
    from inbox.ui.widgets.notification_bell import title

    told = Notice(1, "at_risk", 7, False, datetime(2026, 3, 2, tzinfo=UTC), False, "x-acme", "@bob", "…")
    with i18n.use_language(language):
        assert (title(told), title(replace(told, late=True))) == (at_risk, late)


def test_a_mention_says_who_mentioned_you() -> None:
    notice = notifications.Notice(
        id=1,
        kind="mentioned",
        conversation_id=7,
        critical=False,
        created_at=datetime.now(UTC),
        read=False,
        channel="x-acme",
        handle="kim",
        excerpt="@bruno peux-tu vérifier ?",
        by="alice",
    )
    assert notification_bell.title(notice) == "alice mentioned you: kim on x-acme"
    with i18n.use_language("fr"):
        assert notification_bell.title(notice) == "alice vous a mentionné\u00a0: kim sur x-acme"
