"""The fields a template asks the agent to fill in are named in the agent's language, never by the
template's variable names ("customer_name", "refund_days")."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.replies.variable_labels import TEMPLATE_VARIABLE, variable
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, french_conversation, open_conv


def field_labels(at: AppTest, conv_id: int) -> list[str]:
    prefix = f"composer-{conv_id}-var-"
    return [t.label for t in at.text_input if str(t.key).startswith(prefix)]


def test_a_french_agent_fills_in_french_fields(seeded: Seeded, db_url: str) -> None:
    conv_id = seeded.conversations["dm"]
    at = french_conversation(seeded, db_url, "alice", conv_id)
    with i18n.use_language("fr"):
        at.selectbox(key=f"composer-{conv_id}-template").select("remboursement-mp-fr").run()
    assert not at.exception
    assert field_labels(at, conv_id) == [
        "Nom du client",  # known: filled in from the profile and the agent
        "Nom du conseiller",
        "Montant (à compléter)",
        "Délai de remboursement (jours) (à compléter)",
        "Référence du dossier",
    ]


def test_an_english_agent_reads_words_not_variable_names(seeded: Seeded) -> None:
    conv_id = seeded.conversations["dm"]
    at = open_conv(app_as(seeded, "alice"), conv_id)
    at.selectbox(key=f"composer-{conv_id}-template").select("remboursement-mp-fr").run()
    assert field_labels(at, conv_id) == [
        "Customer name",
        "Agent name",
        "Amount (fill in)",
        "Refund days (fill in)",
        "Ticket reference",
    ]


def test_every_shipped_variable_has_a_word_and_an_unknown_one_reads_as_words() -> None:
    with i18n.use_language("fr"):
        assert variable("customer_name") == "Nom du client"
        assert all(variable(name) != name for name in TEMPLATE_VARIABLE)
    assert variable("loyalty_points") == "Loyalty points"
