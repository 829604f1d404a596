"""Driving the conversation page in Chromium as an agent does: open from the queue, pick a template, send."""

from __future__ import annotations

import re
from typing import Any

from tests.support.e2e import ARTIFACTS


def open_conversation(page: Any, channel: str, conv_id: int) -> None:
    """From the queue: filter on the channel with the Channel select, then open its one row."""
    from playwright.sync_api import expect

    back = page.get_by_role("button", name="Back to the queue")
    if back.count():
        back.click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    page.locator(".st-key-q-channel").click()
    page.keyboard.type(channel)
    page.keyboard.press("Enter")
    rows = page.locator("div[class*='st-key-open-']")
    expect(rows).to_have_count(1)
    expect(page.locator(f".st-key-open-{conv_id}")).to_be_visible()
    page.locator(f".st-key-open-{conv_id} button").click()
    expect(page.get_by_text("Reply as")).to_be_visible()


def selected_mode(page: Any, conv_id: int) -> Any:
    """The composer's "Reply as" choice currently selected."""
    return page.locator(f".st-key-composer-{conv_id}-mode").get_by_role("radio", checked=True)


def pick_template(page: Any, conv_id: int, search: str, expected: str) -> None:
    from playwright.sync_api import expect

    page.locator(f".st-key-composer-{conv_id}-template").click()
    page.keyboard.type(search)
    page.keyboard.press("Enter")
    expect(page.locator(f".st-key-composer-{conv_id}-draft textarea")).to_have_value(re.compile(expected))


def send(page: Any, conv_id: int, queued: str) -> None:
    """Send the draft, then see the composer confirm it and the thread show it delivered."""
    from playwright.sync_api import expect

    button = page.locator(f".st-key-send-{conv_id} button")
    expect(button).to_be_enabled()
    button.click()
    expect(page.get_by_text(queued)).to_be_visible(timeout=20_000)  # a rerun on a loaded machine
    expect(page.get_by_text("Delivered").first).to_be_visible(timeout=30_000)


def shot(page: Any, name: str) -> None:
    page.locator("[data-testid='stMain']").evaluate("el => el.scrollTo(0, 0)")
    page.wait_for_timeout(400)  # settle the last rerun's layout
    page.screenshot(path=str(ARTIFACTS / f"channels-{name}.png"), full_page=True)


def only(items: list[dict[str, Any]], what: str) -> dict[str, Any]:
    assert len(items) == 1, f"expected exactly one {what}, got {items}"
    return items[0]


def in_thread(page: Any, text: str) -> Any:
    """The customer's message in the thread (the classification panel beside it quotes it too)."""
    return page.get_by_test_id("stChatMessageContent").get_by_text(text)
