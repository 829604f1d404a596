"""The escalation alerts judge a conversation with its contact reason's target, as the queue, the dashboard
and the report do (docs/kpis.md, "One charter judges a conversation everywhere").

The report seed's charter (public 60 minutes 24/7, at risk at 75 %) with ``[sla.reasons] account_access =
30``. A customer locked out of their account writes at 10:00 (due 10:30): at 10:25, 25 of 30 minutes, the
queue shows it at risk and an at-risk alert goes (on the 60-minute target it would be 25 of 60, on track, and
no alert). Answered at 10:10, they write again at 11:00: at 11:25 the next response is at risk too.
"""

from __future__ import annotations

import tomllib

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import Charter, parse_charter
from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from inbox.store.tables import Conversation
from tests.flows.test_closed_unanswered_then_back import alert_keys
from tests.flows.test_reports_reason_targets import at
from tests.support.reports_seed import CHARTER_TOML, Story


def _charter() -> Charter:
    data = tomllib.loads(CHARTER_TOML)
    data["sla"]["reasons"] = {"account_access": 30}
    return parse_charter(data)


def _locked_out(engine: Engine, *, written_again: bool) -> int:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, _charter(), "alice")
        conv_id = s.conversation("x-acme", "ann")
        conv = session.get(Conversation, conv_id)
        assert conv is not None
        conv.reason = "account_access"
        s.customer(conv_id, at(10), text="je ne peux plus me connecter")
        if written_again:
            s.reply(conv_id, "alice", at(10, 5), at(10, 10))
            s.customer(conv_id, at(11), text="toujours bloqué")
    return conv_id


def test_the_first_response_alert_follows_the_reason_s_target(engine: Engine) -> None:
    conv_id = _locked_out(engine, written_again=False)
    book = CharterBook(_charter())
    with Session(engine) as session:
        queue = [(c.conversation_id, c.state) for c in open_clocks(session, book, at(10, 25))]
    assert queue == [(conv_id, "at_risk")]
    assert alert_keys(engine, book, at(10, 25)) == ["at_risk"]


def test_the_next_response_alert_follows_the_reason_s_target(engine: Engine) -> None:
    _locked_out(engine, written_again=True)
    assert alert_keys(engine, CharterBook(_charter()), at(11, 25)) == ["at_risk#2"]
