"""A message nobody reads before it goes out (here the automatic move to private messages, posted in public
in the brand's name) says the customer's name only when it reads as one: a display name that would mention
someone else or advertise is replaced by the customer's handle (real classifier, automation, X sandbox)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from connectors.sandbox.x.server import XSandbox
from inbox.automation.tick import run_automation
from inbox.charter.deadlines import CharterDue
from inbox.ingest.poll import poll_channel
from tests.conftest import ROOT
from tests.support.clock import Clock
from tests.support.enforcement import MINUTE, PARIS_MONDAY_10, charter, drain, templates
from tests.support.x_channel import x_runtime


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


def test_the_automatic_public_reply_never_publishes_a_display_name_that_is_no_name(
    engine: Engine, sandbox: XSandbox, classifier: Any, x_env: dict[str, str]
) -> None:
    at, c = PARIS_MONDAY_10, charter()  # the repository's charter: billing moves to private messages
    sandbox.add_user("ann", name="Ann 🌸")
    sandbox.add_user("troll", name="@BigNews check evil.example")
    for author in ("ann", "troll"):
        sandbox.add_mention(
            "@AcmeCare you charged me twice this month, I want a refund", author=author, created_at=at
        )
    rt = x_runtime(sandbox)
    now = at + 2 * MINUTE
    poll_channel(engine, rt, clock=Clock(now), due=CharterDue(c), classifier=classifier)
    assert run_automation(engine, c, now, templates=templates()).moved_private == 2
    drain(engine, rt, now + MINUTE)
    public = {t["text"].split()[0].lstrip("@"): t["text"] for t in sandbox.sent_tweets}
    assert "We'd like to help, Ann, but" in public["ann"]
    assert "We'd like to help, troll, but" in public["troll"]
    assert "BigNews" not in public["troll"] and "evil.example" not in public["troll"]
