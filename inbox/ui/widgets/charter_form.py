"""The charter editor's settings form (not a page): common settings as fields, changed keys as dotted updates.

Only the fields a person changed become updates, so a value the form cannot show (a team on a target, a
different clock on a resolution target) survives a save from the form. Validation is the charter's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from inbox.charter.editor import (
    days_from_text,
    days_to_text,
    get_key,
    shifts_from_text,
    target_minutes,
    target_with_minutes,
)
from inbox.charter.fields import KINDS, URGENCIES
from inbox.charter.teams import DAY_KEYS
from inbox.i18n import N_, _
from inbox.ui import relabel, streamlit_words
from inbox.ui.labels import URGENCY, label
from inbox.ui.widgets import charter_form_scope

CLOCKS = ("24/7", "business_hours")
CLOCK_LABELS = {"24/7": N_("24/7"), "business_hours": N_("Business hours")}
KIND_LABELS = {
    "public": N_("Public mentions"),
    "private": N_("Private messages"),
    "listening": N_("Listening posts"),
}
DAY_LABELS = dict(
    zip(DAY_KEYS, (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")), strict=True)
)
NOTE = N_("What and why (required, kept in the history)")  # the TOML tab's has its own name (one page)
SEGMENT_LABELS = {"vip": N_("VIP customers")}  # segments are contact tags; the queue shows "vip" as VIP
Updates = dict[str, Any]
Problems = list[tuple[str, str]]


def segment_label(name: str) -> str:
    """A segment (a contact tag) for people: "Clients VIP", else "Clients étiquetés « press »"."""
    if name.lower() in SEGMENT_LABELS:
        return _(SEGMENT_LABELS[name.lower()])
    return _("Customers tagged “{tag}”").format(tag=name)


def _targets(data: Mapping[str, Any], key: str, updates: Updates) -> None:
    st.markdown(_("**Response times** (minutes; 0 = same as first response for next, none for resolution)"))
    for kind in KINDS:
        base = f"sla.default.{kind}"
        first = get_key(data, f"{base}.first_response", {})
        cols = st.columns([1.4, 1, 1.5, 1, 1])  # "Heures d'ouverture" whole in the clock box
        cols[0].markdown(_(KIND_LABELS[kind]))
        clock = first.get("clock", "24/7") if isinstance(first, Mapping) else "24/7"
        row = _(KIND_LABELS[kind]).lower()  # in each field's name: one per row, told apart by a screen reader
        values = {
            "first_response": cols[1].number_input(
                _("First · {kind}").format(kind=row),
                value=target_minutes(first),
                step=5,
                key=f"{key}{kind}-first",
            ),
            "next_response": cols[3].number_input(
                _("Next · {kind}").format(kind=row),
                value=target_minutes(get_key(data, f"{base}.next_response")),
                step=5,
                key=f"{key}{kind}-next",
            ),
            "resolution": cols[4].number_input(
                _("Resolution · {kind}").format(kind=row),
                value=target_minutes(get_key(data, f"{base}.resolution")),
                step=60,
                key=f"{key}{kind}-res",
            ),
        }
        new_clock = cols[2].selectbox(
            _("Clock · {kind}").format(kind=row),
            CLOCKS,
            index=CLOCKS.index(clock),
            key=relabel.redraw(f"{key}{kind}-clock"),
            format_func=lambda c: _(CLOCK_LABELS[c]),
            placeholder=streamlit_words.choose(),
        )
        for metric, minutes in values.items():
            old = get_key(data, f"{base}.{metric}")
            changed_clock = new_clock != clock and (old is not None or metric == "first_response")
            if minutes != target_minutes(old) or changed_clock:
                extra = {"clock": new_clock} if changed_clock or old is None else {}
                updates[f"{base}.{metric}"] = target_with_minutes(old or {}, int(minutes), **extra)


def _overrides(data: Mapping[str, Any], key: str, updates: Updates) -> None:
    st.markdown(_("**Shorter targets** by urgency and by customer segment (minutes; 0 = none)"))
    cols = st.columns(len(URGENCIES))
    for col, urgency in zip(cols, reversed(URGENCIES), strict=True):
        old = get_key(data, f"sla.urgency.{urgency}")
        minutes = col.number_input(
            label(URGENCY, urgency), value=target_minutes(old), step=5, key=f"{key}urg-{urgency}"
        )
        if minutes != target_minutes(old):
            updates[f"sla.urgency.{urgency}"] = target_with_minutes(old, int(minutes))
    segments = get_key(data, "sla.segments", {}) or {}
    cols = st.columns(max(len(segments), 1) + 2)
    for col, (name, old) in zip(cols, segments.items(), strict=False):
        minutes = col.number_input(
            segment_label(name), value=target_minutes(old), step=5, key=f"{key}seg-{name}"
        )
        if minutes != target_minutes(old):
            updates[f"sla.segments.{name}"] = target_with_minutes(old, int(minutes))
    new_name = cols[-2].text_input(_("New segment (contact tag)"), key=f"{key}seg-new-name").strip().lower()
    new_minutes = cols[-1].number_input(_("Its minutes"), value=0, step=5, key=f"{key}seg-new-minutes")
    if new_name:
        updates[f"sla.segments.{new_name}"] = int(new_minutes) or None


def _hours(data: Mapping[str, Any], team: str, key: str, updates: Updates, problems: Problems) -> None:
    base = f"teams.{team}"
    st.markdown(
        _(
            "**Business hours of {team}** (local time; shifts like `08:00-12:00, 14:00-20:00`; "
            "empty = closed)"
        ).format(team=team)
    )
    zone = get_key(data, f"{base}.timezone", "")
    new_zone = st.text_input(_("Time zone (IANA name)"), value=zone, key=f"{key}{team}-tz")
    if new_zone != zone:
        updates[f"{base}.timezone"] = new_zone.strip()
    cols = [*st.columns(4), *st.columns(4)][:7]  # four a row: "08:00-12:00, 14:00-20:00" stays whole
    for col, day in zip(cols, DAY_KEYS, strict=True):
        old = ", ".join(get_key(data, f"{base}.week.{day}", []) or [])
        new = col.text_input(_(DAY_LABELS[day]), value=old, key=f"{key}{team}-{day}")
        if new.strip() != old:
            updates[f"{base}.week.{day}"] = shifts_from_text(new) or None
    _days_off(data, team, key, updates, problems)


def _days_off(data: Mapping[str, Any], team: str, key: str, updates: Updates, problems: Problems) -> None:
    """Public holidays by country code; closed and reduced days as lines (the older ``holidays`` list is
    shown with them and saved as ``closed_days`` and ``reduced_days``)."""
    base = f"teams.{team}"
    code = get_key(data, f"{base}.public_holidays", "") or ""
    new_code = st.text_input(
        _(
            "Public holidays: country code (`FR`; `FR-57`, `FR-67` or `FR-68` for Alsace-Moselle; "
            "empty = none)"
        ),
        value=code,
        key=f"{key}{team}-public-holidays",
    )
    if new_code.strip() != code:
        updates[f"{base}.public_holidays"] = new_code.strip() or None
    listed = [get_key(data, f"{base}.{k}", []) or [] for k in ("holidays", "closed_days", "reduced_days")]
    old_text = days_to_text([entry for entries in listed for entry in entries])
    new_text = st.text_area(
        _(
            "Closed and reduced days: one per line, `YYYY-MM-DD name` (that year) or `MM-DD name` "
            "(every year), then `| shifts` for reduced hours"
        ),
        value=old_text,
        height=180,
        key=f"{key}{team}-days",
    )
    if new_text.strip() != old_text.strip():
        closed, reduced, bad = days_from_text(new_text, base)
        updates[f"{base}.closed_days"] = closed or None
        updates[f"{base}.reduced_days"] = reduced or None
        updates[f"{base}.holidays"] = None
        problems.extend(bad)


def settings_form(
    data: Mapping[str, Any], key: str, reasons: list[str], channels: list[str]
) -> tuple[Updates, Problems, str] | None:
    """The form; on submit, (dotted updates, problems found before validation, change note). ``reasons`` are
    config/nlp.toml's contact reasons, ``channels`` config/channels.toml's."""
    teams = list(get_key(data, "teams", {}) or {})
    main_team = get_key(data, "sla.team", teams[0] if teams else "")
    team = st.selectbox(
        _("Team"),
        teams,
        index=teams.index(main_team) if main_team in teams else 0,
        key=f"{key}team",
        placeholder=streamlit_words.choose(),
    )
    # Enter confirms a figure, it does not save: a version (with its note) is saved by the button only
    with st.form(f"{key}settings", border=True, enter_to_submit=False):
        updates: Updates = {}
        problems: Problems = []
        _targets(data, key, updates)
        st.divider()
        _overrides(data, key, updates)
        charter_form_scope.reason_targets(data, key, updates, reasons)
        st.divider()
        if team:
            _hours(data, team, key, updates, problems)
        st.divider()
        fraction = get_key(data, "escalation.at_risk_fraction", 0.75)
        percent = st.number_input(
            _("Alert when this share of the target has elapsed (%)"),
            value=float(round(fraction * 100, 2)),
            step=5.0,
            format="%g",  # "75", not "75.00" (Streamlit writes decimals with a point, whatever the language)
            key=f"{key}at-risk",
        )
        if round(percent / 100, 4) != fraction:
            updates["escalation.at_risk_fraction"] = round(percent / 100, 4)
        st.divider()
        charter_form_scope.brand_channels(data, key, updates, channels)
        note = st.text_input(_(NOTE), key=f"{key}note")
        if st.form_submit_button(_("Save as a new version"), type="primary", key=f"{key}save"):
            return updates, problems, note
    return None
