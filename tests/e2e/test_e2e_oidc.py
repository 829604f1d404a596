"""Signing in through the team's identity provider (st.login, OpenID Connect), offered beside local accounts
(#15.9): the provider's agent@acme.test opens the local account agent, the sign-in survives a reload and ends
with sign-out; a conversation's link opened signed out opens after the provider's round trip; an address that
opens no account is refused and audited without the address.

`streamlit run app.py` with an ``[auth]`` secrets file pointing at a loopback OIDC provider
(tests/support/oidc.py); headless Debian Chromium (Playwright).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from inbox.desk.return_to import COOKIE
from inbox.jobs.demo import seed_demo_users
from inbox.store.engine import open_engine
from inbox.store.tables import AuditEvent
from tests.conftest import ROOT
from tests.support.e2e import Processes, app_ready, browser_page, free_port, launch_app, needs_chromium
from tests.support.oidc import CLIENT_ID, CLIENT_SECRET, Provider
from tests.support.seed_desk import seed

pytestmark = needs_chromium
LOGIN = "Sign in with your organisation's account"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[dict[str, Any]]:
    db_url, port = f"sqlite:///{tmp_path / 'inbox.db'}", free_port()
    seed_demo_users(db_url)  # migrates the schema
    engine = open_engine(db_url)
    late = seed(engine, datetime.now(UTC)).conversations["late"]
    engine.dispose()
    with Provider() as idp:
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-test-cookie-secret-of-some-length"\n'
            f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{idp.url}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(ROOT / "config")}
        env |= {"INBOX_OIDC_DOMAIN": "acme.test"}
        procs = Processes(env, tmp_path)
        try:
            url = launch_app(procs, port, "--secrets.files", str(secrets_file))
            app_ready(procs, url)
            yield {"url": url, "idp": idp, "db": db_url, "procs": procs, "late": late}
        finally:
            procs.stop()


@pytest.fixture
def page(app: dict[str, Any]) -> Iterator[Any]:
    with browser_page() as tab:
        yield tab


def _failures(db_url: str) -> list[dict[str, Any]]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        stmt = (
            select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed").order_by(col(AuditEvent.id))
        )
        rows = [{"actor": e.actor, **e.detail} for e in s.exec(stmt)]
    engine.dispose()
    return rows


def test_the_identity_provider_signs_the_agent_in_across_reloads(app: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app["url"])
    page.get_by_role("button", name=LOGIN).click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    expect(page.get_by_text("signed in as agent")).to_be_visible()
    page.reload()
    expect(page.get_by_text("signed in as agent")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name=LOGIN)).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name=LOGIN)).to_be_visible()
    expect(page.get_by_role("heading", name="Queue")).to_have_count(0)


def test_a_link_opened_signed_out_opens_after_the_provider(app: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app['url']}/conversation?id={app['late']}")
    page.get_by_role("button", name=LOGIN).click()
    expect(page.get_by_role("button", name="Back to the queue")).to_be_visible()  # not the queue
    expect(page.get_by_text("my parcel never arrived", exact=False).first).to_be_visible()
    assert page.url.endswith(f"/conversation?id={app['late']}")
    assert COOKIE not in {c["name"] for c in page.context.cookies()}  # used once
    page.goto(app["url"])
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()


def test_an_address_that_opens_no_account_is_refused(app: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    app["idp"].email = "someone.else@acme.test"
    page.goto(app["url"])
    page.get_by_role("button", name=LOGIN).click()
    expect(page.get_by_text("opens no active account here")).to_be_visible()
    expect(page.get_by_role("heading", name="Queue")).to_have_count(0)
    assert _failures(app["db"]) == [{"actor": "unknown user", "reason": "unknown identity", "via": "oidc"}]
