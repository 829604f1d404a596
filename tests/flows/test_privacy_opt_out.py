"""Opt-out (#15.6): a customer who writes only STOP / non merci / désinscription gets no more surveys or
automatic messages, on any linked account; audited. Through the real listener on the X sandbox."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox import i18n
from inbox.automation.tick import run_automation
from inbox.desk import actions as desk
from inbox.desk.people import link
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.privacy.opt_out import is_opt_out
from inbox.store.tables import AuditEvent, Contact, ContactPrivacy, OutboundReply, User
from inbox.store.tables.enforcement import SurveyRequest
from inbox.ui.widgets import send_failure
from tests.support.enforcement import (
    MINUTE,
    PARIS_MONDAY_10,
    PARIS_SUNDAY_10,
    agent_reply,
    charter,
    conversation,
    drain,
    poll,
    templates,
)
from tests.support.privacy_flows import config_on, listen_once
from tests.support.seed_desk import add_user

PHRASES = ("stop", "non merci", "désinscription", "unsubscribe")
NPS = charter(**{"survey.kind": "nps", "survey.template": None, "survey.send_after_minutes": 30})


@pytest.mark.parametrize(
    ("text", "stops"),
    [
        ("STOP", True),
        ("@AcmeCare stop !", True),
        ("Non, merci.", True),
        ("NON MERCI 🙏", True),
        ("Desinscription", True),
        ("désinscription", True),
        ("stop the delivery please", False),
        ("non merci pour rien", False),
        ("@stop", False),  # a handle is not a word said
        ("", False),
    ],
)
def test_an_opt_out_is_the_whole_message(text: str, stops: bool) -> None:
    assert is_opt_out(text, PHRASES) is stops


def _opted_out(engine: Engine) -> dict[str, int | None]:
    with Session(engine) as s:
        rows = s.exec(select(Contact.handle, ContactPrivacy.opt_out_message_id).join(ContactPrivacy)).all()
        return {h or "": m for h, m in rows}


def _audits(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.opt_out")))


def test_the_listener_marks_who_wrote_stop_once_and_audits_it(
    sandbox: XSandbox, engine: Engine, db_url: str, tmp_path: Path, x_env: dict[str, str]
) -> None:
    config = config_on(sandbox, tmp_path / "config")
    sandbox.add_mention("@AcmeCare Désinscription.", author="ann")
    sandbox.add_mention("@AcmeCare stop sending me the newsletter twice", author="bob")
    sandbox.add_mention("@AcmeCare NON MERCI", author="carl")
    sandbox.add_mention("@AcmeCare DÉSINSCRIPTION !!", author="dan")  # the database compares folded text
    sandbox.add_mention("@AcmeCare ＳＴＯＰ", author="eve")  # full-width letters fold to "stop"
    listen_once(db_url, config, x_env)
    assert set(_opted_out(engine)) == {"ann", "carl", "dan", "eve"}
    assert all(_opted_out(engine).values())  # the message that said it
    listen_once(db_url, config, x_env)  # nothing new: nothing marked again
    events = _audits(engine)
    assert len(events) == 4 and {e.actor for e in events} == {"automation"}


def test_no_out_of_hours_reply_to_an_opted_out_person_on_any_linked_account(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    at = PARIS_SUNDAY_10  # the team is closed: every new mention would get the out-of-hours reply
    c = charter()
    first = sandbox.add_mention("@AcmeCare my parcel is lost", author="ann", created_at=at)
    sandbox.add_mention("@AcmeCare my invoice is wrong", author="ann_pro", created_at=at)
    sandbox.add_mention("@AcmeCare my parcel is lost too", author="dora", created_at=at)
    poll(engine, rt, at + MINUTE, c)
    with Session(engine) as s, s.begin():
        handles = {x.handle: x.id or 0 for x in s.exec(select(Contact))}
        manager = s.get(User, add_user(s, "mia", role="manager"))
        assert manager is not None
        link(s, handles["ann"], handles["ann_pro"], manager, datetime.now(UTC))
    sandbox.add_mention("@AcmeCare STOP", author="ann", in_reply_to=first, created_at=at + 2 * MINUTE)
    poll(engine, rt, at + 3 * MINUTE, c)
    report = run_automation(engine, c, at + 4 * MINUTE, templates=templates())
    assert report.opted_out == 2 and report.out_of_hours == 1
    drain(engine, rt, at + 4 * MINUTE)
    assert [t["text"].split()[0].lower() for t in sandbox.sent_tweets] == ["@dora"]
    assert set(_opted_out(engine)) == {"ann", "ann_pro"}


def test_an_automatic_message_already_queued_is_not_sent_after_stop(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    at = PARIS_SUNDAY_10
    c = charter()
    first = sandbox.add_mention("@AcmeCare my parcel is lost", author="ann", created_at=at)
    poll(engine, rt, at + MINUTE, c)
    assert run_automation(engine, c, at + MINUTE, templates=templates()).out_of_hours == 1
    sandbox.add_mention("@AcmeCare stop", author="ann", in_reply_to=first, created_at=at + 2 * MINUTE)
    poll(engine, rt, at + 3 * MINUTE, c)
    run_automation(engine, c, at + 3 * MINUTE, templates=templates())
    assert drain(engine, rt, at + 4 * MINUTE) == 0 and sandbox.sent_tweets == []
    with Session(engine) as s:
        (reply,) = s.exec(select(OutboundReply)).all()
    assert (reply.status, reply.last_error) == ("failed", "not sent: the customer opted out")
    with i18n.use_language("fr"):  # the agent reads why, and no Retry would write to them after STOP
        said = send_failure.explained(reply.last_error)
    assert "STOP" in said and "not sent" not in said and send_failure.refused(reply.last_error), said
    with Session(engine) as s, s.begin(), pytest.raises(ValueError):
        outbox.retry(s, reply.id or 0, "sam", at + 5 * MINUTE)


def test_no_survey_after_stop_but_agents_still_answer(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    at = PARIS_MONDAY_10
    tweets = {
        a: sandbox.add_mention(f"@AcmeCare facture ({a})", author=a, created_at=at) for a in ("jo", "max")
    }
    sandbox.add_dm("non merci", sender="jo", created_at=at)
    poll(engine, rt, at + MINUTE, NPS)
    assert run_automation(engine, NPS, at + MINUTE, templates=templates()).opted_out == 1
    with Session(engine) as s, s.begin():
        maya_id = add_user(s, "maya")
    convs = {author: conversation(engine, tweet).id or 0 for author, tweet in tweets.items()}
    for author, conv_id in convs.items():
        agent_reply(engine, conv_id, f"@{author} c'est corrigé", at + 2 * MINUTE)
    assert drain(engine, rt, at + 2 * MINUTE) == 2  # a person's answer is not an automatic message
    with Session(engine) as s, s.begin():
        maya = s.get(User, maya_id)
        assert maya is not None
        for conv_id in convs.values():
            desk.set_status(s, conv_id, "resolved", maya, at + 3 * MINUTE)
    for minutes in (4, 40):
        run_automation(engine, NPS, at + minutes * MINUTE, templates=templates())
    drain(engine, rt, at + 41 * MINUTE)
    run_automation(engine, NPS, at + 42 * MINUTE, templates=templates())
    assert [d["recipient"].lower() for d in sandbox.sent_dms] == ["max"]
    with Session(engine) as s:
        assert sorted(r.status for r in s.exec(select(SurveyRequest))) == ["opted_out", "sent"]
