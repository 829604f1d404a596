"""A French agent in a real browser: the sign-in page follows the browser's language (fr-FR), the queue and a
conversation are in French, dates and durations too. Screenshots: test-artifacts/fr-*.png.

`streamlit run app.py` on a free loopback port over a seeded database (tests/support/seed_desk.py); headless
Debian Chromium driven by Playwright with the fr-FR locale.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from inbox.desk import preferences
from inbox.jobs.demo import seed_demo_users
from inbox.store.engine import open_engine
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
from tests.support.seed_desk import Seeded, add_conversation, seed

pytestmark = needs_chromium

ENGLISH = ["Next conversation", "Sign out", "Search", "Back to the queue", "Internal notes", "Assign to me"]
LINKY_HANDLE, LINKY_NAME = (
    "marie@piaille.fr",
    "www.marie-dupont.fr",
)  # an e-mail and a web address to Markdown
ENGLISH += ["left to answer", "Overdue", "Public thread", "Your reply", "Earlier conversations"]


@pytest.fixture
def french_app(tmp_path: Path) -> Iterator[dict[str, Any]]:
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    seed_demo_users(db_url)  # migrates the schema
    engine = open_engine(db_url)
    seeded: Seeded = seed(engine, datetime.now(UTC))
    with Session(engine) as session, session.begin():
        preferences.set_language(session, seeded.users["alice"], "fr", by="test", by_role="admin")
        seeded.conversations["linky"] = add_conversation(
            session,
            seeded.channel_id,
            handle=LINKY_HANDLE,
            display_name=LINKY_NAME,
            text="Bonjour, ma commande n'est pas arrivée",
            received=datetime.now(UTC),
            due=None,
            language="fr",
        )
    engine.dispose()
    env = {**os.environ, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(ROOT / "config")}
    env.pop("INBOX_DEMO", None)
    procs = Processes(env, tmp_path)
    try:
        url = launch_app(procs, free_port())
        app_ready(procs, url)
        yield {"url": url, "seeded": seeded, "procs": procs}
    finally:
        procs.stop()


def _links_to_customers(page: Any) -> list[str]:
    """Links the page made of a customer's handle or name (they are text, never links)."""
    hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.href)")
    return [h for h in hrefs if "marie" in h]


def _no_english(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


def test_a_french_agent_works_in_french(french_app: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    late, linky = (french_app["seeded"].conversations[name] for name in ("late", "linky"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(french_app["url"])
            # the browser's language; the first run of the app takes a while on a cold start
            expect(page.get_by_role("textbox", name="Mot de passe")).to_be_visible(timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "fr-sign-in.png"))
            page.get_by_role("textbox", name="Identifiant").fill("alice")
            page.get_by_role("textbox", name="Mot de passe").fill("alice-pw")
            page.get_by_role("button", name="Se connecter").click()
            expect(page.get_by_role("heading", name="File d'attente")).to_be_visible(timeout=30_000)
            expect(page.locator("div[class*='st-key-open-']")).to_have_count(4)
            expect(page.get_by_text(re.compile(r"^En retard de \d+ min$"))).to_be_visible()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "fr-queue.png"), full_page=True)
            assert _no_english(page.locator("body").inner_text()) == []

            assert _links_to_customers(page) == []

            page.locator(f"div.st-key-open-{late} button").click()
            back = page.get_by_role("button", name="Retour à la file d'attente")
            expect(back).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Notes internes")).to_be_visible()
            expect(page.get_by_text("Fuseau horaire : heure d’Europe centrale.")).to_be_visible()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "fr-conversation.png"), full_page=True)
            assert _no_english(page.locator("body").inner_text()) == []

            back.click()
            page.locator(f"div.st-key-open-{linky} button").click()
            expect(page.get_by_text("Bonjour, ma commande n'est pas arrivée")).to_be_visible(timeout=30_000)
            assert _links_to_customers(page) == []  # header, thread, profile
        finally:
            browser.close()
