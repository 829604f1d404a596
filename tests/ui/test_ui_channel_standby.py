"""Channel stand-by through AppTest: an admin pauses a channel's sending on the Channels page (no file edit,
no restart: the state is in the database, audited), the queue tells agents on a notice and on each of the
channel's rows, and resuming clears them."""

from __future__ import annotations

from sqlmodel import Session

from inbox.store import records as store
from inbox.store.engine import open_engine
from inbox.ui.common import USER
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_actions, open_conv
from tests.ui.test_ui_channels import config, page_as, seeded  # noqa: F401 - the Channels page's fixtures

BADGE = ":orange-badge[:material/pause_circle: Sending paused]"
NOTICE = "Sending is paused on x\\-acme"  # the channel name as Markdown-escaped


def _sending_paused_by(db_url: str) -> str | None:
    engine = open_engine(db_url)
    with Session(engine) as s:
        channel = store.channel_by_name(s, "x-acme")
        by = channel.sending_paused_by if channel else None
    engine.dispose()
    return by


def _paused_rows(at: object) -> list[str]:
    return [m.value for m in at.markdown if BADGE in m.value]  # type: ignore[attr-defined]


def _warnings(at: object) -> str:
    return " ".join(w.value for w in at.warning)  # type: ignore[attr-defined]


def test_admin_pauses_sending_and_the_queue_says_so(seeded: Seeded, db_url: str) -> None:  # noqa: F811
    at = page_as(seeded, "ada")
    assert not at.exception
    at.button(key="standby-sending-x-acme").click().run()  # asks first (audit r20, UI finding 6)
    assert _sending_paused_by(db_url) is None and "Pause sending on x\\-acme?" in _warnings(at)
    at.button(key="standby-sending-x-acme-yes").click().run()
    assert not at.exception
    assert _sending_paused_by(db_url) == "ada"
    assert at.button(key="standby-sending-x-acme").label == "Resume sending"
    assert at.button(key="standby-listening-x-acme").label == "Pause listening"
    assert "channel.paused" in audit_actions(db_url)

    queue = app_as(seeded, "alice")
    assert NOTICE in _warnings(queue) and "(by Ada)" in _warnings(queue)  # as colleagues know her, not "ada"
    assert len(_paused_rows(queue)) == 3  # each open conversation of x-acme says so
    conversation = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    assert any("a reply written now waits in the outbox" in i.value for i in conversation.info)

    at.button(key="standby-sending-x-acme").click().run()
    assert _sending_paused_by(db_url) is None
    assert audit_actions(db_url)[-1] == "channel.resumed"
    resumed = app_as(seeded, "alice")
    assert NOTICE not in _warnings(resumed) and _paused_rows(resumed) == []
    conversation = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    assert not any("waits in the outbox" in i.value for i in conversation.info)


def test_the_queue_has_no_notice_while_every_channel_sends(seeded: Seeded) -> None:  # noqa: F811
    at = app_as(seeded, "alice")
    assert not at.exception
    assert at.session_state[USER] == seeded.users["alice"]
    assert NOTICE not in _warnings(at)
