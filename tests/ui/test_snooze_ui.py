"""The conversation page's Snooze menu: a quick choice or a day and time snoozes the conversation (pending,
until when shown), in English and French; the quick choices' times in the team's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from inbox import i18n
from inbox.store.tables import Conversation
from inbox.ui.widgets.snooze_panel import until
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_events, database, french_conversation, open_conv


def test_an_agent_snoozes_a_conversation_for_an_hour(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["dm"]
    at = open_conv(app_as(seeded, "alice"), conv_id)
    at.button(key=f"snooze-1h-{conv_id}").click().run()
    with database(db_url) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None and conv.status == "pending" and conv.snoozed_until is not None
    assert any(c.value.startswith("Snoozed until ") for c in at.caption)
    header = " ".join(m.value for m in at.markdown)
    assert ":material/snooze: Snoozed until" in header and "left to answer" not in header  # no countdown
    assert len(audit_events(db_url, "conversation.snoozed")) == 1
    queue = app_as(seeded, "alice")
    queue.selectbox(key="q-status").select("pending").run()
    assert any("Snoozed until " in m.value for m in queue.markdown)  # the pending list says until when


def test_the_snooze_menu_in_french(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["dm"]
    with i18n.use_language("fr"):
        at = french_conversation(seeded, db_url, "alice", conv_id)
        assert at.button(key=f"snooze-tomorrow-{conv_id}").label == "Demain 09:00"  # Babel's French time
        assert at.button(key=f"snooze-custom-{conv_id}").label == "Reporter jusque-là"


def test_the_day_field_shows_a_day_in_the_users_order_not_streamlits_english_placeholder(
    seeded: Seeded, db_url: str
) -> None:
    """Audit r20, UI finding 10: the empty « Ou un jour » field showed Streamlit's English "dd/mm/yyyy" (it
    draws an empty date field's letters in English, whatever the format). It shows tomorrow, day first in
    French; "Snooze until then" snoozes to it at the time chosen."""
    conv_id = seeded.conversations["dm"]
    tomorrow = datetime.now(ZoneInfo("Europe/Paris")).date() + timedelta(days=1)
    with i18n.use_language("fr"):
        at = french_conversation(seeded, db_url, "alice", conv_id)
        day = at.date_input(key=f"snooze-day-{conv_id}")
        assert day.value == tomorrow and day.proto.format == "DD/MM/YYYY"
        at.button(key=f"snooze-custom-{conv_id}").click().run()
    with database(db_url) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None and conv.snoozed_until is not None
    paris = conv.snoozed_until.replace(tzinfo=conv.snoozed_until.tzinfo or UTC).astimezone(
        ZoneInfo("Europe/Paris")
    )
    assert (paris.date(), paris.hour, paris.minute) == (tomorrow, 9, 0)


def test_the_quick_choices_mean_the_team_mornings() -> None:
    friday_evening = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)  # 18:30 in Paris, the shipped team's zone
    assert until("tomorrow", friday_evening).isoformat() == "2026-12-05T09:00:00+01:00"
    assert until("monday", friday_evening).isoformat() == "2026-12-07T09:00:00+01:00"
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert until("monday", monday).isoformat() == "2026-12-14T09:00:00+01:00"  # the next one, not today
    assert until("1h", monday) == datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
