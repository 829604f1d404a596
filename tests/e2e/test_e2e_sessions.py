"""Sessions that survive a reload, in a real browser: sign in, reload, still signed in; sign out, reload,
signed out; an escalation link opened signed out lands on its conversation after sign-in; a deactivated agent
is signed out at the next reload. Issue #15.9.

`streamlit run app.py` on a free loopback port over a seeded database; headless Debian Chromium (Playwright).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from inbox.desk import accounts
from inbox.desk.web_sessions import COOKIE
from inbox.jobs.demo import seed_demo_users
from inbox.store.engine import open_engine
from inbox.store.tables import WebSession
from tests.conftest import ROOT
from tests.support.e2e import (
    Processes,
    app_ready,
    browser_page,
    free_port,
    launch_app,
    needs_chromium,
    sign_in,
)
from tests.support.seed_desk import Seeded, seed

pytestmark = needs_chromium


@pytest.fixture
def app(tmp_path: Path) -> Iterator[dict[str, Any]]:
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    seed_demo_users(db_url)  # migrates the schema
    engine = open_engine(db_url)
    seeded: Seeded = seed(engine, datetime.now(UTC))
    engine.dispose()
    env = {**os.environ, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(ROOT / "config")}
    env.pop("INBOX_DEMO", None)
    env.pop("INBOX_SESSION_SECRET", None)  # the key is generated on the first run
    procs = Processes(env, tmp_path)
    try:
        port = free_port()
        url = launch_app(procs, port)
        app_ready(procs, url)
        yield {"url": url, "seeded": seeded, "db": db_url, "procs": procs, "port": port}
    finally:
        procs.stop()


@pytest.fixture
def page(app: dict[str, Any]) -> Iterator[Any]:
    with browser_page() as tab:
        yield tab


def _cookie(page: Any) -> dict[str, Any] | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE), None)


def _sessions(db_url: str) -> list[WebSession]:
    engine = open_engine(db_url)
    with Session(engine) as session:
        rows = list(session.exec(select(WebSession)))
    engine.dispose()
    return rows


def test_a_reload_keeps_the_agent_signed_in_until_they_sign_out(app: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app["url"])
    sign_in(page, "agent", "agent")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    cookie = _cookie(page)
    assert cookie is not None and cookie["sameSite"] == "Strict" and cookie["expires"] > 0
    (row,) = _sessions(app["db"])
    assert row.revoked_at is None and cookie["value"].split(".")[0] not in row.token_hash

    page.reload()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    expect(page.get_by_text("signed in as agent")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    page.reload()
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    expect(page.get_by_role("heading", name="Queue")).to_have_count(0)
    (row,) = _sessions(app["db"])
    assert row.revoked_at is not None and row.revoked_why == "signed out"
    page.wait_for_function(f"!document.cookie.includes('{COOKIE}=')")


def test_an_escalation_link_opened_signed_out_lands_on_its_conversation(
    app: dict[str, Any], page: Any
) -> None:
    from playwright.sync_api import expect

    late = app["seeded"].conversations["late"]
    page.goto(f"{app['url']}/conversation?id={late}")
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    page.get_by_role("textbox", name="User name").fill("agent")
    page.get_by_role("textbox", name="Password").fill("agent")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("my parcel never arrived", exact=False).first).to_be_visible()
    expect(page.get_by_role("button", name="Back to the queue")).to_be_visible()
    assert page.url.endswith(f"/conversation?id={late}")


def test_a_deactivated_agent_is_signed_out_at_the_next_reload(app: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app["url"])
    sign_in(page, "agent", "agent")
    engine = open_engine(app["db"])
    with Session(engine) as session, session.begin():
        accounts.deactivate(session, accounts.OPERATOR, "agent", datetime.now(UTC))
    engine.dispose()
    page.reload()
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    (row,) = _sessions(app["db"])
    assert row.revoked_why == "deactivated"


def test_an_agent_cannot_open_the_audit_page_a_manager_can(app: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app['url']}/audit")
    sign_in_as = page.get_by_role("textbox", name="User name")
    sign_in_as.fill("agent")
    page.get_by_role("textbox", name="Password").fill("agent")
    page.get_by_role("button", name="Sign in").click()
    notice = page.locator(".st-key-not-allowed")  # who may open it, and the way back; not the log itself
    expect(notice).to_contain_text("This page is for community managers and admins")
    expect(page.locator(".st-key-audit-actor")).to_have_count(0)
    notice.get_by_role("link", name="Back to the queue").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    page.context.clear_cookies()  # another browser session
    page.goto(f"{app['url']}/audit")
    page.get_by_role("textbox", name="User name").fill("manager")
    page.get_by_role("textbox", name="Password").fill("manager")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()


def test_a_restarted_server_keeps_the_agent_signed_in(app: dict[str, Any], page: Any) -> None:
    """The WebSocket drops with the server; the page reconnects to a new one, which knows nobody's session
    state but reads the cookie."""
    from playwright.sync_api import expect

    page.goto(app["url"])
    sign_in(page, "agent", "agent")
    procs: Processes = app["procs"]
    procs.stop()  # the only process: the app
    procs.procs.clear()
    launch_app(procs, app["port"])
    app_ready(procs, app["url"])
    page.reload()
    expect(page.get_by_text("signed in as agent")).to_be_visible()
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)
