"""The command line speaks its user's language: every help text translated, chosen from the environment."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from inbox import i18n
from inbox.cli import main as cli
from inbox.cli.help_catalog import current_texts
from inbox.cli.help_language import DOMAIN, environment_language


def _french() -> dict[str, str]:
    with (i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f, locale="fr", domain=DOMAIN) if m.id and not m.fuzzy}


def test_every_help_text_of_every_command_has_a_french_translation() -> None:
    texts = current_texts()
    assert len(texts) > 80 and "Export stored data." in texts  # the walk reaches the subcommands' options
    french = _french()
    untranslated = [t for t in texts if not french.get(t)]
    where = "run `make translations` and translate in inbox/locale/fr/LC_MESSAGES/cli.po:\n"
    assert not untranslated, where + "\n".join(untranslated)
    for text in texts:
        assert french[text].count("{") == text.count("{"), text  # placeholders kept


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"INBOX_LANGUAGE": "fr", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_CA", "LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # a language we do not have
        ({"LANG": "C"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_comes_from_the_environment(environ: dict[str, str], language: str) -> None:
    assert environment_language(environ) == language


def test_inbox_help_in_french_and_in_english(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("INBOX_LANGUAGE", "fr")
    assert cli.main(["export", "--help"]) == 0
    french = capsys.readouterr().out
    assert "Commandes" in french and "Imprimer chaque message enregistré" in french
    assert "Afficher ce message et quitter." in french and "Commands" not in french
    monkeypatch.setenv("INBOX_LANGUAGE", "en")
    assert cli.main(["export", "--help"]) == 0
    english = capsys.readouterr().out
    assert "Commands" in english and "Print every stored message" in english
    assert i18n.current() == "en"  # the command's language does not outlive it


def test_a_cli_message_follows_the_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refusal raised in the domain reaches a French operator in French."""
    monkeypatch.setenv("INBOX_LANGUAGE", "fr")
    monkeypatch.setenv("INBOX_DATABASE_URL", "sqlite://")
    code = cli.main(["user", "role", "nobody-here", "agent"])
    out = capsys.readouterr()
    assert code != 0 and "aucun utilisateur nommé" in (out.err + out.out)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_bracketed_words_in_help_are_printed_not_read_as_markup(
    language: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rich took "[privacy.retention]" for a tag and dropped it: "Apply the charter's  periods"."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("INBOX_LANGUAGE", language)
    assert cli.main(["privacy", "purge", "--help"]) == 0
    assert "[privacy.retention]" in capsys.readouterr().out
    assert cli.main(["privacy", "--help"]) == 0
    assert "[privacy.retention]" in capsys.readouterr().out
