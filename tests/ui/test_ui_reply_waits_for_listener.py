"""A reply queued on a channel no listener reads (audit r22, fault 10: a sender runs only its own channels,
so the others' replies stay pending): the conversation says it waits and why, in French, once the channel
has not been read for a while; a channel read lately says nothing more than "queued"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, ListeningCursor
from inbox.ui.common import SELECTED
from tests.support.seed_desk import Seeded
from tests.support.ui import database
from tests.ui.test_ui_french import french, signed_in  # noqa: F401 (french: a fixture)

WAITS = "ce canal n'a pas été relevé depuis le"


def _queued(db_url: str, conv_id: int, polled_minutes_ago: float) -> None:
    now = datetime.now(UTC)
    with database(db_url) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(s, conv, visibility="public", text="On regarde", actor="alice", now=now)
        reply.created_at = now - timedelta(minutes=5)
        s.add(
            ListeningCursor(
                channel_id=conv.channel_id,
                stream="mentions",
                last_poll_at=now - timedelta(minutes=polled_minutes_ago),
            )
        )


def _page(seeded: Seeded, conv_id: int, user: str = "maya") -> AppTest:
    at = signed_in(seeded, user)
    with i18n.use_language("fr"):
        at.session_state[SELECTED] = conv_id
        at.switch_page("inbox/ui/pages/conversation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("polled_minutes_ago", "said"), [(45, True), (1, False)])
def test_a_reply_queued_on_a_channel_nobody_reads_says_it_waits_for_a_listener(
    french: Seeded,  # noqa: F811
    db_url: str,
    polled_minutes_ago: float,
    said: bool,
) -> None:
    conv_id = french.conversations["late"]
    _queued(db_url, conv_id, polled_minutes_ago)
    at = _page(french, conv_id)
    captions = " ".join(c.value for c in at.caption)
    assert (WAITS in captions) is said, captions
    assert ("prévenez un administrateur" in captions) is said


@pytest.mark.parametrize(("user", "command"), [("alice", False), ("maya", False), ("ada", True)])
def test_only_an_admin_reads_the_command_and_the_listeners_channels(
    french: Seeded,  # noqa: F811
    db_url: str,
    user: str,
    command: bool,
) -> None:
    """The walk of 8 Dec.: an agent read « l'écoute n'a pas relevé ce canal […] (inbox listen) ; un
    administrateur vérifie […] les canaux de l'écoute »: the listener (our word; to agents « Écoute » is the
    queue's listening source) and a command line. An agent or a manager is told whom to tell; an admin,
    who runs the server, keeps the command."""
    conv_id = french.conversations["late"]
    _queued(db_url, conv_id, 45)
    captions = " ".join(c.value for c in _page(french, conv_id, user).caption)
    assert WAITS in captions, captions
    assert ("inbox listen" in captions) is command and ("l'écoute" in captions) is command, captions
