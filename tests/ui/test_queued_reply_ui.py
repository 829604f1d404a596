"""A reply waiting in the outbox, on the conversation page in French: why it waits, and Edit or Cancel for
its author (alice, an agent) or a manager (maya); another agent sees it wait without the buttons."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, OutboundReply
from inbox.ui.common import SELECTED
from tests.support.seed_desk import Seeded
from tests.support.ui import database
from tests.ui.test_ui_french import french, signed_in  # noqa: F401 (french: a fixture)


def _queued(
    db_url: str,
    conv_id: int,
    by: str,
    template: dict[str, object] | None = None,
    visibility: str = "public",
) -> int:
    with database(db_url) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(
            s,
            conv,
            visibility=visibility,
            text="Nous regardons",
            actor=by,
            now=datetime.now(UTC),
            platform_template=template,
        )
        return reply.id or 0


def _open(seeded: Seeded, name: str, conv_id: int) -> AppTest:
    at = signed_in(seeded, name)
    with i18n.use_language("fr"):
        at.session_state[SELECTED] = conv_id
        at.switch_page("inbox/ui/pages/conversation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _click(at: AppTest, key: str) -> None:
    with i18n.use_language("fr"):
        at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]


def _row(db_url: str, reply_id: int) -> OutboundReply:
    with database(db_url) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None
        return row


def test_its_author_edits_then_cancels_a_waiting_reply_in_french(french: Seeded, db_url: str) -> None:  # noqa: F811
    conv_id = french.conversations["late"]
    reply_id = _queued(db_url, conv_id, "alice")
    at = _open(french, "alice", conv_id)
    assert any("En attente d’envoi" in c.value for c in at.caption), [c.value for c in at.caption]
    _click(at, f"queued-{reply_id}-edit")
    at.text_area(key=f"queued-{reply_id}-text").set_value("Votre colis arrive demain.")
    _click(at, f"queued-{reply_id}-save")  # French to an English conversation: asked first, as a new reply
    assert _row(db_url, reply_id).text == "Nous regardons"
    assert any("Vérifiez la langue" in w.value for w in at.warning), [w.value for w in at.warning]
    at.checkbox(key=f"queued-{reply_id}-language").check()
    _click(at, f"queued-{reply_id}-save")
    assert _row(db_url, reply_id).text == "Votre colis arrive demain."
    assert any("nouveau texte" in s.value for s in at.success), [s.value for s in at.success]
    _click(at, f"queued-{reply_id}-edit")  # personal data in public: refused, the text kept
    at.text_area(key=f"queued-{reply_id}-text").set_value("Appelez-moi au 06 12 34 56 78")
    _click(at, f"queued-{reply_id}-save")
    assert _row(db_url, reply_id).text == "Votre colis arrive demain."
    assert any("Données personnelles dans une réponse publique" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    _click(at, f"queued-{reply_id}-keep")
    _click(at, f"queued-{reply_id}-cancel")
    _click(at, f"queued-{reply_id}-cancel-yes")
    assert _row(db_url, reply_id).status == "cancelled"
    assert any("ne sera pas envoyée" in s.value for s in at.success), [s.value for s in at.success]
    with database(db_url) as s:
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.actor == "alice")).all()
    assert "reply.edited" in actions and "reply.cancelled" in actions


def test_another_agent_sees_it_wait_without_the_buttons_a_manager_has_them(
    french: Seeded,  # noqa: F811
    db_url: str,
) -> None:
    conv_id = french.conversations["late"]
    reply_id = _queued(db_url, conv_id, "bob")
    keys = [b.key for b in _open(french, "alice", conv_id).button]
    assert f"queued-{reply_id}-edit" not in keys and f"queued-{reply_id}-cancel" not in keys
    keys = [b.key for b in _open(french, "maya", conv_id).button]
    assert f"queued-{reply_id}-edit" in keys and f"queued-{reply_id}-cancel" in keys


def test_a_waiting_platform_template_can_be_cancelled_not_edited(french: Seeded, db_url: str) -> None:  # noqa: F811
    conv_id = french.conversations["late"]
    template = {"name": "order_update", "language": "fr", "parameters": ["Marie"]}
    reply_id = _queued(db_url, conv_id, "alice", template)
    keys = [b.key for b in _open(french, "alice", conv_id).button]
    assert f"queued-{reply_id}-edit" not in keys and f"queued-{reply_id}-cancel" in keys


def test_two_waiting_replies_say_which_is_public_which_private(french: Seeded, db_url: str) -> None:  # noqa: F811
    """A public reply and a private message both waiting: each box names which it is, not two "Réponse en
    attente" told apart only by their minute."""
    conv_id = french.conversations["late"]
    _queued(db_url, conv_id, "alice")
    _queued(db_url, conv_id, "alice", visibility="private")
    said = [m.value for m in _open(french, "alice", conv_id).markdown]
    assert any(m.startswith("**Réponse publique en attente**") for m in said), said
    assert any(m.startswith("**Message privé en attente**") for m in said), said
    english = signed_in(french, "bruno")  # English: "Waiting reply of 8 Dec 04:21" read oddly
    english.session_state[SELECTED] = conv_id
    said = [m.value for m in english.switch_page("inbox/ui/pages/conversation.py").run().markdown]
    assert any(m.startswith("**Public reply waiting** since ") for m in said), said


def test_asked_to_cancel_a_reply_the_way_back_keeps_it(french: Seeded, db_url: str) -> None:  # noqa: F811
    """Asked « Annuler cette réponse ? », the way back says it keeps the reply (not a second « Annuler »,
    which reads as yes) and leaves it waiting."""
    conv_id = french.conversations["late"]
    reply_id = _queued(db_url, conv_id, "alice", visibility="private")
    at = _open(french, "alice", conv_id)
    _click(at, f"queued-{reply_id}-cancel")
    assert at.button(key=f"queued-{reply_id}-cancel-no").label == "Non, la garder"
    _click(at, f"queued-{reply_id}-cancel-no")
    assert _row(db_url, reply_id).status == "pending"


def test_a_sent_reply_says_it_goes_within_seconds_not_who_delivers_it(french: Seeded, db_url: str) -> None:  # noqa: F811
    """Sent, a reply said « l'écoute la remet en quelques secondes »: the listener, our word, which agents
    know as the queue's « Écoute » source (the brand named without a mention), not as what sends."""
    conv_id = french.conversations["late"]
    at = _open(french, "alice", conv_id)
    with i18n.use_language("fr"):
        at.text_area(key=f"composer-{conv_id}-draft").set_value("We are looking into it now.")
    _click(at, f"send-{conv_id}")
    said = [s.value for s in at.success]
    assert said == ["Réponse publique mise en file d'envoi\u00a0: elle part dans quelques secondes."], said


def test_a_reply_sent_while_sending_is_paused_does_not_promise_seconds(french: Seeded, db_url: str) -> None:  # noqa: F811
    """The walk of 8 Dec.: sending paused on the channel, the notice above the composer said a reply waits
    for an admin, and the send then said « il part dans quelques secondes »."""
    from inbox.store.tables import Channel

    conv_id = french.conversations["late"]
    with database(db_url) as s, s.begin():
        channel = s.get(Channel, french.channel_id)
        assert channel is not None
        channel.sending_paused_at, channel.sending_paused_by = datetime.now(UTC), "maya"
    at = _open(french, "alice", conv_id)
    with i18n.use_language("fr"):
        at.text_area(key=f"composer-{conv_id}-draft").set_value("We are looking into it now.")
    _click(at, f"send-{conv_id}")
    said = [s.value for s in at.success]
    assert said == [
        "Réponse publique mise en file d'envoi\u00a0: elle attend la reprise de l'envoi sur ce canal."
    ]
