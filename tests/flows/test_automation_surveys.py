"""Surveys: sent privately once after resolution; answers recognised and counted (NPS, CSAT, CES)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.automation.survey_scores import figures, only_a_score, parse_score
from inbox.automation.tick import run_automation
from inbox.desk import actions as desk
from inbox.ingest.channels import Runtime
from inbox.reports.period import Period
from inbox.reports.satisfaction import satisfaction
from inbox.store.tables import Conversation, User
from inbox.store.tables.enforcement import SurveyRequest
from tests.support.enforcement import (
    MINUTE,
    PARIS_MONDAY_10,
    agent_reply,
    charter,
    conversation,
    drain,
    poll,
    templates,
)
from tests.support.seed_desk import add_user

NPS = charter(
    **{
        "survey.kind": "nps",
        "survey.template": None,
        "survey.send_after_minutes": 30,
        "survey.text": "Merci {customer_name} ! De 0 à 10, nous recommanderiez-vous ?",
    }
)


@pytest.mark.parametrize(
    ("text", "kind", "score"),
    [
        ("9", "nps", 9),
        ("10/10 !", "nps", 10),
        ("0", "nps", 0),
        ("je mets 4 sur 5", "csat", 4),
        ("4/5 mais la livraison était lente", "csat", 4),
        ("J'ai attendu 3 jours, 2/5", "csat", 2),  # the n/5 form wins over a stray number
        ("6", "csat", None),  # out of range
        ("0", "csat", None),
        ("3 ou 4", "csat", None),  # ambiguous
        ("commande 12345", "nps", None),  # an order number is not a score
        ("4,5", "csat", None),  # nor a decimal
        ("merci beaucoup", "ces", None),
        ("2", "ces", 2),
    ],
)
def test_reading_a_score(text: str, kind: str, score: int | None) -> None:
    assert parse_score(text, kind) == score


@pytest.mark.parametrize(
    ("text", "bare"), [("9", True), (" 4/5 ! ", True), ("8 👍", True), ("4, merci", False)]
)
def test_a_reply_that_is_only_a_score(text: str, bare: bool) -> None:
    assert only_a_score(text) is bare


def test_figures_computed_by_hand() -> None:
    nps = figures("nps", [10, 9, 9, 8, 7, 6, 3, 0, 10, 5])  # 4 promoters, 2 passives, 4 detractors of 10
    assert (nps.nps, nps.promoters, nps.detractors, nps.answers) == (0.0, 4, 4, 10)
    assert figures("nps", [9, 10, 7]).nps == pytest.approx(66.7)
    assert figures("csat", [5, 4, 3, 1]).csat == 50.0
    assert figures("ces", [2, 3, 7]).ces == 4.0
    assert figures("nps", []).nps is None


def _resolved_conversation(engine: Engine, sandbox: XSandbox, rt: Runtime, author: str, at) -> int:  # type: ignore[no-untyped-def]
    tweet = sandbox.add_mention(f"@AcmeCare problème de facture ({author})", author=author, created_at=at)
    poll(engine, rt, at + MINUTE, NPS)
    conv_id = conversation(engine, tweet).id or 0
    agent_reply(engine, conv_id, f"@{author} c'est corrigé, désolés !", at + 5 * MINUTE)
    drain(engine, rt, at + 5 * MINUTE)
    with Session(engine) as s, s.begin():
        maya = s.get(User, add_user(s, f"agent-{author}"))
        assert maya is not None
        desk.set_status(s, conv_id, "resolved", maya, at + 6 * MINUTE)
    return conv_id


def test_survey_sent_once_in_private_and_answers_counted_into_nps(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    start = PARIS_MONDAY_10
    first = _resolved_conversation(engine, sandbox, rt, "jane", start)
    second = _resolved_conversation(engine, sandbox, rt, "paul", start)
    t = start + 7 * MINUTE
    assert run_automation(engine, NPS, t, templates=templates()).surveys_queued == 0  # due 30 minutes later
    assert run_automation(engine, NPS, t + 29 * MINUTE, templates=templates()).surveys_queued == 0
    assert run_automation(engine, NPS, t + 30 * MINUTE, templates=templates()).surveys_queued == 2
    assert run_automation(engine, NPS, t + 31 * MINUTE, templates=templates()).surveys_queued == 0
    assert drain(engine, rt, t + 31 * MINUTE) == 2
    assert drain(engine, rt, t + 32 * MINUTE) == 0
    run_automation(engine, NPS, t + 32 * MINUTE, templates=templates())
    assert sorted(d["recipient"].lower() for d in sandbox.sent_dms) == ["jane", "paul"]
    assert all("De 0 à 10" in d["text"] for d in sandbox.sent_dms)
    assert "Merci jane !" in next(d["text"] for d in sandbox.sent_dms if d["recipient"].lower() == "jane")
    with Session(engine) as s:  # the DM opened to carry the survey is not left open in the queue
        assert s.exec(select(Conversation).where(Conversation.status == "open")).all() == []
    sandbox.add_dm("9", sender="jane", created_at=t + 40 * MINUTE)
    sandbox.add_dm("3, toujours pas remboursé", sender="paul", created_at=t + 41 * MINUTE)
    sandbox.add_dm("10", sender="paul", created_at=t + 42 * MINUTE)  # only the next message counts
    poll(engine, rt, t + 43 * MINUTE, NPS)
    assert run_automation(engine, NPS, t + 44 * MINUTE, templates=templates()).surveys_answered == 2
    assert run_automation(engine, NPS, t + 45 * MINUTE, templates=templates()).surveys_answered == 0
    with Session(engine) as s:
        rows = {r.conversation_id: r for r in s.exec(select(SurveyRequest))}
        assert (rows[first].status, rows[first].score) == ("answered", 9)
        assert (rows[second].status, rows[second].score) == ("answered", 3)
        day = start.date()
        period = satisfaction(s, Period("day", day, day, start.tzinfo), None).overall[0]  # type: ignore[arg-type]
        still_open = [c.id for c in s.exec(select(Conversation).where(Conversation.status == "open"))]
    assert (period.kind, period.sent, period.answered, period.response_rate) == ("nps", 2, 2, 1.0)
    assert period.scores.nps == 0.0  # one promoter (9), one detractor (3): 50% - 50%
    assert len(still_open) == 1  # Jane's bare "9" reopened nothing; Paul's words wait for an agent
    run_automation(engine, NPS, t + 50 * MINUTE, templates=templates())
    assert drain(engine, rt, t + 50 * MINUTE) == 0 and len(sandbox.sent_dms) == 2


def test_no_survey_when_the_conversation_reopens_before_it_leaves(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    start = PARIS_MONDAY_10
    conv_id = _resolved_conversation(engine, sandbox, rt, "jane", start)
    run_automation(engine, NPS, start + 7 * MINUTE, templates=templates())
    with Session(engine) as s:
        thread = s.get(Conversation, conv_id).thread_key  # type: ignore[union-attr]
    sandbox.add_mention(
        "@AcmeCare en fait non", author="jane", in_reply_to=thread, created_at=start + 10 * MINUTE
    )
    poll(engine, rt, start + 11 * MINUTE, NPS)
    with Session(engine) as s:
        assert s.get(Conversation, conv_id).status == "open"  # type: ignore[union-attr]
    assert run_automation(engine, NPS, start + 40 * MINUTE, templates=templates()).surveys_queued == 0
    with Session(engine) as s:
        assert s.exec(select(SurveyRequest)).all() == []


def test_the_charter_survey_off_sends_none(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    off = charter(**{"survey.kind": "none"})
    _resolved_conversation(engine, sandbox, rt, "jane", PARIS_MONDAY_10)
    for minute in (10, 60, 120):
        assert run_automation(engine, off, PARIS_MONDAY_10 + minute * MINUTE).surveys_queued == 0
