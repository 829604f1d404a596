"""The contact-centre figures of the seeds, per channel and kind (public, private, listening). Pure.

- **answer rate** (*taux de décroché*) = conversations answered by a person ÷ conversations arrived (the
  period's cohort; moderated and closed-unanswered ones count as arrived, not answered);
- **moved to private**: public conversations of the cohort in which a person's private reply was delivered;
- **first response in business time** beside wall time: the first answer's wait counted in the opening
  minutes of the team of the conversation's first-response target (charter at arrival), median and 90th
  percentile (nearest rank); wall time: the same waits on the wall clock;
- **DMC** (*durée moyenne de conversation*): mean wall time from the first customer message to the last time
  the conversation was set to resolved, over the cohort's resolved conversations a person answered;
- **DMT** (*durée moyenne de traitement*): mean handling time of the replies queued in the period
  (``kpis.handling_spans``), by the channel and kind of their conversation;
- **outbound volume**: messages the brand sent in the period, a person's replies and automatic messages apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from inbox.charter.sla import charter_kind
from inbox.charter.versions import CharterBook
from inbox.reports.calendar import ReportClocks
from inbox.reports.journeys import Journey
from inbox.reports.judging import JudgedCohort
from inbox.reports.stats import median, minutes, nearest_rank, ratio

ALL = "all"
Key = tuple[str, str]  # (channel, kind)


@dataclass(frozen=True, slots=True)
class OutboundCount:
    """Messages the brand sent in the period on one channel, to conversations of one kind."""

    channel: str
    kind: str
    person: int
    automatic: int


@dataclass
class ContactRow:
    """The figures of one channel and kind (``ALL`` for every channel or kind)."""

    channel: str
    kind: str
    arrived: int = 0
    answered: int = 0
    moved_to_private: int = 0
    business_waits: list[float] = field(default_factory=list)  # minutes
    wall_waits: list[float] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)  # DMC samples, minutes
    handling: list[float] = field(default_factory=list)  # DMT samples, minutes
    replies_sent: int = 0
    automatic_sent: int = 0

    @property
    def answer_rate(self) -> float | None:
        return ratio(self.answered, self.arrived)

    @property
    def frt_business_median(self) -> float | None:
        return median(self.business_waits)

    @property
    def frt_business_p90(self) -> float | None:
        return nearest_rank(self.business_waits, 90)

    @property
    def frt_wall_median(self) -> float | None:
        return median(self.wall_waits)

    @property
    def dmc(self) -> float | None:
        return sum(self.durations) / len(self.durations) if self.durations else None

    @property
    def dmt(self) -> float | None:
        return sum(self.handling) / len(self.handling) if self.handling else None


def contact_rows(
    journeys: Iterable[Journey] | JudgedCohort,
    book: CharterBook,
    handling: Iterable[tuple[int, timedelta]],
    kinds: Mapping[int, Key],
    outbound: Iterable[OutboundCount],
    clocks: ReportClocks,
) -> list[ContactRow]:
    """Rows per (channel, kind), then per channel over every kind, then ``ALL``/``ALL``.

    ``handling`` is (conversation id, handling time) per measured reply; ``kinds`` gives the channel and kind
    of those conversations."""
    rows: dict[Key, ContactRow] = {}

    def add(key: Key) -> list[ContactRow]:
        channel, kind = key
        keys = [(channel, kind), (channel, ALL), (ALL, ALL)]
        return [rows.setdefault(k, ContactRow(*k)) for k in keys]

    cohort = (
        journeys
        if isinstance(journeys, JudgedCohort)
        else JudgedCohort(list(journeys), book, clocks.now, clocks)
    )
    for j, business in zip(cohort.journeys, cohort.business_waits, strict=True):
        f = j.facts
        for row in add((f.channel, charter_kind(f.kind, f.visibility))):
            row.arrived += 1
            row.moved_to_private += j.moved_to_private
            if f.first_response_at is not None and business is not None:
                row.answered += 1
                row.wall_waits.append(minutes(f.first_response_at - f.first_wait_from))
                row.business_waits.append(minutes(business))
                if j.resolved_at is not None:
                    row.durations.append(minutes(j.resolved_at - f.first_inbound_at))
    for conversation_id, time in handling:
        if conversation_id in kinds:
            for row in add(kinds[conversation_id]):
                row.handling.append(minutes(time))
    for o in outbound:
        for row in add((o.channel, o.kind)):
            row.replies_sent += o.person
            row.automatic_sent += o.automatic
    return sorted(rows.values(), key=lambda r: (r.channel == ALL, r.channel, r.kind == ALL, r.kind))
