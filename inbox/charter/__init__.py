"""The response charter (config/charter.toml) and the pure SLA engine; only ``load_charter`` reads the file
and ``charter_file`` writes it back (the version in force, comments kept).

The engine (model, teams, business_hours, targets, sla, rules, editor, toml_edit) is pure and imports config
only.
Three modules apply it to stored conversations and may import store: versions (the charter in force),
deadlines (due times) and open_clocks (running clocks).
"""

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
