"""Whether the automation is moving a conversation to private messages (pure; ``private_move`` acts on it).

The rule of ``inbox.automation.private_move.candidates``, for one conversation: open, public, not a listening
item, unanswered, waiting on a clock, its contact reason one of ``[privacy] topics``, and the charter has a
move-to-private template. The out-of-hours reply asks it too: such a customer is told the hours in the direct
message the conversation moves to, so the brand answers in public once, not twice in the same second.
"""

from __future__ import annotations

from inbox.charter.model import Charter
from inbox.store.tables import Conversation


def moving_to_private(charter: Charter, conv: Conversation) -> bool:
    return (
        charter.privacy.template is not None
        and conv.status == "open"
        and conv.visibility == "public"
        and conv.kind != "listening"
        and conv.first_response_at is None
        and conv.sla_due_at is not None
        and conv.reason is not None
        and conv.reason in charter.privacy.topics
    )
