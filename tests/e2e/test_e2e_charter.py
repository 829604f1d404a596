"""The charter editor in a real browser: Enter in a field saves no version; the button does, with its note.

A community manager types a target and presses Enter to confirm the figure, as in any form; the charter is a
governed document with a history, so a version is saved only by the button, with the "what and why" note.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from inbox.store.tables.enforcement import CharterVersion
from tests.support.config_copy import config_copy
from tests.support.e2e import browser_page, needs_chromium, sign_in

pytestmark = needs_chromium


@pytest.fixture
def desk_config(tmp_path: Path) -> Path:
    """The app saves the charter into its config folder: a copy, never the repository's."""
    return config_copy(tmp_path)


def _notes(engine: Any) -> list[str]:
    with Session(engine) as session:
        saved = session.exec(select(CharterVersion).where(CharterVersion.saved_by == "maya"))
        return [version.comment for version in saved]


def test_enter_in_a_target_saves_nothing_and_the_button_saves_with_its_note(
    desk_app: dict[str, Any], desk_config: Path
) -> None:
    from playwright.sync_api import expect

    charter = desk_config / "charter.toml"
    before = charter.read_text(encoding="utf-8")
    with browser_page("en-GB") as page:
        page.goto(desk_app["url"])
        sign_in(page, "maya", "maya-pw")
        page.goto(f"{desk_app['url']}/charter")
        target = page.get_by_label("Billing and payment")
        expect(target).to_be_visible()
        target.fill("20")
        target.press("Enter")
        time.sleep(3)  # a submitted form would have saved by now (the save is one transaction)
        assert _notes(desk_app["engine"]) == []
        assert charter.read_text(encoding="utf-8") == before
        expect(target).to_have_value("20")  # the figure typed is kept for the save

        note = page.get_by_role("textbox", name="What and why (required, kept in the history)").first
        note.fill("Billing within 20 minutes, asked by finance")
        note.press("Enter")
        time.sleep(3)
        assert _notes(desk_app["engine"]) == []
        page.get_by_role("button", name="Save as a new version").first.click()
        expect(page.get_by_text("Saved as version").first).to_be_visible()
    assert _notes(desk_app["engine"]) == ["Billing within 20 minutes, asked by finance"]
    assert "billing_payment = 20" in charter.read_text(encoding="utf-8")
