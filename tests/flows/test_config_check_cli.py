"""`inbox config check` on the shipped config folder and on copies broken the ways people break them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inbox.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["config", "check", str(folder)])
    return result.exit_code, result.stderr + result.stdout


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    return folder


def test_the_shipped_config_is_valid_and_every_channel_has_its_brand() -> None:
    code, out = _check(ROOT / "config")
    assert code == 0, out


def test_a_channel_no_brand_speaks_for_is_reported(tmp_path: Path) -> None:
    """Seen in the demo: the brand listed x-acme only, so English mentions on Mastodon got the French
    out-of-hours text."""
    folder = _copy(tmp_path)
    charter = folder / "charter.toml"
    text = charter.read_text(encoding="utf-8")
    text = text.replace('channels = ["x-acme", "mastodon-acme",', 'channels = ["x-acme", "mastodn-acme",')
    charter.write_text(text, encoding="utf-8")
    code, out = _check(folder)
    assert code == 1
    assert "brands.acme.channels[1]: channel 'mastodn-acme' is not in channels.toml" in out
    assert "channels[1].name: no brand of charter.toml speaks for 'mastodon-acme'" in out
    assert out.count("no brand of charter.toml") == 1  # the other six channels still have their brand


def test_a_template_for_a_reason_the_taxonomy_lacks_is_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "templates.toml"
    text = path.read_text(encoding="utf-8").replace(
        'reasons = ["billing_payment"]', 'reasons = ["billing"]', 1
    )
    path.write_text(text, encoding="utf-8")
    code, out = _check(folder)
    assert code == 1 and ".reasons[0]: reason 'billing' is not in nlp.toml [reasons] labels (known: " in out


def test_a_charter_target_or_rule_for_a_reason_the_taxonomy_lacks_is_reported(tmp_path: Path) -> None:
    """A typo would silently never apply: account_access conversations would keep the 60-minute target."""
    folder = _copy(tmp_path)
    path = folder / "charter.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\naccount_access = 30", "\nacount_access = 30").replace(
        "[reasons.account_access]", "[reasons.acount_access]"
    )
    path.write_text(text, encoding="utf-8")
    code, out = _check(folder)
    assert code == 1
    assert "sla.reasons.acount_access: reason 'acount_access' is not in nlp.toml [reasons] labels" in out
    assert "charter.toml: reasons.acount_access: reason 'acount_access'" in out


def test_a_target_or_goal_scoped_to_an_unknown_channel_is_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "charter.toml"
    text = path.read_text(encoding="utf-8").replace(
        "[sla.goals.social]\n", '[sla.goals.social]\nchannels = ["x", "x-acm"]\n', 1
    )
    text += '\n[sla.channels.mastodon-acm.public]\nfirst_response = { minutes = 30, clock = "24/7" }\n'
    path.write_text(text, encoding="utf-8")
    code, out = _check(folder)
    assert code == 1
    assert "sla.goals.social.channels[1]: 'x-acm' is neither a channel of channels.toml nor a platform" in out
    assert "sla.channels.mastodon-acm: 'mastodon-acm' is neither" in out
    assert "social.channels[0]" not in out  # "x", a platform, is fine


def test_the_listener_warns_at_start_of_what_config_check_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(tmp_path)
    path = folder / "charter.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"x-acme", "mastodon-acme",', '"x-acme",'), encoding="utf-8")
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    monkeypatch.setenv("INBOX_DATABASE_URL", f"sqlite:///{tmp_path / 'inbox.db'}")
    result = CliRunner().invoke(app, ["listen", "--once", "--channel", "nowhere"])
    assert result.exit_code != 0, result.stderr  # no such channel; the warning came first
    said = result.stderr
    assert "warning: " in said and "no brand of charter.toml speaks for 'mastodon-acme'" in said


def test_files_saved_by_windows_editors_load_or_say_what_to_do(tmp_path: Path) -> None:
    """Notepad may write a byte-order mark before the text; an editor set to Windows-1252 writes 'é' as one
    byte that is not UTF-8. The first loads as it is; the second was a UnicodeDecodeError traceback."""
    folder = _copy(tmp_path)
    charter = folder / "charter.toml"
    charter.write_bytes(b"\xef\xbb\xbf" + charter.read_bytes().replace(b"\n", b"\r\n"))
    code, out = _check(folder)
    assert code == 0, out
    templates = folder / "templates.toml"
    text = templates.read_text(encoding="utf-8")
    templates.write_bytes(text.encode("cp1252", errors="replace"))
    line = text[: next(i for i, ch in enumerate(text) if ord(ch) > 127)].count("\n") + 1
    code, out = _check(folder)
    assert code == 1
    assert f"templates.toml: not UTF-8 text (line {line}): save the file with the UTF-8 encoding" in out
