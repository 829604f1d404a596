"""The composer per platform through AppTest: Mastodon's own length limit, and WhatsApp outside its 24-hour
window (free text refused, approved templates offered, the chosen one delivered through the outbox by the
WhatsApp connector against the loopback Meta sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from connectors.sandbox.meta.server import WHATSAPP_TOKEN, MetaSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.config.channels import ChannelConfig
from inbox.desk import replying
from inbox.ingest.channels import build_connector
from inbox.outbox import delivery as outbox
from inbox.store.engine import open_engine
from inbox.store.tables import Channel, Contact, Conversation, Message, OutboundReply, User
from tests.conftest import BRAND_ID
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, open_conv, seeded_app

WA_ID = "33612345678"
LAST_WORD = timedelta(hours=30)  # the customer's last message: the 24-hour window is closed


def add_chat(session: Session, platform: str, name: str, *, visibility: str, ago: timedelta) -> int:
    """A channel of ``platform`` with one conversation whose customer wrote ``ago``."""
    channel = Channel(name=name, platform=platform, account="acme", account_id="106500000000001")
    session.add(channel)
    session.flush()
    at = datetime.now(UTC) - ago
    contact = Contact(channel_id=channel.id or 0, platform_id=WA_ID, handle="wendy", display_name="Wendy")
    session.add(contact)
    session.flush()
    conv = Conversation(
        channel_id=channel.id or 0,
        thread_key=f"{name}-{WA_ID}",
        visibility=visibility,
        kind="dm" if visibility == "private" else "mention",
        contact_id=contact.id,
        first_inbound_at=at,
        last_inbound_at=at,
        last_message_at=at,
        sla_due_at=at + timedelta(hours=1),
        language="en",
    )
    session.add(conv)
    session.flush()
    session.add(
        Message(
            channel_id=channel.id or 0,
            conversation_id=conv.id or 0,
            platform_id=f"{name}-m1",
            direction="in",
            visibility=visibility,
            kind=conv.kind,
            text="Hello, any news about my refund?",
            author_platform_id=WA_ID,
            author_handle="wendy",
            contact_id=contact.id,
            created_at=at,
        )
    )
    return conv.id or 0


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    for out in seeded_app(db_url, monkeypatch):
        engine = open_engine(db_url)
        with Session(engine) as session, session.begin():
            out.conversations["wa"] = add_chat(
                session, "whatsapp", "wa-acme", visibility="private", ago=LAST_WORD
            )
            out.conversations["masto"] = add_chat(
                session, "mastodon", "mastodon-acme", visibility="public", ago=timedelta(minutes=5)
            )
        engine.dispose()
        yield out


def replies(db_url: str) -> list[OutboundReply]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        rows = list(s.exec(select(OutboundReply).order_by(col(OutboundReply.id))))
    engine.dispose()
    return rows


def test_mastodon_replies_follow_mastodons_limit_not_xs(seeded: Seeded, db_url: str) -> None:
    conv = seeded.conversations["masto"]
    at = open_conv(app_as(seeded, "alice"), conv)
    at.text_area(key=f"composer-{conv}-draft").input("x" * 494)  # + "@wendy " the connector adds
    at.button(key=f"send-{conv}").click().run()  # the text goes with the click (a form), checked then
    assert "Too long for Mastodon: 501/500 characters. Shorten it by 1." in [e.value for e in at.error]
    assert replies(db_url) == []
    at.text_area(key=f"composer-{conv}-draft").input("Thanks Wendy! " + "x" * 386)  # 400: too long for X
    at.button(key=f"send-{conv}").click().run()
    [reply] = replies(db_url)
    assert (reply.visibility, len(reply.text), reply.in_reply_to) == ("public", 400, "mastodon-acme-m1")


def test_whatsapp_outside_the_window_offers_templates_and_sends_one(
    seeded: Seeded, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    conv = seeded.conversations["wa"]
    at = open_conv(app_as(seeded, "alice"), conv)
    assert at.segmented_control(key=f"composer-{conv}-mode").options == ["Private message (DM)"]
    [warning] = [w.value for w in at.warning if "window" in w.value]
    assert "The 24-hour window closed" in warning and "only an approved template" in warning
    assert not [a for a in at.text_area if a.key == f"composer-{conv}-draft"]  # no free text offered
    at.selectbox(key=f"wa-{conv}-template").select("order-update-wa-en").run()
    assert at.text_input(key=f"wa-{conv}-var-customer_name").value == "Wendy"
    ref = f"INB-{conv:06d}"
    assert f"Hello Wendy, we have news about your request {ref}." in [t.value for t in at.text]
    at.button(key=f"send-template-{conv}").click().run()
    assert not at.exception and "Template queued" in at.success[0].value
    [reply] = replies(db_url)
    assert reply.recipient_id == WA_ID and reply.visibility == "private"
    assert reply.platform_template == {
        "name": "order_update",
        "language": "en_US",
        "parameters": ["Wendy", ref],
    }

    monkeypatch.setenv("WA_TOKEN", WHATSAPP_TOKEN)
    monkeypatch.setenv("WA_APP_SECRET", "sandbox-app-secret")
    engine = open_engine(db_url)
    with MetaSandbox() as meta:
        cfg = ChannelConfig(
            name="wa-acme",
            platform="whatsapp",
            account="acme",
            base_url=meta.url,  # type: ignore[arg-type]
            credentials={"access_token": "WA_TOKEN", "app_secret": "WA_APP_SECRET"},
            options={"phone_number_id": meta.store.phone_number_id},
        )
        assert outbox.drain(engine, {"wa-acme": build_connector(cfg)}, lambda: datetime.now(UTC)) == 1
        [sent] = meta.store.sent
    engine.dispose()
    assert (sent["kind"], sent["to"], sent["template"]["name"]) == ("template", WA_ID, "order_update")
    assert sent["text"] == f"Hello Wendy, we have news about your request {ref}."
    [delivered] = replies(db_url)
    assert delivered.status == "sent" and delivered.platform_id == sent["id"]


def test_free_text_outside_the_window_is_refused_by_the_desk_too(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        alice = s.exec(select(User).where(User.name == "alice")).one()
        now = datetime.now(UTC)
        result = replying.send_reply(
            s,
            seeded.conversations["wa"],
            alice,
            visibility="private",
            text="Hi!",
            composer_opened_at=now,
            now=now,
        )
    engine.dispose()
    assert result.reply is None and result.verdict is not None
    assert "24-hour window closed" in result.verdict.problems[0]


def test_a_connector_without_templates_fails_the_send_visibly(
    seeded: Seeded, db_url: str, x_env: dict[str, str]
) -> None:
    engine = open_engine(db_url)
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, seeded.conversations["dm"])
        assert conv is not None
        outbox.enqueue(
            s,
            conv,
            visibility="private",
            text="Hello Kim",
            actor="alice",
            now=now,
            platform_template={"name": "order_update", "language": "en_US", "parameters": ["Kim"]},
        )
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sandbox:
        cfg = ChannelConfig(
            name="x-acme",
            platform="x",
            account="AcmeCare",
            base_url=sandbox.url,  # type: ignore[arg-type]
            credentials={k.removeprefix("X_").lower(): k for k in x_env},
        )
        outbox.drain(engine, {"x-acme": build_connector(cfg)}, lambda: now)
        assert sandbox.sent_dms == []
    engine.dispose()
    [reply] = replies(db_url)
    assert (
        reply.status == "failed"
        and reply.last_error == "Rejected: channel 'x-acme' cannot send platform templates"
    )


def test_an_approved_templates_send_is_not_disabled_on_its_typed_fields(seeded: Seeded, db_url: str) -> None:
    """A field's text reaches the app with the click that leaves it: Send stays enabled and refuses on the
    click while a field is empty (audit r20, UI finding 1)."""
    conv = seeded.conversations["wa"]
    at = open_conv(app_as(seeded, "alice"), conv)
    at.selectbox(key=f"wa-{conv}-template").select("order-update-wa-en").run()
    at.text_input(key=f"wa-{conv}-var-customer_name").input("").run()
    assert not at.button(key=f"send-template-{conv}").disabled
    at.button(key=f"send-template-{conv}").click().run()
    assert replies(db_url) == [] and "{customer_name}" in " ".join(e.value for e in at.error)
    at.text_input(key=f"wa-{conv}-var-customer_name").input("Wendy").run()
    at.button(key=f"send-template-{conv}").click().run()
    assert len(replies(db_url)) == 1


def test_mastodons_count_says_it_holds_the_handle_it_puts_first(seeded: Seeded, db_url: str) -> None:
    """The walk of 8 Dec.: an empty reply on Mastodon counted « 12 / 500 caractères », the handle the
    connector puts in front, and nothing said so; the count now says it, and not once the agent wrote it."""
    conv = seeded.conversations["masto"]
    at = open_conv(app_as(seeded, "alice"), conv)
    said = [m.value for m in at.markdown]
    assert ":gray[7 / 500 characters, with \u2060@wendy that Mastodon puts first]" in said, said
    at.text_area(key=f"composer-{conv}-draft").input("@wendy " + "x" * 494)  # refused: too long, kept
    at.button(key=f"send-{conv}").click().run()
    said = [m.value for m in at.markdown]
    assert ":red[501 / 500 characters]" in said, said
