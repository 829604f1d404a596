"""``current_settings`` builds the settings again as soon as what they read changes, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox.settings import Settings, current_settings


def test_the_same_settings_until_a_variable_or_the_folder_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INBOX_DATABASE_URL", raising=False)  # the environment wins over .env
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(tmp_path / "a"))
    first = current_settings()
    assert current_settings() is first and first.config_dir == tmp_path / "a"
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(tmp_path / "b"))  # a test, or an operator, points elsewhere
    assert current_settings().config_dir == tmp_path / "b"
    monkeypatch.delenv("INBOX_CONFIG_DIR")
    assert current_settings().config_dir == Settings().config_dir == Path("config")
    (tmp_path / ".env").write_text("INBOX_DATABASE_URL=sqlite:///elsewhere.db\n", encoding="utf-8")
    assert current_settings().database_url == "sqlite:///elsewhere.db"  # a new .env is read
    (sub := tmp_path / "sub").mkdir()
    monkeypatch.chdir(sub)  # another working folder: its own .env (none here)
    assert current_settings().database_url == Settings().database_url
