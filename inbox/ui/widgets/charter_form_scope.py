"""The charter form's fields for contact reasons and brands (part of ``charter_form``'s form).

Shorter first-response targets per contact reason (``[sla.reasons]``, config/nlp.toml's taxonomy) and the
channels each brand speaks for (``[brands.<b>] channels``: automatic messages go out in one of the brand's
languages only on those). Only what a person changed becomes an update; validation is the charter's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from inbox.charter.editor import get_key, target_minutes, target_with_minutes
from inbox.i18n import _
from inbox.ui import streamlit_words
from inbox.ui.labels import REASON, label

Updates = dict[str, Any]
PER_ROW = 5


def reason_targets(
    data: Mapping[str, Any],
    key: str,
    updates: Updates,
    reasons: list[str],
) -> None:
    """A number per reason (0 = none): ``[sla.reasons]``, shorter targets the shortest of which wins."""
    st.markdown(_("**Shorter targets** by contact reason (minutes; 0 = none)"))
    current = get_key(data, "sla.reasons", {}) or {}
    shown = [*reasons, *(r for r in current if r not in reasons)]  # a reason since removed stays editable
    for start in range(0, len(shown), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, reason in zip(cols, shown[start : start + PER_ROW], strict=False):
            old = current.get(reason)
            value = col.number_input(
                label(REASON, reason),
                value=target_minutes(old),
                min_value=0,
                step=5,
                key=f"{key}reason-{reason}",
            )
            if value != target_minutes(old):
                updates[f"sla.reasons.{reason}"] = target_with_minutes(old, int(value))


def brand_channels(data: Mapping[str, Any], key: str, updates: Updates, channels: list[str]) -> None:
    """Per brand, the channels it speaks for."""
    brands = get_key(data, "brands", {}) or {}
    if not brands:
        return
    st.markdown(_("**Brands**: the channels each speaks for (its tone, signature and languages)"))
    for name, brand in brands.items():
        old = list(brand.get("channels", []))
        options = [*channels, *(c for c in old if c not in channels)]
        chosen = st.multiselect(
            str(brand.get("display_name") or name),
            options,
            default=old,
            key=f"{key}brand-{name}",
            placeholder=streamlit_words.choose(),
            select_all=False,  # Streamlit's English "Select all"
        )
        if chosen != old:
            updates[f"brands.{name}.channels"] = chosen
