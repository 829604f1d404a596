"""A French admin reads a stream's last error on the Channels page in French, in a real browser: what
happened and what to do, the connector's English folded as a technical detail. Screenshot:
test-artifacts/fr-channel-errors.png.

The X sandbox in process (real tweepy, the listener's poll with a refused token on mentions and a rate
limit on DMs), `streamlit run app.py` on a free loopback port, headless Debian Chromium with the fr-FR
locale driven by Playwright.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import load_channels
from inbox.desk import preferences
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import poll_channel
from inbox.jobs.demo import seed_demo_users
from inbox.store.engine import open_engine
from inbox.store.tables import User
from tests.conftest import BRAND_ID, ROOT, X_ENV
from tests.support.e2e import (
    ARTIFACTS,
    Processes,
    app_ready,
    browser_page,
    free_port,
    launch_app,
    needs_chromium,
)
from tests.ui.test_ui_channels import CHANNEL

pytestmark = needs_chromium


def _polled_with_errors(tmp_path: Path, sandbox: XSandbox) -> tuple[str, Path]:
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    (folder / "channels.toml").write_text(CHANNEL.format(url=sandbox.url), encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    seed_demo_users(db_url)  # migrates the schema; admin/admin
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        admin = session.exec(select(User).where(User.name == "admin")).one()
        preferences.set_language(session, admin.id or 0, "fr", by="test", by_role="admin")
    sandbox.inject_fault("/2/users/", status=401, count=1)
    sandbox.inject_fault("/2/dm_events", status=429, count=1)
    [cfg] = load_channels(folder).channels
    poll_channel(engine, Runtime(cfg, build_connector(cfg)), clock=lambda: datetime.now(UTC), due=default_due)
    engine.dispose()
    return db_url, folder


def test_a_french_admin_reads_the_streams_errors_in_french(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    for key, value in X_ENV.items():
        monkeypatch.setenv(key, value)
    ARTIFACTS.mkdir(exist_ok=True)
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sandbox:
        db_url, folder = _polled_with_errors(tmp_path, sandbox)
        env = {**os.environ, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(folder)}
        env.pop("INBOX_DEMO", None)
        procs = Processes(env, tmp_path)
        try:
            url = launch_app(procs, free_port())
            app_ready(procs, url)
            with browser_page("fr-FR") as page:
                page.goto(url)
                expect(page.get_by_role("textbox", name="Mot de passe")).to_be_visible(timeout=90_000)
                page.get_by_role("textbox", name="Identifiant").fill("admin")
                page.get_by_role("textbox", name="Mot de passe").fill("admin")
                page.get_by_role("button", name="Se connecter").click()
                expect(page.get_by_role("heading", name="File d'attente")).to_be_visible()
                page.goto(f"{url}/channels")
                alerts = page.locator("[data-testid='stAlert']")
                expect(
                    alerts.filter(has_text="La plateforme a refusé les identifiants du canal.")
                ).to_be_visible()
                expect(
                    alerts.filter(has_text="La limite de débit de la plateforme est atteinte.")
                ).to_be_visible()
                expect(page.get_by_text("Détail technique").first).to_be_visible()
                details = page.locator("summary").filter(has_text="Détail technique")
                expect(details).to_have_count(2)
                for n in range(2):
                    details.nth(n).click()
                expect(page.locator("code").filter(has_text="AuthFailed: ")).to_be_visible()
                expect(page.locator("code").filter(has_text="RateLimited: ")).to_be_visible()
                page.wait_for_timeout(500)
                page.screenshot(path=str(ARTIFACTS / "fr-channel-errors.png"), full_page=True)
                body = page.locator("main").inner_text()
                assert "Rien à faire" in body and "Vérifiez les identifiants" in body
        finally:
            procs.stop()
