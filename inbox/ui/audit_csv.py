"""The audit log page's CSV download, as the reader's spreadsheet opens it (audit r20, UI finding 8).

First what people read, in their language, as the page shows it: the time in the team's time zone (named in
the header: « Quand (Europe/Paris) »), who by the name colleagues know, the action, the subject and the
details in words. Then the log's stable columns for scripts, under the names ``inbox audit`` writes: ``at``
(ISO 8601, UTC), ``actor`` (the user name), ``action`` (the key, e.g. ``conversation.auto_assigned``),
``target`` and ``detail`` (JSON). In French, ``;`` between cells; a byte-order mark so Excel reads accents.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from inbox import i18n
from inbox.i18n import _
from inbox.privacy.audit_labels import action_label, subject_label
from inbox.privacy.audit_log import COLUMNS, flat
from inbox.spreadsheet import safe_cell
from inbox.ui.audit_details import Users, detail_words

LOCAL = "%Y-%m-%d %H:%M:%S"  # a date and time every spreadsheet reads, in either language


def _local(at: object, zone: ZoneInfo) -> str:
    if not isinstance(at, datetime):
        return str(at or "")
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone).strftime(LOCAL)


def spreadsheet(
    rows: Sequence[dict[str, Any]], users: Users, who: Callable[[str], str], zone: ZoneInfo
) -> str:
    """``rows`` (``audit_log.search``'s) as CSV text; ``who`` names an actor as the page does."""
    header = [
        _("When ({zone})").format(zone=zone.key),
        _("Who"),
        _("Action"),
        _("Subject"),
        _("Details"),
        *COLUMNS,
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if i18n.current() == "fr" else ",", lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        stable = flat(row)
        action, detail = str(row["action"]), str(row["detail"])
        people = [
            _local(row["at"], zone),
            who(str(row["actor"])),
            action_label(action),
            subject_label(str(row["target"]), users),
            detail_words(action, detail, users),
        ]
        writer.writerow([safe_cell(cell) for cell in [*people, *(stable[c] for c in COLUMNS)]])
    return "\ufeff" + out.getvalue()
