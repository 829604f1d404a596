"""Chat convos the chat service refuses to read, held apart from the dms sweep: pure, no I/O.

One convo whose ``getMessages`` fails at every read (a 5xx or a 4xx for that convo alone) must not stop the
others. It is held in the dms cursor (``"held"``) with the watermark of the sweep that first failed on it,
tried again with back-off (``RETRY_BASE`` doubling up to ``RETRY_CAP``), and named in the page's
``Batch.trouble`` (the Channels page's last error) while held. Once it answers, its messages since that
watermark are read, so none written meanwhile is lost (those read twice are stored once by the inbox).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from connectors.bluesky.sweep import Sweep

RETRY_BASE, RETRY_CAP = 60.0, 3600.0  # seconds
RETRIES_PER_PAGE = 10  # held convos tried again in one fetch, the others at the next
MAX_HELD = 200  # beyond this the oldest entries are dropped; a cursor stays small
HELD = "HeldConvos"  # the trouble's first word: the Channels page tells it in the admin's language


@dataclass(frozen=True, slots=True)
class Held:
    convo: dict[str, Any]  # the convo's id and its members' DIDs, enough to read and parse its messages
    seen: str | None  # the sweep's watermark when it was first refused (ISO 8601), None on a cold start
    ids: tuple[str, ...]  # ids at exactly ``seen`` already read
    since: str  # when it was first refused
    tries: int
    retry_at: str
    error: str

    def due(self, now: datetime) -> bool:
        return datetime.fromisoformat(self.retry_at) <= now

    def sweep(self) -> Sweep:
        """A sweep reading this convo back to where the dms sweep stood when it was first refused."""
        seen = datetime.fromisoformat(self.seen) if self.seen else None
        return Sweep(seen, frozenset(self.ids))


def load(cursor: str | None) -> dict[str, Held]:
    """The held convos a dms cursor carries (none in a cursor written before them, or a spoilt one)."""
    try:
        state = json.loads(cursor) if cursor else {}
        rows = state.get("held") or {}
        return {str(k): Held(**{**v, "ids": tuple(v.get("ids") or ())}) for k, v in rows.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def with_held(cursor: str, held: Mapping[str, Held]) -> str:
    """``cursor`` (a sweep's JSON) carrying ``held`` (the latest refused ``MAX_HELD``)."""
    state = json.loads(cursor)
    if held:
        keep = sorted(held.items(), key=lambda kv: kv[1].since)[-MAX_HELD:]
        state["held"] = {k: asdict(v) | {"ids": list(v.ids)} for k, v in keep}
    return json.dumps(state)


def hold(held: Held | None, convo: Mapping[str, Any], sweep: Sweep, error: Exception, now: datetime) -> Held:
    """The entry after one more refusal: the first one keeps the sweep's watermark, each doubles the wait."""
    tries = (held.tries if held else 0) + 1
    wait = min(RETRY_CAP, RETRY_BASE * 2 ** min(tries - 1, 20))
    members: Any = convo.get("members") if isinstance(convo.get("members"), list) else []
    dids = [{"did": m["did"]} for m in members if isinstance(m, Mapping) and isinstance(m.get("did"), str)]
    view = {"id": str(convo.get("id")), "members": dids}  # DIDs only: no names kept in a cursor
    seen = sweep.seen.isoformat() if sweep.seen else None
    return Held(
        convo=held.convo if held else view,
        seen=held.seen if held else seen,
        ids=held.ids if held else tuple(sorted(sweep.seen_ids)),
        since=held.since if held else now.isoformat(),
        tries=tries,
        retry_at=(now + timedelta(seconds=wait)).isoformat(),
        error=str(error)[:300],
    )


def trouble(held: Mapping[str, Held]) -> str | None:
    """What the admin reads while convos are held: which, since when, the next try and the last error."""
    if not held:
        return None
    parts = [
        f"chat convo {cid} unreadable since {h.since[:19]}Z ({h.tries} tries, next at {h.retry_at[11:19]}Z): "
        f"{h.error}"
        for cid, h in sorted(held.items(), key=lambda kv: kv[1].since)[:3]
    ]
    more = f" (and {len(held) - 3} more)" if len(held) > 3 else ""
    first, tries = min(h.since for h in held.values())[:19], max(h.tries for h in held.values())
    head = f"{HELD}: {len(held)} chat convo(s) held back since {first}Z ({tries} tries at most)"
    return head + ", the others are read: " + "; ".join(parts) + more
