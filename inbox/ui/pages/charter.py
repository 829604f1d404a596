"""The charter editor page: community managers change the charter; each save is a new version with history.

Validation is the same as for config/charter.toml (errors give the file, the key and what is allowed). The
newest saved version is the charter in force: the listener picks it up without a restart, and new
conversations get its targets (due times already running do not move). Each save is written back to
config/charter.toml with its comments (``inbox.charter.charter_file``): the file and the app never disagree.
"""

from __future__ import annotations

import tomllib
from typing import Any

import streamlit as st

from inbox.access import PermissionDenied, can
from inbox.charter import charter_file
from inbox.charter import versions as charter_versions
from inbox.charter.editor import changes, edited, text_diff
from inbox.charter.toml_edit import rewrite
from inbox.config.channels import load_channels
from inbox.config.loader import ConfigError
from inbox.i18n import N_, _, ngettext
from inbox.store.tables import User
from inbox.store.tables.enforcement import CharterVersion
from inbox.ui import streamlit_words
from inbox.ui.common import (
    config_dir,
    current_user,
    local_time,
    md_escape,
    now,
    person,
    reading,
    transaction,
    zone_note,
)
from inbox.ui.widgets import classification_panel, flash
from inbox.ui.widgets.charter_form import NOTE, settings_form

FLASH = "charter-flash"
TOML_NOTE = N_("What you changed in the TOML and why (required, kept in the history)")
SHOWN_VERSIONS = 50


def _data(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _problems(rows: list[tuple[str, str, str]]) -> None:
    st.error(
        ngettext(
            "Not saved: {n} problem. Correct the value below and save again.",
            "Not saved: {n} problems. Correct the values below and save again.",
            len(rows),
        ).format(n=len(rows)),
        icon=":material/error:",
    )
    st.dataframe(
        [{_("File"): f, _("Key"): k, _("Problem and what is allowed"): m} for f, k, m in rows],
        hide_index=True,
        width="stretch",
    )


def _save(
    user: User, text: str, base: int | None, previous: str, note: str, where: str = "", field: str = NOTE
) -> None:
    """Save ``text`` as the newest version, then write it back to config/charter.toml; the outcome is said
    under the button that saved it (``where``: its tab's slot, "" the top of the page). The note is required,
    as in a change log: the history says who changed what and why; an invalid charter says its problems
    first."""
    if not note.strip():
        try:
            charter_versions.validate_text(text)
        except ConfigError as exc:
            _problems(exc.problems)
            return
        st.error(
            _("Not saved: say what you changed and why in “{field}”; the history keeps it.").format(
                field=_(field)
            ),
            icon=":material/edit_note:",
        )
        return
    file_text = charter_file.read_file(config_dir())
    try:
        with transaction() as session:
            row = charter_versions.save_version(
                session,
                text,
                by=user,
                comment=note,
                now=now(),
                based_on=base,
                previous_text=previous,
                file_text=file_text,
            )
    except PermissionDenied as exc:
        st.error(_("Not saved: {error}.").format(error=exc), icon=":material/block:")
        return
    except ConfigError as exc:
        _problems(exc.problems)
        return
    except charter_versions.StaleVersion as exc:
        st.error(_("Not saved: {error}.").format(error=exc), icon=":material/sync_problem:")
        return
    saved = _(
        "Saved as version #{id}. It is in force now: new conversations get its targets; "
        "clocks already running keep theirs."
    ).format(id=row.id)
    error = charter_file.write_back(config_dir(), text)
    if error is not None:
        saved += " " + _(
            "config/charter.toml could not be written ({error}): run `inbox charter export` where it can be."
        ).format(error=error.strerror or error)
    st.session_state[FLASH + where] = ("success", saved)
    st.rerun()


def _channel_names() -> list[str]:
    try:
        return [c.name for c in load_channels(config_dir()).channels]
    except ConfigError:  # the Channels page says what is wrong with the file
        return []


def _settings_tab(user: User, base: int | None, text: str) -> None:
    data = _data(text)
    if not data:
        st.warning(_("The charter in force is not valid TOML: correct it in the TOML tab."))
        return
    submitted = settings_form(data, f"cf{base or 0}-", list(classification_panel.reasons()), _channel_names())
    flash.show(FLASH + "-settings", icon=":material/check_circle:")  # under Save, where the eyes are
    if submitted is None:
        return
    updates, problems, note = submitted
    if problems:
        _problems([(_("charter (editor)"), key, message) for key, message in problems])
        return
    if not updates:
        st.info(_("Nothing changed: no version saved."))
        return
    _save(user, rewrite(text, edited(data, updates)), base, text, note, "-settings")


def _toml_tab(user: User, base: int | None, text: str) -> None:
    with st.form(f"toml-{base or 0}", enter_to_submit=False):  # saved by the button only
        new_text = st.text_area("charter.toml", value=text, height=560, key=f"toml-{base or 0}-text")
        note = st.text_input(_(TOML_NOTE), key=f"toml-{base or 0}-note")
        submitted = st.form_submit_button(
            _("Save as a new version"), type="primary", key=f"toml-{base or 0}-save"
        )
    flash.show(FLASH + "-toml", icon=":material/check_circle:")
    if submitted:  # what is refused shows under the button too
        if new_text == text:
            st.info(_("Nothing changed: no version saved."))
        else:
            _save(user, new_text, base, text, note, "-toml", TOML_NOTE)
    st.download_button(
        _("Download this TOML (to keep in git)"), text, file_name="charter.toml", mime="application/toml"
    )


def _note(version: CharterVersion) -> str:
    """The note as written, but the file's text kept before the first save is described in the reader's
    language (its stored note is English)."""
    if not charter_versions.is_file_import(version):
        return version.comment
    at = charter_versions.kept_at(version)
    return _("The file as it was before the first save from this page ({when})").format(
        when=local_time(at, "d MMM yyyy HH:mm") if at else "?"
    )


def _history_tab(
    user: User, base: int | None, text: str, versions: list[CharterVersion], file_text: str
) -> None:
    if not versions:
        st.info(_("No version saved here yet: the charter in force is config/charter.toml."))
        return
    texts = {v.id: v.toml for v in versions}
    first = versions[-1]
    older = {v.id: versions[i + 1].toml for i, v in enumerate(versions[:-1])}
    older[first.id] = first.toml if charter_versions.is_file_import(first) else file_text
    rows = []
    for v in versions[:SHOWN_VERSIONS]:
        changed = changes(_data(older[v.id]), _data(v.toml))
        rows.append(
            {
                _("Version"): v.id,
                _("Saved"): _("from the start")
                if charter_versions.is_file_import(v)
                else local_time(v.saved_at)
                if v.saved_at
                else "",
                _("By"): person(v.saved_by),
                _("Note"): _note(v),
                _("What changed"): "; ".join(str(c) for c in changed[:6])
                + (" …" if len(changed) > 6 else ""),
            }
        )
    st.dataframe(rows, hide_index=True, width="stretch")
    chosen = st.selectbox(
        _("Show version"),
        list(texts)[:SHOWN_VERSIONS],
        key="charter-history-pick",
        placeholder=streamlit_words.choose(),
    )
    if chosen is None:
        return
    label = "config/charter.toml" if chosen == first.id else _("the version before")
    heading = _("Changes from {before} to version #{id}").format(before=md_escape(label), id=chosen)
    st.markdown(f"**{heading}**")
    version = _("version #{id}").format(id=chosen)
    st.code(
        text_diff(older[chosen], texts[chosen], _("before"), version) or _("(same text)"),
        language="diff",
    )
    with st.expander(_("Version #{id} in full").format(id=chosen)):
        st.code(texts[chosen], language="toml")
    if chosen != base and st.button(_("Restore it as a new version"), key="charter-restore"):
        restored = charter_file.commented(texts[chosen], file_text)
        _save(user, restored, base, text, _("Restore of version #{id}").format(id=chosen))


def _file_notice(user: User, base: int | None, text: str, file_text: str) -> None:
    """The rule, and a warning when config/charter.toml was changed outside the inbox since the last save."""
    st.caption(
        _(
            "One source of truth: each version saved here is written back to config/charter.toml with its "
            "comments (a one-number change is a one-line change in the file); the history stays here. "
            "`inbox charter export` writes the version in force to a file."
        )
    )
    if base is None or file_text == text:
        return
    st.warning(
        _(
            "config/charter.toml differs from version #{id}, which is in force (the file was changed outside "
            "the inbox, or could not be written). Import the file as a new version, or run "
            "`inbox charter export` to overwrite it."
        ).format(id=base),
        icon=":material/difference:",
    )
    if st.button(_("Import config/charter.toml as a new version"), key="charter-import-file"):
        _save(user, file_text, base, text, _("Imported from config/charter.toml"))


def main() -> None:
    user = current_user()
    assert user is not None
    st.title(_("Response charter"))
    if not can(user.role, "templates"):
        st.error(_("Only community managers and admins edit the charter."))
        return
    with reading() as session:
        base, saved_text = charter_versions.current_text(session, config_dir())
        versions = charter_versions.history(session)
    file_text = charter_file.read_file(config_dir())
    text = charter_file.commented(saved_text, file_text)  # the text the file holds when in step
    newest = versions[0] if versions else None
    if newest is not None and newest.saved_at is not None:
        st.caption(
            _("In force: version #{id}, saved by {name} on {when}. {zone}").format(
                id=newest.id,
                name=md_escape(person(newest.saved_by)),
                when=local_time(newest.saved_at),
                zone=zone_note(),
            )
        )
    else:
        st.caption(_("In force: config/charter.toml (not edited here yet)"))
    flash.show(FLASH, icon=":material/check_circle:")
    _file_notice(user, base, text, file_text)
    settings, raw, past = st.tabs([_("Settings"), "TOML", _("History")])
    with settings:
        _settings_tab(user, base, text)
    with raw:
        _toml_tab(user, base, text)
    with past:
        _history_tab(user, base, text, versions, file_text)


main()
