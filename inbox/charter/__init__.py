"""The response charter (config/charter.toml) and the pure SLA engine; only ``load_charter`` reads a file."""

from inbox.charter.model import Charter, load_charter, parse_charter
from inbox.charter.sla import SlaEvent, SlaResult, SlaSubject, Target, TargetSet, evaluate

__all__ = [
    "Charter",
    "SlaEvent",
    "SlaResult",
    "SlaSubject",
    "Target",
    "TargetSet",
    "evaluate",
    "load_charter",
    "parse_charter",
]
