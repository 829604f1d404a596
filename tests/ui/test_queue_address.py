"""The queue's filters in its address (AppTest): a link opens the filtered queue, a filter chosen is written
back (a reload keeps it), a filter back to its default leaves the address, and a value the user's filters do
not offer is ignored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox.store.engine import open_engine
from inbox.store.tables import Conversation
from inbox.ui.common import SELECTED, USER
from tests.support.seed_desk import Seeded
from tests.support.ui import APP, open_conv, queue_ids, seeded_app


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    for found in seeded_app(db_url, monkeypatch):
        engine = open_engine(db_url)
        with Session(engine) as s, s.begin():
            for name, reason in (("late", "billing_payment"), ("soon", "delivery_order")):
                conv = s.get(Conversation, found.conversations[name])
                assert conv is not None
                conv.reason = reason
        engine.dispose()
        yield found


def opened(seeded: Seeded, address: dict[str, str], user: str = "maya") -> AppTest:
    """The queue opened at ``/?<address>`` by a signed-in ``user``."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users[user]
    for name, value in address.items():
        at.query_params[name] = value
    return at.run()


def test_a_link_opens_the_filtered_queue(seeded: Seeded) -> None:
    at = opened(seeded, {"reason": "delivery_order", "assignee": "all"})
    assert not at.exception
    assert at.selectbox(key="q-reason").value == "delivery_order"
    assert queue_ids(at) == [seeded.conversations["soon"]]
    assert dict(at.query_params) == {"reason": "delivery_order"}  # "all" is the default: not written


def test_a_chosen_filter_is_written_to_the_address_and_a_default_leaves_it(seeded: Seeded) -> None:
    at = opened(seeded, {})
    at.selectbox(key="q-reason").select("billing_payment").run()
    at.text_input(key="q-text").input("parcel").run()
    assert dict(at.query_params) == {"reason": "billing_payment", "q": "parcel"}
    reloaded = opened(seeded, dict(at.query_params))  # a reload: a new session, the same address
    assert reloaded.selectbox(key="q-reason").value == "billing_payment"
    assert reloaded.text_input(key="q-text").value == "parcel"
    at.selectbox(key="q-reason").select("any").run()
    assert dict(at.query_params) == {"q": "parcel"}


def test_a_value_the_filters_do_not_offer_is_ignored(seeded: Seeded) -> None:
    at = opened(seeded, {"reason": "no_such_reason", "channel": "<script>", "urgency": "high"})
    assert not at.exception
    assert at.selectbox(key="q-reason").value == "any" and at.selectbox(key="q-channel").value == "any"
    assert at.selectbox(key="q-urgency").value == "high"
    assert dict(at.query_params) == {"urgency": "high"}


def test_back_from_a_conversation_the_queue_keeps_its_filters(seeded: Seeded) -> None:
    """Streamlit forgets a widget's value once another page's run did not draw it."""
    at = opened(seeded, {})
    at.selectbox(key="q-reason").select("delivery_order").run()
    open_conv(at, seeded.conversations["soon"])
    at.switch_page("inbox/ui/pages/queue.py").run()
    assert at.selectbox(key="q-reason").value == "delivery_order"
    assert queue_ids(at) == [seeded.conversations["soon"]]
    assert dict(at.query_params) == {"reason": "delivery_order"}


def test_next_conversation_takes_the_next_one_the_filters_show(seeded: Seeded) -> None:
    at = opened(seeded, {"language": "fr"}, user="alice")
    at.button(key="next").click().run()
    assert not at.exception
    assert at.session_state[SELECTED] == seeded.conversations["dm"]  # the French one, not the most urgent
