"""What every entry point builds once: settings, the migrated engine, channels, classifier, lease holder."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from inbox.charter.deadlines import DuePolicy, default_due
from inbox.charter.model import Charter
from inbox.charter.versions import LiveCharter
from inbox.config.channels import ChannelsFile, load_channels
from inbox.config.loader import ConfigError
from inbox.ingest.channels import Runtime, build_runtimes
from inbox.ingest.leases import Worker
from inbox.ingest.page import Classifier
from inbox.settings import Settings
from inbox.store.engine import open_engine
from inbox.store.server_clock import ServerClock

log = logging.getLogger("inbox")


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    channels: ChannelsFile
    worker: Worker  # this process in stream leases (INBOX_WORKER_HOST, INBOX_LEASE_SECONDS)
    runtimes: list[Runtime] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    due: DuePolicy = default_due
    classifier: Classifier | None = None
    charter: Charter | None = None
    live: LiveCharter | None = None  # the newest charter version, re-read while the process runs
    clock: Callable[[], datetime] = field(default=_utcnow)  # the database server's time (ServerClock)


def config_dir(settings: Settings) -> Path:
    return settings.config_dir


def load_classifier(settings: Settings) -> Classifier | None:
    """The spaCy classifier, or None (with a warning) when the model cannot be loaded."""
    try:
        from inbox.nlp import load_classifier as load
    except ImportError:
        return None
    try:
        classifier: Classifier = load(config_dir(settings))
        return classifier
    except Exception as exc:  # noqa: BLE001 - a broken model must not stop listening
        log.warning("classification disabled: %s", exc)
        return None


def build(
    settings: Settings | None = None, *, with_channels: bool = True, with_nlp: bool = False
) -> AppContext:
    settings = settings or Settings()
    channels = load_channels(config_dir(settings))
    engine = open_engine(settings.database_url)
    live = LiveCharter(engine, config_dir(settings))  # newest version saved in the editor, else the file
    try:
        charter = live.current()
    except ConfigError:
        engine.dispose()
        raise
    ctx = AppContext(
        settings=settings,
        engine=engine,
        channels=channels,
        worker=Worker.from_settings(settings),
        charter=charter,
        due=live,
        live=live,
        clock=ServerClock(engine),
    )
    if with_channels:
        ctx.runtimes, ctx.problems = build_runtimes(channels.channels)
    if with_nlp:
        ctx.classifier = load_classifier(settings)
    return ctx
