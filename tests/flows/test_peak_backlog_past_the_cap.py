"""The peak plan's backlog and its count of late conversations are every one, also past the late clocks the
tick reads (``open_clocks.MAX_CLOCKS``): the banner's "N conversations waiting, M at risk or late" holds
when a backlog of late conversations outgrows what one tick looks at (real ingestion, X sandbox)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.sandbox.x.server import XSandbox
from inbox.automation.peak import peak_status
from inbox.automation.tick import run_automation
from inbox.charter import open_clocks
from tests.support.enforcement import MINUTE, PARIS_MONDAY_10, charter, poll, templates
from tests.support.x_channel import x_runtime


def test_the_peak_plan_counts_every_late_conversation(
    engine: Engine, sandbox: XSandbox, x_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    c = charter(**{"peak.backlog_at_least": 3, "peak.forecast_breaches_at_least": None})
    for n in range(5):
        sandbox.add_mention(f"@AcmeCare panne {n}", author=f"late{n}", created_at=PARIS_MONDAY_10, lang="fr")
    rt = x_runtime(sandbox)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, c)
    sandbox.add_mention("@AcmeCare et moi ?", author="new", created_at=PARIS_MONDAY_10 + 90 * MINUTE)
    poll(engine, rt, PARIS_MONDAY_10 + 91 * MINUTE, c)
    monkeypatch.setattr(open_clocks, "MAX_CLOCKS", 2)  # the tick reads 2 of the 5 late clocks
    at = PARIS_MONDAY_10 + 95 * MINUTE
    assert run_automation(engine, c, at, templates=templates()).peak_active
    with Session(engine) as s:
        status = peak_status(s, c, at)
    assert (status.backlog, status.forecast_breaches) == (6, 5)  # 5 late (due 11:00) and 1 on track
