"""The first day's last English and raw words, found in a Chromium pass (issue 16): a chart of a period
without data says so in the user's words (no empty frame with "0.000000" ticks), the 24-hour window's
closing time is the team's, the charter names segments in words, and no select box leaves Streamlit's
English placeholder.

AppTest over the desk seed, the French users of tests/ui/test_ui_french.py.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation
from inbox.ui.common import SELECTED, USER
from tests.support.seed_desk import Seeded
from tests.ui.test_ui_french import APP, PAGES, french, signed_in  # noqa: F401 (french: a fixture)
from tests.ui.test_ui_platform_replies import LAST_WORD, add_chat

FIGURES = "inbox/ui/pages/my_figures.py"
CHART = "vega_lite_chart"


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def _charts(at: AppTest) -> int:
    return len(at.get(CHART))


@pytest.mark.parametrize(("user", "note"), [("alice", "Aucune donnée sur cette période."), ("bruno", None)])
def test_a_period_without_replies_shows_a_sentence_not_an_empty_chart(
    french: Seeded,  # noqa: F811
    user: str,
    note: str | None,
) -> None:
    """alice and bruno sent no reply in the seed: the replies-per-day chart would be all zeros."""
    at = signed_in(french, user, FIGURES)
    expected = note or "No data for this period."
    assert expected in _captions(at)
    assert _charts(at) == 0  # nothing drawn: Vega drew an empty frame with "0.000000" ticks
    title = "Réponses envoyées par jour" if note else "Replies sent per day"
    assert any(title in m.value for m in at.markdown)  # the chart's title stays, above the sentence


def test_the_dashboard_draws_only_charts_with_data(french: Seeded) -> None:  # noqa: F811
    """No reply in the seed: the first-response and per-agent charts give way to the sentence; the charts of
    the customers' messages (heat map, sentiment, reasons) are drawn."""
    at = signed_in(french, "maya", "inbox/ui/pages/dashboard.py")
    notes = _captions(at).count("Aucune donnée sur cette période.")
    titles = [m.value for m in at.markdown]
    assert "**Premières réponses par délai**" in titles and "**Réponses envoyées par conseiller**" in titles
    assert notes >= 2 and _charts(at) >= 3


def test_the_24_hour_window_closes_at_the_teams_time(french: Seeded, db_url: str) -> None:  # noqa: F811
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        conv_id = add_chat(session, "whatsapp", "wa-acme", visibility="private", ago=LAST_WORD)
        last = session.get(Conversation, conv_id)
        assert last is not None and last.last_inbound_at is not None
        closed = last.last_inbound_at + timedelta(hours=24)
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER], at.session_state[SELECTED] = french.users["alice"], conv_id
    with i18n.use_language("fr"):
        at.run().switch_page("inbox/ui/pages/conversation.py").run()
        paris = i18n.when(closed, ZoneInfo("Europe/Paris"), year=True)  # config/charter.toml's team
    assert not at.exception
    [warning] = [w.value for w in at.warning if "fenêtre de 24 heures" in w.value]
    assert f"s'est fermée le {paris}\u00a0:" in warning and "UTC" not in warning
    assert "Fuseau horaire\u00a0: heure d’Europe centrale." in _captions(at)  # named once on the page


def test_the_charter_names_segments_in_words(french: Seeded) -> None:  # noqa: F811
    at = signed_in(french, "maya", "inbox/ui/pages/charter.py")
    labels = [n.label for n in at.number_input]
    assert "Clients VIP" in labels  # config/charter.toml: [sla.segments] vip = 30
    assert not [label for label in labels if label.startswith("Segment ")]


@pytest.mark.parametrize(("user", "page", "title"), PAGES)
def test_no_select_box_leaves_streamlits_english_placeholder(
    french: Seeded,  # noqa: F811
    user: str,
    page: str | None,
    title: str,
) -> None:
    """A select box shows its placeholder when nothing is picked or when the user clears it to type a search:
    without one of ours, Streamlit's English "Choose an option" / "No options to select". A multiselect's
    list would start with "Select all"."""
    at = signed_in(french, user, page)
    boxes = [*at.selectbox, *at.multiselect]
    assert boxes, "no select box on the page: the check checks nothing"
    assert [b.key for b in boxes if not b.placeholder] == []
    assert [m.key for m in at.multiselect if m.proto.select_all != 0] == []  # no English "Select all"


def test_no_multiselect_offers_streamlits_english_select_all(french: Seeded) -> None:  # noqa: F811
    """The tag pickers of a conversation and the admins' channel pickers of the Team page."""
    team = signed_in(french, "ada", "inbox/ui/pages/team.py")
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER], at.session_state[SELECTED] = french.users["alice"], french.conversations["late"]
    with i18n.use_language("fr"):
        at.run().switch_page("inbox/ui/pages/conversation.py").run()
    pickers = [*team.multiselect, *at.multiselect]
    assert len(pickers) >= 3, [m.key for m in pickers]
    assert [m.key for m in pickers if m.proto.select_all != 0 or not m.placeholder] == []
