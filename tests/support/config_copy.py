"""A copy of the repository's config folder, for tests whose code writes config files (charter write-back)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT


def config_copy(tmp_path: Path) -> Path:
    """``tmp_path/config``, a copy of ``config/`` (the real folder is never written by a test)."""
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    return folder
