"""The scheduled report's digest (``inbox report --send``): a Slack/Teams-compatible JSON body. Pure.

``text`` is what Slack and Teams incoming webhooks show (a few lines, ``*bold*`` headings), in the current
language (``inbox.i18n``); ``digest`` holds the same figures under stable keys for scripts. It says:
attainment against each service-level goal, the charter's targets (first response, next response,
resolution), the backlog and the breaches (now, and missed in the period), satisfaction, and the top contact
reasons when messages carry one, each with its change: its share of the classified customer messages minus
its share in the period of the same length just before (``inbox.reports.period.before``), in percentage
points. Names from configuration are quoted with Slack's three escapes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from inbox.i18n import _, day, ngettext, number, percent
from inbox.reports.channel_filter import channels_text
from inbox.reports.labels import METRICS, REASONS, SURVEYS, goal_name
from inbox.reports.period import Period
from inbox.reports.reasons import ReasonShare
from inbox.reports.report import LiveReport, PeriodReport
from inbox.reports.rows import UNCLASSIFIED
from inbox.reports.stats import ratio
from inbox.reports.targets_kpis import ALL, by_metric

TOP_REASONS = 3


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True, slots=True)
class TopReason:
    reason: str
    messages: int
    share: float | None  # of the period's classified customer messages
    previous_messages: int  # in the period just before
    change: float | None  # share minus the share just before (fractions); None: nothing classified then


def _classified(shares: Iterable[ReasonShare]) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for share in shares:
        if share.reason != UNCLASSIFIED:
            sums[share.reason] += share.messages
    return sums


def top_reasons(
    r: PeriodReport, previous: Sequence[ReasonShare] = (), n: int = TOP_REASONS
) -> list[TopReason]:
    """The ``n`` most frequent contact reasons over every channel (unclassified left out), with their share of
    the classified messages and its change since ``previous`` (the reason mix of the period before)."""
    now, before = _classified(r.reasons), _classified(previous)
    total, total_before = sum(now.values()), sum(before.values())
    ranked = sorted(now.items(), key=lambda item: (-item[1], item[0]))[:n]
    out = []
    for reason, count in ranked:
        share, earlier = ratio(count, total), ratio(before.get(reason, 0), total_before)
        change = None if share is None or earlier is None else share - earlier
        out.append(TopReason(reason, count, share, before.get(reason, 0), change))
    return out


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _machine(
    r: PeriodReport, live: LiveReport, reasons: list[TopReason], before: Period | None
) -> dict[str, Any]:
    metrics = by_metric(r.targets)
    return {
        "period": {"first_day": r.period.first_day.isoformat(), "last_day": r.period.last_day.isoformat()},
        "channel": r.channel,
        "goals": [
            {
                "goal": g.name,
                "percent": g.goal.percent,
                "within_minutes": g.goal.within_minutes,
                "within": g.within,
                "late": g.late,
                "attainment_pct": None if g.attainment is None else round(100 * g.attainment, 1),
                "met": g.met,
            }
            for g in r.goals
            if g.channel == ALL
        ],
        "targets": {m: {"met": c.met, "missed": c.missed, "waiting": c.waiting} for m, c in metrics.items()},
        "backlog": {"waiting": live.waiting, "at_risk": live.at_risk_count, "breached": live.breached_count},
        "breaches": sum(c.missed for c in metrics.values()),
        "satisfaction": [
            {
                "survey": s.kind,
                "sent": s.sent,
                "answered": s.answered,
                "csat_pct": s.scores.csat,
                "nps": s.scores.nps,
                "ces_mean": s.scores.ces,
            }
            for s in r.satisfaction.overall
        ],
        "top_reasons": [
            {
                "reason": t.reason,
                "messages": t.messages,
                "share_pct": _pct(t.share),
                "previous_messages": t.previous_messages,
                "change_pts": _pct(t.change),
            }
            for t in reasons
        ],
        "compared_with": None
        if before is None
        else {"first_day": before.first_day.isoformat(), "last_day": before.last_day.isoformat()},
    }


def _goal_lines(r: PeriodReport) -> list[str]:
    lines = []
    for g in (g for g in r.goals if g.channel == ALL):
        verdict = (
            _("not judged yet")
            if g.met is None
            else (_(":white_check_mark: met") if g.met else _(":x: not met"))
        )
        lines.append(
            _("• {name}: {rate} within {minutes} min (goal {goal}): {verdict}").format(
                name=_escape(goal_name(g.name)),
                rate=percent(g.attainment),
                minutes=g.goal.within_minutes,
                goal=percent(g.goal.percent / 100, 0),
                verdict=verdict,
            )
        )
    return lines


def _span(period: Period) -> str:
    first, last = day(period.first_day), day(period.last_day)
    return first if first == last else _("{first} to {last}").format(first=first, last=last)


def _reason_word(reason: str) -> str:
    return _(REASONS[reason]) if reason in REASONS else _escape(reason)


def _change(points: float | None) -> str:
    if points is None:
        return ""
    signed = ("+" if points >= 0 else "-") + number(abs(points), 1)
    return " " + _("({change} pts)").format(change=signed)


def _reason_lines(reasons: list[TopReason], before: Period | None) -> list[str]:
    if not reasons:
        return []
    shown = ", ".join(
        f"{_reason_word(t.reason)} {percent(t.share, 0)}{_change(_pct(t.change))}" for t in reasons
    )
    lines = [_("*Top contact reasons*: {reasons}").format(reasons=shown)]
    if before is not None and any(t.change is not None for t in reasons):
        lines.append(_("Change: points of share against {span}.").format(span=_span(before)))
    return lines


def digest_payload(
    r: PeriodReport,
    live: LiveReport,
    previous: Sequence[ReasonShare] = (),
    before: Period | None = None,
) -> dict[str, Any]:
    """The body to post for the period report ``r`` and the live state ``live``; ``previous`` is the reason
    mix of ``before``, the period of the same length just before (the top reasons' change)."""
    span = _span(r.period)
    where = _(" · channel {name}").format(name=_escape(channels_text(r.channel))) if r.channel else ""
    lines = [_("*Customer service report, {span}*{where}").format(span=span, where=where)]
    lines += [_("*Service-level goals*"), *_goal_lines(r)]
    metrics = by_metric(r.targets)
    lines.append(_("*Charter targets*"))
    for metric, c in metrics.items():
        lines.append(
            _("• {metric}: {rate} on time ({met} of {judged})").format(
                metric=_(METRICS[metric]), rate=percent(c.attainment), met=c.met, judged=c.met + c.missed
            )
        )
    breaches = sum(c.missed for c in metrics.values())
    lines.append(
        _("*Backlog now*: {waiting} waiting, {at_risk} at risk, {breached} late").format(
            waiting=live.waiting, at_risk=live.at_risk_count, breached=live.breached_count
        )
    )
    lines.append(_("*Breaches in the period*: {breaches}").format(breaches=breaches))
    for s in r.satisfaction.overall:
        value = {
            "csat": percent(None if s.scores.csat is None else s.scores.csat / 100),
            "nps": number(s.scores.nps, 1),
            "ces": number(s.scores.ces, 2),
        }
        said = ngettext(
            "*Satisfaction* {survey}: {value} ({answered} answered of {sent} survey sent)",
            "*Satisfaction* {survey}: {value} ({answered} answered of {sent} surveys sent)",
            s.sent,
        )
        lines.append(
            said.format(survey=_(SURVEYS[s.kind]), value=value[s.kind], answered=s.answered, sent=s.sent)
        )
    reasons = top_reasons(r, previous)
    lines += _reason_lines(reasons, before)
    return {"text": "\n".join(lines), "digest": _machine(r, live, reasons, before)}
