"""Service-level goals as contact centres state them: "X % of conversations answered within Y minutes".

A goal (``[sla.goals.NAME]``) covers the conversations of its ``channels`` (names or platforms; empty: all),
``kinds`` and ``urgencies`` (the first message's; empty: all). Its minutes run on its ``clock``: 24/7 (the
wall clock) or business hours (the opening minutes of ``team``, default ``sla.team``). Without any goal in
the charter, ``DEFAULT_GOALS`` applies: social media's norm, 100 % within 60 minutes (Call Center Helper,
quoted by the seeds: phone 80 % in 20 s, e-mail 100 % within 4 h, social media 100 % within 60 minutes).
Pure: validation only.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from inbox.charter.fields import KINDS, Clock, Kind, Minutes, Name, Urgency
from inbox.config.loader import Strict


class Goal(Strict):
    """``percent`` of the conversations in scope get a person's first answer ``within_minutes``."""

    percent: Annotated[float, Field(gt=0, le=100)]
    within_minutes: Minutes
    clock: Clock = "24/7"
    team: Name | None = None
    channels: tuple[Name, ...] = ()
    kinds: tuple[Kind, ...] = KINDS
    urgencies: tuple[Urgency, ...] = ()

    def covers(self, channel: str, platform: str | None, kind: str, urgency: str | None) -> bool:
        """Whether a conversation (channel, platform, charter kind, first message's urgency) is in scope."""
        on_channel = not self.channels or channel in self.channels or platform in self.channels
        urgent = not self.urgencies or urgency in self.urgencies
        return on_channel and kind in self.kinds and urgent

    def describe(self) -> str:
        """``90 % within 60 min`` (for the stable detail column; people get ``inbox.i18n`` words)."""
        return f"{self.percent:g} % within {self.within_minutes} min"


DEFAULT_GOALS: dict[str, Goal] = {"social": Goal(percent=100, within_minutes=60)}
