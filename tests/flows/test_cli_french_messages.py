"""The ``inbox`` command's messages in its user's language (README, "The command line"): with
``INBOX_LANGUAGE=fr`` the sentences it prints are French (``erreur : …``, « » quotes, a no-break space before
":" and ";"), in English they stay word for word what scripts and people read before. Run through the real
entry point, ``inbox.cli.main.main``, which sets the language from the environment."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from inbox.cli.main import main
from tests.conftest import ROOT, X_ENV

NBSP = "\u00a0"


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``inbox ARGS`` in this process on a fresh database and the shipped config, in ``language``."""
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))
    for name in X_ENV:  # no channel can run: nothing reaches a network
        monkeypatch.delenv(name, raising=False)

    def inbox(language: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setenv("INBOX_LANGUAGE", language)
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return inbox


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", f"{ROOT / 'config'}{NBSP}: configuration valide\n"),
        ("en", f"{ROOT / 'config'}: configuration is valid\n"),
    ],
)
def test_config_check_says_the_folder_is_valid_in_the_users_language(
    run: Run, language: str, said: str
) -> None:
    code, out, _err = run(language, "config", "check", str(ROOT / "config"))
    assert code == 0 and out == said


@pytest.mark.parametrize(
    ("language", "problem", "summary"),
    [
        (
            "fr",
            f"le motif «{NBSP}billing{NBSP}» n'est pas dans les labels [reasons] de nlp.toml",
            "erreur\u00a0: 1 problème dans ",
        ),
        ("en", "reason 'billing' is not in nlp.toml [reasons] labels", "error: 1 problem in "),
    ],
)
def test_config_check_counts_its_problems_in_the_users_language(
    run: Run, tmp_path: Path, language: str, problem: str, summary: str
) -> None:
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    templates = folder / "templates.toml"
    text = templates.read_text(encoding="utf-8")
    templates.write_text(
        text.replace('reasons = ["billing_payment"]', 'reasons = ["billing"]', 1), encoding="utf-8"
    )
    code, _out, err = run(language, "config", "check", str(folder))
    assert code == 1
    assert "templates.toml: templates[" in err and problem in err
    assert f"{summary}{folder}\n" in err


@pytest.mark.parametrize(
    ("language", "empty", "upgraded"),
    [
        ("fr", "la quarantaine est vide\n", "base de données à jour\n"),
        ("en", "quarantine is empty\n", "database is up to date\n"),
    ],
)
def test_an_empty_quarantine_and_an_upgraded_database(
    run: Run, language: str, empty: str, upgraded: str
) -> None:
    assert run(language, "db", "upgrade")[:2] == (0, upgraded)
    assert run(language, "quarantine", "list")[:2] == (0, empty)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", f"erreur\u00a0: aucun canal utilisable nommé «{NBSP}nope{NBSP}»\n"),
        ("en", "error: no runnable channel named 'nope'\n"),
    ],
)
def test_a_backfill_of_an_unknown_channel_is_refused_in_the_users_language(
    run: Run, language: str, said: str
) -> None:
    code, out, err = run(language, "backfill", "--channel", "nope", "--since", "1d")
    assert code == 2 and out == ""
    assert said in err


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", f"erreur\u00a0: langue inconnue «{NBSP}de{NBSP}»{NBSP}: en ou fr\n"),
        ("en", "error: unknown language 'de': en or fr\n"),
    ],
)
def test_an_unknown_report_language_is_refused_in_the_users_language(
    run: Run, language: str, said: str
) -> None:
    code, _out, err = run(language, "report", "--language", "de")
    assert code == 2 and said in err


def test_the_user_commands_refuse_and_report_in_the_users_language(run: Run) -> None:
    code, out, err = run("fr", "user", "role", "nobody", "agent")
    assert code == 2 and out == "" and err.startswith("erreur\u00a0: ") and "nobody" in err
    code, out, _err = run("fr", "user", "list")
    assert code == 0 and out.startswith(f"aucun compte pour l'instant{NBSP}: ")
    code, out, _err = run("en", "user", "list")
    assert code == 0 and out == "no user yet: add one with `inbox user add NAME --role agent`\n"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", f"aucun canal nommé «{NBSP}nowhere{NBSP}»{NBSP}; connus{NBSP}: "),
        ("en", "no channel named 'nowhere'; known: "),
    ],
)
def test_a_privacy_request_for_nobody_known_says_so_in_the_users_language(
    run: Run, language: str, said: str
) -> None:
    code, _out, err = run(language, "privacy", "export", "--contact", "nowhere:jane", "--reason", "DSAR")
    assert code == 2 and said in err
