"""The Incidents page (AppTest): a manager declares an incident, confirms the proposed conversations, answers
them in each language and closes it; in English and in French."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, Incident, IncidentMember, OutboundReply
from tests.support.seed_desk import Seeded, add_conversation
from tests.support.ui import app_as, audit_actions, database, open_conv
from tests.ui.test_ui_french import english_in, french, shown, signed_in  # noqa: F401 (french: a fixture)

PAGE = "inbox/ui/pages/incidents.py"
OUTAGE = [
    ("camille", "fr", "@AcmeCare encore une panne internet à Lyon, plus de connexion depuis ce matin"),
    ("hugo", "fr", "@AcmeCare ma box est en panne, pas d'internet dans tout Lyon !"),
    ("emma", "en", "@AcmeCare internet down in Lyon since this morning, the box is blinking red"),
]


def add_outage(db_url: str, seeded: Seeded) -> dict[str, int]:
    """Three customers write about the outage in the last half hour."""
    engine = open_engine(db_url)
    at = datetime.now(UTC) - timedelta(minutes=30)
    out = {}
    with Session(engine) as s, s.begin():
        for n, (handle, language, text) in enumerate(OUTAGE):
            received = at + n * timedelta(minutes=1)
            out[handle] = add_conversation(
                s,
                seeded.channel_id,
                handle=handle,
                text=text,
                received=received,
                due=received + timedelta(hours=1),
                language=language,
            )
    engine.dispose()
    return out


@pytest.fixture
def outage(seeded: Seeded, db_url: str) -> dict[str, int]:
    return add_outage(db_url, seeded)


def _page(at: AppTest) -> AppTest:
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _declare(at: AppTest, title: str) -> AppTest:
    at.text_input(key="inc-title").input(title)
    at.text_area(key="inc-desc").input("Plus d'internet ni de connexion sur les box à Lyon")
    return at.button(key="inc-declare").click().run()


def test_a_manager_answers_the_outage_and_closes_it(
    seeded: Seeded, outage: dict[str, int], db_url: str
) -> None:
    at = _page(app_as(seeded, "maya"))
    assert at.title[0].value == "Incidents"
    assert "No incident yet" in at.info[0].value
    _declare(at, "Box outage in Lyon")
    assert at.success[0].value.startswith("Incident declared")
    ticked = {int(str(c.key).split("-")[2]): c.value for c in at.checkbox if str(c.key).startswith("cand-")}
    assert {k for k, v in ticked.items() if v} == set(outage.values())  # the parcel, the bill and the DM: not
    assert set(ticked) > set(outage.values())
    at.button(key="inc-add-1").click().run()
    assert at.success[0].value == "3 conversations added to the incident."
    at.text_area(key="inc-text-reply-1-fr-public").input("Une panne touche Lyon : nos équipes interviennent.")
    at.text_area(key="inc-text-reply-1-en-public").input("An outage is affecting Lyon: our teams are on it.")
    at.button(key="inc-send-reply-1").click().run()
    assert at.success[0].value == "Reply approved and sent. 3 messages queued, 0 skipped."
    assert [m.value for m in at.metric][:2] == ["3", "3"]
    at.text_area(key="inc-text-resolution-1-fr-public").input("La panne à Lyon est réparée.")
    at.text_area(key="inc-text-resolution-1-en-public").input("The Lyon outage is fixed.")
    at.button(key="inc-send-resolution-1").click().run()
    assert at.success[0].value.startswith("Incident closed. 3 messages queued")
    with database(db_url) as s:
        keys = sorted(r.idempotency_key for r in s.exec(select(OutboundReply)))
        incident = s.exec(select(Incident)).one()
        statuses = {
            c.status for c in s.exec(select(Conversation).where(col(Conversation.id).in_(outage.values())))
        }
    assert keys == sorted(f"incident-1-{p}-{c}" for p in ("reply", "resolution") for c in outage.values())
    assert incident.status == "closed" and statuses == {"resolved"}
    said = " ".join(c.value for c in at.caption)  # as colleagues know her, not her login (audit r20, 14)
    assert "Declared by Maya on " in said and "closed by Maya on " in said and "by maya" not in said
    history = at.dataframe[0].value  # every incident with its figures
    assert list(history.columns) == [
        "Incident",
        "Declared",
        "Conversations",
        "Customers",
        "First reply",
        "Resolution time",
    ]
    assert (
        history.iloc[0]["Incident"] == "#1 · Box outage in Lyon (closed)"
        and history.iloc[0]["Conversations"] == 3
    )
    assert "incident.closed" in audit_actions(db_url) and audit_actions(db_url).count("incident.joined") == 3


def test_a_refused_text_is_not_approved_and_says_why(seeded: Seeded, outage: dict[str, int]) -> None:
    at = _page(app_as(seeded, "maya"))
    _declare(at, "Box outage in Lyon")
    at.button(key="inc-add-1").click().run()
    at.text_area(key="inc-text-reply-1-en-public").input("Sorry! " * 60)  # longer than X's 280
    at.button(key="inc-send-reply-1").click().run()
    assert at.error[0].value.startswith("Not approved:") and "280" in at.error[0].value


@pytest.fixture
def french_outage(french: Seeded, db_url: str) -> Iterator[Seeded]:  # noqa: F811 (the imported fixture)
    add_outage(db_url, french)
    yield french


def test_the_incidents_page_speaks_french(french_outage: Seeded) -> None:
    at = signed_in(french_outage, "maya", PAGE)
    assert at.title[0].value == "Incidents" and at.expander[0].label == "Déclarer un incident"
    with i18n.use_language("fr"):
        _declare(at, "Panne des box à Lyon")
        at.button(key="inc-add-1").click().run()
    assert not at.exception
    assert at.success[0].value == "3 conversations ajoutées à l'incident."
    assert [t.label for t in at.tabs] == ["Conversations proposées", "Dans l'incident", "Réponse", "Clôture"]
    assert [m.label for m in at.metric] == [
        "Conversations",
        "Clients",
        "Première réponse",
        "Délai de résolution",
    ]
    assert english_in(shown(at)) == []
    labels = [str(c.label) for c in at.checkbox if str(c.key).startswith("cand-")]
    assert labels and all(re.search(r"similarité \d,\d\d", label) for label in labels)  # a French decimal
    [counts] = [c.value for c in at.caption if "depuis le début" in c.value]
    fitting = re.match(r"(\d+) conversations? sur \d+ depuis le début (correspond|correspondent) ", counts)
    assert fitting and fitting[2] == ("correspond" if int(fitting[1]) < 2 else "correspondent"), counts
    assert counts.endswith(f"Les {len(labels)} plus proches sont listées."), counts


def test_agents_have_no_incidents_page(seeded: Seeded) -> None:
    agent = app_as(seeded, "alice")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        agent.switch_page(PAGE)
    assert _page(app_as(seeded, "maya")).title[0].value == "Incidents"


def test_a_member_conversation_says_it_is_in_the_incident(seeded: Seeded, outage: dict[str, int]) -> None:
    at = _page(app_as(seeded, "maya"))
    _declare(at, "Box outage in Lyon")
    at.button(key="inc-add-1").click().run()
    at.selectbox(key="inc-out-1").set_value(outage["emma"])
    at.button(key="inc-open-1").click().run()
    assert not at.exception
    assert at.info[0].value == (
        "Part of incident #1 “Box outage in Lyon”. "
        "The incident's reply goes to this customer once a manager approves it."
    )
    other = open_conv(app_as(seeded, "maya"), seeded.conversations["late"])
    assert not any("Part of incident" in i.value for i in other.info)


def test_moving_the_threshold_ticks_again_and_a_hand_tick_is_added(
    seeded: Seeded, outage: dict[str, int], db_url: str
) -> None:
    at = _page(app_as(seeded, "maya"))
    _declare(at, "Box outage in Lyon")
    at.slider(key="inc-thr-1").set_value(90).run()
    proposals = [c for c in at.checkbox if str(c.key).startswith("cand-1-")]
    assert proposals and not any(c.value for c in proposals)  # none is that close
    at.checkbox(key=f"cand-1-{outage['emma']}-t90").check().run()
    at.button(key="inc-add-1").click().run()
    assert at.success[0].value == "1 conversation added to the incident."
    with database(db_url) as s:
        assert set(s.exec(select(IncidentMember.conversation_id))) == {outage["emma"]}


def test_declare_clicked_twice_makes_one_incident(
    seeded: Seeded, outage: dict[str, int], db_url: str
) -> None:
    """Audit r20, UI finding 2: the form is emptied once declared, and the same title again while that
    incident is open and was declared minutes ago is refused with its number."""
    at = _page(app_as(seeded, "maya"))
    _declare(at, "Box outage in Lyon")
    assert at.text_input(key="inc-title").value == "" and at.text_area(key="inc-desc").value == ""
    at.button(key="inc-declare").click().run()  # the second click of an impatient manager
    _declare(at, "box outage in lyon ")  # typed again
    assert any("#1" in e.value and "already open" in e.value for e in at.error), [e.value for e in at.error]
    with database(db_url) as s:
        assert len(list(s.exec(select(Incident)))) == 1
