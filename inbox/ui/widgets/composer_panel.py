"""The reply composer widget (not a page): mode, template, fill-ins, draft, checks, send, collision prompt.

Rules live in replies.composer and desk.actions; this module only keeps the draft in session state and shows
their verdicts. Callbacks change widget state before the next run, as Streamlit requires.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import streamlit as st
from sqlalchemy.exc import OperationalError

from inbox.config.channels import load_channels
from inbox.config.loader import ConfigError
from inbox.desk import actions as desk
from inbox.desk import replying
from inbox.desk.actions import ConversationView
from inbox.i18n import N_, _
from inbox.replies import composer, guidance
from inbox.replies import facts as reply_facts
from inbox.replies import rules as reply_rules
from inbox.store.tables import Channel, OutboundReply, User
from inbox.ui.common import (
    charter,
    config_dir,
    local_time,
    md_escape,
    md_name,
    now,
    pii_patterns,
    reading,
    team_zone,
    templates,
    transaction,
)
from inbox.ui.labels import REASON, STATUS, URGENCY, VISIBILITY, label, stored_text
from inbox.ui.widgets import flash, platform_template_panel, reply_language_check, template_picker
from inbox.ui.widgets.composer_keys import Keys

MODE_LABELS = {"public": N_("Public reply"), "private": N_("Private message (DM)")}
MODE_ICONS = {"public": ":material/public:", "private": ":material/lock:"}
TONES = {"formal": N_("formal"), "friendly": N_("friendly"), "playful": N_("playful")}
REPLY_STATUS = {
    "pending": N_("queued"),
    "sending": N_("sending"),
    "failed": N_("failed"),
    "sent": N_("delivered"),
}


def _state(k: Keys, name: str, default: Any = None) -> Any:
    return st.session_state.get(getattr(k, name), default)


@st.cache_data(ttl=30, show_spinner=False)
def _options(path: str, mtime: float) -> dict[str, dict[str, object]]:
    try:
        return {c.name: dict(c.options) for c in load_channels(Path(path)).channels}
    except ConfigError:
        return {}


def channel_options(name: str) -> dict[str, object]:
    """The channel's ``options`` from config/channels.toml (X access tier, ...); empty when unknown."""
    path = config_dir() / "channels.toml"
    return _options(str(path.parent), path.stat().st_mtime if path.exists() else 0.0).get(name, {})


def _known(view: ConversationView, user: User) -> dict[str, str]:
    c = view.contact
    return composer.known_values(
        customer_name=c.display_name if c else None,
        handle=c.handle if c else None,
        agent_name=user.display_name or user.name,
        conversation_id=view.conversation.id,
    )


def opened(k: Keys) -> None:
    """Start the composer's clock (for collision detection) and its idempotency key, once per draft."""
    if k.opened not in st.session_state:
        st.session_state[k.opened] = now()
        st.session_state[k.idem] = uuid.uuid4().hex


def _switch_private(k: Keys) -> None:
    st.session_state[k.mode] = "private"


def _reset(k: Keys) -> None:
    """Empty the composer: widgets get their default assigned (deleting leaves the old value on screen)."""
    prefix = f"composer-{k.conv}-"
    for key in [key for key in st.session_state if str(key).startswith(prefix) and key != k.mode]:
        if key == k.draft:
            st.session_state[key] = ""
        elif key == k.template:
            st.session_state[key] = None
        else:
            del st.session_state[key]


def _send(
    k: Keys, user: User, confirmed: bool, known: dict[str, str], customer_language: str | None = None
) -> None:
    if not confirmed and reply_language_check.unconfirmed(
        k.conv,
        st.session_state.get(k.draft, "") or "",
        customer_language,
        st.session_state.get(k.template),
    ):  # the button is not disabled on the text (it reaches the app with the click): checked here
        st.session_state[k.flash] = (
            "warning",
            _("Check your reply's language: tick “Send it in this language anyway”, then send."),
        )
        return
    snapshot = st.session_state.get(k.snapshot) if confirmed else None
    if snapshot is None:  # widgets are not on screen while a reply is held: keep their values aside
        next_dm = st.session_state.get(k.continue_dm) if st.session_state.get(k.continue_check) else None
        draft, mode, template = (
            st.session_state.get(k.draft, ""),
            st.session_state.get(k.mode, "public"),
            st.session_state.get(k.template),
        )
        snapshot = (draft, mode, next_dm, template)
    text, visibility, next_dm, template = snapshot
    try:
        with transaction() as session:
            result = replying.send_reply(
                session,
                k.conv,
                user,
                visibility=visibility,
                text=text,
                composer_opened_at=st.session_state[k.opened],
                now=now(),
                confirmed=confirmed,
                idempotency_key=st.session_state[k.idem],
                pii_patterns=pii_patterns(),
                channel_options=st.session_state.get(k.options),
                template=template,
            )
    except OperationalError:  # SQLite: another agent's send held the conversation at that very moment
        st.session_state[k.flash] = (
            "error",
            _(
                "Someone was sending on this conversation at the same moment. "
                "Check the thread, then send again."
            ),
        )
        return
    if result.held:
        st.session_state[k.held], st.session_state[k.snapshot] = result.held, snapshot
        return
    if result.verdict is not None:
        st.session_state[k.flash] = ("error", " ".join(result.verdict.problems))
        return
    _reset(k)
    st.session_state[k.flash] = ("success", _queued(visibility, result.reply))
    if next_dm:
        st.session_state[k.mode], st.session_state[k.template] = "private", next_dm
        template_picker.apply(k, known)
        st.session_state[k.flash] = (
            "success",
            _("Public reply queued. Now continue in DM: check the message below."),
        )


def _queued(visibility: str, reply: OutboundReply | None) -> str:
    """What a queued reply does next: go within seconds, or wait while its channel's sending is paused (the
    notice above the composer says so; the send said "within seconds" all the same)."""
    with reading() as session:
        channel = session.get(Channel, reply.channel_id) if reply is not None else None
    if channel is not None and channel.sending_paused_at is not None:
        if visibility == "public":
            return _("Public reply queued: it waits until sending resumes on this channel.")
        return _("Private message queued: it waits until sending resumes on this channel.")
    if visibility == "public":
        return _("Public reply queued: it goes out within seconds.")
    return _("Private message queued: it goes out within seconds.")


def _discard(k: Keys, user: User) -> None:
    with transaction() as session:
        desk.discard_reply(session, k.conv, user, now())
    _reset(k)
    st.session_state[k.flash] = ("info", _("Your draft was discarded."))


def _held(k: Keys, user: User, known: dict[str, str]) -> None:
    held = _state(k, "held") or []
    with st.container(border=True):
        st.warning(
            _(
                "Someone else answered this conversation since you started writing. "
                "Read their answer before sending yours."
            ),
            icon=":material/group:",
        )
        for a in held:
            when = local_time(a.at, "HH:mm:ss")
            kind = label(VISIBILITY, a.visibility)
            status = (
                _(REPLY_STATUS[a.status]) if a.status in REPLY_STATUS else label(STATUS, a.status).lower()
            )
            st.markdown(f"**{md_escape(a.author)}** · {kind} · {status} · :gray[{when}]")
            st.text(stored_text(a.text), width="stretch")
        snapshot = _state(k, "snapshot")
        if snapshot:
            st.caption(_("Your reply, held back:"))
            st.text(snapshot[0], width="stretch")
        cols = st.columns(2)
        cols[0].button(
            _("Send mine anyway"),
            key=f"confirm-{k.conv}",
            on_click=_send,
            args=(k, user, True, known),
            type="primary",
        )
        cols[1].button(_("Discard my reply"), key=f"discard-{k.conv}", on_click=_discard, args=(k, user))


def _charter_advice(k: Keys, view: ConversationView, mode: str, known: dict[str, str]) -> None:
    conv = view.conversation
    kinds = [
        str(p.get("kind")) for m in view.messages if m.direction == "in" for p in m.pii if isinstance(p, dict)
    ]
    advice = guidance.for_reply(
        charter(),
        channel=view.channel.name,
        visibility=conv.visibility,
        urgency=conv.urgency,
        tags=conv.tags,
        pii_kinds=kinds,
        reason=conv.reason,
    )
    if advice.tone:
        tone = _(TONES[advice.tone]) if advice.tone in TONES else advice.tone
        brand = md_escape(advice.brand or "")
        st.caption(
            _("{brand} · tone: {tone} — {guidelines}").format(
                brand=brand, tone=tone, guidelines=md_escape(advice.guidelines)
            )
        )
    if not advice.private_reasons or mode != "public":
        return
    files = templates()
    tpl = files.get(advice.privacy_template or "") if isinstance(files, composer.TemplatesFile) else None
    # the button under the notice: beside it, it was cut ("Utiliser « Poursuivo… »")
    st.info(
        _("The charter asks to continue privately ({reasons}).").format(
            reasons=advice.reasons_text(lambda group, value: md_escape(_private_reason_word(group, value)))
        ),
        icon=":material/lock:",
    )
    if tpl is not None and tpl.fits("public"):
        st.button(  # the title in its help: in the label it was cut on a phone
            _("Use the suggested template"),
            help=tpl.title,
            key=f"charter-dm-{k.conv}",
            on_click=template_picker.use,
            args=(k, tpl.name, known),
        )


def _private_reason_word(group: str, value: str) -> str:
    """A charter's reason to move to private in the agent's words: "Accès au compte", "critique", "e-mail"."""
    if group == "urgencies":
        return label(URGENCY, value).lower()
    if group == "pii":
        kind = value if value in composer.PII_WORDS else f"{value}_ref"
        return composer.pii_words([kind]) if kind in composer.PII_WORDS else value
    return label(REASON, value) if value in REASON else value  # a topic: a contact reason or a tag


def _count(verdict: composer.Verdict, text: str, platform: str, recipient: str | None) -> str:
    """``12 / 500 characters``, saying so when the count holds the handle the platform puts first (Mastodon:
    an empty reply counted 12 and nothing said why)."""
    count = f"{verdict.length} / {verdict.limit} "
    count += _("weighted characters") if verdict.unit == "x_weighted" else _("characters")
    if not recipient or verdict.length <= reply_rules.measure(text, platform, verdict.visibility).count:
        return count
    return _("{count}, with {handle} that {platform} puts first").format(
        count=count, handle=md_name("@" + recipient.lstrip("@")), platform=reply_rules.info(platform).label
    )


def _draft_and_send(
    k: Keys, user: User, mode: str, known: dict[str, str], view: ConversationView, route: reply_rules.Route
) -> None:
    """The editable draft, its count and blocking problems, and the send buttons, in a form: the typed text
    reaches the app together with the click on Send. Outside a form the text was sent when the field lost
    the focus, as a rerun of its own, and the click that took the focus away was lost in the demo."""
    with st.form(f"reply-form-{k.conv}", border=False, enter_to_submit=False):
        text = st.text_area(
            _("Your reply"), key=k.draft, height=140, placeholder=_("Pick a template or write your reply…")
        )
        recipient = view.contact.handle if view.contact else None
        verdict = composer.check(
            text or "",
            mode,
            pii_patterns=pii_patterns(),
            platform=view.channel.platform,
            route=route,
            recipient=recipient,
        )
        colour = "red" if verdict.length > verdict.limit else "gray"
        st.markdown(f":{colour}[{_count(verdict, text or '', view.channel.platform, recipient)}]")
        shown = [p for p in verdict.problems if p != route.reason]  # the route's reason is shown above
        for problem in shown if (text or "").strip() else []:
            st.error(problem, icon=":material/block:")
        reply_language_check.confirmed(
            k.conv, text or "", view.conversation.language, st.session_state.get(k.template)
        )
        row = st.container(
            horizontal=True
        )  # each button as wide as its words: "Envoyer plutôt en privé" whole
        # Never disabled on the text: the click sends the draft as it is then; desk.send_reply refuses it on
        # the same checks (length, empty, ...) and the language is checked in _send. Only a route that allows
        # no reply keeps it disabled.
        row.form_submit_button(
            _("Send"),
            key=f"send-{k.conv}",
            type="primary",
            disabled=not route.allowed,
            on_click=_send,
            args=(k, user, False, known, view.conversation.language),
            icon=":material/send:",
        )
        if verdict.offer_private and mode == "public":
            row.form_submit_button(
                _("Send privately instead"),
                key=f"to-dm-{k.conv}",
                on_click=_switch_private,
                args=(k,),
                icon=":material/lock:",
            )


def panel(view: ConversationView, user: User) -> None:
    """The whole composer for one conversation."""
    k = Keys(view.conversation.id or 0)
    opened(k)
    flash.show(k.flash)  # its slot is there on every run: the composer below keeps its place
    known = _known(view, user)
    if _state(k, "held"):
        _held(k, user, known)
        return
    st.session_state[k.options] = options = channel_options(view.channel.name)
    with reading() as session:
        decision = reply_facts.decision(session, view.conversation, now(), options, team_zone())
    modes = decision.modes()
    if st.session_state.get(k.mode) not in modes:
        st.session_state[k.mode] = decision.default_mode()
    mode = (
        st.segmented_control(
            _("Reply as"),
            modes,
            format_func=lambda v: f"{MODE_ICONS.get(v, '')} {_(MODE_LABELS[v])}",
            key=k.mode,
            required=True,
        )
        or modes[0]
    )
    route = decision.route(mode)
    if not route.allowed:
        st.warning(route.reason or _("This reply is not possible here."), icon=":material/block:")
    if route.template_only:
        platform_template_panel.offer(view, user, known, options)
        return
    _charter_advice(k, view, mode, known)
    template_picker.picker(k, view, mode, known)
    if k.draft not in st.session_state and st.session_state.get(k.template):
        template_picker.apply(k, known)
    _draft_and_send(k, user, mode, known, view, route)
