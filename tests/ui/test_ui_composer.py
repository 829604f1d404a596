"""The composer through AppTest: templated public and private replies, PII and length blocks, collisions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, OutboundReply
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_actions, open_conv


def replies(db_url: str) -> list[OutboundReply]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        rows = list(s.exec(select(OutboundReply).order_by(col(OutboundReply.id))))
    engine.dispose()
    return rows


def draft(at: AppTest, conv_id: int) -> str:
    return str(at.text_area(key=f"composer-{conv_id}-draft").value)


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_public_template_reply_then_continue_in_dm(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["late"]
    at = open_conv(app_as(seeded, "alice"), conv_id)
    at.selectbox(key=f"composer-{conv_id}-template").select("delivery-late-en").run()
    assert draft(at, conv_id).startswith("Hi Bob, we're sorry your parcel is late.")
    assert draft(at, conv_id).endswith("^Alice")
    assert at.checkbox(key=f"composer-{conv_id}-continue_check").value is True
    at.button(key=f"send-{conv_id}").click().run()
    assert not at.exception
    [public] = replies(db_url)
    assert (public.visibility, public.in_reply_to, public.created_by) == ("public", f"m-{conv_id}", "alice")
    assert public.text.startswith("Hi Bob, we're sorry")
    assert public.template == "delivery-late-en"  # the Templates page counts its use
    # the composer now holds the DM template, in private mode
    assert at.segmented_control(key=f"composer-{conv_id}-mode").value == "private"
    assert "order number" in draft(at, conv_id) and f"INB-{conv_id:06d}" in draft(at, conv_id)
    at.button(key=f"send-{conv_id}").click().run()
    public, private = replies(db_url)
    assert (private.visibility, private.recipient_id) == ("private", "u-bob")
    assert private.template == "order-details-dm-en"
    assert private.idempotency_key != public.idempotency_key


def test_private_template_with_a_fill_in_prompt(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["dm"]
    at = open_conv(app_as(seeded, "alice"), conv_id)
    mode = at.segmented_control(key=f"composer-{conv_id}-mode")
    assert mode.value == "private" and len(mode.options) == 1  # a DM conversation: private only
    at.selectbox(key=f"composer-{conv_id}-template").select("remboursement-mp-fr").run()
    assert "{amount}" in draft(at, conv_id)
    assert "Fill in Amount ({amount}), Refund days ({refund_days}) before sending." in errors(at)
    at.button(key=f"send-{conv_id}").click().run()  # enabled (the text comes with the click), refused
    assert replies(db_url) == [] and "Fill in Amount ({amount})" in errors(at)
    at.text_input(key=f"composer-{conv_id}-var-amount").input("49,90 €").run()
    at.text_input(key=f"composer-{conv_id}-var-refund_days").input("3").run()
    assert "49,90 €" in draft(at, conv_id) and "Comptez 3 jours ouvrés" in draft(at, conv_id)
    assert not at.button(key=f"send-{conv_id}").disabled
    at.button(key=f"send-{conv_id}").click().run()
    [reply] = replies(db_url)
    assert reply.visibility == "private" and reply.recipient_id == "u-kim" and "{" not in reply.text


def test_personal_data_blocks_a_public_reply_and_offers_a_dm(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["late"]
    at = open_conv(app_as(seeded, "alice"), conv_id)
    at.text_area(key=f"composer-{conv_id}-draft").input(
        "Bob, write to refunds@acme.example or call 06 12 34 56 78"
    )  # a form: the text goes with the click on Send, which is checked like the text: refused
    at.button(key=f"send-{conv_id}").click().run()
    assert replies(db_url) == [] and "Personal data in a public reply (email, phone number)" in errors(at)
    at.button(key=f"to-dm-{conv_id}").click().run()
    assert at.segmented_control(key=f"composer-{conv_id}-mode").value == "private"
    assert "Personal data" not in errors(at)
    at.button(key=f"send-{conv_id}").click().run()
    [reply] = replies(db_url)
    assert reply.visibility == "private" and "06 12 34 56 78" in reply.text


def test_an_over_long_public_reply_is_refused_with_the_count(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["late"]
    at = open_conv(app_as(seeded, "alice"), conv_id)
    text = "Sorry! " + "x" * 250 + " https://help.acme.example/parcels/where-is-my-parcel"  # 7+250+1+23 = 281
    at.text_area(key=f"composer-{conv_id}-draft").input(text)  # sent with the click (a form)
    at.button(key=f"send-{conv_id}").click().run()  # the limit holds on the click
    assert "Too long for X: 281/280 weighted characters (a link counts 23). Shorten it by 1." in errors(at)
    assert replies(db_url) == []
    at.text_area(key=f"composer-{conv_id}-draft").input(text.replace("Sorry! ", "Sorry "))
    at.button(key=f"send-{conv_id}").click().run()
    assert not errors(at) and len(replies(db_url)) == 1


def test_collision_another_agents_answer_is_shown_before_sending(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["late"]
    alice = open_conv(app_as(seeded, "alice"), conv_id)
    # a template fills the draft at once (typed words reach the app with Send: the draft is a form)
    alice.selectbox(key=f"composer-{conv_id}-template").select("ack-en").run()
    bruno = open_conv(app_as(seeded, "bruno"), conv_id)
    assert any("Alice" in w.value and "writing a reply" in w.value for w in bruno.warning)
    bruno.text_area(key=f"composer-{conv_id}-draft").input("Hello Bob, so sorry, DM us your order number")
    bruno.button(key=f"send-{conv_id}").click().run()
    alice.run()
    assert any("Bruno" in w.value for w in alice.warning)  # Bruno is on it too
    alice.button(key=f"send-{conv_id}").click().run()
    assert len(replies(db_url)) == 1  # held back
    assert any("Someone else answered" in w.value for w in alice.warning)
    assert "Hello Bob, so sorry, DM us your order number" in [t.value for t in alice.text]
    alice.button(key=f"discard-{conv_id}").click().run()
    assert len(replies(db_url)) == 1 and "reply.discarded" in audit_actions(db_url)
    assert draft(alice, conv_id) == ""


def test_collision_confirmed_sends_both(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["late"]
    alice = open_conv(app_as(seeded, "alice"), conv_id)
    bruno = open_conv(app_as(seeded, "bruno"), conv_id)
    bruno.text_area(key=f"composer-{conv_id}-draft").input("Hello Bob, we are on it.")
    bruno.button(key=f"send-{conv_id}").click().run()
    alice.selectbox(key=f"composer-{conv_id}-template").select("ack-en").run()
    alice.button(key=f"send-{conv_id}").click().run()
    alice.button(key=f"confirm-{conv_id}").click().run()
    assert [(r.created_by, r.template) for r in replies(db_url)] == [("bruno", None), ("alice", "ack-en")]
    assert "reply.sent_despite_collision" in audit_actions(db_url)


def test_a_failed_send_shows_the_error_and_can_be_retried(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["late"]
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        s.add(
            OutboundReply(
                idempotency_key="k-failed",
                channel_id=seeded.channel_id,
                conversation_id=conv_id,
                visibility="public",
                in_reply_to=f"m-{conv_id}",
                text="Sorry Bob!",
                status="failed",
                attempts=6,
                last_error="Unavailable: X answered 503 six times",  # retryable (a refusal: none)
                created_by="bruno",
                created_at=datetime.now(UTC),
            )
        )
    engine.dispose()
    queue = app_as(seeded, "alice")
    assert any("Send failed" in m.value for m in queue.markdown)  # visible from the queue too
    at = open_conv(queue, conv_id)
    assert any("the platform was unavailable at each attempt" in e.value for e in at.error)
    [retry] = [b for b in at.button if str(b.key).startswith("retry-")]
    retry.click().run()
    [reply] = replies(db_url)
    assert reply.status == "pending" and reply.last_error is None
    assert not [b for b in at.button if str(b.key).startswith("retry-")]


def test_the_charter_suggests_moving_a_billing_conversation_to_dm(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["soon"]
    at = open_conv(app_as(seeded, "alice"), conv_id)
    at.multiselect(key=f"tags-{conv_id}").select("billing").run()
    assert any("The charter asks to continue privately (topic: billing)" in i.value for i in at.info)
    at.button(key=f"charter-dm-{conv_id}").click().run()
    assert "poursuivons là-bas" in draft(at, conv_id)
    assert at.checkbox(key=f"composer-{conv_id}-continue_check").value is True


def test_the_charters_reasons_to_move_to_private_are_said_in_the_agents_words(
    seeded: Seeded, db_url: str
) -> None:
    """A French agent reads the contact reason's name, not its key ("account_access")."""
    conv_id = seeded.conversations["soon"]
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users["alice"], "fr", by="test", by_role="admin")
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        conv.reason = "account_access"
    engine.dispose()
    with i18n.use_language("fr"):
        at = open_conv(app_as(seeded, "alice"), conv_id)
    [asked] = [i.value for i in at.info if "poursuivre en privé" in i.value]
    assert "(sujet\u00a0: Accès au compte)" in asked, asked


def test_a_reply_in_another_language_than_the_customers_asks_to_be_confirmed(
    seeded: Seeded, db_url: str
) -> None:
    conv_id = seeded.conversations["late"]  # Bob writes English
    at = open_conv(app_as(seeded, "alice"), conv_id)
    at.selectbox(key=f"composer-{conv_id}-template").select("delivery-late-en").run()
    assert not at.warning and not at.button(key=f"send-{conv_id}").disabled  # English to English
    at.text_area(key=f"composer-{conv_id}-draft").input(
        "Bonjour Bob, nous sommes désolés pour ce retard, pouvez-vous nous envoyer votre numéro de commande ?"
    )
    at.button(key=f"send-{conv_id}").click().run()  # not ticked: nothing sent, the warning says why
    assert "Your reply's language: French · the customer's: English." in " ".join(w.value for w in at.warning)
    assert replies(db_url) == []
    assert "Send it in this language anyway" in " ".join(w.value for w in at.warning)
    at.checkbox(key=f"composer-{conv_id}-send-in-fr").check()  # in the form: sent with the click
    at.button(key=f"send-{conv_id}").click().run()
    [reply] = replies(db_url)
    assert reply.text.startswith("Bonjour Bob") and reply.visibility == "public"
    assert not at.warning  # the composer is empty again: nothing to check


def test_templates_for_the_conversations_reason_are_offered_first(seeded: Seeded, db_url: str) -> None:
    from inbox.store.tables import Conversation

    conv_id = seeded.conversations["late"]  # Bob writes English
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        conv.reason = "billing_payment"
    engine.dispose()
    at = open_conv(app_as(seeded, "alice"), conv_id)
    box = at.selectbox(key=f"composer-{conv_id}-template")
    assert box.options[0] == "Let's continue in DM (account or personal details) · EN · Billing and payment"
    french = [o for o in box.options if "· FR" in o]
    assert box.options[1].endswith("· EN") and french[0].endswith("· FR · Billing and payment")
    assert box.options.index(french[0]) > max(i for i, o in enumerate(box.options) if "· EN" in o)
