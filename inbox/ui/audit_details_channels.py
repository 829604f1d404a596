"""The audit log's details in words for the channels' actions (also shown under each channel on the Channels
page): "12 016 lectures sur 15 000 en décembre 2026", not ``reads_used 12016, budget 15000, month 2026-12``.

Each function returns None for a shape it does not know; the caller then shows what was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from babel.dates import format_date

from inbox import i18n
from inbox.config.platforms import platform_label
from inbox.i18n import N_, _, number

Users = Mapping[int, str]
PAUSED = {"listening": N_("Listening paused"), "sending": N_("Sending paused")}  # the Channels page's words
RESUMED = {"listening": N_("Listening on"), "sending": N_("Sending on")}


def _budget(d: Mapping[str, Any], users: Users) -> str | None:
    try:
        year, month = (int(part) for part in str(d["month"]).split("-"))
        used, budget = int(d["reads_used"]), int(d["budget"])
        when = format_date(date(year, month, 1), "LLLL y", locale=i18n.current())
    except (KeyError, ValueError, TypeError):
        return None
    return _("{used} of {budget} reads in {month}").format(
        used=number(used), budget=number(budget), month=when
    )


def _checked(d: Mapping[str, Any], users: Users) -> str | None:
    if "ok" not in d:
        return None
    said = _("Connected as {account}") if d["ok"] else _("Connection failed: {error}")
    return said.format(account=d.get("result"), error=d.get("result"))


def _switched(words: Mapping[str, str]) -> Callable[[Mapping[str, Any], Users], str | None]:
    def say(d: Mapping[str, Any], users: Users) -> str | None:
        what = d.get("what")
        return _(words[what]) if isinstance(what, str) and what in words else None

    return say


def _added(d: Mapping[str, Any], users: Users) -> str | None:
    if "platform" not in d:
        return None
    return f"{platform_label(str(d['platform']))} @{d.get('account', '')}"


WORDS: dict[str, Callable[[Mapping[str, Any], Users], str | None]] = {
    "budget.warning": _budget,
    "channel.checked": _checked,
    "channel.paused": _switched(PAUSED),
    "channel.resumed": _switched(RESUMED),
    "channel.added": _added,
}
