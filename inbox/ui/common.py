"""Shared helpers for the Streamlit pages (not a page): the engine, the signed-in user, safe rendering."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox import i18n
from inbox.charter import versions as charter_versions
from inbox.charter.model import Charter
from inbox.charter.versions import CharterBook
from inbox.config.loader import ConfigError
from inbox.desk import accounts
from inbox.i18n import _, ngettext
from inbox.nlp.language import LanguageDetect
from inbox.nlp.pii import DEFAULT_PATTERNS, PiiPatterns
from inbox.nlp.settings import load_nlp_config, load_pii_patterns
from inbox.privacy.audit_labels import actor_label
from inbox.replies import composer
from inbox.settings import current_settings
from inbox.store.engine import open_engine
from inbox.store.server_clock import ServerClock
from inbox.store.tables import User

SELECTED = "selected_conversation_id"
USER = "signed_in_user_id"
QUEUE_PAGE = "inbox/ui/pages/queue.py"
CONVERSATION_PAGE = "inbox/ui/pages/conversation.py"
SLA_COLOURS = {"red": "red", "amber": "orange", "green": "green", "none": "gray"}
DEMO_ENV = "INBOX_DEMO"  # set by `inbox demo`: the sign-in page names the demo accounts
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0\u202f]+")  # any whitespace but the no-break spaces
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=^\"'])")
# Bidi embeddings, overrides, isolates and marks: in a name they turn the rest of its line around
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Markdown makes links of e-mail addresses, www. names and URLs even escaped: a word joiner (U+2060,
# invisible) before "@", after "www" and before "://" keeps a customer's handle or name the text it is.
_AUTOLINK = re.compile(r"(?=@)|(?i:(?<=www)(?=\.))|(?=://)")


@st.cache_resource
def _engine(url: str) -> Engine:  # keyed by URL, so each test database gets its own engine
    return open_engine(url)


def engine() -> Engine:
    return _engine(current_settings().database_url)


def forget_engine(url: str) -> None:
    """Close the app's engine for ``url`` and drop it from the cache (tests dropping their database)."""
    _engine(url).dispose()
    _engine.clear(url)
    _clock.clear(url)


@contextmanager
def transaction() -> Iterator[Session]:
    """One short unit of work: commits on success, rolls back on error."""
    with Session(engine(), expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def reading() -> Iterator[Session]:
    with Session(engine(), expire_on_commit=False) as session:
        yield session


@st.cache_resource
def _clock(url: str) -> ServerClock:
    return ServerClock(_engine(url))


def now() -> datetime:
    """The database server's time, as the workers' (``inbox.store.server_clock``): an agent's reply on an app
    machine whose clock is off is stamped, and its response time counted, on the workers' time."""
    return _clock(current_settings().database_url)()


def demo_mode() -> bool:
    return os.environ.get(DEMO_ENV, "") == "1"


def config_dir() -> Path:
    return current_settings().config_dir


@st.cache_data(ttl=30, show_spinner=False)
def _display_names(url: str) -> dict[str, str]:
    with reading() as session:
        return {u.name: u.display_name for u in session.exec(select(User)).all() if u.display_name}


def person(login: str, *, with_login: bool = False) -> str:
    """Who wrote or did something, as colleagues know them: a user by their display name ("Alex"), else by
    their user name; a process of the inbox in words ("automatisation"). ``with_login``: the user name too,
    "Alex (agent)", where an admin needs the account (the audit log)."""
    said = actor_label(login)
    if said != login:
        return said
    name = _display_names(current_settings().database_url).get(login, login)
    return f"{name} ({login})" if with_login and name != login else name


@st.cache_data(ttl=30, show_spinner=False)
def _templates(path: str, mtime: float) -> composer.TemplatesFile | str:
    try:
        return composer.load_templates(Path(path))
    except ConfigError as exc:
        return str(exc)


def templates() -> composer.TemplatesFile | str:
    """The templates file, or the error that stops it loading (shown to the agent)."""
    path = config_dir() / "templates.toml"
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _templates(str(path.parent), mtime)


CharterKey = tuple[str, str, int | None, float]


def _charter_key() -> CharterKey:
    """(database, config folder, newest saved version, the file's mtime): a save shows at once."""
    path = config_dir() / "charter.toml"
    with reading() as session:
        version = charter_versions.newest_id(session)
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return current_settings().database_url, str(path.parent), version, mtime


@st.cache_data(ttl=30, show_spinner=False)
def _charter(key: CharterKey, whole_book: bool) -> Charter | CharterBook | None:
    folder = Path(key[1])
    try:
        with reading() as session:
            if whole_book:
                return charter_versions.charter_book(session, folder)
            return charter_versions.current_charter(session, folder)
    except ConfigError:
        return None


def charter() -> Charter | None:
    """The charter in force (newest version saved in the editor, else the file), or None when invalid."""
    found = _charter(_charter_key(), False)
    return found if isinstance(found, Charter) else None


def charter_book() -> CharterBook | None:
    """Every charter version with when it came into force (a clock is judged by the one in force at its
    arrival), or None when the charter is invalid."""
    found = _charter(_charter_key(), True)
    return found if isinstance(found, CharterBook) else None


def team_zone() -> ZoneInfo:
    """The charter team's time zone (UTC without a charter)."""
    c = charter()
    team = c.teams.get(c.sla.team) if c else None
    return ZoneInfo(team.timezone) if team else ZoneInfo("UTC")


def local_time(at: datetime, fmt: str = "d MMM HH:mm", zone: ZoneInfo | None = None) -> str:
    """``at`` in the team's time zone (``zone``: it, asked once for many rows), in the user's language
    (``fmt``: a CLDR pattern); see ``zone_note``."""
    return i18n.formatted(at, fmt, zone or team_zone())


def zone_note() -> str:
    """The time zone, named once per page that shows times."""
    return _("Times are in {zone}.").format(zone=i18n.zone_name(team_zone()))


@st.cache_resource
def _pii_patterns(folder: str) -> PiiPatterns:
    try:
        return load_pii_patterns(Path(folder))
    except ConfigError:  # `inbox config check` names the problem; drafts are still checked
        return DEFAULT_PATTERNS


def pii_patterns() -> PiiPatterns:
    """The personal-data patterns of config/nlp.toml: drafts are checked as incoming messages are."""
    return _pii_patterns(str(config_dir()))


@st.cache_resource(show_spinner=False)
def _language_detector(folder: str) -> Callable[[str], str] | None:
    try:
        nlp = load_nlp_config(Path(folder))
    except ConfigError:  # `inbox config check` names the problem
        return None
    return LanguageDetect(nlp.language.candidates, min_letters=nlp.language.min_letters).detect


def language_detector() -> Callable[[str], str] | None:
    """The classifier's language detector (config/nlp.toml's candidates; "und" when unsure), built once."""
    return _language_detector(str(config_dir()))


def current_user() -> User | None:
    """The signed-in user, read afresh (deactivated or past their end date: signed out at once)."""
    user_id = st.session_state.get(USER)
    if user_id is None:
        return None
    with reading() as session:
        user = session.get(User, user_id)
    if user is None or not accounts.may_sign_in(user, now()):
        st.session_state.pop(USER, None)
        return None
    return user


def md_escape(text: str) -> str:
    """Text made inert for st.markdown: every Markdown, directive and HTML character backslash-escaped, runs
    of spaces and line breaks made one space (the no-break spaces of French typography are kept)."""
    return _MD_SPECIAL.sub(r"\\\1", _BREAKABLE_SPACE.sub(" ", text).strip(" "))


def md_name(text: str) -> str:
    """A customer's handle or name for st.markdown: ``md_escape``d, never made a link, and without bidi
    controls (a right-to-left override in a name turned the rest of its line backwards: "moc.live")."""
    return md_escape(_AUTOLINK.sub("\u2060", _BIDI_CONTROL.sub("", text)))


def open_conversation(conv_id: int) -> None:
    st.session_state[SELECTED] = conv_id
    st.switch_page(CONVERSATION_PAGE)


def time_left(left: timedelta, to_answer: bool = False) -> str:
    """ "12 min left" (``to_answer``: "… left to answer"), agreeing with the number written last ("1 min
    restante", "12 min restantes", "2 h 01 min restante"): the duration as ``i18n.duration`` writes it."""
    seconds = int(abs(left.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    last = hours if days else minutes if hours or minutes else secs
    text = (
        ngettext("{time} left to answer", "{time} left to answer", last)
        if to_answer
        else ngettext("{time} left", "{time} left", last)
    )
    return text.format(time=i18n.duration(left))
