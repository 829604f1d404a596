"""The X channel x-acme on the X sandbox, as the flow tests drive it: credential names, a runtime, a poll."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import StreamReport, poll_channel
from tests.support.clock import Clock

CREDENTIALS = {  # the environment variables holding each credential (tests/conftest.py::X_ENV sets them)
    "bearer_token": "X_BEARER_TOKEN",
    "consumer_key": "X_CONSUMER_KEY",
    "consumer_secret": "X_CONSUMER_SECRET",
    "access_token": "X_ACCESS_TOKEN",
    "access_token_secret": "X_ACCESS_TOKEN_SECRET",
}


def x_runtime(
    sandbox: XSandbox, *, page_size: int = 100, budget: int | None = None, listening: Sequence[str] = ()
) -> Runtime:
    """The channel as ``config/channels.toml`` would declare it, pointed at ``sandbox``."""
    cfg = ChannelConfig(
        name="x-acme",
        platform="x",
        account="AcmeCare",
        base_url=sandbox.url,
        page_size=page_size,
        monthly_read_budget=budget,
        credentials=CREDENTIALS,
        listening=list(listening),
    )
    return Runtime(cfg, build_connector(cfg))


def poll(engine: Engine, rt: Runtime, clock: Clock | None = None) -> dict[str, StreamReport]:
    """One poll of every stream of ``rt`` with the default due times; the reports by stream."""
    reports = poll_channel(engine, rt, clock=clock or Clock(), due=default_due)
    return {r.stream: r for r in reports}
