"""A throwaway PostgreSQL cluster for tests, from Debian's server package.

``Cluster.start()`` runs initdb and pg_ctl in a fresh temp dir, listening only on a unix socket in
that dir (no port clashes between pytest-xdist workers or with a system server), with durability
off for speed. initdb refuses to run as root (CI runs as root), so the programs then run as
``nobody`` with the temp dir handed over to that user.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

PORT = 5432  # only names the socket file: the server listens on no TCP port
SUPERUSER = "postgres"


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin dir (Debian layout), or None."""
    found = list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        return None
    return max(found, key=lambda path: _version(path.parent)).parent


def _version(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name))


class Cluster:
    """One PostgreSQL server under a temp dir; ``url(db)`` gives SQLAlchemy URLs to its databases."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # Not under pytest's tmp_path: its parents are private to root and nobody must traverse them.
        self.root = Path(tempfile.mkdtemp(prefix="nl-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._runas: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._runas = [
                "setpriv",
                f"--reuid={user.pw_uid}",
                f"--regid={user.pw_gid}",
                "--clear-groups",
                "--",
            ]
        self._counter = itertools.count(1)

    def _run(self, program: str, *args: str) -> None:
        command = [*self._runas, str(self.bindir / program), *args]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root, check=False)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(
                f"{program} failed ({result.returncode}): {result.stderr}{result.stdout}\n{log}"
            )

    def start(self) -> Cluster:
        try:
            self._run(
                "initdb", "-D", str(self.data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8",
                "--locale=C", "--no-sync", "--no-instructions",
            )  # fmt: skip
            options = (
                f"-c listen_addresses='' -c unix_socket_directories='{self.root}' -p {PORT}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                " -c shared_buffers=32MB -c max_connections=40"
            )
            self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start"
            )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server (fast: nothing to keep) and delete everything."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", *, schema: str | None = None) -> str:
        url = f"postgresql://{SUPERUSER}@/{database}?host={self.root}&port={PORT}"
        return f"{url}&options=-csearch_path%3D{schema}" if schema else url

    def _execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        conninfo = f"host={self.root} port={PORT} user={SUPERUSER} dbname={database}"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.encode())

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"test_{os.getpid()}_{next(self._counter)}"
        # FILE_COPY (PostgreSQL 15+) copies a few files instead of WAL-logging every block: faster.
        strategy = " STRATEGY FILE_COPY" if _version(self.bindir) >= (15,) else ""
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE template0{strategy}')
        return self.url(name)

    def create_schema(self, database: str = "postgres") -> tuple[str, str]:
        """A new empty schema in ``database``: (its name, a URL whose search_path is that schema).

        Much cheaper than a database per test, and as empty for the store.
        """
        name = f"test_{os.getpid()}_{next(self._counter)}"
        self._execute(f'CREATE SCHEMA "{name}"', database)
        return name, self.url(database, schema=name)

    def drop_schema(self, name: str, database: str = "postgres") -> None:
        self._execute(f'DROP SCHEMA "{name}" CASCADE', database)
