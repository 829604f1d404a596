"""Tags are compared by value in SQL, never as substrings of the serialised list (issue #12, point 7): the
queue's SQL order and moderated view agree with the Python rules (``is_vip``, ``moderation.moderated_as``)
whatever quote characters, case or blanks a tag holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.desk import actions
from inbox.desk.queue import MODERATED, Filters, QueueItem, is_vip, order, queue_page
from inbox.replies import moderation
from inbox.store.tables import Contact, Conversation, User
from tests.support.seed_desk import add_conversation, seed

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = T0 + timedelta(minutes=30)

CUSTOMER_TAGS = [  # none of these is VIP but the last four
    ['x"vip'],
    ['"vip"'],
    ["vip\u00a0"],  # a no-break space: not one of the blanks both rules trim
    ["v\u0130p"],  # a dotted capital I: PostgreSQL's lower() may make it ASCII
    ["vipx", "not vip"],
    ["vip"],
    [" VIP "],
    ["ViP\t"],
    ['x"vip', "vip"],
]


def test_vip_in_sql_is_vip_in_python(engine: Engine) -> None:
    seeded = seed(engine, T0)
    with Session(engine) as s, s.begin():
        for n, tags in enumerate(CUSTOMER_TAGS):
            conv_id = add_conversation(
                s, seeded.channel_id, handle=f"c{n}", text="hello", received=T0, due=DUE, urgency="normal"
            )
            conv = s.get(Conversation, conv_id)
            assert conv is not None and conv.contact_id is not None
            contact = s.get(Contact, conv.contact_id)
            assert contact is not None
            contact.tags = tags
    with Session(engine) as s:
        rows = [
            r for r in queue_page(s, Filters(), user_id=None, now=T0, size=100).rows if r.sla_due_at == DUE
        ]
    expected = order(QueueItem(r.id, r.sla_due_at, r.urgency, r.tags) for r in rows)
    assert [r.id for r in rows] == [i.id for i in expected]
    assert [r.handle for r in rows if r.vip] == ["c5", "c6", "c7", "c8"] == [r.handle for r in rows[:4]]
    assert [is_vip(t) for t in CUSTOMER_TAGS] == [False] * 5 + [True] * 4


@pytest.mark.parametrize(
    ("tags", "listed"),
    [
        (['x"moderated:spam'], False),
        (['"moderated:spam'], False),
        (["MODERATED:spam"], False),  # SQLite's LIKE ignores case; the Python rule does not
        (["note", "moderated:spam"], True),
        (["moderated:insults"], True),
    ],
)
def test_the_moderated_view_lists_what_the_python_rule_calls_moderated(
    engine: Engine, tags: list[str], listed: bool
) -> None:
    seeded = seed(engine, T0)
    with Session(engine) as s, s.begin():
        conv_id = add_conversation(
            s, seeded.channel_id, handle="tagged", text="hello", received=T0, due=None, status="resolved"
        )
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        conv.tags = tags
    with Session(engine) as s:
        ids = [r.id for r in queue_page(s, Filters(status=MODERATED), user_id=None, now=T0).rows]
    assert (conv_id in ids) is listed is (moderation.moderated_as(tags) is not None)


def test_a_tag_typed_by_an_agent_with_a_quote_is_not_a_moderation_mark(engine: Engine) -> None:
    seeded = seed(engine, T0)
    with Session(engine) as s, s.begin():
        maya = s.get(User, seeded.users["maya"])
        assert maya is not None
        conv_id = add_conversation(
            s, seeded.channel_id, handle="quoted", text="hello", received=T0, due=None, status="resolved"
        )
        actions.set_tags(s, conv_id, ['x"moderated:spam'], maya, T0)
    with Session(engine) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None and conv.tags == ['x"moderated:spam']
        ids = [r.id for r in queue_page(s, Filters(status=MODERATED), user_id=None, now=T0).rows]
    assert conv_id not in ids
