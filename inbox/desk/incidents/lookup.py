"""Finding incidents and their members. Session-taking, read-only."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from inbox.i18n import _
from inbox.store.tables import Incident, IncidentMember

AUTOMATION = "automation"  # the actor of automatic joins (the automation tick)


class IncidentError(ValueError):
    """An incident action that cannot be done as asked (unknown incident, closed, bad rule)."""


def get(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentError(_("no incident #{id}").format(id=incident_id))
    return incident


def open_one(session: Session, incident_id: int) -> Incident:
    incident = get(session, incident_id)
    if incident.status != "open":
        raise IncidentError(_("incident #{id} is closed").format(id=incident_id))
    return incident


def listed(session: Session, *, status: str | None = None) -> list[Incident]:
    """Incidents, newest first (``status``: open or closed; None: both)."""
    stmt = select(Incident).order_by(col(Incident.declared_at).desc(), col(Incident.id).desc())
    if status is not None:
        stmt = stmt.where(Incident.status == status)
    return list(session.exec(stmt))


def members_of(session: Session, incident_id: int) -> list[IncidentMember]:
    stmt = select(IncidentMember).where(IncidentMember.incident_id == incident_id)
    return list(session.exec(stmt.order_by(col(IncidentMember.joined_at), col(IncidentMember.id))))


def open_incidents_of(session: Session, conversation_ids: Iterable[int]) -> dict[int, int]:
    """conversation id -> the open incident it is in, for those of ``conversation_ids`` in one."""
    ids = list(conversation_ids)
    if not ids:
        return {}
    stmt = (
        select(IncidentMember.conversation_id, IncidentMember.incident_id)
        .join(Incident, col(Incident.id) == col(IncidentMember.incident_id))
        .where(Incident.status == "open", col(IncidentMember.conversation_id).in_(ids))
    )
    return {conv: incident for conv, incident in session.exec(stmt)}


def membership(session: Session, conversation_id: int) -> tuple[Incident, IncidentMember] | None:
    """The open incident a conversation is in, with its membership; None when it is in none."""
    stmt = (
        select(Incident, IncidentMember)
        .join(IncidentMember, col(IncidentMember.incident_id) == col(Incident.id))
        .where(Incident.status == "open", IncidentMember.conversation_id == conversation_id)
    )
    found = session.exec(stmt).first()
    return (found[0], found[1]) if found else None
