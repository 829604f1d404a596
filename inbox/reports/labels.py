"""The report tables for people: titles, column headers and values in the current language. Pure.

The tables keep stable snake_case names (JSON keys, the CSV for scripts); the dashboard and `inbox report
--language` show these words instead.
"""

from __future__ import annotations

from inbox.i18n import N_, _
from inbox.reports.table_base import Detail
from inbox.reports.tables import Cell, Table

TITLES = {
    "summary": N_("Summary"),
    "attainment_windows": N_("SLA attainment: today, 7 and 30 days"),
    "attainment_by_channel": N_("SLA attainment and first-response time by channel"),
    "attainment_by_day": N_("SLA attainment by day of arrival"),
    "volume_by_hour": N_("Customer messages per channel per hour"),
    "sentiment": N_("Sentiment of customer messages"),
    "sentiment_by_day": N_("Sentiment by day"),
    "reason_mix": N_("Contact reasons of customer messages, by channel"),
    "reason_by_day": N_("Contact reasons of customer messages, by day and channel"),
    "reason_figures": N_("First response, handling time (DMT) and attainment by contact reason"),
    "agents": N_("Agents: replies, resolutions, handling time"),
    "backlog": N_("Waiting for an answer, by channel and urgency"),
    "at_risk": N_("At risk"),
    "breached": N_("Breached"),
    "service_goals": N_("Service-level goals: attainment against each goal"),
    "charter_targets": N_("Every charter target by channel, kind and urgency"),
    "contact_kpis": N_("Answer rate, handling (DMT) and conversation (DMC) times by channel and kind"),
    "satisfaction": N_("Satisfaction (CSAT, NPS, CES) of the surveys sent"),
    "satisfaction_by_channel": N_("Satisfaction by channel"),
    "satisfaction_by_agent": N_("Satisfaction by agent"),
    "satisfaction_by_template": N_("Satisfaction by reply template"),
    "satisfaction_by_reason": N_("Satisfaction by contact reason"),
    "survey_verbatims": N_("Customers' replies to the surveys"),
}
COLUMNS = {
    "kpi": N_("Indicator"),
    "value": N_("Value"),
    "detail": N_("Detail"),
    "window": N_("Window"),
    "met": N_("On time"),
    "missed": N_("Late"),
    "waiting": N_("Waiting"),
    "closed_unanswered": N_("Closed unanswered"),
    "attainment_pct": N_("Attainment (%)"),
    "goal_pct": N_("Goal (%)"),
    "channel": N_("Channel"),
    "conversations": N_("Conversations"),
    "answered": N_("Answered"),
    "frt_median_min": N_("First response, median (min)"),
    "frt_p90_min": N_("First response, 90th percentile (min)"),
    "day": N_("Day"),
    "hour": N_("Hour"),
    "messages": N_("Messages"),
    "sentiment": N_("Sentiment"),
    "reason": N_("Reason"),
    "share_pct": N_("Share (%)"),
    "agent": N_("Agent"),
    "name": N_("Name"),
    "replies_sent": N_("Replies sent"),
    "resolved": N_("Resolved"),
    "replies_measured": N_("Replies measured"),
    "handling_median_min": N_("Handling time, median (min)"),
    "urgency": N_("Urgency"),
    "conversation": N_("Conversation"),
    "customer": N_("Customer"),
    "assignee": N_("Assignee"),
    "due": N_("Due"),
    "minutes_left": N_("Minutes left"),
    "elapsed_pct": N_("Elapsed (%)"),
    "last_message": N_("Last message"),
    "goal": N_("Goal"),
    "within_min": N_("Within (min)"),
    "clock": N_("Clock"),
    "within": N_("Within the time"),
    "late": N_("Late"),
    "pending": N_("Still running"),
    "metric": N_("Target"),
    "kind": N_("Kind"),
    "arrived": N_("Arrived"),
    "answer_rate_pct": N_("Answer rate (%)"),
    "moved_to_private": N_("Moved to private"),
    "automatic_sent": N_("Automatic messages"),
    "frt_business_median_min": N_("First response in business time, median (min)"),
    "frt_business_p90_min": N_("First response in business time, 90th percentile (min)"),
    "dmt_mean_min": N_("Average handling time, DMT (min)"),
    "dmc_mean_min": N_("Average conversation duration, DMC (min)"),
    "survey": N_("Survey"),
    "sent": N_("Sent"),
    "response_rate_pct": N_("Response rate (%)"),
    "csat_pct": N_("CSAT (%)"),
    "nps": N_("NPS"),
    "ces_mean": N_("CES (mean)"),
    "promoters": N_("Promoters"),
    "detractors": N_("Detractors"),
    "template": N_("Template"),
    "replied_at": N_("Replied at"),
    "score": N_("Score"),
    "text": N_("Text"),
}
KPIS = {
    "conversations": N_("Conversations"),
    "customer_messages": N_("Customer messages"),
    "answered": N_("Answered"),
    "first_response_median_min": N_("First response, median (min)"),
    "first_response_p90_min": N_("First response, 90th percentile (min)"),
    "sla_attainment_pct": N_("SLA attainment (%)"),
    "fcr_pct": N_("First-contact resolution (%)"),
    "waiting_now": N_("Waiting now"),
    "at_risk_now": N_("At risk now"),
    "breached_now": N_("Breached now"),
    "answer_rate_pct": N_("Answer rate (%)"),
    "moved_to_private": N_("Moved to private"),
    "replies_sent": N_("Replies sent"),
    "frt_business_median_min": N_("First response in business time, median (min)"),
    "dmt_mean_min": N_("Average handling time, DMT (min)"),
    "dmc_mean_min": N_("Average conversation duration, DMC (min)"),
    "next_response_attainment_pct": N_("Next-response attainment (%)"),
    "resolution_attainment_pct": N_("Resolution attainment (%)"),
    "csat": N_("CSAT (%)"),
    "nps": N_("NPS"),
    "ces": N_("CES (mean)"),
}
WINDOWS = {"today": N_("Today"), "7d": N_("7 days"), "30d": N_("30 days")}
UNCLASSIFIED = N_("Unclassified")
REASONS = {  # the default taxonomy's words (config/nlp.toml [reasons]); a reason added there shows as it is
    "account_access": N_("Account access"),
    "billing_payment": N_("Billing and payment"),
    "cancellation": N_("Cancellation"),
    "delivery_order": N_("Delivery and order"),
    "travel_booking": N_("Travel and booking"),
    "technical_issue": N_("Technical issue"),
    "product_info": N_("Product information"),
    "service_complaint": N_("Service complaint"),
    "praise_thanks": N_("Praise and thanks"),
    "other": N_("Other reason"),
}
URGENCY = {"critical": N_("Critical"), "high": N_("High"), "normal": N_("Normal"), "low": N_("Low")}
SENTIMENT = {"negative": N_("Negative"), "neutral": N_("Neutral"), "positive": N_("Positive")}
METRICS = {
    "first_response": N_("First response"),
    "next_response": N_("Next response"),
    "resolution": N_("Resolution"),
}
KINDS = {
    "public": N_("Public"),
    "private": N_("Private"),
    "listening": N_("Listening"),
    "all": N_("All kinds"),
}
SURVEYS = {"csat": N_("CSAT"), "nps": N_("NPS"), "ces": N_("CES")}
CLOCKS = {"24/7": N_("24/7"), "business_hours": N_("Business hours")}
MET = {True: N_("Met"), False: N_("Not met")}
ALL = N_("All")
ALL_CHANNELS = N_("All channels")
NO_TEMPLATE = N_("No template")
GOAL_KPI = N_("Goal {name} (%)")


def goal_name(name: str) -> str:
    """A service-level goal's name for people: the charter's own word (``social``), except an urgency
    level's, which is said in the reader's language (``critical`` is « critique » in French)."""
    return _(URGENCY[name]).lower() if name in URGENCY else name


def title(table: Table) -> str:
    return _(TITLES[table.name]) if table.name in TITLES else table.title


def column(name: str) -> str:
    return _(COLUMNS[name]) if name in COLUMNS else name.replace("_", " ").capitalize()


def value(name: str, cell: Cell) -> Cell:
    """A cell for people: words for stored values (sentiment, urgency, reason, KPI and window names)."""
    if isinstance(cell, Detail):
        return cell.said()
    if name == "met" and isinstance(cell, bool):
        return _(MET[cell])
    if name == "template" and cell is None:
        return _(NO_TEMPLATE)
    if not isinstance(cell, str):
        return cell
    if name in ("sentiment", "urgency", "reason") and cell == "unclassified":
        return _(UNCLASSIFIED)
    if name in ("channel", "urgency") and cell == "all":
        every = ALL_CHANNELS if name == "channel" else ALL
        return _(every)
    if name == "kpi" and cell.startswith("goal_") and cell.endswith("_pct"):
        return _(GOAL_KPI).format(name=goal_name(cell[len("goal_") : -len("_pct")]))
    if name == "goal":
        return goal_name(cell)
    words = {
        "sentiment": SENTIMENT,
        "urgency": URGENCY,
        "kpi": KPIS,
        "window": WINDOWS,
        "metric": METRICS,
        "kind": KINDS,
        "survey": SURVEYS,
        "clock": CLOCKS,
        "reason": REASONS,
    }.get(name, {})
    return _(words[cell]) if cell in words else cell


def for_people(table: Table) -> Table:
    """``table`` with translated title, headers and values (same rows, same order)."""
    rows = [tuple(value(n, cell) for n, cell in zip(table.columns, row, strict=True)) for row in table.rows]
    return Table(table.name, title(table), tuple(column(c) for c in table.columns), rows)
