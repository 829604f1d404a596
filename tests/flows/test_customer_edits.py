"""A customer edits a message the inbox holds: X gives the edit a new post id, Telegram sends it again.
The stored message takes the new words, keeps the old ones, and nothing is doubled: no second message, no
new response clock after the agent's answer (X and Telegram sandboxes, the real listener and outbox)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from connectors.sandbox.telegram.server import TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.deletions import honour_deletions
from inbox.ingest.poll import StreamReport, poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.gone import DELETED
from inbox.store.tables import Conversation, Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime
from tests.support.webhooks import events, now, post, wait_processed
from tests.support.x_channel import x_runtime


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _poll(engine: Engine, rt: Runtime, clock: Clock) -> StreamReport:
    """One poll; the report of the stream the customers write in (X mentions, Telegram updates)."""
    reports = {r.stream: r for r in poll_channel(engine, rt, clock=clock, due=default_due)}
    return reports.get("mentions") or reports["updates"]


def _inbound(engine: Engine) -> list[Message]:
    with Session(engine) as s:
        return list(s.exec(select(Message).where(Message.direction == "in")))


def _answer(engine: Engine, rt: Runtime, clock: Clock, visibility: str) -> None:
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        outbox.enqueue(s, conv, visibility=visibility, text="On it, sorry!", actor="agent", now=clock())
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1


def _conversation(engine: Engine) -> Conversation:
    with Session(engine) as s:
        return s.exec(select(Conversation)).one()


def test_an_edited_post_on_x_updates_the_message_and_starts_no_new_clock(
    engine: Engine, sandbox: XSandbox, x_env: dict[str, str]
) -> None:
    rt, clock = x_runtime(sandbox), Clock()
    first = sandbox.add_mention("@AcmeCare my order 4821 never came", author="jane", created_at=clock())
    _poll(engine, rt, clock)
    clock.now += timedelta(minutes=5)
    _answer(engine, rt, clock, "public")
    clock.now += timedelta(minutes=5)
    edit = sandbox.edit_tweet(first, "@AcmeCare my order 4812 never came (typo, sorry)", at=clock())
    _poll(engine, rt, clock)
    [message] = _inbound(engine)
    assert message.platform_id == first and message.text == "@AcmeCare my order 4812 never came (typo, sorry)"
    assert [v["text"] for v in message.raw["versions"]] == ["@AcmeCare my order 4821 never came"]
    assert (
        message.raw["version"] == edit and message.search_text is not None and "4812" in message.search_text
    )
    conv = _conversation(engine)
    assert conv.sla_due_at is None and conv.first_response_at is not None  # answered: no new clock
    _poll(engine, rt, clock)  # read again: nothing changes
    assert len(_inbound(engine)) == 1 and len(_inbound(engine)[0].raw["versions"]) == 1


def test_a_post_edited_before_the_inbox_read_it_is_stored_once_with_its_last_words(
    engine: Engine, sandbox: XSandbox, x_env: dict[str, str]
) -> None:
    rt, clock = x_runtime(sandbox), Clock()
    first = sandbox.add_mention("@AcmeCare parcel late", author="jane", created_at=clock())
    edit = sandbox.edit_tweet(first, "@AcmeCare parcel 3 days late", at=clock())
    _poll(engine, rt, clock)
    [message] = _inbound(engine)
    assert (message.platform_id, message.text) == (edit, "@AcmeCare parcel 3 days late")


def test_a_telegram_edit_updates_the_message_once_even_when_read_again(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = telegram_runtime(tg, monkeypatch), Clock()
    tg.add_message("Bonjour, ma commande 48213 ?", first_name="Camille", user_id=42, language_code="fr")
    tg.add_message("Bonjour, mon compte ?", first_name="Jonas", user_id=43, language_code="fr")
    tg.edit_message(43, 1, "Bonjour, mon compte est bloqué depuis ce matin")  # in the same page
    report = _poll(engine, rt, clock)
    assert (report.new, report.duplicates) == (2, 0)
    texts = sorted(m.text for m in _inbound(engine))
    assert texts == ["Bonjour, ma commande 48213 ?", "Bonjour, mon compte est bloqué depuis ce matin"]
    tg.edit_message(42, 1, "Bonjour, ma commande 48231 ?")
    report = _poll(engine, rt, clock)
    assert (report.new, report.duplicates, report.edited) == (0, 0, 1)
    assert report.line() == "tg-acme/updates: 0 new, 0 own, 0 already stored, 0 quarantined, 1 edited"
    camille = next(m for m in _inbound(engine) if m.platform_id == "42:1")
    assert camille.text == "Bonjour, ma commande 48231 ?"
    assert [v["text"] for v in camille.raw["versions"]] == ["Bonjour, ma commande 48213 ?"]
    assert len(_inbound(engine)) == 2


def test_an_edit_of_a_message_whose_words_are_gone_brings_nothing_back(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = telegram_runtime(tg, monkeypatch), Clock()
    tg.add_message("Je suis Jeanne Roe, 12 rue des Lilas", first_name="Jeanne", user_id=42)
    _poll(engine, rt, clock)
    with Session(engine) as s, s.begin():
        [message] = s.exec(select(Message)).all()
        honour_deletions(s, message.channel_id, [message.platform_id], clock())  # deleted on the platform
    tg.edit_message(42, 1, "Je suis Jeanne Roe, 14 rue des Lilas")
    _poll(engine, rt, clock)
    [message] = _inbound(engine)
    assert (message.text, message.raw) == (DELETED, {})


def test_a_telegram_message_edited_twice_shows_its_last_words(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = telegram_runtime(tg, monkeypatch), Clock()
    tg.add_message("Ma commande 48213", first_name="Camille", user_id=42)
    _poll(engine, rt, clock)
    clock.now += timedelta(minutes=2)
    tg.edit_message(42, 1, "Ma commande 48231", at=clock())
    _poll(engine, rt, clock)
    clock.now += timedelta(minutes=2)
    tg.edit_message(42, 1, "Ma commande 48231, livrée à Lyon", at=clock())
    _poll(engine, rt, clock)
    [message] = _inbound(engine)
    assert message.text == "Ma commande 48231, livrée à Lyon"
    assert [v["text"] for v in message.raw["versions"]] == ["Ma commande 48213", "Ma commande 48231"]


def test_an_edited_facebook_comment_updates_the_message_through_the_webhook(
    receiver_url: str, engine: Engine, meta: MetaSandbox
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/fb-acme", platform="facebook")
    comment = meta.add_comment("Ma commande 4821 n'est pas arrivée", created_at=now() - timedelta(minutes=3))
    wait_processed(engine)
    meta.edit_comment(comment, "Ma commande 4812 n'est pas arrivée")
    wait_processed(engine, 2)
    last = events(engine)[-1]  # Meta may send it twice: nothing more happens
    post(receiver_url, "fb-acme", last.body, {"X-Hub-Signature-256": sign(last.body, APP_SECRET)})
    wait_processed(engine, 3)
    [message] = _inbound(engine)
    assert (message.platform_id, message.text) == (comment, "Ma commande 4812 n'est pas arrivée")
    assert [v["text"] for v in message.raw["versions"]] == ["Ma commande 4821 n'est pas arrivée"]
    assert _conversation(engine).sla_due_at is not None  # still waiting for its answer, not doubled


def test_an_edit_that_takes_out_personal_data_leaves_no_stale_span(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = telegram_runtime(tg, monkeypatch), Clock()
    tg.add_message("Mon numéro de sécu 2 85 05 78 006 084 41, pour mon dossier", user_id=42)
    _poll(engine, rt, clock)
    assert [p["kind"] for p in _inbound(engine)[0].pii] == ["nir"]
    clock.now += timedelta(minutes=1)
    tg.edit_message(42, 1, "Pardon, pas de numéro ici : c'est pour mon dossier", at=clock())
    _poll(engine, rt, clock)
    [message] = _inbound(engine)
    assert message.pii == [] and "2 85 05" not in str(message.raw)  # masked in the kept version too


@pytest.mark.parametrize(
    ("platform", "channel"), [("messenger", "fb-acme"), ("instagram", "ig-acme"), ("whatsapp", "wa-acme")]
)
def test_an_edited_private_message_updates_the_message_through_the_webhook(
    receiver_url: str, engine: Engine, meta: MetaSandbox, platform: str, channel: str
) -> None:
    webhook_platform = {"fb-acme": "facebook"}.get(channel, platform)
    meta.set_webhook(f"{receiver_url}/webhooks/{channel}", platform=webhook_platform)
    mid = meta.add_message(
        "Mon colis 4821 est en retard", platform=platform, created_at=now() - timedelta(minutes=3)
    )
    wait_processed(engine)
    meta.edit_message(mid, "Mon colis 4812 est en retard")
    wait_processed(engine, 2)
    last = events(engine)[-1]  # Meta may send it twice: nothing more happens
    post(receiver_url, channel, last.body, {"X-Hub-Signature-256": sign(last.body, APP_SECRET)})
    wait_processed(engine, 3)
    [message] = _inbound(engine)
    assert (message.platform_id, message.text) == (mid, "Mon colis 4812 est en retard")
    assert [v["text"] for v in message.raw["versions"]] == ["Mon colis 4821 est en retard"]
    assert _conversation(engine).sla_due_at is not None  # still waiting for its answer, not doubled
