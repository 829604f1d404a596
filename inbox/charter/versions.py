"""Charter versions: each save in the editor is a new row; the newest is in force, else config/charter.toml.

One source of truth (``inbox.charter.charter_file``): the page writes each version back to the file. Before
the file is first overwritten, its text is kept as a version in force from the beginning (``FILE_IMPORT``):
conversations that arrived before the first save keep being judged by it, and the file no longer counts.

Session-taking functions never commit. ``LiveCharter`` is what a long-running process holds: it notices a
new version (one cheap query at most every ``recheck_seconds``) and doubles as the ingestion's due policy,
so a target changed in the editor applies to the next conversation without a restart. One rule everywhere
(queue, dashboard, report, alerts): a conversation is judged by the charter in force when it arrived (its
first customer message), for its first response and every next response; ``charter_book`` gives the reports
the versions to find it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from inbox.access import Actor, require
from inbox.charter.deadlines import CharterDue, DueSubject
from inbox.charter.editor import changes
from inbox.charter.model import CHARTER_FILE, Charter, load_charter, parse_charter
from inbox.charter.sla import charter_in_force
from inbox.config.loader import ConfigError, config_text
from inbox.store import records as store
from inbox.store.tables import Conversation
from inbox.store.tables.enforcement import CharterVersion

log = logging.getLogger("inbox.charter")
EDITOR_FILE = "charter (editor)"  # the "file" named in validation errors of an edited charter
BEFORE_ANY_VERSION = datetime(1970, 1, 1, tzinfo=UTC)
FILE_IMPORT = "config/charter.toml"  # saved_by of the file's text kept before the first write-back
IMPORT_TIME = "%Y-%m-%d %H:%M"  # in the kept file's comment, between "(" and " UTC)"


class StaleVersion(Exception):
    """Someone saved another version since the editor loaded the one it started from."""

    def __init__(self, newest: int | None) -> None:
        super().__init__(f"version #{newest} was saved meanwhile; reload it and make the change again")
        self.newest = newest


def parse_text(text: str, file: str = EDITOR_FILE) -> dict[str, object]:
    """TOML text as data; a syntax error becomes a ConfigError row naming ``file``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([(file, "", f"not valid TOML: {exc}")]) from None


def validate_text(text: str, file: str = EDITOR_FILE) -> Charter:
    """The charter a TOML text holds, validated exactly as config/charter.toml is."""
    return parse_charter(parse_text(text, file), file)


def newest_id(session: Session) -> int | None:
    found: int | None = session.exec(select(func.max(CharterVersion.id))).one()
    return found


def history(session: Session, limit: int = 500) -> list[CharterVersion]:
    """Saved versions, newest first (the file's text kept at the first write-back comes last)."""
    order = (col(CharterVersion.saved_at).desc(), col(CharterVersion.id).desc())
    stmt = select(CharterVersion).order_by(*order).limit(limit)
    return list(session.exec(stmt))


def is_file_import(row: CharterVersion) -> bool:
    return row.saved_at is not None and row.saved_at <= BEFORE_ANY_VERSION


def kept_at(row: CharterVersion) -> datetime | None:
    """When the file's text was kept (read from its comment; the row's own time is the beginning)."""
    opening = row.comment.rfind("(")
    try:
        return datetime.strptime(row.comment[opening + 1 : -len(" UTC)")], IMPORT_TIME).replace(tzinfo=UTC)
    except ValueError:
        return None


def keep_file(session: Session, file_text: str, now: datetime) -> None:
    """The file's text as the version in force from the beginning, unless it is kept already (or is not a
    valid charter: then it judged nothing)."""
    kept = select(CharterVersion.id).where(col(CharterVersion.saved_at) <= BEFORE_ANY_VERSION)
    if not file_text.strip() or session.exec(kept).first() is not None:
        return
    try:
        validate_text(file_text, FILE_IMPORT)
    except ConfigError:
        return
    comment = f"The file as it was before the first save from the Charter page ({now:{IMPORT_TIME}} UTC)"
    session.add(
        CharterVersion(saved_at=BEFORE_ANY_VERSION, saved_by=FILE_IMPORT, toml=file_text, comment=comment)
    )
    session.flush()


def current_text(session: Session, config_dir: Path) -> tuple[int | None, str]:
    """(newest version id, its TOML), or (None, the file's text) before the first save."""
    row = session.get(CharterVersion, newest_id(session) or -1)
    if row is not None:
        return row.id, row.toml
    path = config_dir / CHARTER_FILE
    return None, config_text(path)


def current_charter(session: Session, config_dir: Path) -> Charter:
    """The charter in force: the newest saved version, else config/charter.toml (ConfigError if invalid)."""
    version_id, text = current_text(session, config_dir)
    if version_id is None:
        return load_charter(config_dir)
    return validate_text(text, f"charter version #{version_id}")


def save_version(
    session: Session,
    text: str,
    *,
    by: Actor,
    comment: str,
    now: datetime,
    based_on: int | None,
    previous_text: str,
    file_text: str | None = None,
) -> CharterVersion:
    """Validate ``text`` and store it as the newest version (audited with the keys that changed).

    ``file_text``: the charter file about to be overwritten with ``text``, kept first (``keep_file``).
    Raises PermissionDenied unless ``by`` may edit the charter, ConfigError (file, key, message rows) when
    invalid, StaleVersion when ``based_on`` is not the newest.
    """
    require(by, "templates")
    data = parse_text(text)
    parse_charter(data, EDITOR_FILE)
    newest = newest_id(session)
    if newest != based_on:
        raise StaleVersion(newest)
    if file_text is not None:
        keep_file(session, file_text, now)
    try:
        before = tomllib.loads(previous_text)
    except tomllib.TOMLDecodeError:
        before = {}
    row = CharterVersion(saved_at=now, saved_by=by.name, toml=text, comment=comment.strip())
    session.add(row)
    session.flush()
    changed = [str(c) for c in changes(before, data)]
    store.audit(
        session,
        by.name,
        "charter.saved",
        target=("charter_version", row.id),
        detail={"comment": row.comment, "based_on": based_on, "changes": changed[:100]},
        at=now,
    )
    return row


@dataclass(frozen=True)
class CharterBook:
    """The charter in force now, and every version with the time it came into force (oldest first)."""

    current: Charter
    version_id: int | None = None
    versions: tuple[tuple[datetime, Charter], ...] = ()

    def in_force(self, at: datetime) -> Charter:
        """The version in force at ``at`` (e.g. when a conversation arrived)."""
        return charter_in_force(self.versions, at) if self.versions else self.current


class LiveCharter:
    """The newest charter for a long-running process; thread-safe; also a ``DuePolicy`` for ingestion."""

    def __init__(
        self,
        engine: Engine,
        config_dir: Path,
        *,
        recheck_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine, self.config_dir = engine, config_dir
        self.recheck_seconds, self._clock = recheck_seconds, clock
        self._lock = threading.Lock()
        self._parsed: dict[int, tuple[datetime, Charter]] = {}
        self._book: CharterBook | None = None
        self._seen: tuple[int | None, float] | None = None
        self._checked = -math.inf

    def book(self) -> CharterBook:
        """The current book, re-read when a version was saved or the file changed."""
        with self._lock:
            if self._book is None or self._clock() - self._checked >= self.recheck_seconds:
                try:
                    self._refresh()
                except Exception:  # a broken file or a lost connection must not stop a running listener
                    if self._book is None:
                        raise
                    log.exception("charter: could not re-read it; keeping the one in force")
                self._checked = self._clock()
            assert self._book is not None
            return self._book

    def current(self) -> Charter:
        return self.book().current

    def __call__(
        self, conv: Conversation, since: datetime, is_next: bool, subject: DueSubject | None = None
    ) -> datetime | None:
        """The due time under the charter in force when the conversation arrived, not the newest one."""
        arrived = conv.first_inbound_at or since
        return CharterDue(self.book().in_force(arrived))(conv, since, is_next, subject)

    def _file_mtime(self) -> float:
        path = self.config_dir / CHARTER_FILE
        return path.stat().st_mtime if path.exists() else 0.0

    def _refresh(self) -> None:
        with Session(self.engine) as session:
            seen = (newest_id(session), self._file_mtime())
            if self._book is not None and seen == self._seen:
                return
            self._parsed.update(_parsed_versions(session, set(self._parsed)))
        self._book = _book(self._parsed, self.config_dir)
        if self._seen is not None and seen[0] != self._seen[0]:
            log.info("charter: version #%s is now in force", seen[0])
        self._seen = seen


def _parsed_versions(session: Session, known: set[int]) -> dict[int, tuple[datetime, Charter]]:
    """Saved versions not in ``known``, parsed: id -> (saved at, charter); invalid ones are skipped."""
    rows = session.exec(select(CharterVersion).where(col(CharterVersion.id).not_in(known or {-1})))
    parsed = {}
    for row in rows:
        try:
            charter = validate_text(row.toml, f"charter version #{row.id}")
        except ConfigError as exc:
            log.error("charter version #%s is no longer valid and is skipped:\n%s", row.id, exc)
            continue
        assert row.id is not None and row.saved_at is not None
        parsed[row.id] = (row.saved_at, charter)
    return parsed


def _book(parsed: dict[int, tuple[datetime, Charter]], config_dir: Path) -> CharterBook:
    """The file in force from the start (unless it was kept as a version: it is a copy since), then each
    saved version from its save (ConfigError when the file is invalid and nothing was saved)."""
    kept = any(saved_at <= BEFORE_ANY_VERSION for saved_at, _ in parsed.values())
    try:
        from_file: Charter | None = None if kept else load_charter(config_dir)
    except ConfigError:
        if not parsed:
            raise
        from_file = None
    versions = [(BEFORE_ANY_VERSION, from_file)] if from_file is not None else []
    versions += [parsed[i] for i in sorted(parsed)]
    newest = max(parsed, default=None)
    current = parsed[newest][1] if newest is not None else from_file
    assert current is not None
    return CharterBook(current, newest, tuple(versions))


def charter_book(session: Session, config_dir: Path) -> CharterBook:
    """Every charter version with the time it came into force, as ``LiveCharter`` holds them: for the
    reports, which judge each conversation with the charter in force when it arrived."""
    return _book(_parsed_versions(session, set()), config_dir)
