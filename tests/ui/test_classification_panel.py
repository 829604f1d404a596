"""The conversation page's classification panel (issues #14.5, #18.4), in English and in French: what the
classifier said about each customer message (rules and models named for what they are, the reason's score,
personal data) and a one-click correction that is stored, audited and followed by the conversation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, Message
from inbox.store.tables.corrections import ClassificationCorrection
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_actions, open_conv, seeded_app


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """The desk seed, its late conversation's message classified; alice works in French."""
    for seeded in seeded_app(db_url, monkeypatch):
        engine = open_engine(db_url)
        with Session(engine) as s, s.begin():
            m = s.exec(select(Message).where(Message.conversation_id == seeded.conversations["late"])).one()
            m.language, m.sentiment, m.urgency = "en", "negative", "high"
            m.urgency_reasons = ["rule:not_received", "rule:cannot_use", "model:urgency"]
            m.reason, m.reason_scores = "delivery_order", {"delivery_order": 0.83, "other": 0.17}
            m.pii = [{"kind": "order_ref", "start": 0, "end": 5}]
            s.add(m)
            seeded.conversations["late-message"] = m.id or 0
            preferences.set_language(s, seeded.users["alice"], "fr", by="test", by_role="admin")
        engine.dispose()
        yield seeded


def _shown(at: AppTest) -> str:
    """The page's markdown and captions as read on screen (Markdown escapes dropped)."""
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]).replace("\\", "")


def test_the_panel_shows_the_classification_in_english(seeded: Seeded) -> None:
    at = open_conv(app_as(seeded, "bruno"), seeded.conversations["late"])
    shown = _shown(at)
    assert "Contact reason: Delivery and order (score 83%)" in shown
    assert "phrase rule “not received”" in shown  # a team's own rule
    assert "phrase rule “service unusable”, and urgency model (trained on labelled support messages)" in shown
    assert "config/nlp.toml" not in shown  # a file agents never edit
    assert "Personal data: order reference" in shown
    assert at.pills(key=f"fix-urgency-{seeded.conversations['late-message']}").value == "high"
    assert at.pills(key=f"fix-reason-{seeded.conversations['late-message']}").value == "delivery_order"


def test_a_french_agent_corrects_the_urgency_in_one_click(seeded: Seeded, db_url: str) -> None:
    with i18n.use_language("fr"):  # the test's own formatting of widget values, as the page's
        at = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    shown = _shown(at)
    assert "Motif de contact\u00a0: Commande et livraison (score 83" in shown
    assert "règle d'expression «\u00a0service inutilisable\u00a0»" in shown
    assert "règle d'expression «\u00a0not received\u00a0»" in shown
    assert "inutilisable\u00a0» et modèle d'urgence" in shown and ";" not in shown  # a French list
    assert "Données personnelles\u00a0: référence de commande" in shown
    # the thread's note, in words
    assert "contient des données personnelles\u00a0: référence de commande" in shown
    with i18n.use_language("fr"):
        at.pills(key=f"fix-urgency-{seeded.conversations['late-message']}").set_value("low").run()
    assert not at.exception
    assert "Urgence — correction par Alice" in _shown(at)
    engine = open_engine(db_url)
    with Session(engine) as s:
        row = s.exec(select(ClassificationCorrection)).one()
        conv = s.get(Conversation, seeded.conversations["late"])
    engine.dispose()
    assert (row.actor, row.field, row.old, row.new) == ("alice", "urgency", "high", "low")
    assert conv is not None and conv.urgency == "low"
    assert "classification.corrected" in audit_actions(db_url)


def test_a_manager_sees_where_each_rule_is_written(seeded: Seeded) -> None:
    """Community managers write the phrase rules: they see each one's key in config/nlp.toml."""
    shown = _shown(open_conv(app_as(seeded, "maya"), seeded.conversations["late"]))
    assert "phrase rule “service unusable” (cannot_use in config/nlp.toml)" in shown


def test_a_corrected_reason_shows_no_model_score(seeded: Seeded) -> None:
    """Audit r20, UI finding 11: after an agent chose the reason, « (score 3 %) », the model's score for the
    agent's choice, read as if the agent were wrong."""
    at = open_conv(app_as(seeded, "bruno"), seeded.conversations["late"])
    at.pills(key=f"fix-reason-{seeded.conversations['late-message']}").set_value("billing_payment").run()
    assert not at.exception
    shown = _shown(at)
    assert "Contact reason: Billing and payment" in shown and "(score" not in shown
