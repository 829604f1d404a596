"""The audit log in words: each action code and each subject as people read them, in their language.

The codes stay the log's stable keys (filters, CSV, ``inbox audit``); the page shows these words. An action
the table does not know yet is shown as its code rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping

from inbox.i18n import N_, _

ACTIONS = {
    "audit.exported": N_("Audit log downloaded"),
    "audit.viewed": N_("Audit log read"),
    "auth.session_resumed": N_("Session resumed"),
    "auth.sign_in_blocked": N_("Sign-in blocked (too many attempts)"),
    "auth.sign_in_failed": N_("Sign-in failed"),
    "auth.signed_in": N_("Signed in"),
    "auth.signed_out": N_("Signed out"),
    "auth.unlocked": N_("Sign-in unlocked"),
    "budget.warning": N_("API budget warning"),
    "bulk.assign": N_("Bulk: assigned"),
    "bulk.dismiss": N_("Bulk: dismissed"),
    "bulk.incident": N_("Bulk: added to an incident"),
    "bulk.status": N_("Bulk: status set"),
    "bulk.tags": N_("Bulk: tags added"),
    "channel.added": N_("Channel added"),
    "channel.checked": N_("Channel checked"),
    "channel.paused": N_("Channel paused"),
    "channel.resumed": N_("Channel resumed"),
    "charter.saved": N_("Charter saved"),
    "classification.corrected": N_("Classification corrected"),
    "comment.hidden": N_("Comment hidden on the platform"),
    "comment.shown": N_("Comment shown again on the platform"),
    "conversation.assigned": N_("Conversation assigned"),
    "conversation.chat_moved": N_("Conversation followed its group to a supergroup (Telegram)"),
    "conversation.auto_assigned": N_("Conversation assigned automatically"),
    "conversation.dismissed": N_("Listening post dismissed"),
    "conversation.snoozed": N_("Conversation snoozed"),
    "conversation.status": N_("Status changed"),
    "conversation.tags": N_("Tags changed"),
    "conversation.viewed": N_("Conversation opened"),
    "conversation.woken": N_("Snoozed conversation back in the queue"),
    "customer.number_changed": N_("Customer changed number (WhatsApp)"),
    "customer.tags": N_("Customer tags changed"),
    "escalation.sent": N_("Escalation alert sent"),
    "incident.closed": N_("Incident closed"),
    "incident.declared": N_("Incident declared"),
    "incident.joined": N_("Conversation joined an incident"),
    "incident.left": N_("Conversation left an incident"),
    "incident.rule_changed": N_("Incident rule changed"),
    "incident.text_approved": N_("Incident text approved"),
    "message.deleted_by_customer": N_("Message deleted by the customer"),
    "message.deletion_kept": N_("Message deleted by the customer, kept (legal hold)"),
    "message.redacted": N_("Message redacted"),
    "moderation.applied": N_("Moderation applied"),
    "moderation.skipped": N_("Moderation skipped"),
    "moderation.unmarked": N_("Moderation lifted"),
    "note.added": N_("Note added"),
    "peak.ended": N_("Peak plan ended"),
    "peak.started": N_("Peak plan started"),
    "person.linked": N_("Accounts linked"),
    "person.unlinked": N_("Accounts unlinked"),
    "privacy.erase": N_("Personal data erased"),
    "privacy.export": N_("Personal data exported"),
    "privacy.hold": N_("Legal hold set"),
    "privacy.late_message_dropped": N_("Message written before an erasure, not stored"),
    "privacy.notes_masked": N_("Older notes masked (bank data)"),
    "privacy.opt_out": N_("Customer opted out"),
    "privacy.purge": N_("Retention purge"),
    "privacy.release": N_("Legal hold lifted"),
    "reply.cancelled": N_("Waiting reply cancelled"),
    "reply.discarded": N_("Reply discarded"),
    "reply.edited": N_("Waiting reply edited"),
    "reply.failed": N_("Reply failed"),
    "reply.found_on_platform": N_("Reply found on the platform"),
    "reply.held": N_("Reply held (another answer came first)"),
    "reply.not_found_on_platform": N_("Reply not found on the platform"),
    "reply.queued": N_("Reply queued"),
    "reply.refused": N_("Reply refused by the platform"),
    "reply.retry": N_("Reply retried"),
    "reply.sent": N_("Reply delivered"),
    "reply.sent_despite_collision": N_("Reply sent despite another answer"),
    "reply.template_queued": N_("Template message queued"),
    "reply.uncertain": N_("Reply delivery uncertain"),
    "role.channels": N_("Role's channels changed"),
    "spike.ended": N_("Spike ended"),
    "spike.started": N_("Spike started"),
    "survey.answered": N_("Survey answered"),
    "team.created": N_("Team of agents created"),
    "team.members": N_("Team members changed"),
    "team.removed": N_("Team of agents removed"),
    "template.created": N_("Template created"),
    "template.edited": N_("Template edited"),
    "template.restored": N_("Template put back in use"),
    "template.retired": N_("Template retired"),
    "user.availability": N_("Break started or ended"),
    "user.capacity": N_("User's capacity changed"),
    "user.channels": N_("User's channels changed"),
    "user.created": N_("User created"),
    "user.deactivated": N_("User deactivated"),
    "user.end_date": N_("User's end date set"),
    "user.language": N_("User's language changed"),
    "user.languages": N_("Languages spoken changed"),
    "user.notifications": N_("User's notifications changed"),
    "user.password_change_refused": N_("Own password change refused"),
    "user.password_changed": N_("Password changed by its owner"),
    "user.password_reset": N_("Password reset"),
    "user.reactivated": N_("User reactivated"),
    "user.role": N_("User's role changed"),
    "user.signed_out_everywhere": N_("Signed out everywhere"),
}

SUBJECTS = {
    "channel": N_("Channel {id}"),
    "charter_version": N_("Charter version {id}"),
    "client": N_("Address {id}"),
    "contact": N_("Customer #{id}"),
    "conversation": N_("Conversation #{id}"),
    "incident": N_("Incident #{id}"),
    "message": N_("Message #{id}"),
    "role": N_("Role {id}"),
    "team": N_("Team {id}"),
    "template": N_("Template {id}"),
    "user": N_("User #{id}"),
}


def action_label(code: str) -> str:
    """The action in words (the code itself when the table does not know it)."""
    return _(ACTIONS[code]) if code in ACTIONS else code


def subject_label(target: str, users: Mapping[int, str] | None = None) -> str:
    """``kind:id`` in words ("Conversation #12"); a colleague by the name people know ("Morgan", not
    "User #2") when ``users`` names them; as stored when the kind is unknown."""
    kind, _sep, ident = target.partition(":")
    if kind == "user" and users and ident.isdigit() and int(ident) in users:
        return users[int(ident)]
    if kind == "spike" and ident:
        return _spike_label(ident)
    return _(SUBJECTS[kind]).format(id=ident) if kind in SUBJECTS and ident else target


def _spike_label(scope: str) -> str:
    """A spike by what was watched: ``channel:<name>`` or ``listening:<channel>:<query>`` (as stored else)."""
    kind, _sep, rest = scope.partition(":")
    if kind == "channel" and rest:
        return _("Spike on {channel}").format(channel=rest)
    channel, _sep, query = rest.partition(":")
    if kind == "listening" and query:
        return _("Spike on listening “{query}” ({channel})").format(query=query, channel=channel)
    return _("Spike {id}").format(id=scope)


# The inbox's own processes, as they sign their actions (people sign with their user name)
SYSTEM_ACTORS = {
    "automation": N_("automation"),
    "listener": N_("listener"),
    "sender": N_("sender"),
    "webhooks": N_("webhook receiver"),
    "demo": N_("demo set-up"),
    "cli": N_("command line"),
    "migration": N_("database upgrade"),
}


def actor_label(actor: str) -> str:
    """Who did it: a process of the inbox in words ("automatisation"; ``cli:root`` is "ligne de commande
    (root)"), a person by their user name."""
    process, _sep, login = actor.partition(":")
    if process not in SYSTEM_ACTORS:
        return actor
    said = _(SYSTEM_ACTORS[process])
    return f"{said} ({login})" if login else said
