"""End to end in a real browser: an agent signs in, opens the most urgent conversation, sends a templated
public reply, and the X sandbox receives exactly one reply tweet in the right thread.

Real processes on loopback: `streamlit run app.py` and `inbox listen` as subprocesses, talking over HTTP to
the X sandbox; headless Debian Chromium driven by Playwright. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from inbox.desk.queue import Filters, queue_page
from inbox.jobs.demo import SANDBOX_ENV, seed_demo_users
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, Message
from tests.conftest import ROOT, x_channel_only
from tests.support.e2e import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    TRAP,
    Processes,
    free_port,
    get_json,
    http_ok,
    needs_chromium,
    post_json,
)
from tests.support.eventually import eventually

pytestmark = needs_chromium


def config_dir(tmp_path: Path, sandbox_url: str) -> Path:
    """A copy of config/ with the X channel alone, on the sandbox, with a short poll interval."""
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    channels = (cfg / "channels.toml").read_text(encoding="utf-8")
    channels = x_channel_only(channels)
    channels = channels.replace('base_url = "http://127.0.0.1:8701"', f'base_url = "{sandbox_url}"')
    channels = channels.replace("poll_interval_seconds = 20", "poll_interval_seconds = 1")
    (cfg / "channels.toml").write_text(channels, encoding="utf-8")
    return cfg


CUSTOMER_TWEETS = [
    ("@AcmeCare my parcel was due on Monday and is still not here, nobody answers. Where is it??", "paula_r"),
    ("@AcmeCare hi, do you deliver to Belgium?", "tom_b"),
    ("@AcmeCare love the new app, great job", "zoe_k"),
    (f"@AcmeCare see ![x]({TRAP}/pixel.png) <img src={TRAP}/x.png> **now**", "mallory_x"),
]


CUSTOMER_DM = "Hello, I can't log in to my account since this morning"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """X sandbox, `inbox listen` and `streamlit run app.py` on free loopback ports, on a fresh database."""
    sandbox_port, app_port = free_port(), free_port()
    sandbox_url, db_url = f"http://127.0.0.1:{sandbox_port}", f"sqlite:///{tmp_path / 'inbox.db'}"
    env = {
        **os.environ,
        **SANDBOX_ENV,
        "INBOX_DATABASE_URL": db_url,
        "INBOX_DEMO": "1",
        "INBOX_CONFIG_DIR": str(config_dir(tmp_path, sandbox_url)),
    }
    assert seed_demo_users(db_url) == [
        "agent",
        "manager",
        "admin",
    ]  # also migrates the schema before the children start
    procs = Processes(env, tmp_path)
    try:
        procs.start(
            "sandbox", "-m", "inbox.cli.main", "sandbox", "x", "--port", str(sandbox_port), "--no-replay"
        )
        procs.eventually(
            lambda: http_ok(f"{sandbox_url}/_sandbox/state"), timeout=30, message="the X sandbox"
        )
        for text, author in CUSTOMER_TWEETS:
            post_json(f"{sandbox_url}/_sandbox/mentions", {"text": text, "author": author})
        # Only the agent's path: out-of-hours and peak replies follow the clock (tests/flows/test_automation*)
        procs.start("listen", "-m", "inbox.cli.main", "listen", "--no-automation")
        procs.start(
            "app",
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(app_port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        )
        procs.eventually(
            lambda: http_ok(f"http://127.0.0.1:{app_port}/_stcore/health"),
            timeout=60,
            message="the Streamlit app",
        )
        yield {"app": f"http://127.0.0.1:{app_port}", "sandbox": sandbox_url, "db": db_url, "procs": procs}
    finally:
        procs.stop()


def _open_conversations(db_url: str) -> list[int]:
    engine = open_engine(db_url)
    with Session(engine) as session:
        ids = [r.id for r in queue_page(session, Filters(), user_id=None, now=datetime.now(UTC)).rows]
    engine.dispose()
    return ids


def _last_inbound(db_url: str, conv_id: int) -> tuple[str, Conversation]:
    engine = open_engine(db_url)
    with Session(engine, expire_on_commit=False) as session:
        message = session.exec(
            select(Message)
            .where(Message.conversation_id == conv_id, Message.direction == "in")
            .order_by(col(Message.created_at).desc())
        ).first()
        conv = session.get(Conversation, conv_id)
    engine.dispose()
    assert message is not None and conv is not None
    return message.platform_id, conv


def test_agent_answers_the_most_urgent_tweet_from_a_template(stack: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    db, procs = stack["db"], stack["procs"]
    eventually(
        lambda: len(_open_conversations(db)) == len(CUSTOMER_TWEETS),
        timeout=60,
        message="the listener to store the tweets",
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            trapped: list[str] = []
            page.on("request", lambda r: trapped.append(r.url) if r.url.startswith(TRAP) else None)
            page.set_default_timeout(30_000)
            page.goto(stack["app"])
            expect(page.get_by_text("Demo mode.")).to_be_visible()
            expect(page.get_by_role("textbox", name="Password")).to_be_visible()
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / "sign-in.png"))
            page.get_by_role("textbox", name="User name").fill("agent")
            page.get_by_role("textbox", name="Password").fill("agent")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Queue")).to_be_visible()
            rows = page.locator("div[class*='st-key-open-']")
            expect(rows).to_have_count(len(CUSTOMER_TWEETS))
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=True)
            expect(
                page.get_by_text(CUSTOMER_TWEETS[-1][0], exact=True)
            ).to_be_visible()  # shown as the characters it is
            assert page.locator(f"img[src^='{TRAP}']").count() == 0 and trapped == []

            most_urgent = _open_conversations(db)[0]
            first_key = next(
                c for c in (rows.first.get_attribute("class") or "").split() if c.startswith("st-key-open-")
            )
            assert first_key == f"st-key-open-{most_urgent}", (
                "the queue's first row is the most urgent conversation"
            )
            rows.first.get_by_role("button").click()

            expect(page.get_by_text("Reply as")).to_be_visible()
            page.locator(f".st-key-composer-{most_urgent}-template").click()
            page.keyboard.type("Acknowledge")
            page.keyboard.press("Enter")
            draft = page.locator(f".st-key-composer-{most_urgent}-draft textarea")
            expect(draft).to_have_value(re.compile(r"thanks for reaching out! .* \^Alex$"))  # a name, no role
            page.locator(f".st-key-send-{most_urgent} button").click()
            expect(page.get_by_text("Public reply queued")).to_be_visible()

            in_reply_to, _ = _last_inbound(db, most_urgent)
            sent = eventually(
                lambda: get_json(f"{stack['sandbox']}/_sandbox/sent")["tweets"],
                timeout=30,
                message="the reply tweet",
            )
            expect(page.get_by_text("Delivered").first).to_be_visible(timeout=30_000)
            reads = get_json(f"{stack['sandbox']}/_sandbox/state")["requests"]
            procs.eventually(  # mentions and DMs read at least three more times: still exactly one reply
                lambda: get_json(f"{stack['sandbox']}/_sandbox/state")["requests"] >= reads + 6,
                timeout=30,
                message="three more listener cycles after the delivery",
            )
            procs.alive()
            sent = get_json(f"{stack['sandbox']}/_sandbox/sent")
            assert len(sent["tweets"]) == 1 and sent["dms"] == []
            assert sent["tweets"][0]["in_reply_to"] == in_reply_to
            assert "thanks for reaching out" in sent["tweets"][0]["text"]
            expect(page.get_by_text("No SLA clock running")).to_be_visible(timeout=30_000)
            expect(draft).to_have_value("")  # the composer is empty again, ready for the next reply
            expect(page.locator(f".st-key-composer-{most_urgent}-template")).not_to_contain_text(
                "Acknowledge"
            )
            page.set_viewport_size({"width": 1440, "height": 1500})
            page.locator("[data-testid='stMain']").evaluate("el => el.scrollTo(0, 0)")
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "conversation.png"))
            post_json(f"{stack['sandbox']}/_sandbox/dms", {"text": CUSTOMER_DM, "sender": "lea_m"})
            answer_the_dm(page, db)
            eventually(
                lambda: get_json(f"{stack['sandbox']}/_sandbox/sent")["dms"],
                timeout=30,
                message="the private reply",
            )
            sent = get_json(f"{stack['sandbox']}/_sandbox/sent")
            assert len(sent["tweets"]) == 1 and len(sent["dms"]) == 1
            assert "We will never ask for your password" in sent["dms"][0]["text"]
        finally:
            browser.close()
    _, conv = _last_inbound(db, most_urgent)
    assert conv.first_response_at is not None and conv.sla_due_at is None  # the SLA clock stopped


def _private_conversation(db_url: str) -> int | None:
    engine = open_engine(db_url)
    with Session(engine) as session:
        conv_id = session.exec(select(Conversation.id).where(Conversation.visibility == "private")).first()
    engine.dispose()
    return conv_id


def answer_the_dm(page: Any, db_url: str) -> None:
    """Back to the queue, open the DM conversation and answer it privately from a template."""
    from playwright.sync_api import expect

    conv_id = eventually(
        lambda: _private_conversation(db_url), timeout=60, message="the listener to store the DM"
    )
    page.get_by_role("button", name="Back to the queue").click()
    try:
        page.locator(f".st-key-open-{conv_id} button").click(timeout=30_000)  # comes with the queue's refresh
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "dm-missing.png"), full_page=True)
        raise
    expect(page.get_by_text("Private DM").first).to_be_visible()
    page.locator(f".st-key-composer-{conv_id}-template").click()
    page.keyboard.type("account access")
    page.keyboard.press("Enter")
    draft = page.locator(f".st-key-composer-{conv_id}-draft textarea")
    expect(draft).to_have_value(re.compile(r"We will never ask for your password"))
    page.locator(f".st-key-send-{conv_id} button").click()
    expect(page.get_by_text("Private message queued")).to_be_visible()
