"""Why a reply was not delivered, in the page's language (audit r20, UI finding 3), and whether Retry can
help. The outbox keeps the connector's error as ``"<Kind>: <platform's words>"`` (``inbox.outbox.delivery``):
``Rejected`` is a 4xx refusal of the request itself, never retried as is (``connectors.base``), so no Retry
is offered for it; the others (unavailable, rate limited, credentials, uncertain) may go through later."""

from __future__ import annotations

import streamlit as st

from inbox.i18n import _
from inbox.outbox.schedule import (
    ANSWERS_DELETED,
    ERASED_MID_SEND,
    NAMED_ERASED,
    OPTED_OUT,
    erased,
    never_again,
)
from inbox.ui.common import md_escape

REJECTED = "Rejected: "
NOT_RUNNING = "is not running"  # delivery's own Rejected while a channel has no credentials: fixable
UNCERTAIN = "delivery uncertain"


# A platform's refusal we can name: a code in its words, and what it means for the agent
def _gone() -> str:
    return _(
        "The message you answered is no longer on the platform (deleted by the customer, hidden or made "
        "private): a reply to it cannot be sent. Answer in private if the customer still needs one."
    )


KNOWN = {
    "(#10900)": lambda: _(
        "Instagram allows only one private reply per comment, and this comment already has one: "
        "continue in the customer's DM conversation."
    ),
    "does not exist or is not visible": _gone,  # X: the post was deleted, hidden or its account protected
    "message to be replied not found": _gone,  # Telegram
}


def refused(error: str | None) -> bool:
    """The platform refused the request itself: sending it again as it is would be refused again (or the
    customer's erasure stopped it: nothing is left to send)."""
    if never_again(error):
        return True
    return bool(error) and str(error).startswith(REJECTED) and NOT_RUNNING not in str(error)


def explained(error: str | None) -> str:
    """What happened, in the page's language."""
    raw = error or ""
    if raw.startswith(OPTED_OUT):
        return _(
            "Not sent: the customer opted out of automatic messages (STOP) before this one left. "
            "Answer them yourself if they still need an answer."
        )
    if raw.startswith(ANSWERS_DELETED):
        return _(
            "Not sent: the customer deleted the message this reply answers. "
            "Write to them in private if they still need an answer."
        )
    if raw.startswith(NAMED_ERASED):
        return _(
            "Not sent: it named a customer whose data was erased since, and their name is now [erased] in "
            "it. Write another reply if this customer still needs one."
        )
    if raw.startswith(ERASED_MID_SEND):
        return _(
            "The customer's data was erased at their request while this reply was being sent: it may be on "
            "the platform. Check the thread there and delete it if it is."
        )
    if erased(raw):
        return _(
            "Not sent: the customer's data was erased at their request (right to erasure) before this reply "
            "left. Nothing is left to send."
        )
    if refused(raw):
        known = next((said() for code, said in KNOWN.items() if code in raw), None)
        return _("Not delivered: the platform refused this message. {why}").format(
            why=known or _("Sending it again as it is would be refused again: write another reply if needed.")
        )
    if raw.startswith("AuthFailed: "):
        return _("Not delivered: the platform refused the channel's credentials. An admin must check them.")
    if raw.startswith(("Unavailable: ", "RateLimited: ")):
        return _("Not delivered: the platform was unavailable at each attempt. You can retry now.")
    if raw.startswith(UNCERTAIN):
        return _(
            "Delivery uncertain: the platform may have it. Check the thread on the platform before retrying."
        )
    return _("Not delivered: {error}").format(error=md_escape(raw or _("unknown error")))


def show(error: str | None, details: bool) -> None:
    """The explanation; ``details``: the platform's own words too, folded (admins)."""
    st.error(explained(error), icon=":material/error:")
    if details and error:
        with st.expander(_("The platform's error (technical)")):
            st.code(error, language=None, wrap_lines=True)
