"""One mouse click on Send after typing a reply sends it (audit r20, UI finding 1).

The typed text reaches the app only when the field loses the focus; the click that takes the focus away
must also send, as an agent clicks once and moves on. `streamlit run app.py` over the desk seed
(tests/e2e/conftest.py); what was sent is read in the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.store.tables import Note, OutboundReply
from tests.support.e2e import ARTIFACTS, browser_page, needs_chromium, sign_in

pytestmark = needs_chromium
WAIT = 30_000
DRAFT = "Sorry for the wait, we are checking your order now. Anne"


def _replies(engine: Engine, conv_id: int) -> list[str]:
    with Session(engine) as s:
        rows = s.exec(select(OutboundReply).where(col(OutboundReply.conversation_id) == conv_id))
        return [r.text for r in rows]


def _notes(engine: Engine, conv_id: int) -> list[str]:
    with Session(engine) as s:
        return [n.text for n in s.exec(select(Note).where(col(Note.conversation_id) == conv_id))]


def _click_once(page: Any, selector: str) -> None:
    """A real mouse click where the button is: the field being typed in loses the focus on the way."""
    box = page.locator(selector).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_one_click_on_send_after_typing_sends_the_reply(desk_app: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    engine, procs, late = desk_app["engine"], desk_app["procs"], desk_app["seeded"].conversations["late"]
    ARTIFACTS.mkdir(exist_ok=True)
    with browser_page("en-GB", timeout_ms=60_000) as page:
        page.goto(desk_app["url"])
        sign_in(page, "alice", "alice-pw")
        page.goto(f"{desk_app['url']}/conversation?id={late}")
        draft = page.locator(f"div.st-key-composer-{late}-draft textarea")
        expect(draft).to_be_visible(timeout=WAIT)
        draft.click()
        page.keyboard.type(DRAFT)  # the field keeps the focus: the app has not seen the text yet
        _click_once(page, f".st-key-send-{late} button")
        expect(page.get_by_text("Public reply queued")).to_be_visible(timeout=WAIT)
        sent = procs.eventually(lambda: _replies(engine, late), timeout=30, message="the reply")
        assert sent == [DRAFT]
        note = page.locator(f"div.st-key-note-{late} textarea")  # the notes: typed, then one click too
        note.click()
        page.keyboard.type("Bob called about it too")
        _click_once(page, f".st-key-add-note-{late} button")
        saved = procs.eventually(lambda: _notes(engine, late), timeout=30, message="the note")
        assert saved == ["Bob called about it too"]
        page.screenshot(path=str(ARTIFACTS / "send-once.png"))
