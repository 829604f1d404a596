"""Whether the customer wrote again after a person's last reply, for first-contact resolution.

A customer message after the brand's last reply by a person is a follow-up (the first contact did not settle
it: "it still does not work", even "thanks"), **except** an answer to the satisfaction survey that the
automation settled: a score or an opt-out (STOP, non merci), recorded as the survey's ``answer_message_id``
with status ``answered`` or ``opted_out``. A survey reply without a score is a follow-up. SQL only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, func, not_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from inbox.store.tables import Conversation, Message
from inbox.store.tables.enforcement import SurveyRequest

SETTLED = ("answered", "opted_out")  # survey rows whose answer message is no follow-up


def survey_answers() -> Any:
    """Ids of the customer messages that only answered a survey (a score or an opt-out)."""
    return select(col(SurveyRequest.answer_message_id)).where(
        col(SurveyRequest.status).in_(SETTLED), col(SurveyRequest.answer_message_id).is_not(None)
    )


def _customer_messages() -> list[ColumnElement[bool]]:
    return [
        col(Message.conversation_id) == col(Conversation.id),
        col(Message.direction) == "in",
        not_(col(Message.id).in_(survey_answers())),
    ]


def last_customer_message() -> Any:
    """Correlated to ``conversation``: the time of its last customer message that is no survey answer."""
    stmt = select(func.max(col(Message.created_at))).where(*_customer_messages())
    return stmt.correlate(Conversation).scalar_subquery()


def wrote_again() -> ColumnElement[bool]:
    """Correlated to ``conversation``: a customer message, no survey answer, after a person's last reply."""
    after = exists().where(
        *_customer_messages(), col(Message.created_at) > col(Conversation.last_outbound_at)
    )
    found: ColumnElement[bool] = and_(
        col(Conversation.last_outbound_at).is_not(None), after.correlate(Conversation)
    )
    return found
