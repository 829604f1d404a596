"""config/charter.toml as the copy of the charter in force: the text to write, written back atomically.

The rule (README, "One source of truth"): the database holds every version and the newest is in force;
each save from the Charter page writes that version back to the file, comments kept, and ``inbox charter
export`` writes it on demand. Versions saved before the write-back existed carry no comments (they start
with ``EDITED_HEADER``): their values are written onto the comments of the file instead.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

from inbox.charter.editor import EDITED_HEADER
from inbox.charter.model import CHARTER_FILE
from inbox.charter.toml_edit import rewrite
from inbox.config.loader import config_text


def read_file(config_dir: Path) -> str:
    """The charter file's text ('' when there is none)."""
    path = config_dir / CHARTER_FILE
    return config_text(path)


def commented(version_text: str, file_text: str) -> str:
    """The text of a version as the file should hold it: its own text, or for a version saved without
    comments, its values written onto the file's comments."""
    if not version_text.startswith(EDITED_HEADER) or not file_text.strip():
        return version_text
    try:
        data = tomllib.loads(version_text)
    except tomllib.TOMLDecodeError:
        return version_text
    return rewrite(file_text, data)


def write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` at once (a temporary file in the same folder, then a rename), so a
    process reading it never sees half a charter; the file's permissions are kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_back(config_dir: Path, text: str) -> OSError | None:
    """Write the version just saved to config/charter.toml; the error when the file cannot be written (a
    read-only deployment: the version is in force all the same)."""
    try:
        write(config_dir / CHARTER_FILE, text)
    except OSError as exc:
        return exc
    return None
