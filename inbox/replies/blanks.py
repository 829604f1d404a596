"""Texts sent with nobody to fill their blanks (automatic messages, an incident's text sent to every member).

Rule: a variable with no value is left out together with the comma or space just before it ("Acme,
{customer_name}!" → "Acme!", "Bonjour {customer_name}, merci" → "Bonjour, merci"), and what its gap leaves is
mended: no double space, no space before a comma or full stop, no comma doubled or before a full stop, none
opening a line, no bare signature mark ("^") ending a line, no space at either end of a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from inbox.replies import composer


def blank_variables(text: str, values: Mapping[str, str]) -> set[str]:
    """The variables ``text`` uses that have no value in ``values``."""
    return {name for name in composer.variables(text) if not values.get(name, "").strip()}


def drop(text: str, names: Iterable[str]) -> str:
    """``text`` without the variables ``names`` and the comma or space just before each."""
    for name in names:
        text = re.sub(r",? ?(?<!\{)\{" + re.escape(name) + r"\}(?!\})", "", text)
    return text


def mend(text: str) -> str:
    """The gaps left by dropped variables mended (the module's rule)."""
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r" +([,.])", r"\1", text)
    text = re.sub(r",+(\.)?", lambda m: m.group(1) or ",", text)
    text = re.sub(r"(?m)^[ ,]+", "", text)
    text = re.sub(r"(?m) *\^ *$", "", text)
    return "\n".join(line.strip(" ") for line in text.split("\n")).strip()


def render_without_blanks(text: str, values: Mapping[str, str]) -> str:
    """``text`` filled with ``values``; the variables with none left out and their gaps mended."""
    blank = blank_variables(text, values)
    filled = composer.render(drop(text, blank), values)
    return mend(filled) if blank else filled
