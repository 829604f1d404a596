"""French as a French reader writes it (audit r20, UI finding 13): no "que agent", feminine filters say
"Toutes", "1 min restante", a similarity threshold in percent, snooze times in French."""

from __future__ import annotations

from datetime import timedelta

import pytest

from inbox import i18n
from inbox.ui.common import time_left
from tests.support.seed_desk import Seeded
from tests.ui.test_ui_french import french, signed_in  # noqa: F401 (french: a fixture)


def test_the_sidebar_names_the_account_without_a_missing_elision(french: Seeded) -> None:  # noqa: F811
    at = signed_in(french, "alice")
    said = " ".join(c.value for c in at.sidebar.caption)
    assert "alice" in said and "en tant que" not in said, said


def test_feminine_filters_say_toutes(french: Seeded) -> None:  # noqa: F811
    at = signed_in(french, "alice")
    first = {k: at.selectbox(key=f"q-{k}").options[0] for k in ("urgency", "sentiment", "language", "source")}
    assert first == dict.fromkeys(first, "Toutes")
    assert at.selectbox(key="q-channel").options[0] == "Tous"  # le canal
    assert at.selectbox(key="q-reason").options[0] == "Tous"  # le motif


@pytest.mark.parametrize(
    ("left", "fr", "en"),
    [
        (timedelta(minutes=1), "1 min restante", "1 min left"),
        (timedelta(minutes=12), "12 min restantes", "12 min left"),
        (timedelta(seconds=1), "1 s restante", "1 s left"),
        (timedelta(hours=2, minutes=1), "2 h 01 min restante", "2 h 01 min left"),
    ],
)
def test_time_left_agrees_with_its_number(left: timedelta, fr: str, en: str) -> None:
    with i18n.use_language("fr"):
        assert time_left(left) == fr
    with i18n.use_language("en"):
        assert time_left(left) == en


def test_the_incident_threshold_is_a_percentage(french: Seeded) -> None:  # noqa: F811
    at = signed_in(french, "maya", "inbox/ui/pages/incidents.py")
    slider = at.slider(key="inc-threshold")
    assert slider.value == 20 and slider.proto.format == "%d %%"  # "20 %", not "0.20"


def test_snooze_mornings_in_french_time(french: Seeded) -> None:  # noqa: F811
    from inbox.ui.common import SELECTED

    at = signed_in(french, "alice")
    with i18n.use_language("fr"):
        at.session_state[SELECTED] = french.conversations["late"]
        at.switch_page("inbox/ui/pages/conversation.py").run()
    labels = [b.label for b in at.button if str(b.key).startswith("snooze-")]
    assert "Demain 09:00" in labels and "Lundi prochain 09:00" in labels, labels


def test_a_number_stays_on_the_line_of_its_n_degree_sign() -> None:
    """The conversation's title broke as "conversation n°" / "81" (UI review 22): in every French string,
    "n°" is held to its number by a no-break space."""
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as f:
        catalog = read_po(f, locale="fr", domain=i18n.DOMAIN)
    texts = [t for m in catalog if m.id for t in (m.string if isinstance(m.string, tuple) else (m.string,))]
    assert [t for t in texts if t and "n° " in t] == []
    with i18n.use_language("fr"):
        assert i18n._("conversation #{id}").format(id=81) == "conversation n°\xa081"


def test_the_conversation_title_keeps_its_number_whole(french: Seeded) -> None:  # noqa: F811
    from inbox.ui.common import SELECTED

    at = signed_in(french, "alice")
    with i18n.use_language("fr"):
        at.session_state[SELECTED] = french.conversations["late"]
        at.switch_page("inbox/ui/pages/conversation.py").run()
    title = next(m.value for m in at.markdown if m.value.startswith("## "))
    assert f"n°\xa0{french.conversations['late']}" in title, title


def test_an_unassigned_conversation_says_so_as_the_queue_does(french: Seeded) -> None:  # noqa: F811
    """The walk of 8 Dec.: the queue's row said « Non attribuée » and the conversation's header « Ouverte ·
    attribuée à personne » (assigned to nobody, word for word); it now says « non attribuée » too."""
    from inbox.ui.common import SELECTED

    at = signed_in(french, "alice")
    with i18n.use_language("fr"):
        at.session_state[SELECTED] = french.conversations["late"]
        at.switch_page("inbox/ui/pages/conversation.py").run()
    header = next(m.value for m in at.markdown if ":gray-badge[" in m.value and "Ouverte" in m.value)
    assert header.endswith("· non attribuée"), header
