"""What runs on its own while incidents are open (called by the automation tick): new matching
conversations join, and waiting members are sent the approved reply or resolution message.

Each open incident looks only at conversations with a customer message stored since its last scan
(``scanned_to``; at first its declaration: what came before is proposed to the manager, never joined on its
own), so a tick costs what arrived since the last one; scans overlap by ``OVERLAP`` so that a message stored
by a transaction still open during a scan is seen by the next. Joins are short transactions; a conversation
already in an open incident (another process was first) is skipped. Sending is ``sending.queue_all``, once
per member.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from inbox.desk.incidents import members
from inbox.desk.incidents.lookup import AUTOMATION, listed, open_incidents_of
from inbox.desk.incidents.sending import QUEUED, ChannelOptions, queue_all
from inbox.desk.incidents.texts import REPLY, RESOLUTION
from inbox.store.tables import Incident

log = logging.getLogger("inbox.desk.incidents")
OVERLAP = timedelta(minutes=5)


@dataclass
class IncidentRun:
    joined: int = 0
    replies: int = 0
    resolutions: int = 0


def join_new(engine: Engine, incident_id: int, now: datetime) -> int:
    """Join the conversations that match the open incident since its last scan; how many joined."""
    try:
        with Session(engine) as session, session.begin():
            incident = session.get(Incident, incident_id)
            if incident is None or incident.status != "open":
                return 0
            found = members.candidates(session, incident, after=incident.scanned_to)
            fitting = [c for c in found if c.matches(incident.threshold)]
            taken = open_incidents_of(session, [c.conversation_id for c in fitting])
            for c in fitting:
                if c.conversation_id not in taken:
                    members.join(session, incident, c.conversation_id, AUTOMATION, now, c.score)
            scanned = now - OVERLAP
            if incident.scanned_to is None or scanned > incident.scanned_to:
                incident.scanned_to = scanned
            return len(fitting) - len(taken)
    except (IntegrityError, OperationalError) as exc:  # joined by another process, or SQLite busy: next tick
        log.debug("incident %s: joining skipped this tick: %s", incident_id, exc)
        return 0


def run_incidents(engine: Engine, now: datetime, options: ChannelOptions | None = None) -> IncidentRun:
    """One pass: joins for every open incident, then every waiting reply and resolution message. A failure
    is logged and left for the next tick: it never stops the rest of the automation tick."""
    run = IncidentRun()
    try:
        with Session(engine) as session:
            open_ids = [i.id for i in listed(session, status="open") if i.id is not None]
        for incident_id in open_ids:
            run.joined += join_new(engine, incident_id, now)
        run.replies = queue_all(engine, REPLY, now, options=options)[QUEUED]
        run.resolutions = queue_all(engine, RESOLUTION, now, options=options)[QUEUED]
    except Exception:  # a bug here must not hold up escalation alerts and automatic replies
        log.exception("incidents: this tick's pass failed")
    return run
