"""A restarted sandbox is a new world, but the inbox keeps its cursors and the ids it stored: as on the real
platforms, the new world's ids continue above the earlier world's (no update below the stored offset, no
message id already stored). The first world is numbered from the fixed starts, as the tests (and the demo
before) numbered; the second is the sandbox's ``main`` in a process of its own, as ``inbox demo`` starts it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from connectors import registry
from connectors.base import ConnectorSpec
from connectors.bluesky.connector import BlueskyConnector
from connectors.mastodon.connector import MastodonConnector
from connectors.sandbox._ids import PER_SECOND, world_base
from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, DEFAULT_PASSWORD, BlueskySandbox
from connectors.sandbox.mastodon.server import TOKEN, MastodonSandbox
from connectors.sandbox.meta.replay import STALE_WHATSAPP, STALE_WHATSAPP_ID
from connectors.sandbox.meta.server import APP_SECRET, PAGE_TOKEN, MetaSandbox
from connectors.sandbox.meta.store import MetaStore
from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from connectors.sandbox.telegram.store import TelegramStore
from connectors.sandbox.x.server import XSandbox
from connectors.telegram.connector import TelegramConnector
from tests.conftest import ROOT

CHAT = 610_000_001  # a customer of the demo's Telegram replay: the same person in every world


@contextmanager
def demo_world(platform: str, *options: str) -> Iterator[str]:
    """The platform's sandbox as the demo starts it (its ``main``), without replayed traffic unless
    ``options`` ask for it; its URL."""
    argv = [sys.executable, "-m", f"connectors.sandbox.{platform}.server", "--port", "0"]
    argv += list(options) or ["--no-replay"]
    with subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert " on http://" in line, line
            yield line.split(" on ", 1)[1].split(" ", 1)[0]
        finally:
            proc.terminate()
            assert proc.wait(timeout=10) == 0


def control(url: str, path: str, body: dict[str, Any]) -> Any:
    answer = requests.post(f"{url}/_sandbox/{path}", json=body, timeout=5)
    answer.raise_for_status()
    return answer.json()


def drain(conn: Any, stream: str, cursor: str | None) -> tuple[list[Any], str | None]:
    """Fetch until the stream has nothing more waiting: (items, cursor)."""
    items: list[Any] = []
    for _ in range(20):
        batch = conn.fetch(stream, cursor)
        items, cursor = items + batch.items, batch.next_cursor
        if not batch.more:
            break
    return items, cursor


# --- Telegram: update ids (the getUpdates offset) and each chat's message ids -----------------------------
def telegram(url: str) -> TelegramConnector:
    return TelegramConnector("tg-acme", bot_token=DEFAULT_TOKEN, base_url=url, poll_seconds=0)


def test_a_restarted_telegram_world_is_read_from_the_stored_offset_with_new_message_ids() -> None:
    with TelegramSandbox() as first:
        first.add_message("Bonjour, ma commande ?", first_name="Camille", user_id=CHAT)
        conn = telegram(first.url)
        earlier, cursor = drain(conn, "updates", None)
        earlier.append(conn.send_private(str(CHAT), "Nous regardons.", idempotency_key="k1"))
        assert conn.fetch("updates", cursor).items == [] and first.state()["pending_updates"] == 0
    stored = {i.external_id for i in earlier}
    with demo_world("telegram") as url:
        control(url, "messages", {"text": "Toujours rien reçu", "first_name": "Camille", "user_id": CHAT})
        conn = telegram(url)
        items, _ = drain(conn, "updates", cursor)
        assert [i.text for i in items] == ["Toujours rien reçu"]
        sent = conn.send_private(str(CHAT), "Un colis est parti.", idempotency_key="k2")
    assert not {i.external_id for i in items} & stored and sent.external_id not in stored
    assert items[0].thread_key == str(CHAT)  # the same private chat: the same customer


def test_demo_worlds_started_a_second_apart_number_above_each_other() -> None:
    start = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    first = TelegramStore(1, "AcmeCareBot", "Acme Care", id_base=world_base(start))
    user = first.user("Camille", user_id=CHAT)
    issued = [first.customer_message(user, f"message {i}") for i in range(PER_SECOND - 1)]
    later = TelegramStore(1, "AcmeCareBot", "Acme Care", id_base=world_base(start + timedelta(seconds=1)))
    update = later.customer_message(later.user("Camille", user_id=CHAT), "again")
    assert update["update_id"] > max(u["update_id"] for u in issued)
    assert update["message"]["message_id"] > max(u["message"]["message_id"] for u in issued)
    meta = MetaStore(id_base=world_base(start)), MetaStore(id_base=world_base(start + timedelta(seconds=1)))
    assert max(int(meta[0].new_id()) for _ in range(PER_SECOND - 1)) < int(meta[1].new_id())


# --- Bluesky: chat message ids --------------------------------------------------------------------------
def bluesky(url: str) -> BlueskyConnector:
    return BlueskyConnector(
        "bsky-acme", handle=DEFAULT_HANDLE, app_password=DEFAULT_PASSWORD, base_url=url, page_size=3
    )


def test_a_restarted_bluesky_world_gives_chat_messages_ids_never_stored() -> None:
    with BlueskySandbox() as first:
        lea = first.add_account("lea.bsky.social", "Léa Martin")
        first.add_dm("Bonjour, une question", sender="lea.bsky.social")
        first.add_dm("Oui ?", sender=DEFAULT_HANDLE, to="lea.bsky.social")
        conn = bluesky(first.url)
        earlier, cursor = drain(conn, "dms", None)
        earlier.append(conn.send_private(lea, "Bonjour Léa", idempotency_key="d1"))
    stored = {i.external_id for i in earlier}
    assert len(stored) == 3
    with demo_world("bluesky") as url:
        control(url, "dms", {"text": "encore une chose", "sender": "lea.bsky.social"})
        conn = bluesky(url)
        items, _ = drain(conn, "dms", cursor)
        assert [i.text for i in items] == ["encore une chose"]
        sent = conn.send_private(lea, "Nous regardons", idempotency_key="d2")
    assert not {i.external_id for i in items} & stored and sent.external_id not in stored


# --- Mastodon: notification ids (the mentions cursor is since_id) ---------------------------------------
def mastodon(url: str) -> MastodonConnector:
    return MastodonConnector(
        "mastodon-acme", base_url=url, access_token=TOKEN, account="AcmeCare", page_size=5
    )


def test_a_restarted_mastodon_world_notifies_above_the_stored_since_id() -> None:
    with MastodonSandbox("AcmeCare") as first:
        for i in range(3):
            first.add_mention(f"@AcmeCare question {i}", author="lea")
        earlier, cursor = drain(mastodon(first.url), "mentions", None)
        assert len(earlier) == 3 and cursor is not None and "since_id" in cursor
    with demo_world("mastodon") as url:
        control(url, "mentions", {"text": "@AcmeCare toujours pas de réponse", "author": "lea"})
        items, after = drain(mastodon(url), "mentions", cursor)
    assert ["toujours pas de réponse" in i.text for i in items] == [True]
    assert after is not None and int(json.loads(after)["since_id"]) > int(json.loads(cursor)["since_id"])


# --- Meta: comment ids, Messenger mids, WhatsApp wamids -------------------------------------------------
def facebook(url: str) -> Any:
    store = MetaStore()  # the page's id is the same in every world
    credentials = {"page_token": PAGE_TOKEN, "app_secret": APP_SECRET, "verify_token": "verify-me"}
    spec = ConnectorSpec(
        "fb-acme", "facebook", "AcmeCare", credentials, url, options={"page_id": store.page_id}
    )
    return registry.build(spec)


def meta_traffic(add: Any) -> set[str]:
    """A comment, a Messenger message and a WhatsApp message; their ids."""
    return {
        add("comment", {"text": "Ma commande ?", "push": False}),
        add("message", {"text": "Bonjour", "platform": "messenger", "push": False}),
        add("message", {"text": "Bonjour", "platform": "whatsapp", "push": False}),
    }


def test_a_restarted_meta_world_gives_comments_and_messages_new_ids() -> None:
    with MetaSandbox() as first:
        calls: dict[str, Callable[..., str]] = {"comment": first.add_comment, "message": first.add_message}
        stored = meta_traffic(lambda kind, body: calls[kind](body.pop("text"), **body))
        earlier, _ = drain(facebook(first.url), "comments", None)
    assert [i.text for i in earlier] == ["Ma commande ?"] and {i.external_id for i in earlier} <= stored
    with demo_world("meta") as url:
        fresh = meta_traffic(lambda kind, body: control(url, kind, body)["id"])
        items, _ = drain(facebook(url), "comments", None)
    assert len(fresh) == 3 and not fresh & stored
    assert [i.text for i in items] == ["Ma commande ?"] and not {i.external_id for i in items} & stored


def test_an_x_customer_keeps_their_id_in_every_world() -> None:
    """X account ids never change: a restarted world's customer is the one the inbox already knows."""
    with XSandbox() as first, XSandbox() as second:
        ids = [
            world.add_user(handle) for world in (first, second) for handle in ("luca_116940", "@Luca_116940")
        ]
        other = first.add_user("mia_r")
        tweet = first.add_mention("@AcmeCare hello", author="luca_116940")
    assert len(set(ids)) == 1 and other != ids[0] and len(ids[0]) == len(tweet) == 19


# --- The replayed customers: a restarted demo hears from other people -----------------------------------
def test_a_restarted_demo_world_replays_its_script_by_other_customers() -> None:
    """The inbox keeps what the earlier world's customers wrote; the next start (``--round clock``, as the
    demo starts it) replays the same script by other people, so no customer says the same words again."""
    replay = ("--round", "clock", "--backlog", "40", "--interval", "3600")
    worlds = []
    for _ in range(2):
        with demo_world("mastodon", *replay) as url:
            items, _ = drain(mastodon(url), "mentions", None)
        worlds.append(items)
        time.sleep(1)  # the clock's round is in seconds: a restart is at least a second later
    first, second = ({(i.author.handle, i.text) for i in items} for items in worlds)
    assert len(first) >= 10 and {text for _, text in first} == {text for _, text in second}
    assert not {handle for handle, _ in first} & {handle for handle, _ in second}
    ids = [{i.author.platform_id for i in items} for items in worlds]  # the inbox knows people by their id
    assert not ids[0] & ids[1]


def test_a_mastodon_account_keeps_its_id_in_every_world_and_never_lends_it() -> None:
    """Seen in the demo: the next world gave an earlier world's account id to another person, and the inbox
    merged the two into one customer. An id comes from the account's address, as a real one never changes."""
    with MastodonSandbox("AcmeCare") as first, MastodonSandbox("AcmeCare") as second:
        lea = first.add_user("lea")
        paula, lea_again = second.add_user("paula@mamot.fr"), second.add_user("Lea")
        brand = first.store.brand.id, second.store.brand.id
    assert lea == lea_again and paula != lea and brand[0] == brand[1]


def test_a_restarted_meta_world_seeds_the_stale_whatsapp_message_under_its_old_id() -> None:
    """The WhatsApp customer whose window is closed is seeded on every start: the same message (its wamid),
    which the inbox already has, not a copy of it."""
    seeded = []
    for _ in range(2):
        with MetaSandbox() as world:
            world.replay(backlog=1, interval=0)
            seeded.append([m["id"] for m in world.store.messages if m["text"] == STALE_WHATSAPP])
    assert seeded == [[STALE_WHATSAPP_ID], [STALE_WHATSAPP_ID]]
