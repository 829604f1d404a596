"""A phone number or e-mail address a customer gave in a message they later edited away is still theirs:
erasing them redacts it in another customer's message that quotes it, however the number is written (real
listener on the X sandbox: the first version read, then the edit; SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from connectors.sandbox.x.server import XSandbox
from tests.support.privacy_flows import cli_on, every_value, inbox, listen_once


def test_details_given_in_an_earlier_version_are_erased_where_others_quote_them(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = cli_on(sandbox, tmp_path, db_url, monkeypatch)
    sandbox.add_user("janedoe77", name="Jane Doe")
    at = datetime.now(UTC) - timedelta(minutes=5)
    first = sandbox.add_mention(
        "@AcmeCare call me on 06 12 34 56 78 or write to jd.private@example.org",
        author="janedoe77",
        created_at=at,
    )
    listen_once(db_url, config, x_env, "--no-automation")
    sandbox.edit_tweet(first, "@AcmeCare please DM me instead", at=at + timedelta(seconds=30))
    sandbox.add_mention(
        "@AcmeCare her number is 0612345678, mail JD.Private@example.org",
        author="bobsmith",
        created_at=at + timedelta(minutes=1),
    )
    listen_once(db_url, config, x_env, "--no-automation")
    assert "0612345678" in every_value(engine)  # the check can fail
    code, _, err = inbox(
        capsys, "privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", "DSAR", "--yes"
    )
    assert code == 0, err
    stored = every_value(engine)
    assert "0612345678" not in stored and "jd.private" not in stored.lower()
    assert "her number is [erased], mail [erased]" in stored  # Bob's own words stay
