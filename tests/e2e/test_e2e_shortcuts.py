"""Keyboard shortcuts in Chromium (issue #17.7): "?" shows the list, N takes the next conversation, P and R
switch the reply's route, T focuses the template search, Ctrl+Enter sends from the draft (letters typed there
stay in it), E resolves.

`streamlit run app.py` over the desk seed (tests/e2e/conftest.py); what the keys did is read in the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.store.tables import Conversation, OutboundReply
from tests.support.e2e import ARTIFACTS, BROWSER_ARGS, CHROMIUM, needs_chromium, sign_in

pytestmark = needs_chromium
WAIT = 30_000  # ms for what follows a rerun of the app, slower on a busy machine
ACTIVE = "[role='radio'][aria-checked='true']"  # the chosen option of a segmented control
BLUR = "document.activeElement && document.activeElement.blur()"  # the page, not a field, has the focus
DRAFT = "Sorry for the wait, we are checking your order now. Anne"  # n, e, r, p, t typed in the field


def _replies(engine: Engine, conv_id: int) -> list[OutboundReply]:
    with Session(engine) as s:
        return list(s.exec(select(OutboundReply).where(col(OutboundReply.conversation_id) == conv_id)))


def _status(engine: Engine, conv_id: int) -> str:
    with Session(engine) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        return conv.status


def test_the_frequent_moves_from_the_keyboard(desk_app: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    engine, procs, late = desk_app["engine"], desk_app["procs"], desk_app["seeded"].conversations["late"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 1000}).new_page()
            page.set_default_timeout(60_000)
            page.goto(desk_app["url"])
            sign_in(page, "alice", "alice-pw")
            expect(page.get_by_text("Press ? for keyboard shortcuts")).to_be_visible(timeout=WAIT)
            page.evaluate(BLUR)

            help_list = page.get_by_role("dialog", name="Keyboard shortcuts")
            page.keyboard.press("?")
            expect(help_list).to_be_visible(timeout=WAIT)
            expect(help_list).to_contain_text("Next conversation (queue)", timeout=WAIT)
            expect(help_list).to_contain_text("Ctrl+Enter", timeout=WAIT)
            page.screenshot(path=str(ARTIFACTS / "shortcuts-help.png"))
            page.keyboard.press("Escape")
            expect(help_list).to_be_hidden(timeout=WAIT)

            page.keyboard.press("n")  # the most urgent that is mine or nobody's: the late one
            expect(page.get_by_role("button", name="Back to the queue")).to_be_visible(timeout=WAIT)
            expect(page.get_by_text("my parcel never arrived").first).to_be_visible(timeout=WAIT)
            mode = page.locator(f"div.st-key-composer-{late}-mode")
            expect(mode).to_be_visible(timeout=WAIT)  # the composer is on screen
            page.keyboard.press("p")
            expect(mode.locator(ACTIVE)).to_contain_text("lock", timeout=WAIT)  # its icon's name
            page.keyboard.press("r")
            expect(mode.locator(ACTIVE)).to_contain_text("public", timeout=WAIT)

            page.keyboard.press("t")
            template = page.locator(f"div.st-key-composer-{late}-template input")
            expect(template).to_be_focused(timeout=WAIT)
            page.keyboard.press("Escape")

            draft = page.locator(f"div.st-key-composer-{late}-draft textarea")
            draft.click()
            page.keyboard.type(DRAFT)
            page.keyboard.press("Control+Enter")
            sent = procs.eventually(
                lambda: _replies(engine, late), timeout=30, message="the reply in the outbox"
            )
            assert [(r.text, r.visibility) for r in sent] == [(DRAFT, "public")]
            expect(page.get_by_text("Public reply queued")).to_be_visible(timeout=WAIT)
            assert _status(engine, late) == "open"  # the "e" typed in the draft did not resolve it

            page.evaluate(BLUR)
            page.keyboard.press("e")
            procs.eventually(lambda: _status(engine, late) == "resolved", timeout=30, message="resolved")
        finally:
            browser.close()
