"""A French agent on a 1280 px laptop (issue 16, point 5): no label, button or badge of the Queue and of a
Conversation is cut ("Conversation suiv…", "En retard de 1…", "O…", "Envo…", "Envoyer plutôt en pr…").
Screenshots: test-artifacts/fr-1280-*.png. And nothing is fetched from off the machine (the tab's icon was).

`streamlit run app.py` over the desk seed (tests/support/seed_desk.py) and one more conversation, many
hours late; headless Debian Chromium (fr-FR, 1280×900) driven by Playwright. A text is cut when its box is
narrower than its content and hides the rest (scrollWidth > clientWidth, overflow not visible).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from inbox.desk import preferences
from tests.support.e2e import ARTIFACTS, BROWSER_ARGS, CHROMIUM, needs_chromium
from tests.support.seed_desk import add_conversation

pytestmark = needs_chromium

# The elements under ``root`` whose text (or field value, or placeholder) is cut: "text [shown < needed px]".
# Not the redaction panel's picker of the customer's messages: a whole message never fits a select box.
CUT = """root => [...root.querySelectorAll('*')].filter(e => {
    const text = (e.innerText || e.value || e.placeholder || '').trim();
    return text && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
        && getComputedStyle(e).overflowX !== 'visible' && !e.closest("[class*='st-key-redact-message']");
}).map(e => `${(e.innerText || e.value || e.placeholder).trim()} [${e.clientWidth} < ${e.scrollWidth}]`)"""


@pytest.fixture
def laptop_app(desk_app: dict[str, Any]) -> dict[str, Any]:
    """The desk app (tests/e2e/conftest.py) with alice and maya in French, a conversation many hours late."""
    at, seeded = datetime.now(UTC), desk_app["seeded"]
    with Session(desk_app["engine"]) as session, session.begin():
        for user in ("alice", "maya"):  # an agent, a community manager
            preferences.set_language(session, seeded.users[user], "fr", by="test", by_role="admin")
        seeded.conversations["very-late"] = add_conversation(  # "En retard de 17 h 49 min"
            session,
            seeded.channel_id,
            handle="camille",
            display_name="Camille Martin",
            text="@AcmeCare je n'ai toujours pas reçu ma commande 4417 et personne ne me répond",
            received=at - timedelta(hours=19),
            due=at - timedelta(hours=17, minutes=49, seconds=30),
            urgency="critical",
            sentiment="negative",
            language="fr",
        )
    return desk_app


def _away(url: str) -> bool:
    return url.startswith(("http:", "https:")) and not url.startswith("http://127.0.0.1:")


def _cut(page: Any) -> list[str]:
    return list(page.locator("[data-testid='stMain']").evaluate(CUT))


def _shot(page: Any, name: str) -> None:
    """The whole page (it scrolls inside the app, so the window grows to it), then back to 900 px."""
    height = page.evaluate("Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": min(max(height, 900), 8000)})
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size({"width": 1280, "height": 900})


@contextmanager
def _laptop(url: str, user: str, away: list[str]) -> Iterator[Any]:
    """``user`` signed in, in a French tab of 1280×900; ``away`` collects the requests off the machine."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # a loaded machine
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
            context.on("request", lambda r: away.append(r.url) if _away(r.url) else None)
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


def test_a_french_agent_on_a_1280_laptop_reads_every_label_whole(laptop_app: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    late = laptop_app["seeded"].conversations["late"]
    very_late = laptop_app["seeded"].conversations["very-late"]
    away: list[str] = []  # what the pages fetch from elsewhere (the tab's icon came from Google)
    with _laptop(laptop_app["url"], "alice", away) as page:
        # the queue: its key controls are there, in French, and nothing on the page is cut
        expect(page.locator("div[class*='st-key-open-'] button")).to_have_count(4)
        expect(page.locator(".st-key-next button")).to_have_accessible_name("Conversation suivante")
        expect(page.locator(f".st-key-open-{very_late} button")).to_have_accessible_name("Ouvrir")
        late_badge = re.compile(r"^En retard de 17 h \d\d min$")
        expect(page.locator(f".st-key-row-{very_late}").get_by_text(late_badge)).to_be_visible()
        expect(page.locator(".st-key-q-assignee").get_by_text("Les miennes")).to_be_visible()
        expect(page.locator(".st-key-bulk-all").get_by_text("Toutes celles du filtre (4)")).to_be_visible()
        _shot(page, "fr-1280-queue.png")
        assert _cut(page) == []

        # a public conversation: the composer's buttons, with personal data typed in a public reply
        page.locator(f".st-key-open-{late} button").click()
        expect(page.get_by_role("button", name="Retour à la file d'attente")).to_be_visible()
        draft = page.locator(f".st-key-composer-{late}-draft textarea")
        draft.fill("Bob, écrivez-nous à remboursements@acme.example ou appelez le 06 12 34 56 78")
        page.locator(f".st-key-send-{late} button").click()  # the draft goes with the click (a form); a
        # public reply with personal data is refused, and the composer offers to send it privately
        private = page.locator(f".st-key-to-dm-{late} button")
        expect(private).to_have_accessible_name("Envoyer plutôt en privé")
        found = "Données personnelles dans une réponse publique (e-mail, numéro de téléphone)"
        expect(page.get_by_text(found)).to_be_visible()  # the kinds in French too
        expect(page.locator(f".st-key-send-{late} button")).to_have_accessible_name("Envoyer")
        expect(page.locator(f".st-key-assign-me-{late} button")).to_have_accessible_name("Me l'attribuer")
        _shot(page, "fr-1280-conversation.png")
        assert _cut(page) == []
    assert away == []  # works offline, tells no one who opens what


def test_a_french_manager_finds_every_page_in_french(laptop_app: dict[str, Any]) -> None:
    """Nine pages do not fit a 1280 px bar: the managers' ones are in one menu, not behind Streamlit's
    English "4 more"."""
    from playwright.sync_api import expect

    with _laptop(laptop_app["url"], "maya", []) as page:
        bar = page.locator("[data-testid='stTopNav']")
        expect(bar.get_by_role("link", name="Mes chiffres")).to_be_visible()
        page.get_by_role("button", name="Pilotage").click()
        menu = page.get_by_role("menuitem")
        expect(menu).to_have_count(5)  # Team, Dashboard, Incidents, Audit log, Charter
        assert " more" not in bar.inner_text()
        menu.filter(has_text="Journal d'audit").click()
        expect(page.get_by_role("heading", name="Journal d'audit")).to_be_visible()


def test_a_french_manager_reads_the_dashboards_live_lists_whole(laptop_app: dict[str, Any]) -> None:
    """UI review 22: the dashboard's late and at-risk rows showed "O…" for « Ouvrir » and "En retard de 17 h
    4…" at 1280 px."""
    from playwright.sync_api import expect

    very_late = laptop_app["seeded"].conversations["very-late"]
    with _laptop(laptop_app["url"], "maya", []) as page:
        page.get_by_role("button", name="Pilotage").click()
        page.get_by_role("menuitem").filter(has_text="Tableau de bord").click()
        page.get_by_role("tab", name=re.compile(r"^Hors délai")).click()
        button = page.locator(f".st-key-dash-open-{very_late} button")
        expect(button).to_have_accessible_name("Ouvrir")
        expect(page.locator(f".st-key-dash-row-{very_late}").get_by_text("Camille Martin")).to_be_visible()
        _shot(page, "fr-1280-dashboard.png")
        assert _cut(page) == []


def test_a_french_agent_reads_the_queues_longest_filter_values_whole(laptop_app: dict[str, Any]) -> None:
    """UI review 22: six filters in one row cut « Réclamation sur le service », « Mentions et MP » and a
    channel such as "mastodon-acme" at 1280 px; they are two rows of three."""
    from playwright.sync_api import expect

    from inbox.store.tables import Conversation

    very_late = laptop_app["seeded"].conversations["very-late"]
    with Session(laptop_app["engine"]) as session, session.begin():
        conv = session.get(Conversation, very_late)
        assert conv is not None
        conv.reason = "service_complaint"
    with _laptop(laptop_app["url"], "alice", []) as page:
        page.goto(f"{laptop_app['url']}/?reason=service_complaint&source=direct&urgency=critical")
        expect(page.locator(f".st-key-open-{very_late} button")).to_be_visible()
        reason = page.locator(".st-key-q-reason")
        expect(reason.get_by_role("combobox")).to_have_value("Réclamation sur le service")
        expect(page.locator(".st-key-q-source").get_by_role("combobox")).to_have_value("Mentions et MP")
        assert _cut(page) == []


def test_the_side_panel_and_the_charters_private_advice_read_whole(laptop_app: dict[str, Any]) -> None:
    """UI review 22: in a conversation with earlier ones, their « Ouvrir » was squeezed to 3 px beside the
    text in the side column, and the charter's advice to go private cut its button: « Utiliser
    « Poursuivo… »."""
    from playwright.sync_api import expect

    from inbox.store.tables import Contact, Conversation

    seeded, at = laptop_app["seeded"], datetime.now(UTC)
    with Session(laptop_app["engine"]) as session, session.begin():
        late = session.get(Conversation, seeded.conversations["late"])
        assert late is not None
        contact = session.get(Contact, late.contact_id)
        new = add_conversation(
            session,
            seeded.channel_id,
            handle="bob",
            contact=contact,
            text="@AcmeCare impossible de me connecter à mon compte depuis la mise à jour",
            received=at - timedelta(minutes=5),
            due=at + timedelta(minutes=25),
            language="fr",
        )
        conv = session.get(Conversation, new)
        assert conv is not None
        conv.reason = "account_access"  # the charter asks to continue privately
    with _laptop(laptop_app["url"], "alice", []) as page:
        page.goto(f"{laptop_app['url']}/conversation?id={new}")
        earlier = page.locator(f".st-key-earlier-{seeded.conversations['late']} button")
        expect(earlier).to_have_accessible_name("Ouvrir")
        advice = page.locator(f".st-key-charter-dm-{new}")
        expect(advice.get_by_role("button", name="Utiliser le message type proposé")).to_be_visible()
        _shot(page, "fr-1280-conversation-side.png")
        assert _cut(page) == []


def test_on_a_phone_the_period_picker_reads_whole(laptop_app: dict[str, Any]) -> None:
    """UI review 22: at 390 px the period picker of My figures and of the dashboard cut « Personnalisée »;
    the custom period is « Dates »."""
    from playwright.sync_api import expect

    with _laptop(laptop_app["url"], "alice", []) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{laptop_app['url']}/my_figures")
        expect(page.get_by_text("Dates", exact=True)).to_be_visible()
        assert [c for c in _cut(page) if "Aujourd'hui" in c] == []


def test_reopening_a_closed_conversation_reads_its_button_whole(laptop_app: dict[str, Any]) -> None:
    """The walk of 8 Dec.: on a resolved conversation, « Ouverte » asks why, and the button that reopens was
    cut to « Rou… » in the side column (half of it, beside « Annuler »), at 1440 px as at 1280."""
    from playwright.sync_api import expect

    from inbox.desk import actions
    from inbox.store.tables import User

    seeded, late = laptop_app["seeded"], laptop_app["seeded"].conversations["late"]
    with Session(laptop_app["engine"]) as session, session.begin():
        alice = session.get(User, seeded.users["alice"])
        assert alice is not None
        actions.set_status(session, late, "resolved", alice, datetime.now(UTC))
    with _laptop(laptop_app["url"], "alice", []) as page:
        page.goto(f"{laptop_app['url']}/conversation?id={late}")
        page.get_by_role("textbox", name="Motif de consultation").fill("le client a rappelé")
        page.get_by_role("button", name="Ouvrir la conversation").click()  # a closed one asks why first
        page.get_by_role("radiogroup", name="Statut").get_by_role("radio", name="Ouverte").click()
        reopen = page.locator(f".st-key-reopen-go-{late} button")
        expect(reopen).to_have_accessible_name("Rouvrir")
        expect(page.get_by_text("Motif pour rouvrir en « Ouverte »")).to_be_visible()
        _shot(page, "fr-1280-reopen.png")
        assert _cut(page) == []
