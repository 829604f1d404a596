"""The queue's filters in the address bar, in Chromium: a filter chosen shows in the address, a reload keeps
it, and a link to a filtered queue opened signed out shows that queue after sign-in."""

from __future__ import annotations

from typing import Any

from tests.support.e2e import browser_page, needs_chromium, sign_in

pytestmark = needs_chromium


def test_a_filtered_queue_survives_a_reload_and_is_a_link(desk_app: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    url = desk_app["url"]
    with browser_page("en-GB") as page:
        page.goto(url)
        sign_in(page, "alice", "alice-pw")
        status = page.locator("[data-testid='stSelectbox']").filter(has_text="Status").first.locator("input")
        status.click()
        page.get_by_role("option", name="Pending", exact=True).click()
        page.wait_for_url(f"{url}/?status=pending")
        page.reload()
        expect(status).to_have_value("Pending")
        assert page.url == f"{url}/?status=pending"

    with browser_page("en-GB") as page:  # another browser, signed out: the link a manager sent
        page.goto(f"{url}/?status=pending")
        sign_in(page, "alice", "alice-pw")
        status = page.locator("[data-testid='stSelectbox']").filter(has_text="Status").first.locator("input")
        expect(status).to_have_value("Pending")
        assert page.url == f"{url}/?status=pending"
