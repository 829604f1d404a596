"""A stream's last error on the Channels page in the admin's language: what happened and what to do.

The listener stores a failed read as ``<TypeName>: <the connector's words>`` (``AuthFailed: 401 …``) and a
page's trouble as the connector wrote it (``CyclingCursor: …``, ``EmptyPages: …``, ``HeldConvos: …``,
``HeldPosts: …``; lines joined by a newline). Each line is told from its first word; the connector's
English is kept as the technical detail, one click away. A line this table does not know is told as an
unexpected error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from inbox.i18n import N_, _, ngettext
from inbox.ui.common import md_escape

KINDS = {  # the error's first word -> (what happened, what to do)
    "AuthFailed": (
        N_("The platform refused the channel's credentials."),
        N_(
            "Check the credentials named above (their value and their rights on the account), then click "
            "Check connection. The stream is not read again until a person fixes them."
        ),
    ),
    "RateLimited": (
        N_("The platform's rate limit was reached."),
        N_("Nothing to do: the listener waits as long as the platform asks, then reads again by itself."),
    ),
    "Unavailable": (
        N_("The platform did not answer (server error, timeout or network)."),
        N_(
            "Nothing to do if it passes: the listener tries again, waiting longer each time. If it lasts, "
            "check the platform's status page and this server's network."
        ),
    ),
    "Redirected": (
        N_("The platform's address answered with a redirect to another address, which is not followed."),
        N_(
            "The listener tries again, waiting longer each time. If it lasts, check the base URL (the detail "
            "names where the redirect pointed) and any proxy in front of the platform."
        ),
    ),
    "BadPayload": (
        N_("The platform answered something its API never sends (often a proxy or gateway page)."),
        N_(
            "The listener tries again, waiting longer each time. If it lasts, check the base URL and any "
            "proxy in front of the platform."
        ),
    ),
    "Rejected": (
        N_("The platform refused the request."),
        N_("Check the channel's account and options in channels.toml; the request is not retried as is."),
    ),
    "NotFound": (
        N_("The platform says the account, page or resource does not exist."),
        N_("Check the channel's account, page or chat id and its base URL in channels.toml."),
    ),
    "EmptyPages": (
        N_("The platform answers empty pages that each name a next one (a faulty server or cache)."),
        N_(
            "Nothing is lost: newer messages are read at each poll, the older ones once the platform pages "
            "normally again. If it lasts, tell the platform's support or check the proxy's cache."
        ),
    ),
    "CyclingCursor": (
        N_("The platform's next page leads back to a page already read (a faulty cache or server)."),
        N_(
            "Nothing is lost: newer messages are read at each poll, the older ones once the platform pages "
            "normally again. If it lasts, tell the platform's support or check the proxy's cache."
        ),
    ),
}
REJECTED = {"Rejected", "XrpcRejected", "OutsideWindow", "Migrated"}  # the connectors' refusals
NOT_FOUND = re.compile(r"\b404\b|not found|does not exist|unknown (object|chat)", re.IGNORECASE)
HELD = re.compile(r"^(HeldConvos|HeldPosts): (\d+) ")
SINCE = re.compile(r" since (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z \(")
TRIES = re.compile(r"\((\d+) tries at most\)")


@dataclass(frozen=True, slots=True)
class Told:
    what: str
    todo: str
    detail: str  # the connector's own words


def _time(text: str, when: Callable[[datetime], str]) -> str | None:
    try:
        return when(datetime.fromisoformat(text).replace(tzinfo=UTC))
    except ValueError:  # not a date after all (any text can be a last error)
        return None


def _held(line: str, when: Callable[[datetime], str]) -> Told | None:
    """Convos (Bluesky) or posts (Facebook, Instagram) held apart while the others are read."""
    found = HELD.match(line)
    if found is None:
        return None
    n = int(found[2])
    if found[1] == "HeldConvos":
        what = ngettext(
            "{n} chat conversation cannot be read; the others are read.",
            "{n} chat conversations cannot be read; the others are read.",
            n,
        )
    else:
        what = ngettext(
            "The comments of {n} post cannot be listed; the other posts are read.",
            "The comments of {n} posts cannot be listed; the other posts are read.",
            n,
        )
    since, tries = SINCE.search(line), TRIES.search(line)
    done = ""
    if tries:
        count = int(tries[1])
        done = ngettext("{tries} try.", "{tries} tries.", count).format(tries=count)
        at = _time(since[1], when) if since else None
        if at:
            done = ngettext("Since {when}, {tries} try.", "Since {when}, {tries} tries.", count).format(
                when=at, tries=count
            )
    todo = _(
        "Nothing is lost: they are tried again, at least once an hour, and their messages since then are "
        "stored as soon as the platform answers. If it lasts, the detail names them for the platform's "
        "support."
    )
    return Told(what.format(n=n), f"{done} {todo}".strip(), line)


def tell(line: str, when: Callable[[datetime], str]) -> Told:
    """One line of a stream's last error in the reader's language."""
    held = _held(line, when)
    if held is not None:
        return held
    kind, sep, detail = line.partition(": ")
    kind = kind.strip() if sep else ""
    if kind in REJECTED:
        kind = "NotFound" if NOT_FOUND.search(detail) else "Rejected"
    what, todo = KINDS.get(
        kind,
        (
            N_("An unexpected error stopped this stream."),
            N_("The listener reads it again at the next poll; if it lasts, send the detail to your support."),
        ),
    )
    return Told(_(what), _(todo), line)


def _parts(error: str) -> list[str]:
    """The error's parts: a line starting with a word the table knows starts one, any other line (a
    platform's message on several lines) goes on the one before."""
    parts: list[str] = []
    for line in error.splitlines():
        head = line.partition(": ")[0]
        if not parts or head in KINDS or head in REJECTED or HELD.match(line):
            parts.append(line)
        else:
            parts[-1] += "\n" + line
    return [p for p in parts if p.strip()]


def told(error: str | None, when: Callable[[datetime], str]) -> list[Told]:
    return [tell(part, when) for part in _parts(error or "")]


def summary(error: str | None, when: Callable[[datetime], str]) -> str:
    """The table's cell: what happened, in words."""
    return " ".join(t.what for t in told(error, when))


def show(stream: str, error: str | None, when: Callable[[datetime], str]) -> None:
    """Each line of a stream's last error: what happened and what to do, the raw detail folded."""
    for t in told(error, when):
        st.warning(
            f"**{md_escape(stream)}** · {md_escape(t.what)} {md_escape(t.todo)}", icon=":material/error:"
        )
        with st.expander(_("Technical detail")):
            st.code(t.detail, language=None, wrap_lines=True)
