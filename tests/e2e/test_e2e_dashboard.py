"""The French dashboard in a real browser (#13.13): a manager's week drawn as charts (goal line, wait
distribution, heat map, sentiment, satisfaction), tables folded away, no raw column name or "None" shown.
Screenshot: test-artifacts/fr-dashboard.png (looked at by a person: nothing cut, nothing raw).

`streamlit run app.py` over a week of conversations written as production writes them (tests/support/
reports_seed.py's Story), headless Debian Chromium driven by Playwright with the fr-FR locale.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from inbox.charter.model import load_charter
from inbox.desk import preferences
from inbox.jobs.demo import seed_demo_users
from inbox.store.engine import open_engine
from inbox.store.tables import User
from tests.support.agent_day import add_survey
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
from tests.support.reports_seed import Story, write_config

pytestmark = needs_chromium
SENTIMENTS = ("negative", "neutral", "positive", None)
WAITS = (4, 12, 25, 45, 70, 130)  # minutes to the first answer, one conversation each, every day
RAW = re.compile(r"\b[a-z]+_[a-z_]+\b(?!\.csv)|\bNone\b")  # a snake_case name (not a CSV file's), or None


def seed_week(db_url: str, config: Path, now: datetime) -> None:
    """Six conversations a day for seven days, answered after ``WAITS``, half of them surveyed (CSAT); the
    demo's manager speaks French."""
    seed_demo_users(db_url)  # migrates the schema; the demo's manager signs in
    engine = open_engine(db_url)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, load_charter(config))
        s.channel("x-acme", "x")
        s.user("alice")
        for day in range(7):
            for n, wait in enumerate(WAITS):
                arrived = now - timedelta(days=day, hours=3 + 2 * n)
                conv = s.conversation("x-acme", f"c{day}-{n}")
                s.customer(conv, arrived, SENTIMENTS[(day + n) % 4])
                s.view(conv, "alice", arrived + timedelta(minutes=wait - 2))
                s.reply(
                    conv, "alice", arrived + timedelta(minutes=wait - 1), arrived + timedelta(minutes=wait)
                )
                s.resolve(conv, "alice", arrived + timedelta(minutes=wait + 5))
                if n % 2 == 0:
                    add_survey(
                        session, conv, "csat", 1 + (day + n) % 5, arrived + timedelta(minutes=wait + 10)
                    )
        manager = session.exec(select(User.id).where(User.name == "manager")).one()
        assert manager is not None
        preferences.set_language(session, manager, "fr", by="test", by_role="admin")
    engine.dispose()


@pytest.fixture
def dashboard_app(tmp_path: Path) -> Iterator[str]:
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    config = write_config(tmp_path / "config")
    seed_week(db_url, config, datetime.now(UTC))
    env = {**os.environ, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(config)}
    env.pop("INBOX_DEMO", None)
    procs = Processes(env, tmp_path)
    try:
        url = launch_app(procs, free_port())
        app_ready(procs, url)
        yield url
    finally:
        procs.stop()


def test_the_french_dashboard_is_charts_with_tables_one_click_away(dashboard_app: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(dashboard_app)
            expect(page.get_by_role("textbox", name="Mot de passe")).to_be_visible(timeout=90_000)
            page.get_by_role("textbox", name="Identifiant").fill("manager")
            page.get_by_role("textbox", name="Mot de passe").fill("manager")
            page.get_by_role("button", name="Se connecter").click()
            page.get_by_role("button", name="Pilotage").click()  # the managers' menu
            page.get_by_role("menuitem").filter(has_text="Tableau de bord").click()
            expect(page.get_by_role("heading", name="Tableau de bord du superviseur")).to_be_visible()
            charts = page.locator(".vega-embed")
            # SLA 2, volume 2, CSAT by day; reasons: mix, by day, attainment, times, CSAT by reason; agents
            expect(charts).to_have_count(11, timeout=60_000)
            page.set_viewport_size({"width": 1440, "height": 5200})  # the page scrolls inside: show it all
            page.wait_for_timeout(2500)  # the charts' own rendering at the new size
            page.screenshot(path=str(ARTIFACTS / "fr-dashboard.png"))
            main = page.locator("section.main, [data-testid='stMain']").first.inner_text()
            assert "Respect des délais par jour d'arrivée" in main and "En pointillés" in main
            assert RAW.findall(main) == [] and "unclassified" not in main
            expect(page.get_by_text("Tableaux et CSV").first).to_be_visible()
        finally:
            browser.close()
