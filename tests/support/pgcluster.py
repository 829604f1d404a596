"""A throwaway PostgreSQL cluster on loopback for the test suite (Debian's postgresql package).

``python -m tests.support.pgcluster run -- CMD...`` starts a fresh cluster in a temporary folder, runs CMD
with
``INBOX_TEST_POSTGRES_URL`` set to it, then stops the cluster and removes the folder. As root, the
server runs as the ``postgres`` user (initdb refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def start(folder: Path) -> str:
    """Create and start a cluster in ``folder``; returns its admin URL."""
    bindir = bin_dir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    data, port = folder / "data", _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    run = _as_server_user
    subprocess.run(
        run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "inbox",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    options += " -c full_page_writes=off -c max_connections=200"
    subprocess.run(
        run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "server.log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return f"postgresql+psycopg://inbox@127.0.0.1:{port}/postgres"


def stop(folder: Path) -> None:
    bindir = bin_dir()
    if bindir is not None and (folder / "data").exists():
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print("usage: python -m tests.support.pgcluster run -- COMMAND...", file=sys.stderr)
        return 2
    if bin_dir() is None:
        print("PostgreSQL server not installed: the PostgreSQL run is skipped (apt-get install postgresql)")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="inbox-pg-"))
    try:
        url = start(folder)
        print(f"throwaway PostgreSQL cluster at {url}", flush=True)
        return subprocess.run(
            argv[2:], env={**os.environ, "INBOX_TEST_POSTGRES_URL": url}, check=False
        ).returncode
    finally:
        stop(folder)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
