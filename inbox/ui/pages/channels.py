"""The channel settings page (admins): each channel's polling state, a connection check, adding a channel.

Secrets stay where they are (environment variables, or Streamlit secrets): this page shows their NAMES and
whether they are set, and the connection check's outcome scrubbed of them. Rules live in ingest.channel_admin
and inbox.config.channel_file.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from typing import Any

import streamlit as st

from inbox.access import can
from inbox.charter.rules import brand_for
from inbox.config import channel_file
from inbox.config.channels import ChannelConfig, load_channels
from inbox.config.loader import ConfigError
from inbox.config.platforms import platform_info, platform_label, platform_names
from inbox.i18n import _, ngettext, number
from inbox.ingest import channel_admin
from inbox.privacy.audit_labels import action_label
from inbox.settings import secret
from inbox.store import records as store
from inbox.store.tables import User
from inbox.ui import streamlit_words
from inbox.ui.audit_details import said_of
from inbox.ui.channel_words import credential_label, cursor_shown, stream_label
from inbox.ui.common import (
    charter,
    config_dir,
    current_user,
    local_time,
    md_escape,
    now,
    reading,
    transaction,
    zone_note,
)
from inbox.ui.widgets import channel_standby, stream_error

FORM = "add-channel"


def lookup(name: str) -> str | None:
    """A credential's value: the environment first, then Streamlit secrets (top-level keys)."""
    value = secret(name)
    if value is None and st.secrets.load_if_toml_exists():
        found = st.secrets.get(name)
        value = str(found).strip() or None if isinstance(found, str) else None
    return value


def _when(at: datetime | None) -> str:
    return local_time(at, "d MMM HH:mm:ss") if at else "—"


def _admin() -> User | None:
    """The signed-in user if an admin (callbacks check again: a page guard alone is not a permission)."""
    user = current_user()
    return user if user is not None and can(user.role, "channels") else None


def _check(cfg: ChannelConfig) -> None:
    user = _admin()
    if user is None:
        return
    result = channel_admin.check_connection(cfg, user, lookup)
    with transaction() as session:
        channel_admin.audit_check(session, cfg, result, user.name, now())
    st.session_state[f"check-result-{cfg.name}"] = result


def _next_try(stream: channel_admin.StreamState, at: datetime) -> str:
    """When the listener reads the stream again, and why it waits when the read budget's share holds it."""
    when = stream.next_try(at)
    if when is None:
        return _("now")
    if when == stream.held_until:
        return _("{when} (monthly read budget share)").format(when=_when(when))
    return _when(when)


def _streams(state: channel_admin.ChannelState) -> None:
    if not state.streams:
        st.caption(_("Not polled yet: the listener records each stream's cursor after its first poll."))
        return
    at = now()
    rows = [
        {
            _("Stream"): stream_label(s.stream),
            _("Cursor"): cursor_shown(s.cursor),
            _("Last poll"): _when(s.last_poll_at),
            _("Last success"): _when(s.last_success_at),
            _("Next try"): _next_try(s, at),
            _("Failures in a row"): s.failures,
            _("Last error"): stream_error.summary(s.last_error, _told_time),
        }
        for s in state.streams
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    for s in state.streams:  # what happened and what to do, the connector's words one click away
        stream_error.show(stream_label(s.stream), s.last_error, _told_time)


def _told_time(at: datetime) -> str:
    return local_time(at, "d MMM HH:mm")


def _credentials(state: channel_admin.ChannelState) -> None:
    is_set, unset = ":green-badge[{}]".format(_("set")), ":red-badge[{}]".format(_("unset"))
    parts = [
        f"_{md_escape(credential_label(c.role))}_ {md_escape(c.env)} "  # in words, then its variable
        + (is_set if c.is_set else unset)
        for c in state.credentials
    ]
    st.markdown(" · ".join(parts) or ":gray[{}]".format(_("no credentials")))


def _channel(state: channel_admin.ChannelState) -> None:
    cfg = state.config
    info = platform_info(cfg.platform)
    with st.container(border=True, key=f"channel-{cfg.name}"):
        enabled = (
            ":green-badge[{}]".format(_("enabled"))
            if cfg.enabled
            else ":gray-badge[{}]".format(_("disabled"))
        )
        every = _("every {seconds} s").format(seconds=cfg.poll_interval_seconds)
        api = md_escape(str(cfg.base_url)) if cfg.base_url else _("the platform API")
        st.markdown(
            f"### {md_escape(cfg.name)} :gray-badge[{info.label}] {enabled}\n"
            f"@{md_escape(cfg.account)} · {every} · {api}"
        )
        _credentials(state)
        _brand(cfg.name)
        if state.reads_used is None:
            reads = _("no reads yet")
        elif cfg.monthly_read_budget:
            reads = _(
                "{used} of {budget} reads this month ({share} by now, spread evenly over the month)"
            ).format(
                used=number(state.reads_used),
                budget=number(cfg.monthly_read_budget),
                share=number(state.share_by_now or 0),
            )
        else:
            n = state.reads_used  # "0 lecture ce mois-ci": French counts 0 as one
            reads = ngettext("{used} read this month", "{used} reads this month", n).format(used=number(n))
        st.caption(_("Last poll {when} · {reads}").format(when=_when(state.last_poll_at), reads=reads))
        if state.budget_spent:
            st.warning(
                _(
                    "Listening stopped: this month's read budget is spent. It starts again on the 1st of "
                    "next month, or as soon as `monthly_read_budget` is raised in channels.toml."
                ),
                icon=":material/block:",
            )
        _streams(state)
        channel_standby.controls(cfg)
        cols = st.columns([1, 4], vertical_alignment="center")
        cols[0].button(_("Check connection"), key=f"check-{cfg.name}", on_click=_check, args=(cfg,))
        result = st.session_state.get(f"check-result-{cfg.name}")
        if result is not None:
            show = cols[1].success if result.ok else cols[1].error
            said = _("Connected as {account}") if result.ok else _("Connection failed: {error}")
            show(said.format(account=md_escape(result.summary), error=md_escape(result.summary)))
        for event in state.events:
            words = said_of(event.action, event.detail, {}) or _describe(event.detail)
            st.caption(f"{_when(event.at)} · {action_label(event.action)} · {md_escape(words)}")


def _brand(channel: str) -> None:
    """The brand the channel speaks for; a warning when brands exist and none lists it."""
    c = charter()
    if c is None or not c.brands:
        return
    brand = brand_for(c, channel)
    if brand is not None:
        st.caption(_("Brand: {brand}").format(brand=md_escape(brand.display_name)))
        return
    st.warning(
        _(
            "No brand speaks for this channel: its automatic messages (out of hours, peak plan) are the "
            "charter's own text, whatever language the customer writes in. Add it to a brand's channels in "
            "the charter."
        ),
        icon=":material/translate:",
    )


def _describe(detail: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in detail.items() if v is not None)


def _form_data(platform: str) -> dict[str, Any]:
    info = platform_info(platform)
    get = st.session_state.get
    creds = {
        r: str(get(f"add-cred-{r}", "")).strip() for r in (*info.credentials, *info.optional_credentials)
    }
    data: dict[str, Any] = {
        "name": str(get("add-name", "")).strip(),
        "platform": platform,
        "account": str(get("add-account", "")).strip(),
        "poll_interval_seconds": int(get("add-interval", 60)),
        "enabled": bool(get("add-enabled", True)),
        "credentials": {role: env for role, env in creds.items() if env},
        "listening": [q.strip() for q in str(get("add-listening", "")).splitlines() if q.strip()],
        "options": tomllib.loads(str(get("add-options", ""))),
    }
    base_url = str(get("add-base-url", "")).strip()
    if base_url:
        data["base_url"] = base_url
    return data


def _add() -> None:
    user = _admin()
    if user is None:
        return
    platform = st.session_state.get("add-platform") or "x"
    try:
        cfg = channel_file.append_channel(config_dir(), _form_data(platform), user)
    except tomllib.TOMLDecodeError as exc:
        st.session_state["add-problems"] = [_("options: not valid TOML ({error})").format(error=exc)]
        return
    except ConfigError as exc:
        st.session_state["add-problems"] = [
            f"{key}: {msg}" if key else msg for _file, key, msg in exc.problems
        ]
        return
    with transaction() as session:
        store.audit(
            session,
            user.name,
            "channel.added",
            target=("channel", cfg.name),
            detail={"platform": cfg.platform, "account": cfg.account, "credentials": dict(cfg.credentials)},
            at=now(),
        )
    st.session_state.pop("add-problems", None)
    st.session_state["add-done"] = cfg.name


def _add_form() -> None:
    st.subheader(_("Add a channel"))
    platform = st.selectbox(
        _("Platform"),
        platform_names(),
        key="add-platform",
        format_func=platform_label,
        placeholder=streamlit_words.choose(),
    )
    info = platform_info(platform or "x")
    for problem in st.session_state.pop("add-problems", []):
        st.error(problem, icon=":material/error:")
    done = st.session_state.pop("add-done", None)
    if done:
        st.success(
            _("Channel {name} added to channels.toml. The listener picks it up when it restarts.").format(
                name=done
            )
        )
    with st.form(FORM):
        cols = st.columns(3)
        cols[0].text_input(
            _("Name"), key="add-name", placeholder="mastodon-acme", help=_("lower-case, unique")
        )
        cols[1].text_input(_("Account"), key="add-account", placeholder=_("the brand's handle, without @"))
        cols[2].number_input(_("Poll interval (seconds)"), min_value=1, value=60, step=5, key="add-interval")
        st.text_input(
            _("Base URL"),
            key="add-base-url",
            placeholder=_("empty: the platform's real API (or its gateway)"),
        )
        st.caption(
            _("Credentials: the NAME of the environment variable (or Streamlit secret) holding each one.")
        )
        roles = [(r, True) for r in info.credentials] + [(r, False) for r in info.optional_credentials]
        cred_cols = st.columns(2)
        for i, (role, required) in enumerate(roles):
            name = credential_label(role)
            label = name if required else _("{name} (optional)").format(name=name)
            cred_cols[i % 2].text_input(
                label, key=f"add-cred-{role}", placeholder=f"{platform.upper()}_{role.upper()}"
            )
        st.text_area(
            _("Listening queries, one per line"),
            key="add-listening",
            placeholder="acme\n#AcmeCare -from:AcmeCare",
        )
        st.text_area(_("Options (TOML lines)"), key="add-options", placeholder='access_tier = "self_serve"')
        st.checkbox(_("Enabled"), value=True, key="add-enabled")
        st.form_submit_button(_("Add channel"), key="add-submit", on_click=_add, type="primary")


def main() -> None:
    user = current_user()
    assert user is not None
    st.title(_("Channels"))
    st.caption(zone_note())
    if not can(user.role, "channels"):
        st.error(_("Only an admin can see and change the channels."))
        st.stop()
    try:
        channels = load_channels(config_dir()).channels
    except ConfigError as exc:
        st.error(_("config/channels.toml cannot be read, fix it first:") + f"\n\n{md_escape(str(exc))}")
        st.stop()
    at = now()
    with reading() as session:
        states = [channel_admin.state(session, cfg, at, lookup) for cfg in channels]
    if not states:
        st.info(_("No channel yet: add one below."))
    for state in states:
        _channel(state)
    _add_form()


main()
