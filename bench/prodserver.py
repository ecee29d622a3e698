"""The advisor served the production way, on loopback, for the benchmarks.

As the container does it (see Dockerfile): production settings (DEBUG off), `collectstatic`
into a fresh STATIC_ROOT (hashed names with gzip and Brotli copies), then
`gunicorn --config gunicorn.conf.py advisor.wsgi` with the configuration's own defaults
(gevent workers, one per core unless GUNICORN_WORKERS says otherwise), bound to 127.0.0.1 on a
free port. The benchmark can also run another WSGI app through the same configuration, and
add files to STATIC_ROOT before the server starts (WhiteNoise reads it once, at start-up).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Server:
    base_url: str
    master_pid: int
    static_root: Path
    log: Path

    def worker_pids(self) -> list[int]:
        """The gunicorn worker processes: the master's children."""
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def static_url(self, pattern: str) -> str:
        """The hashed URL of the first collected static file whose path matches `pattern`."""
        for path in sorted(self.static_root.rglob("*")):
            relative = path.relative_to(self.static_root).as_posix()
            if path.is_file() and re.search(pattern, relative):
                return f"/static/{relative}"
        raise LookupError(pattern)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(static_root: Path, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="advisor.settings",
        DJANGO_SECRET_KEY="benchmark-only-not-a-secret",
        DJANGO_STATIC_ROOT=str(static_root),
        HOST="127.0.0.1",
        PORT=str(port),
        PYTHONPATH=str(ROOT),
    )
    return env


@contextmanager
def production_server(
    workers: int | None = None,
    app: str = "advisor.wsgi",
    env_extra: dict[str, str] | None = None,
    before_start: Callable[[Path], None] | None = None,
    health: str = "/healthz",
) -> Iterator[Server]:
    """Collect the static files, start gunicorn, wait for `health`; stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        static_root = Path(tmp) / "static"
        port = free_port()
        env = production_env(static_root, port)
        if workers:
            env["GUNICORN_WORKERS"] = str(workers)
        env.update(env_extra or {})
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=env, check=True,
        )
        if before_start:
            before_start(static_root)
        log = Path(tmp) / "gunicorn.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py", app],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        server = Server(f"http://127.0.0.1:{port}", process.pid, static_root, log)
        try:
            _wait_until_up(server, process, health)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(server: Server, process: subprocess.Popen[bytes], health: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(server.base_url + health, timeout=2) as response:
                if response.status == 200 and len(server.worker_pids()) >= 1:
                    return
        except OSError:
            pass
        time.sleep(0.1)  # polling a starting server; not a test
    raise RuntimeError(f"gunicorn did not answer {health} within 30 s")
