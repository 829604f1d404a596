"""Whether a draft is written in another language than the customer's (issue #14.3): pure.

The composer warns before such a reply goes out and asks the agent to confirm it. The draft's language is
what the classifier's detector reads in it; where the detector cannot tell ("und", a very short text), the
template's declared language, if one was used. Languages compare by their base code ("en_US" is "en";
``inbox.nlp.reply_language.base_code``).
"""

from __future__ import annotations

from collections.abc import Callable

from inbox.nlp.reply_language import base_code


def draft_language(
    text: str, detect: Callable[[str], str] | None, template_language: str | None
) -> str | None:
    """The draft's language: detected, else the template's; None when neither can tell."""
    found = base_code(detect(text)) if detect is not None and text.strip() else None
    return found or base_code(template_language)


def other_language(
    text: str, customer: str | None, detect: Callable[[str], str] | None, template_language: str | None = None
) -> str | None:
    """The draft's language when it is known and is not the customer's (``customer``: the conversation's
    language); None when they agree or either is unknown."""
    theirs, ours = base_code(customer), draft_language(text, detect, template_language)
    return ours if theirs and ours and ours != theirs else None
