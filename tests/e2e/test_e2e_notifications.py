"""An agent is told of an assignment without watching the queue: a browser notification, the unread count in
the tab title, and a tone for a critical one (issue #17.6).

`streamlit run app.py` over a seeded database; headless Chromium with notifications granted, where an init
script wraps ``window.Notification`` and ``AudioContext`` to record what the page shows and plays. A manager
assigns conversations to the signed-in agent from the test, through the desk's own service.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.desk import actions
from inbox.store.tables import Conversation, NotificationCursor, User
from tests.support.e2e import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    needs_chromium,
    sign_in,
)
from tests.support.seed_desk import Seeded

pytestmark = needs_chromium
WAIT = 30_000  # ms for what follows a rerun of the app, slower on a busy machine

RECORDER = """
(() => {
  window.__notes = [];
  window.__tones = 0;
  const Real = window.Notification;
  function Recorded(title, options) {
    window.__notes.push({ title: title, body: (options || {}).body || "" });
    try { return new Real(title, options); } catch (e) { return {}; }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
  const RealAudio = window.AudioContext;
  window.AudioContext = function () {
    const ctx = new RealAudio();
    const make = ctx.createOscillator.bind(ctx);
    ctx.createOscillator = () => { window.__tones += 1; return make(); };
    return ctx;
  };
})();
"""


def _assign(engine: Engine, seeded: Seeded, conv: str, *, critical: bool = False) -> None:
    with Session(engine) as session, session.begin():
        maya = session.get(User, seeded.users["maya"])
        conversation = session.get(Conversation, seeded.conversations[conv])
        assert maya is not None and conversation is not None
        if critical:
            conversation.urgency = "critical"
        actions.assign(session, seeded.conversations[conv], seeded.users["alice"], maya, datetime.now(UTC))


def _cursor_placed(engine: Engine, user_id: int) -> bool:
    with Session(engine) as session:
        return session.get(NotificationCursor, user_id) is not None


def test_an_agent_is_told_of_an_assignment(desk_app: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    engine, seeded, procs = desk_app["engine"], desk_app["seeded"], desk_app["procs"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            context = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 1000})
            context.grant_permissions(["notifications"], origin=desk_app["url"])
            context.add_init_script(RECORDER)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(desk_app["url"])
            sign_in(page, "alice", "alice-pw")
            procs.eventually(
                lambda: _cursor_placed(engine, seeded.users["alice"]),
                timeout=60,
                message="the bell's first poll",
            )
            assert page.evaluate("window.__notes") == []  # signing in tells nothing old

            _assign(engine, seeded, "dm")
            _assign(engine, seeded, "late", critical=True)
            expected = {
                "Assigned to you: bob on x-acme",
                "Assigned to you: kim on x-acme",
                "Late on the charter: bob on x-acme",  # late (due 5 min ago), and critical
            }
            told = "window.__notes.map(n => n.title)"
            procs.eventually(
                lambda: expected <= set(page.evaluate(told)), timeout=60, message="the browser notifications"
            )
            notes = page.evaluate("window.__notes")
            assert sorted(n["title"] for n in notes if n["title"].startswith("Assigned")) == sorted(
                t for t in expected if t.startswith("Assigned")
            )
            assert len(notes) == len({n["title"] for n in notes})  # each told once
            assert {"Bonjour, mon compte est bloqué"} <= {n["body"] for n in notes}
            expect(page).to_have_title(re.compile(rf"^\({len(notes)}\) "), timeout=WAIT)
            assert page.evaluate("window.__tones") >= 1  # "late" is critical: it rang
            page.screenshot(path=str(ARTIFACTS / "notifications-queue.png"))

            page.get_by_role("button", name=re.compile("Notifications")).click()
            page.locator("div[class*='st-key-notify-open-'] button").first.click()
            expect(page.get_by_role("button", name="Back to the queue")).to_be_visible(timeout=WAIT)
            read = re.compile(rf"^\({len(notes)}\) ")
            expect(page).not_to_have_title(read, timeout=WAIT)  # the opened one's are read
            page.wait_for_timeout(500)
            assert len(page.evaluate("window.__notes")) == len(notes)  # nothing told twice
        finally:
            browser.close()
