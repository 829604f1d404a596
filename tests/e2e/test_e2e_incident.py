"""End to end in a real browser, issue 17's "done means" for incidents: a burst of similar mentions on X and
Mastodon (the sandboxes' control APIs), read by `inbox listen` (the real classifier); a manager declares the
incident on the Incidents page, adds the conversations it proposes, approves one reply per language, and each
customer gets exactly one reply, delivered by the listener's outbox.

Real processes on loopback: the X and Mastodon sandboxes, `inbox listen` (no automation: no out-of-hours reply
mixes in at night) and `streamlit run app.py`; headless Debian Chromium driven by Playwright.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inbox.jobs.demo import SANDBOX_ENV, seed_demo_users
from tests.conftest import ROOT
from tests.support.e2e import (
    Processes,
    app_ready,
    browser_page,
    free_port,
    get_json,
    http_ok,
    launch_app,
    needs_chromium,
    post_json,
    sign_in,
)

pytestmark = needs_chromium

SHIPPED = {"x-acme": "http://127.0.0.1:8701", "mastodon-acme": "http://127.0.0.1:8702"}
BURST = [  # (network, author, text)
    ("x", "camille", "@AcmeCare encore une panne internet à Lyon, plus de connexion depuis ce matin"),
    ("x", "hugo", "@AcmeCare ma box est en panne, pas d'internet dans tout Lyon !"),
    ("mastodon", "lea", "Panne internet à Lyon ?? la box ne se connecte plus du tout"),
    ("mastodon", "paul", "Plus de connexion internet à Lyon depuis 8h, une panne chez vous ?"),
]
UNRELATED = ("x", "bob", "@AcmeCare my parcel never arrived, order 1234 is still not here")


def config_dir(tmp_path: Path, urls: dict[str, str]) -> Path:
    """The shipped config cut to the X and Mastodon channels, each on its sandbox, polling every second."""
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    header, *tables = (cfg / "channels.toml").read_text(encoding="utf-8").split("\n[[channels]]\n")
    kept = []
    for table in tables:
        name = re.search(r'^name = "([^"]+)"', table, re.M)
        if name is None or name[1] not in SHIPPED:
            continue
        table = table.split("\n\n#", 1)[0].replace(SHIPPED[name[1]], urls[name[1]])
        kept.append(re.sub(r"poll_interval_seconds = \d+", "poll_interval_seconds = 1", table))
    assert len(kept) == 2, "config/channels.toml lacks x-acme or mastodon-acme"
    (cfg / "channels.toml").write_text("\n[[channels]]\n".join([header, *kept]) + "\n", encoding="utf-8")
    return cfg


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    ports = {name: free_port() for name in ("x-acme", "mastodon-acme", "app")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    env = {**os.environ, **SANDBOX_ENV, "INBOX_DATABASE_URL": db_url, "INBOX_DEMO": "1"}
    env["INBOX_CONFIG_DIR"] = str(config_dir(tmp_path, urls))
    assert seed_demo_users(db_url) == ["agent", "manager", "admin"]
    procs = Processes(env, tmp_path)
    try:
        launch_app(procs, ports["app"])
        for name, platform in (("x-acme", "x"), ("mastodon-acme", "mastodon")):
            procs.start(
                platform,
                "-m",
                "inbox.cli.main",
                "sandbox",
                platform,
                "--port",
                str(ports[name]),
                "--no-replay",
            )
        procs.eventually(
            lambda: all(http_ok(f"{urls[n]}/_sandbox/state") for n in SHIPPED),
            timeout=30,
            message="sandboxes",
        )
        procs.start("listen", "-m", "inbox.cli.main", "listen", "--no-automation")
        app_ready(procs, urls["app"])
        yield {**urls, "procs": procs}
    finally:
        procs.stop()


def write(stack: dict[str, Any], network: str, author: str, text: str) -> str:
    if network == "x":
        return str(
            post_json(f"{stack['x-acme']}/_sandbox/mentions", {"text": text, "author": author, "lang": "fr"})[
                "id"
            ]
        )
    body = {"text": text, "author": author, "language": "fr"}
    return str(post_json(f"{stack['mastodon-acme']}/_sandbox/mentions", body)["id"])


def replies(stack: dict[str, Any]) -> Counter[str]:
    """How many brand replies each customer post got, on both networks."""
    tweets = get_json(f"{stack['x-acme']}/_sandbox/sent")["tweets"]
    statuses = get_json(f"{stack['mastodon-acme']}/_sandbox/sent")["statuses"]
    return Counter([t["in_reply_to"] for t in tweets] + [s["in_reply_to_id"] for s in statuses])


def test_a_manager_answers_a_burst_on_two_networks_once_each(stack: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    posts = {author: write(stack, net, author, text) for net, author, text in BURST}
    unrelated = write(stack, *UNRELATED)
    procs = stack["procs"]
    with browser_page() as page:
        page.goto(stack["app"])
        expect(page.get_by_role("textbox", name="Password")).to_be_visible(timeout=60_000)  # first run: slow
        sign_in(page, "manager", "manager")
        page.get_by_role("button", name="Management").click()  # the managers' menu
        page.get_by_role("menuitem").filter(has_text="Incidents").click()
        expect(page.get_by_role("heading", name="Incidents")).to_be_visible()
        page.get_by_text("Declare an incident").click()
        title, desc = page.locator(".st-key-inc-title input"), page.locator(".st-key-inc-desc textarea")
        expect(title).to_be_editable()  # the form the click drew, not one a rerun is replacing
        title.fill("Panne internet Lyon")
        desc.fill("Plus d'internet ni de connexion sur les box à Lyon")
        expect(title).to_have_value("Panne internet Lyon")
        desc.press("Tab")  # a text area's value reaches the app when it loses focus
        page.locator(".st-key-inc-declare button").click()
        expect(page.get_by_text("Incident declared")).to_be_visible()
        ticked = page.locator("[class*='st-key-cand-1-'] input:checked")
        procs.eventually(  # the listener reads the burst within seconds; the page lists it on a rerun
            lambda: page.locator(".st-key-inc-save-1 button").click() or ticked.count() == len(BURST),
            timeout=90,
            message="the burst proposed",
        )
        page.locator(".st-key-inc-add-1 button").click()
        expect(page.get_by_text("4 conversations added to the incident.")).to_be_visible()
        page.get_by_role("tab", name="Reply").click()
        # The burst is French and public: one box for its four conversations. Wait for it: the "added"
        # message is drawn before the run reaches the tabs, and a box counted too early is never filled.
        box = page.get_by_role("textbox", name="French · Public (4 conversations waiting)")
        expect(box).to_be_visible()
        expect(page.locator("[class*='st-key-inc-text-reply-1-'] textarea")).to_have_count(1)
        box.fill("Une panne touche l'internet à Lyon : nos équipes interviennent.")
        box.press("Tab")
        # Leaving a box reruns the page without the "added" message; the Reply tab must stay open
        # (it used to jump back to the first tab when the message above the tabs went away).
        page.wait_for_timeout(3000)
        expect(page.get_by_role("tab", name="Reply")).to_have_attribute("aria-selected", "true")
        page.locator(".st-key-inc-send-reply-1 button").click()
        expect(
            page.get_by_text(re.compile(r"Reply approved and sent\. 4 messages queued, 0 skipped\."))
        ).to_be_visible()

    def delivered() -> Counter[str] | None:
        found = replies(stack)
        return found if sum(found.values()) >= len(BURST) else None

    sent = procs.eventually(delivered, timeout=60, message="the replies delivered")
    assert sent == Counter(posts.values()) and unrelated not in sent
