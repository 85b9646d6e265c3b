"""A throwaway PostgreSQL server for tests: initdb into a temp dir, ``wal_level=logical``,
a free port on 127.0.0.1, run at the lowest CPU priority, stopped at the end.

Without PostgreSQL binaries the test skips with "PostgreSQL is not installed", a reason
tests/allowed_skips.toml does not list: in CI a missing server fails the run.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian layout, else PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _major(path: str) -> int:
    try:
        return int(Path(path).parents[1].name)
    except ValueError:
        return 0


def _as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root (containers), run it as ``postgres``."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    bin: Path
    data: Path
    port: int

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [
                *_as_server_user(),
                "nice",
                "-n",
                "19",
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-w",
                *args,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}"
        self._ctl("-l", str(self.data / "server.log"), "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def close(self) -> None:
        """Stop at once (no checkpoint) and remove the data folder."""
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.data.parent, ignore_errors=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def sql(self, statement: str) -> None:
        import psycopg2

        conn = psycopg2.connect(self.dsn, connect_timeout=5)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(statement)
        finally:
            conn.close()

    def query(self, statement: str) -> list[tuple[object, ...]]:
        import psycopg2

        conn = psycopg2.connect(self.dsn, connect_timeout=5)
        try:
            with conn.cursor() as cur:
                cur.execute(statement)
                return list(cur.fetchall())
        finally:
            conn.close()


def start_server() -> PostgresServer:
    """initdb into a new temp folder + start; the caller calls ``close``."""
    binaries = pg_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (initdb not found)")
    # Not pytest's tmp_path: as root, the server user must be able to reach its folder.
    root = Path(tempfile.mkdtemp(prefix="ragmesh-pg-"))
    data = root / "pgdata"
    data.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run(
        [*_as_server_user(), "nice", "-n", "19", str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
         "-A", "trust", "--no-sync", "-E", "UTF8"],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "LC_ALL": "C"},
    )  # fmt: skip
    settings = (
        "wal_level = logical\nmax_replication_slots = 8\nmax_wal_senders = 8\n"
        "fsync = off\nshared_buffers = 16MB\n"
    )
    subprocess.run(
        [*_as_server_user(), "sh", "-c", f"cat >> {data / 'postgresql.conf'}"],
        input=settings.encode(),
        check=True,
    )
    server = PostgresServer(binaries, data, _free_port())
    server.start()
    return server
