"""What the classifier said about each customer message, and one-click corrections (not a page).

Shows language, sentiment, urgency with why (phrase rules and models named for what they are), the contact
reason with its score and the personal data found; a correction applies at once through
``inbox.desk.corrections`` (stored, audited, the conversation and its clock follow).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import streamlit as st

from inbox.access import PermissionDenied
from inbox.charter.deadlines import DuePolicy
from inbox.config.loader import ConfigError
from inbox.desk import actions as desk
from inbox.desk import corrections
from inbox.i18n import N_, _, listing, percent
from inbox.nlp.settings import load_nlp_config
from inbox.nlp.types import LEVELS, SENTIMENTS
from inbox.replies.composer import pii_words
from inbox.store.tables import Message
from inbox.store.tables.corrections import ClassificationCorrection
from inbox.ui.common import config_dir, current_user, local_time, md_escape, now, person, reading, transaction
from inbox.ui.labels import REASON, SENTIMENT, URGENCY, label, language, rule, stored_text

SHOWN = 5  # the customer's latest messages with their classification
SIGNALS = {  # what lifted an urgency, named for what it is (``inbox.nlp.urgency.decide``)
    "model:urgency": N_("urgency model (trained on labelled support messages)"),
    "model:complaint": N_("complaint model"),
    "sentiment:negative": N_("negative sentiment (model)"),
    "reach:large_following": N_("author with a large following"),
}


@st.cache_resource
def _taxonomy(folder: str) -> tuple[str, ...]:
    try:
        return tuple(load_nlp_config(Path(folder)).reasons.labels)
    except ConfigError:  # `inbox config check` names the problem
        return tuple(REASON)


def reasons() -> tuple[str, ...]:
    """The contact reasons of config/nlp.toml, the ones an agent may choose."""
    return _taxonomy(str(config_dir()))


def why(urgency_reasons: Sequence[object], where: bool = False) -> list[str]:
    """Each urgency reason in words: a phrase rule by its name, a model as a model; ``where``: also the
    rule's key in config/nlp.toml (for those who edit the rules)."""
    out = []
    for item in urgency_reasons:
        code = str(item)
        if code.startswith("rule:"):
            name = code[5:]
            words = (
                _("phrase rule “{rule}” ({name} in config/nlp.toml)") if where else _("phrase rule “{rule}”")
            )
            out.append(words.format(rule=rule(name), name=name))
        else:
            out.append(_(SIGNALS[code]) if code in SIGNALS else code)
    return out


def _correct(message_id: int, field: str, key: str, due: DuePolicy) -> None:
    user, value = current_user(), st.session_state.get(key)
    if user is None or not value:
        return
    try:
        with transaction() as session:
            done = corrections.correct(session, message_id, field, str(value), user, now(), due)
    except PermissionDenied as exc:  # its message is in the user's language
        st.toast(str(exc))
        return
    except corrections.CorrectionError:  # the message is gone, or a value the panel never offers
        st.toast(_("This correction could not be saved: reload the conversation."))
        return
    if done is not None:
        st.toast(_("Correction saved: the conversation follows it."))


def _choice(
    m: Message, field: str, options: Sequence[str], words: Callable[[str], str], due: DuePolicy, name: str
) -> None:
    key = f"fix-{field}-{m.id}"
    current = getattr(m, field)
    st.session_state[key] = current if current in options else None
    st.pills(
        name,
        list(dict.fromkeys([*options, *([current] if current else [])])),
        key=key,
        format_func=words,
        on_change=_correct,
        args=(m.id or 0, field, key, due),
    )


def _message(
    m: Message, fixed: dict[str, ClassificationCorrection], due: DuePolicy, edits_rules: bool
) -> None:
    words = " ".join(stored_text(m.text).split())
    snippet = words if len(words) <= 80 else words[:79].rstrip() + "…"  # cut, and seen to be
    st.caption(local_time(m.created_at) if m.created_at else "")
    st.text(snippet)  # the customer's words: text, never Markdown
    score = (m.reason_scores or {}).get(m.reason or "")
    reason = label(REASON, m.reason)
    if isinstance(score, int | float) and "reason" not in fixed:  # a person's choice has no model score
        reason = _("{reason} (score {score})").format(reason=reason, score=percent(float(score), 0))
    st.markdown(_("Contact reason: {reason}").format(reason=md_escape(reason)))
    found = why(m.urgency_reasons or [], where=edits_rules)
    if found:
        st.caption(_("Urgency because: {why}").format(why=md_escape(listing(found))))
    kinds = sorted({str(p.get("kind")) for p in (m.pii or []) if isinstance(p, dict)})
    if kinds:
        words = pii_words(kinds)
        st.markdown(
            ":orange-badge[:material/badge: {}]".format(_("Personal data: {kinds}").format(kinds=words))
        )
    for field, row in fixed.items():
        st.caption(
            _("{field} corrected by {who} ({when}): {old} → {new}").format(
                field=_(FIELD_NAMES[field]),
                who=md_escape(person(row.actor)),
                when=local_time(row.at) if row.at else "",
                old=_word(field, row.old),
                new=_word(field, row.new),
            )
        )
    _choice(m, "urgency", LEVELS[::-1], lambda v: label(URGENCY, v), due, _("Urgency"))
    _choice(m, "sentiment", SENTIMENTS, lambda v: label(SENTIMENT, v), due, _("Sentiment"))
    _choice(m, "language", ("fr", "en"), language, due, _("Language"))
    _choice(m, "reason", reasons(), lambda v: label(REASON, v), due, _("Contact reason"))


FIELD_NAMES = {
    "urgency": N_("Urgency"),
    "sentiment": N_("Sentiment"),
    "language": N_("Language"),
    "reason": N_("Contact reason"),
}


def _word(field: str, value: str | None) -> str:
    tables = {"urgency": URGENCY, "sentiment": SENTIMENT, "reason": REASON}
    return language(value) if field == "language" else label(tables[field], value)


def panel(view: desk.ConversationView, due: DuePolicy) -> None:
    """The classification of the customer's latest messages, newest first, each correctable in one click."""
    inbound = [m for m in view.messages if m.direction == "in"][-SHOWN:][::-1]
    st.markdown("**{}**".format(_("Classification")))
    if not inbound:
        st.caption(_("No customer message yet."))
        return
    st.caption(_("Wrong? Click the right value: the queue, filters and response clock follow."))
    with reading() as session:
        fixed = corrections.corrections_for(session, [m.id for m in inbound if m.id is not None])
    user = current_user()
    edits_rules = user is not None and user.role in ("manager", "admin")  # community managers write them
    for n, m in enumerate(inbound):
        if n:
            st.divider()
        _message(m, fixed.get(m.id or 0, {}), due, edits_rules)
