"""The charter's policy sections: privacy (retention, opt-out), moderation, escalation, the survey, the UI.

Frozen pydantic models like the rest of the charter (inbox.charter.model assembles them); errors name file and
key. Pure: no I/O.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from inbox.charter.fields import EnvName, Kind, Name, NonEmpty, SurveyText, Tag, Urgency
from inbox.charter.teams import LanguageCode
from inbox.config.loader import Strict

# what the personal-data finder reports (inbox.nlp.pii; order_ref and account_ref as order and account)
PiiKind = Literal["email", "phone", "card", "iban", "rib", "cvv", "nir", "address", "order", "account"]
ModerationAction = Literal["hide", "mark"]

Days = Annotated[int, Field(ge=1, le=36500)]


class Retention(Strict):
    """How many days each kind of data is kept (unset: kept); ``inbox privacy purge`` applies it."""

    messages_days: Days | None = None  # texts and payloads, from a closed conversation's last message
    raw_payloads_days: Days | None = None  # raw payloads alone, counted from the message (may be shorter)
    quarantine_days: Days | None = None
    webhook_events_days: Days | None = None
    survey_answers_days: Days | None = None
    profiles_days: Days | None = (
        None  # a customer's profile, from when they were last seen (their last message)
    )
    audit_days: Days | None = None  # the trace of who did what: keep it longer than what it traces

    @model_validator(mode="after")
    def _profiles_outlive_messages(self) -> Retention:
        """A profile gone before its messages would leave their words without the person they belong to."""
        messages, profiles = self.messages_days, self.profiles_days
        if messages is not None and profiles is not None and profiles < messages:
            raise ValueError(f"profiles_days ({profiles}) must be at least messages_days ({messages})")
        return self

    @model_validator(mode="after")
    def _audit_outlives_data(self) -> Retention:
        kept = {k: v for k, v in self.model_dump().items() if v is not None and k != "audit_days"}
        if self.audit_days is not None and kept and self.audit_days < max(kept.values()):
            longest = max(kept, key=lambda k: kept[k])
            raise ValueError(f"audit_days ({self.audit_days}) must be at least {longest} ({kept[longest]})")
        return self


class OptOut(Strict):
    """A customer message that is one of these phrases (any case, punctuation and @mentions aside) stops every
    survey and automatic message to that customer."""

    phrases: tuple[NonEmpty, ...] = ("stop", "non merci", "désinscription", "unsubscribe")


class Privacy(Strict):
    """What moves a public conversation to private messages (any one reason is enough; ``topics`` are tags or
    contact reasons, and a reason moves it automatically: ``inbox.automation.private_move``); how long data
    is kept (``retention``); what a customer writes to stop automatic messages (``opt_out``)."""

    urgencies: tuple[Urgency, ...] = ()
    topics: tuple[Tag, ...] = ()
    pii: tuple[PiiKind, ...] = ()
    template: Name | None = None
    translations: dict[LanguageCode, Name] = {}  # language -> move-to-private template, for customers in it
    retention: Retention = Field(default_factory=Retention)
    opt_out: OptOut = Field(default_factory=OptOut)


class Moderation(Strict):
    """What to do with abusive items. Moderated items are never answered and start no SLA clock."""

    spam: ModerationAction = "hide"
    insults: ModerationAction = "mark"
    hate: ModerationAction = "hide"


class Escalation(Strict):
    """Alerts to a Slack/Teams-compatible webhook; its URL is read from the environment variable named."""

    webhook_url_env: EnvName | None = None
    at_risk_fraction: Annotated[float, Field(gt=0, lt=1)] = 0.75
    alert_on_at_risk: bool = True
    alert_on_breach: bool = True
    alert_on_critical: bool = True

    @field_validator("webhook_url_env", mode="before")
    @classmethod
    def _not_a_url(cls, value: Any) -> Any:
        if isinstance(value, str) and ("://" in value or value.startswith("http")):
            raise ValueError(
                "write the NAME of the environment variable that holds the webhook URL "
                "(e.g. INBOX_ESCALATION_WEBHOOK_URL), never the URL itself: it is a secret"
            )
        return value


class Survey(Strict):
    """A satisfaction survey sent privately after a conversation is resolved.

    ``kinds`` are the conversations it follows (public, private; listening posts are never surveyed),
    ``channels`` the channel names or platforms (empty: every channel), ``once_per_customer_days`` at most one
    survey of this kind per customer (linked accounts included) in that many days (unset: every conversation).
    """

    kind: Literal["none", "nps", "csat", "ces"] = "none"
    template: Name | None = None
    text: SurveyText | None = None
    send_after_minutes: Annotated[int, Field(ge=0, le=7 * 24 * 60)] = 0
    translations: dict[LanguageCode, Name] = {}  # language -> template, for customers writing in it
    kinds: tuple[Kind, ...] = ("public", "private")
    channels: tuple[Name, ...] = ()
    once_per_customer_days: Days | None = None

    def follows(self, kind: str, channel: str, platform: str | None) -> bool:
        """Whether this survey applies to a conversation of charter ``kind`` on ``channel``."""
        on_channel = not self.channels or channel in self.channels or platform in self.channels
        return self.kind != "none" and kind in self.kinds and kind != "listening" and on_channel

    def template_for(self, language: str | None) -> str | None:
        return self.translations.get(language or "", self.template)

    @model_validator(mode="after")
    def _has_message(self) -> Survey:
        if self.kind != "none" and self.template is None and self.text is None:
            raise ValueError(f"a {self.kind} survey needs a template name, a text or both")
        return self


class Ui(Strict):
    """The inbox's screens: the language of a user who has not chosen one (fr | en).

    With ``follow_browser`` such a user sees their browser's language when it is one of ours (as the sign-in
    page does), and ``default_language`` only otherwise; alerts are always in ``default_language``.
    """

    default_language: Literal["fr", "en"] = "en"
    follow_browser: bool = False
