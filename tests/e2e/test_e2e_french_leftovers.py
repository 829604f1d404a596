"""The first day's leftovers in a real browser, in French at 1280 px (issue 16): an agent at a managers'
address is told why in French and led back (not Streamlit's English "Page not found"), and so is anyone at
an address no page has, signed in or signing in there; the 24-hour window
closes at the team's time; a period without replies says so instead of an empty chart; Streamlit's ⋮ menu
and "Press Enter to apply" are gone; the Team table shows its last column. Screenshots:
test-artifacts/fr-left-*.png.

`streamlit run app.py` over the desk seed (tests/e2e/conftest.py) and a WhatsApp chat whose window closed;
headless Debian Chromium (fr-FR, 1280×900) driven by Playwright.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from inbox import i18n
from inbox.desk import preferences
from inbox.store.tables import Conversation
from tests.support.e2e import ARTIFACTS, BROWSER_ARGS, CHROMIUM, needs_chromium
from tests.ui.test_ui_platform_replies import LAST_WORD, add_chat

pytestmark = needs_chromium

MANAGERS_ONLY = "Cette page est réservée aux community managers et aux administrateurs"
BACK = "Retour à la file d'attente"


@pytest.fixture
def french_desk(desk_app: dict[str, Any]) -> dict[str, Any]:
    """The desk app with alice (agent) and maya (manager) in French, and a WhatsApp chat 30 hours old."""
    seeded = desk_app["seeded"]
    with Session(desk_app["engine"]) as session, session.begin():
        for user in ("alice", "maya"):
            preferences.set_language(session, seeded.users[user], "fr", by="test", by_role="admin")
        wa = add_chat(session, "whatsapp", "wa-acme", visibility="private", ago=LAST_WORD)
        conv = session.get(Conversation, wa)
        assert conv is not None and conv.last_inbound_at is not None
        closes: datetime = conv.last_inbound_at + timedelta(hours=24)
    return {**desk_app, "wa": wa, "closes": closes}


@contextmanager
def _french_tab(url: str, user: str) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # a loaded machine
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(url)
            expect(page.get_by_role("textbox", name="Mot de passe")).to_be_visible(timeout=60_000)
            page.get_by_role("textbox", name="Identifiant").fill(user)
            page.get_by_role("textbox", name="Mot de passe").fill(f"{user}-pw")
            page.get_by_role("button", name="Se connecter").click()
            expect(page.get_by_role("heading", name="File d'attente")).to_be_visible(timeout=30_000)
            yield page
        finally:
            browser.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"fr-left-{name}.png"), full_page=True)


def test_a_french_agent_meets_no_english_at_the_edges(french_desk: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    url = french_desk["url"]
    with _french_tab(url, "alice") as page:
        # no ⋮ menu (its Rerun, Settings, Print are English), no "Press Enter to apply" under a field
        expect(page.get_by_test_id("stMainMenu")).to_have_count(0)
        page.get_by_role("textbox", name="Rechercher").fill("commande")
        expect(page.get_by_test_id("InputInstructions")).to_have_count(1)  # Streamlit draws it…
        expect(page.get_by_test_id("InputInstructions")).to_be_hidden()  # …and no one sees it

        # a managers' page by its address: why not, in French, and the way back (not "Page not found")
        page.goto(f"{url}/dashboard")
        expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
        expect(page.get_by_text(MANAGERS_ONLY)).to_be_visible()
        _shot(page, "agent-at-dashboard")
        assert "Page not found" not in page.locator("body").inner_text()
        page.get_by_role("link", name=BACK).click()
        expect(page.get_by_role("heading", name="File d'attente")).to_be_visible()

        # WhatsApp's window closed at the team's time (Paris), not in UTC
        page.goto(f"{url}/conversation?id={french_desk['wa']}")
        with i18n.use_language("fr"):
            closed = i18n.when(french_desk["closes"], ZoneInfo("Europe/Paris"), year=True)
        warning = page.get_by_text("La fenêtre de 24 heures s'est fermée le")
        expect(warning).to_contain_text(f"le {closed} :")
        expect(warning).not_to_contain_text("UTC")
        _shot(page, "whatsapp-window")

        # alice sent nothing: a sentence, not an empty chart with "0.000000" ticks
        page.goto(f"{url}/my_figures")
        expect(page.get_by_text("Aucune donnée sur cette période.")).to_be_visible()
        expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
        _shot(page, "my-figures-empty")


def test_a_french_manager_sees_the_whole_team_and_hears_of_admin_pages(french_desk: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    url = french_desk["url"]
    with _french_tab(url, "maya") as page:
        page.goto(f"{url}/team")
        expect(page.get_by_role("heading", name="Équipe")).to_be_visible()
        grid = page.locator("[data-testid='stDataFrame'] .dvn-scroller").first
        expect(grid).to_be_visible()
        page.wait_for_timeout(500)  # the grid sizes its columns after it shows
        needed, shown = grid.evaluate("e => [e.scrollWidth, e.clientWidth]")
        _shot(page, "team")
        assert needed <= shown + 1, f"the Team table needs {needed} px, shows {shown}: a column is hidden"

        page.goto(f"{url}/channels")  # the admins' page
        expect(page.get_by_role("heading", name="Canaux")).to_be_visible()
        expect(page.get_by_text("Cette page est réservée aux administrateurs")).to_be_visible()
        expect(page.get_by_role("link", name=BACK)).to_be_visible()


def test_an_address_no_page_has_is_said_in_french_through_the_sign_in(french_desk: dict[str, Any]) -> None:
    """An old bookmark or a mistyped link: Streamlit showed its English "Page not found" over the queue."""
    from playwright.sync_api import expect, sync_playwright

    url = french_desk["url"]
    expect.set_options(timeout=20_000)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{url}/ancien_favori")  # signed out: the sign-in page, at that address
            expect(page.get_by_role("textbox", name="Mot de passe")).to_be_visible(timeout=60_000)
            page.get_by_role("textbox", name="Identifiant").fill("alice")
            page.get_by_role("textbox", name="Mot de passe").fill("alice-pw")
            page.get_by_role("button", name="Se connecter").click()
            expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Aucune page n'existe à l'adresse /ancien_favori.")).to_be_visible()
            _shot(page, "no-such-page")
            assert "Page not found" not in page.locator("body").inner_text()
            assert page.url.endswith("/ancien_favori")
            page.get_by_role("link", name=BACK).click()
            expect(page.get_by_role("heading", name="File d'attente")).to_be_visible()
            page.goto(f"{url}/une_autre")  # signed in, straight to another one
            expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible(timeout=30_000)
            assert "Page not found" not in page.locator("body").inner_text()
        finally:
            browser.close()
