"""Contact reasons end to end (issue #18): tweets arrive through the X sandbox and the real classifier, the
message and its conversation keep the reason, the queue filters on it, `inbox classify` prints it,
`inbox reclassify` fills it again, the report gives the reason mix per channel, the queue page has a Reason
filter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.charter.model import load_charter
from inbox.cli.nlp import register
from inbox.desk.queue import Filters, filter_options, queue_page
from inbox.ingest.poll import poll_channel
from inbox.jobs.reclassify import reclassify_all
from inbox.nlp import Classifier, load_classifier
from inbox.reports.period import custom
from inbox.reports.report import attainment_windows, live_report, period_report
from inbox.reports.tables import all_tables, to_json
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, Message
from tests.support.clock import Clock
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, queue_ids, seeded_app
from tests.support.x_channel import x_runtime

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
MENTIONS = {
    "ann": "@AcmeCare you charged me twice this month, I want a refund",
    "bob": "@AcmeCare my package never arrived and the tracking says delivered",
    "chloe": "@AcmeCare Je veux résilier mon abonnement, je pars à la concurrence",
}


@pytest.fixture(scope="module")
def clf() -> Iterator[Classifier]:
    yield load_classifier(ROOT / "config")


@pytest.fixture
def ingested(engine: Engine, x_env: dict[str, str], sandbox: XSandbox, clf: Classifier) -> Engine:
    for handle, body in MENTIONS.items():
        sandbox.add_user(handle, name=handle.title())
        sandbox.add_mention(body, author=handle)
    poll_channel(engine, x_runtime(sandbox), clock=Clock(), due=default_due, classifier=clf)
    return engine


def _stored(engine: Engine) -> dict[str, tuple[str | None, str | None, dict[str, float]]]:
    with Session(engine) as s:
        rows = s.exec(select(Message, Conversation).join(Conversation)).all()
        return {m.author_handle or "": (m.reason, c.reason, dict(m.reason_scores)) for m, c in rows}


def test_messages_and_conversations_keep_their_reason(ingested: Engine) -> None:
    stored = _stored(ingested)
    assert {h: (m, c) for h, (m, c, _) in stored.items()} == {
        "ann": ("billing_payment", "billing_payment"),
        "bob": ("delivery_order", "delivery_order"),
        "chloe": ("cancellation", "cancellation"),  # French: phrase rules
    }
    assert all(abs(sum(scores.values()) - 1) < 1e-3 for _, _, scores in stored.values())


def test_the_queue_filters_on_the_reason(ingested: Engine) -> None:
    with Session(ingested) as s:
        assert set(filter_options(s)["reason"]) >= {"billing_payment", "delivery_order"}
        rows = queue_page(s, Filters(reason="delivery_order", status="all"), user_id=None, now=NOW).rows
        none = queue_page(s, Filters(reason="travel_booking", status="all"), user_id=None, now=NOW).rows
    assert [(r.handle, r.reason) for r in rows] == [("bob", "delivery_order")]
    assert none == []


def test_reclassify_fills_a_reason_stored_before_the_migration(ingested: Engine, clf: Classifier) -> None:
    with Session(ingested) as s, s.begin():
        for m in s.exec(select(Message)).all():
            m.reason, m.reason_scores = None, {}
        for c in s.exec(select(Conversation)).all():
            c.reason = None
    reclassify_all(ingested, clf.classify)
    assert _stored(ingested)["bob"][:2] == ("delivery_order", "delivery_order")


def test_inbox_classify_prints_the_reason_and_its_scores() -> None:
    app = typer.Typer()
    register(app)
    out = CliRunner().invoke(
        app,
        ["classify", "--config-dir", str(ROOT / "config")],
        input="my flight to Boston was cancelled, I need a new booking\nMa commande n'est jamais arrivée\n",
    )
    assert out.exit_code == 0, out.output
    first, second = (json.loads(line) for line in out.output.splitlines())
    assert (first["reason"], second["reason"]) == ("travel_booking", "delivery_order")
    assert max(first["reason_scores"], key=first["reason_scores"].__getitem__) == "travel_booking"


def test_the_report_gives_the_reason_mix_per_channel(ingested: Engine) -> None:
    charter, now = load_charter(ROOT / "config"), datetime.now(UTC)
    period = custom(now.date().replace(year=now.year - 1), now.date().replace(year=now.year + 1), UTC)
    with Session(ingested) as session:
        tables = all_tables(
            period_report(session, charter, period, now),
            live_report(session, charter, now),
            attainment_windows(session, charter, now),
        )
        report = json.loads(to_json(period_report(session, charter, period, now), tables))
    rows = report["tables"]["reason_mix"]
    mix = {(r["channel"], r["reason"]): (r["messages"], r["share_pct"]) for r in rows}
    third = round(100 / 3, 1)
    assert mix == {
        ("x-acme", "billing_payment"): (1, third),
        ("x-acme", "cancellation"): (1, third),
        ("x-acme", "delivery_order"): (1, third),
    }


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """The desk seed behind the app, with a contact reason on two of its open conversations."""
    for found in seeded_app(db_url, monkeypatch):
        engine = open_engine(db_url)
        with Session(engine) as s, s.begin():
            for name, reason in (("late", "other"), ("dm", "praise_thanks"), ("soon", "delivery_order")):
                conv = s.get(Conversation, found.conversations[name])
                assert conv is not None
                conv.reason = reason
        engine.dispose()  # a PostgreSQL connection left open surfaces as a ResourceWarning in a later test
        yield found


def test_the_queue_page_filters_on_the_reason_and_shows_it(seeded: Seeded) -> None:
    at = app_as(seeded, "alice")
    shown = at.selectbox(key="q-reason").options  # config/nlp.toml's order, "other" last
    assert shown == ["Any", "Delivery and order", "Praise and thanks", "Other reason"]
    at.selectbox(key="q-reason").select("delivery_order").run()
    assert queue_ids(at) == [seeded.conversations["soon"]]
    assert any("Delivery and order" in m.value for m in at.markdown)
