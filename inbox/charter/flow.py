"""The charter's rules for the flow of work: spike alerts (``[spikes]``), live assignment (``[assignment]``).

Pure models; the behaviour lives in ``inbox.automation.spikes`` and ``inbox.desk.live_assignment``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from inbox.config.loader import Strict


class Spikes(Strict):
    """Alert the escalation webhook when inbound traffic jumps above its usual level for the hour of the week.

    A scope (a channel, or one listening query) is in a spike when the messages of its last
    ``window_minutes`` reach all of: ``min_messages``; ``times_usual`` × the usual count; and the usual count
    plus ``sd_factor`` standard deviations. The usual count is the mean, over the last ``weeks`` weeks, of the
    messages in the same hour of the week, scaled to the window (before a first week is stored: the rate of
    the last ``recent_hours``). One alert per spike; it ends when the count falls under half the alert level.
    docs/spikes.md explains the rule.
    """

    enabled: bool = True
    window_minutes: Annotated[int, Field(ge=5, le=120)] = 15
    weeks: Annotated[int, Field(ge=1, le=12)] = 4
    min_messages: Annotated[int, Field(ge=2, le=10000)] = 10
    times_usual: Annotated[float, Field(ge=1, le=100)] = 3.0
    sd_factor: Annotated[float, Field(ge=0, le=10)] = 3.0
    recent_hours: Annotated[int, Field(ge=1, le=48)] = 3  # the usual level before a week is stored
    top_messages: Annotated[int, Field(ge=0, le=20)] = 5
    alert_peak_plan: bool = True  # also alert when the peak plan starts and ends


class Assignment(Strict):
    """Live assignment: as an online agent has room (under their capacity), the automation hands them the
    most urgent unassigned conversation by due time in a language they speak, on a channel they work.

    Off by default: "Next conversation" (the pull mode) and the Team page's distribution work either way.
    """

    automatic: bool = False
    per_tick: Annotated[int, Field(ge=1, le=1000)] = 50  # at most this many assignments per automation tick
