"""A throwaway Virtuoso Open Source server for a test: Debian's ``virtuoso-t`` on free loopback ports, with its
database in a temporary folder and a fresh ``dba`` password, stopped when the block ends."""

from __future__ import annotations

import contextlib
import secrets
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

VIRTUOSO = Path("/usr/bin/virtuoso-t")
ISQL = Path("/usr/bin/isql-vt")
INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {folder}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    base: str
    user: str
    password: str

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol endpoint that asks for a user and password (HTTP Digest)."""
        return f"{self.base}/sparql-graph-crud-auth"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_virtuoso(folder: Path) -> Iterator[Virtuoso]:
    if not VIRTUOSO.exists():
        pytest.fail(f"{VIRTUOSO} is missing: install Debian's virtuoso-opensource-7-bin "
                    "(bash .ci/install-debian-packages does)")
    http_port, sql_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, http_port=http_port, sql_port=sql_port), encoding="utf-8")
    server = subprocess.Popen([str(VIRTUOSO), "+configfile", str(ini), "+foreground"], cwd=folder,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2):
                    break
            assert time.monotonic() < deadline, "Virtuoso did not start within 90 s"
            time.sleep(0.3)
        password = secrets.token_urlsafe(12)  # not the well-known default: the tests must send this one
        subprocess.run([str(ISQL), f"127.0.0.1:{sql_port}", "dba", "dba",
                        f"exec=user_set_password('dba', '{password}');"], check=True, capture_output=True, timeout=60)
        yield Virtuoso(base, "dba", password)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
