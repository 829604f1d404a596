"""A French agent edits, then cancels, her reply waiting in the outbox, in a real browser. Screenshots:
test-artifacts/fr-queued-reply-*.png.

`streamlit run app.py` on a free loopback port (never 8501) over a seeded database; no sender runs, so the
reply waits; headless Debian Chromium driven by Playwright with the fr-FR locale.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from inbox.desk import preferences
from inbox.jobs.demo import seed_demo_users
from inbox.outbox import delivery as outbox
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, OutboundReply
from tests.conftest import ROOT
from tests.support.e2e import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    Processes,
    app_ready,
    free_port,
    launch_app,
    needs_chromium,
)
from tests.support.seed_desk import add_conversation, seed

pytestmark = needs_chromium


@pytest.fixture
def waiting_app(tmp_path: Path) -> Iterator[dict[str, Any]]:
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    seed_demo_users(db_url)
    engine = open_engine(db_url)
    seeded = seed(engine, datetime.now(UTC))
    with Session(engine) as session, session.begin():
        preferences.set_language(session, seeded.users["alice"], "fr", by="test", by_role="admin")
        conv_id = add_conversation(
            session,
            seeded.channel_id,
            handle="marie_d",
            display_name="Marie D",
            text="Bonjour, ma commande n'est pas arrivée",
            received=datetime.now(UTC),
            due=None,
            language="fr",
        )
        conv = session.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(
            session, conv, visibility="public", text="Nous regardons.", actor="alice", now=datetime.now(UTC)
        )
        reply_id = reply.id
    env = {**os.environ, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(ROOT / "config")}
    env.pop("INBOX_DEMO", None)
    procs = Processes(env, tmp_path)
    try:
        url = launch_app(procs, free_port())
        app_ready(procs, url)
        yield {"url": url, "conv": conv_id, "reply": reply_id, "engine": engine}
    finally:
        procs.stop()
        engine.dispose()


def _reply(app: dict[str, Any]) -> OutboundReply:
    with Session(app["engine"]) as s:
        row = s.get(OutboundReply, app["reply"])
        assert row is not None
        return row


def test_a_french_agent_edits_then_cancels_her_waiting_reply(waiting_app: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 1000}).new_page()
            page.set_default_timeout(30_000)
            page.goto(waiting_app["url"])
            expect(page.get_by_role("textbox", name="Mot de passe")).to_be_visible(timeout=60_000)
            page.get_by_role("textbox", name="Identifiant").fill("alice")
            page.get_by_role("textbox", name="Mot de passe").fill("alice-pw")
            page.get_by_role("button", name="Se connecter").click()
            expect(page.get_by_role("heading", name="File d'attente")).to_be_visible(timeout=30_000)
            page.goto(f"{waiting_app['url']}/conversation?id={waiting_app['conv']}")
            expect(page.get_by_text("En attente d’envoi", exact=False)).to_be_visible(timeout=30_000)
            page.get_by_role("button", name="Modifier").click()
            box = page.get_by_role("textbox", name="Nouveau texte")
            box.fill("Votre colis part demain matin.")
            box.press("Tab")  # Streamlit takes a text area's value when it loses the focus
            page.get_by_role("button", name="Enregistrer la modification").click()
            expect(page.get_by_text("Réponse modifiée", exact=False)).to_be_visible()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "fr-queued-reply-edited.png"), full_page=True)
            assert _reply(waiting_app).text == "Votre colis part demain matin."
            page.get_by_role("button", name="Annuler cette réponse").click()
            page.get_by_role("button", name="Oui, l'annuler").click()
            expect(page.get_by_text("Réponse annulée", exact=False)).to_be_visible()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "fr-queued-reply-cancelled.png"), full_page=True)
            assert _reply(waiting_app).status == "cancelled"
        finally:
            browser.close()
