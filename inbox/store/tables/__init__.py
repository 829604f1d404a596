"""Every table of the inbox, in one namespace: importing this package registers the whole schema.

Alembic's environment and the migrations read ``SQLModel.metadata`` after importing it. A new table goes in
one of these modules (or a new one imported here); schema changes go through a migration.
"""

from inbox.store.tables.core import (
    AuditEvent,
    Channel,
    Contact,
    Conversation,
    ListeningCursor,
    Message,
    OutboundReply,
    QuarantinedItem,
    User,
    UTCDateTime,
    utcnow,
)
from inbox.store.tables.corrections import ClassificationCorrection
from inbox.store.tables.desk import AgentActivity, Note, Person, Presence, ReplyGuard, RoleScope
from inbox.store.tables.enforcement import CharterVersion, EscalationAlert, PeakState, SurveyRequest
from inbox.store.tables.incidents import Incident, IncidentMember, IncidentText
from inbox.store.tables.notifications import AgentNotification, NotificationCursor, NotificationSettings
from inbox.store.tables.privacy import ContactPrivacy
from inbox.store.tables.sessions import ServerSecret, WebSession
from inbox.store.tables.surges import TrafficSpike
from inbox.store.tables.teams import AgentTeam, AgentTeamMember
from inbox.store.tables.template_versions import TemplateVersion
from inbox.store.tables.webhook_events import WebhookEvent

__all__ = [
    "AgentActivity",
    "AgentNotification",
    "AgentTeam",
    "AgentTeamMember",
    "AuditEvent",
    "Channel",
    "CharterVersion",
    "ClassificationCorrection",
    "Contact",
    "ContactPrivacy",
    "Conversation",
    "EscalationAlert",
    "Incident",
    "IncidentMember",
    "IncidentText",
    "ListeningCursor",
    "Message",
    "Note",
    "NotificationCursor",
    "NotificationSettings",
    "OutboundReply",
    "PeakState",
    "Person",
    "Presence",
    "QuarantinedItem",
    "ReplyGuard",
    "RoleScope",
    "ServerSecret",
    "SurveyRequest",
    "TemplateVersion",
    "TrafficSpike",
    "User",
    "UTCDateTime",
    "WebSession",
    "WebhookEvent",
    "utcnow",
]
