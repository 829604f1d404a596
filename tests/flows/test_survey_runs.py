"""Several surveys at once (NPS once a quarter per customer before a CSAT after every conversation), STOP to a
survey (never surveyed again), and a survey's answer that does not spoil first-contact resolution.

Hand-computed FCR story (three DM conversations, each answered once by a person, resolved, surveyed):
- jane answers the survey "5"                   -> settled: no follow-up, first contact
- paul answers "STOP"                           -> opted out, settled: no follow-up, first contact
- kim answers "je ne sais pas" (no score), an agent resolves again -> a follow-up: not first contact
FCR = 2 / 3 (counting the survey answers as the customer writing again gave 0 / 3).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.automation.tick import run_automation
from inbox.charter.editor import edited
from inbox.charter.model import Charter, parse_charter
from inbox.desk import actions as desk
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.reports import kpis, queries
from inbox.reports.first_responses import first_contact_resolution
from inbox.reports.period import Period
from inbox.reports.satisfaction import satisfaction
from inbox.store.tables import AuditEvent, ContactPrivacy, Conversation, Message, User
from inbox.store.tables.enforcement import SurveyRequest
from tests.support.enforcement import MINUTE, PARIS_MONDAY_10, charter_data, drain, poll
from tests.support.enforcement import templates as all_templates
from tests.support.seed_desk import add_user

START = PARIS_MONDAY_10
DAY = Period("day", START.date(), START.date(), UTC)


def two_surveys() -> Charter:
    data = edited(charter_data(), {"survey.send_after_minutes": 0, "survey.template": None})
    data["surveys"] = [
        {"kind": "nps", "text": "De 0 à 10, nous recommanderiez-vous ?", "once_per_customer_days": 90}
    ]
    return parse_charter(data)


def conv_of(engine: Engine, platform_id: str) -> int:
    with Session(engine) as s:
        return s.exec(select(Message.conversation_id).where(Message.platform_id == platform_id)).one()


def answered_and_resolved(
    engine: Engine,
    rt: Runtime,
    c: Charter,
    conv_id: int,
    at: datetime,
    agent: str = "alice",
    template: str | None = None,
) -> None:
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        text = f"C'est réglé (dossier {conv_id}), désolés !"  # X refuses duplicates
        outbox.enqueue(s, conv, visibility=conv.visibility, text=text, actor=agent, now=at, template=template)
    drain(engine, rt, at)
    with Session(engine) as s, s.begin():
        maya = s.exec(select(User).where(User.name == "maya")).first() or s.get(User, add_user(s, "maya"))
        assert maya is not None
        desk.set_status(s, conv_id, "resolved", maya, at + MINUTE)


def tick(engine: Engine, rt: Runtime, c: Charter, at: datetime) -> None:
    run_automation(engine, c, at, templates=all_templates())
    drain(engine, rt, at)
    run_automation(engine, c, at, templates=all_templates())  # delivery seen: the survey is sent


def test_the_first_survey_that_follows_wins_and_nps_once_a_quarter_per_customer(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    c = two_surveys()
    first = sandbox.add_mention("@AcmeCare facture fausse", author="jane", created_at=START)
    other = sandbox.add_mention("@AcmeCare colis perdu", author="paul", created_at=START)
    poll(engine, rt, START + MINUTE, c)
    for tweet in (first, other):
        answered_and_resolved(engine, rt, c, conv_of(engine, tweet), START + 5 * MINUTE)
    tick(engine, rt, c, START + 10 * MINUTE)
    again = sandbox.add_mention("@AcmeCare encore un souci", author="jane", created_at=START + 20 * MINUTE)
    poll(engine, rt, START + 21 * MINUTE, c)
    answered_and_resolved(engine, rt, c, conv_of(engine, again), START + 25 * MINUTE)
    tick(engine, rt, c, START + 30 * MINUTE)
    with Session(engine) as s:
        kinds = {r.conversation_id: r.kind for r in s.exec(select(SurveyRequest))}
    assert kinds == {
        conv_of(engine, first): "nps",
        conv_of(engine, other): "nps",
        conv_of(engine, again): "csat",
    }
    texts = sorted(d["text"][:10] for d in sandbox.sent_dms)
    assert len(texts) == 3 and sum(t.startswith("De 0 à 10") for t in texts) == 2


def dm_story(engine: Engine, sandbox: XSandbox, rt: Runtime, c: Charter) -> dict[str, int]:
    ids = {}
    replies = {"jane": ("alice", "excuses"), "paul": ("bruno", None), "kim": ("bruno", "excuses")}
    dms = {who: sandbox.add_dm("Ma box ne marche plus", sender=who, created_at=START) for who in replies}
    poll(engine, rt, START + MINUTE, c)  # one read of the three (X's DMs: at most every 75 s)
    for who, (agent, template) in replies.items():
        ids[who] = conv_of(engine, dms[who])
        answered_and_resolved(engine, rt, c, ids[who], START + 5 * MINUTE, agent, template)
    tick(engine, rt, c, START + 10 * MINUTE)
    sandbox.add_dm("5", sender="jane", created_at=START + 20 * MINUTE)
    sandbox.add_dm("STOP", sender="paul", created_at=START + 20 * MINUTE)
    sandbox.add_dm("je ne sais pas", sender="kim", created_at=START + 20 * MINUTE)
    poll(engine, rt, START + 21 * MINUTE, c)
    run_automation(engine, c, START + 22 * MINUTE, templates=all_templates())
    with Session(engine) as s, s.begin():
        maya = s.exec(select(User)).first()
        assert maya is not None
        desk.set_status(s, ids["kim"], "resolved", maya, START + 30 * MINUTE)
    return ids


def test_a_survey_answer_does_not_spoil_first_contact_resolution(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    ids = dm_story(engine, sandbox, rt, two_surveys())
    with Session(engine) as s:
        rows = {r.conversation_id: r for r in s.exec(select(SurveyRequest))}
        statuses = {who: (rows[i].kind, rows[i].status, rows[i].score) for who, i in ids.items()}
        resolved = {who: s.get(Conversation, i).status for who, i in ids.items()}  # type: ignore[union-attr]
        in_sql = first_contact_resolution(s, DAY, None)
        in_python = kpis.first_contact_resolution(queries.cohort(s, DAY, None))
    assert statuses == {
        "jane": ("nps", "answered", 5),
        "paul": ("nps", "opted_out", None),
        "kim": ("nps", "unanswered", None),
    }
    assert resolved == {"jane": "resolved", "paul": "resolved", "kim": "resolved"}
    assert (in_sql.resolved_answered, in_sql.first_contact) == (3, 2)
    assert in_python == in_sql


def test_stop_to_a_survey_is_stored_audited_and_never_surveyed_again(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    c = two_surveys()
    ids = dm_story(engine, sandbox, rt, c)
    later = sandbox.add_mention("@AcmeCare autre question", author="paul", created_at=START + 40 * MINUTE)
    poll(engine, rt, START + 41 * MINUTE, c)
    answered_and_resolved(engine, rt, c, conv_of(engine, later), START + 45 * MINUTE)
    tick(engine, rt, c, START + 50 * MINUTE)
    with Session(engine) as s:
        paul = s.get(Conversation, ids["paul"])
        assert paul is not None
        privacy = s.get(ContactPrivacy, paul.contact_id)
        audited = s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.opt_out")).all()
        later_row = s.exec(
            select(SurveyRequest).where(SurveyRequest.conversation_id == conv_of(engine, later))
        ).one()
    assert privacy is not None and privacy.opted_out_at is not None
    assert [a.target_id for a in audited] == [str(paul.contact_id)]
    assert later_row.status == "opted_out"
    surveys_to_paul = [
        d for d in sandbox.sent_dms if d["recipient"].lower() == "paul" and "0 à 10" in d["text"]
    ]
    assert len(surveys_to_paul) == 1  # the first survey only


def test_satisfaction_of_the_story_by_hand(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    dm_story(engine, sandbox, rt, two_surveys())
    with Session(engine) as s:
        found = satisfaction(s, DAY, None)
    (nps,) = found.overall
    assert (nps.kind, nps.sent, nps.answered, nps.scores.nps) == ("nps", 3, 1, -100.0)  # one 5: a detractor
    assert nps.response_rate == 1 / 3
    assert [(g.group, g.sent, g.answered) for g in found.by_channel] == [("x-acme", 3, 1)]
    by_agent = [(g.group, g.sent, g.answered, g.scores.nps) for g in found.by_agent]
    assert by_agent == [("alice", 1, 1, -100.0), ("bruno", 2, 0, None)]
    assert [(g.group, g.sent, g.answered) for g in found.by_template] == [("excuses", 2, 1), (None, 1, 0)]
    assert sorted(v.reply or "" for v in found.verbatims) == ["5", "STOP", "je ne sais pas"]
