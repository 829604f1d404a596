"""Wrong ``INBOX_*`` variables and an unreachable database: one clear line each, never a traceback, and never
the password a database URL holds."""

from __future__ import annotations

import pytest

from inbox.cli.main import main
from inbox.settings import Settings


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_LANGUAGE", "en")


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], **env: str) -> tuple[int, str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(["audit"])
    return code, capsys.readouterr().err


def test_a_database_the_inbox_does_not_use_is_named_without_its_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(monkeypatch, capsys, INBOX_DATABASE_URL="mysql://care:s3cret-pw@db.example/inbox")
    assert code == 2
    assert "INBOX_DATABASE_URL: mysql:// is not a database the inbox uses: SQLite" in err
    assert "s3cret-pw" not in err and "Traceback" not in err


def test_postgres_as_many_hosts_write_it_is_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_DATABASE_URL", "postgres://care:pw@db.example:5432/inbox")
    assert Settings().database_url == "postgresql://care:pw@db.example:5432/inbox"
    monkeypatch.setenv("INBOX_DATABASE_URL", "postgres+psycopg://care@db.example/inbox")
    assert Settings().database_url == "postgresql+psycopg://care@db.example/inbox"


def test_an_unreachable_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(monkeypatch, capsys, INBOX_DATABASE_URL="postgresql://care:s3cret-pw@127.0.0.1:1/inbox")
    assert code == 2
    assert err.startswith("error: the database cannot be reached (INBOX_DATABASE_URL): ")
    assert "s3cret-pw" not in err and "Traceback" not in err


def test_a_wrong_number_says_which_variable_and_what_it_got(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(monkeypatch, capsys, INBOX_LEASE_SECONDS="two minutes")
    assert code == 2
    assert "INBOX_LEASE_SECONDS: Input should be a valid number" in err and "(got 'two minutes')" in err


def test_the_message_is_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(
        monkeypatch, capsys, INBOX_LANGUAGE="fr", INBOX_DATABASE_URL="postgresql://care@127.0.0.1:1/inbox"
    )
    said = err.replace("\xa0", " ")  # French puts a no-break space before a colon
    assert code == 2
    assert said.startswith("erreur : la base de données est injoignable (INBOX_DATABASE_URL) : ")
