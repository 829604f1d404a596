"""A language switch in the middle of a session, in Chromium: the queue's select boxes follow it.

A Streamlit select box keeps the text of its chosen option as its value; keyed alone, after a switch to
French the bulk "Assign to" box kept showing "Nobody (unassign)" (and would hand that string back instead of
nobody); keyed by language, it starts afresh in French. The browser also keeps showing a chosen option's
text until the app sets the value again: the filters read "Pending" in the French queue, until
``inbox.ui.relabel`` set them again after the switch. AppTest cannot see either (it keeps values, not texts),
hence a browser. `streamlit run app.py` over the desk seed (tests/e2e/conftest.py). Screenshot:
test-artifacts/lang-switch.png.
"""

from __future__ import annotations

import re
from typing import Any

from tests.support.e2e import ARTIFACTS, BROWSER_ARGS, CHROMIUM, browser_page, needs_chromium, sign_in

pytestmark = needs_chromium
WAIT = 30_000  # ms for what follows a rerun of the app, slower on a busy machine


def _count(page: Any) -> str:
    """The queue's "N conversations" figure."""
    text = page.get_by_text(re.compile(r"^\d+ conversations? ·")).first.inner_text()
    return text.split()[0]


def test_the_queue_boxes_follow_a_language_switch_and_keep_their_choice(desk_app: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 1000}).new_page()
            page.set_default_timeout(60_000)
            page.goto(desk_app["url"])
            sign_in(page, "alice", "alice-pw")
            boxes = page.locator("[data-testid='stSelectbox']")
            shown = boxes.filter(has_text="Assign to").locator("input")
            expect(shown).to_have_value("Nobody (unassign)", timeout=WAIT)
            status = boxes.filter(has_text="Status").first.locator("input")
            status.click()
            page.get_by_role("option", name="Pending", exact=True).click()
            expect(status).to_have_value("Pending", timeout=WAIT)
            page.wait_for_timeout(2000)
            pending = _count(page)
            page.locator("[data-testid='stSidebar']").get_by_label("Screen language").click()
            page.get_by_role("option", name="Français").click()
            expect(page.get_by_role("heading", name="File d'attente")).to_be_visible(timeout=WAIT)
            shown = boxes.filter(has_text="Attribuer à").locator("input")
            page.wait_for_timeout(3000)  # the select box is drawn after the heading
            page.screenshot(path=str(ARTIFACTS / "lang-switch.png"), full_page=False)
            expect(shown).to_have_value("Personne (retirer l'attribution)", timeout=WAIT)
            expect(boxes.filter(has_text="Statut").first.locator("input")).to_have_value("En attente")
            assert _count(page) == pending  # the filter still applies
        finally:
            browser.close()


def test_a_user_who_chose_no_language_keeps_the_browsers_after_signing_in(desk_app: dict[str, Any]) -> None:
    """The sign-in page follows a French browser; so does the app after it (``[ui] follow_browser``), not the
    team's English default."""
    from playwright.sync_api import expect

    with browser_page(locale="fr-FR", timeout_ms=60_000) as page:
        page.goto(desk_app["url"])
        expect(page.get_by_role("textbox", name="Mot de passe")).to_be_visible(timeout=90_000)
        page.get_by_role("textbox", name="Identifiant").fill("bruno")
        page.get_by_role("textbox", name="Mot de passe").fill("bruno-pw")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", name="File d'attente")).to_be_visible(timeout=WAIT)
        language = page.locator("[data-testid='stSidebar']").get_by_label("Langue de l'interface")
        expect(language).to_have_value("Automatique (Français)", timeout=WAIT)
