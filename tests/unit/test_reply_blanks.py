"""Texts sent with nobody to fill their blanks: a variable with no value leaves no brace and no stray
comma, space or signature mark (``inbox.replies.blanks``), for automatic messages and incident texts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inbox.desk.incidents.texts import addressed
from inbox.replies import composer
from inbox.replies.blanks import render_without_blanks


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("Bonjour {customer_name}, une panne touche Lyon.", {}, "Bonjour, une panne touche Lyon."),
        ("Merci {customer_name} ! C'est réparé. ^{agent_name}", {}, "Merci ! C'est réparé."),
        ("Thanks, {customer_name}! Fixed.", {}, "Thanks! Fixed."),
        ("{customer_name}, it is fixed.", {}, "it is fixed."),
        ("Hi {customer_name}, ref {ticket_ref}.", {"ticket_ref": "INB-000007"}, "Hi, ref INB-000007."),
        ("Hi {customer_name}, fixed.", {"customer_name": "Jane"}, "Hi Jane, fixed."),
        ("Braces {{kept}}, {customer_name}.", {}, "Braces {kept}."),
    ],
)
def test_a_blank_goes_with_its_comma_or_space(text: str, values: dict[str, str], expected: str) -> None:
    assert render_without_blanks(text, values) == expected


def test_an_incident_text_to_a_customer_with_no_name_shows_no_brace() -> None:
    """An incident's approved text reaches every member: one whose account gives no name gets no
    "{customer_name}" (it used to be sent as written)."""
    text = "Bonjour {customer_name}, la panne est réparée. Référence {ticket_ref}."
    values = composer.known_values(customer_name=None, handle=None, agent_name=None, conversation_id=42)
    assert addressed(text, values, "private") == "Bonjour, la panne est réparée. Référence INB-000042."
    named = composer.known_values(customer_name="Léa", handle="lea", agent_name=None, conversation_id=42)
    assert addressed(text, named, "public") == "@lea Bonjour Léa, la panne est réparée. Référence INB-000042."


WORDS = st.text(alphabet="abcdéàç !?.,:;'\n", max_size=12)
NAMES = st.sampled_from(["customer_name", "handle", "agent_name", "ticket_ref"])


@given(st.lists(st.one_of(WORDS, NAMES.map(lambda n: "{" + n + "}")), max_size=8), st.sets(NAMES))
def test_no_blank_variable_survives_and_known_values_stay(parts: list[str], known: set[str]) -> None:
    text = "".join(parts)
    values = {name: f"V{name.upper()}" for name in known}
    out = render_without_blanks(text, values)
    used = set(composer.variables(text))
    for name in used:
        assert (values[name] in out) if name in known else ("{" + name + "}" not in out)
    if used - known:  # a gap was mended
        assert "  " not in out and " ," not in out
