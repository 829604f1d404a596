"""Resolving stops the response clock; a person reopening starts none until the customer writes.

Charter of ``test_reports_charter_figures``: next response 30 minutes (24/7). A question at 09:00 is answered
at 09:10; "merci !" at 09:20 is left unanswered (its clock due 09:50) and the conversation is resolved at
09:25, by an agent or by closing the incident it belongs to: no clock runs any more. A manager reopens it at
14:00 (with a reason): it is open, but nothing waits for an answer, so it is neither breached (the thanks'
09:50) nor at risk in the running clocks (queue, peak plan, alerts) or on the dashboard. The customer writes
at 15:00: the clock runs from that message, due 15:30, on track at 15:01.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from inbox.desk import actions as desk
from inbox.desk.incidents import lifecycle, texts
from inbox.desk.incidents.members import NO_LANGUAGE
from inbox.reports.report import live_report
from inbox.store.tables import Conversation
from tests.flows.test_reports_charter_figures import at, make_charter
from tests.support.reports_seed import Story

HOW = ["agent", "incident"]


def _resolve(s: Story, conv: int, how: str) -> None:
    if how == "agent":
        s.resolve(conv, "alice", at(9, 25))
        return
    maya = s.users["maya"]
    incident = lifecycle.declare(
        s.session, maya, title="Panne", since=at(9), now=at(9, 21), conversations=[conv]
    )
    assert incident.id is not None
    resolution = {(NO_LANGUAGE, "public"): "La panne est réparée."}
    assert not texts.approve(s.session, incident.id, texts.RESOLUTION, resolution, maya, at(9, 22))
    lifecycle.close(s.session, incident.id, maya, at(9, 25))


def _story(session: Session, how: str) -> tuple[Story, int]:
    s = Story.on_x_acme(session, make_charter(), "alice")
    s.user("maya", "manager")
    conv = s.conversation("x-acme", "ann")
    s.customer(conv, at(9))
    s.reply(conv, "alice", at(9, 5), at(9, 10))
    s.customer(conv, at(9, 20), text="merci !")
    _resolve(s, conv, how)
    return s, conv


def _running(session: Session, now_h: int, now_m: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    now = at(now_h, now_m)
    queue = [(c.conversation_id, c.state) for c in open_clocks(session, CharterBook(make_charter()), now)]
    live = live_report(session, make_charter(), now)
    dashboard = [(c.conversation.id or 0, c.state) for c in live.clocks]
    return queue, dashboard


@pytest.mark.parametrize("how", HOW)
def test_resolving_stops_the_clock(engine: Engine, how: str) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        _, conv_id = _story(session, how)
        conv = session.get(Conversation, conv_id)
        assert conv is not None
        assert (conv.status, conv.sla_due_at) == ("resolved", None)


@pytest.mark.parametrize("how", HOW)
def test_a_reopening_by_hand_starts_no_clock_until_the_customer_writes(engine: Engine, how: str) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s, conv_id = _story(session, how)
        desk.set_status(session, conv_id, "open", s.users["maya"], at(14), reason="le client a rappelé")
        session.flush()
        conv = session.get(Conversation, conv_id)
        assert conv is not None
        assert (conv.status, conv.sla_due_at) == ("open", None)
        assert _running(session, 14, 1) == ([], [])
        s.customer(conv_id, at(15), text="toujours en panne")
        assert conv.sla_due_at is not None
        assert conv.sla_due_at == at(15) + timedelta(minutes=30)
        assert _running(session, 15, 1) == ([(conv_id, "on_track")], [(conv_id, "on_track")])
