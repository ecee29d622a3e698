"""Server throughput and latency on loopback, against the fastest thing the same server does.

    .venv/bin/python bench/bench_server.py [--duration 10] [--connections 32] [--repeat 3]
                                           [--json FILE]

Starts the advisor the production way (bench/prodserver.py: production settings, collected
static files, gunicorn with gunicorn.conf.py's 2 workers), then for each dynamic endpoint -- the
result page, an htmx step swap, the JSON API -- runs wrk against it and, in the same run,
against the collected static file whose transferred size is closest to that endpoint's (served
by the same gunicorn through WhiteNoise: the practical upper bound). Every request asks for
compression as a browser does. Each pair is run --repeat times, alternating, and the median run
of each is reported: requests/s, p50 and p99 latency, errors, and the ratio of each endpoint's
throughput to its static twin's.

wrk (Debian's package) runs on the same two cores as the server, bounded by --duration and
--connections, against 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_evaluate import machine
from prodserver import Server, production_server

ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}
ANSWERS = "nat_gateway=true&secrets=secretsmanager&ecs_exec=true"

TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    headers: dict[str, str]


def endpoints(server: Server) -> list[Endpoint]:
    step = "/?step=network&" + ANSWERS
    return [
        Endpoint("result page", f"/result/?{ANSWERS}", {}),
        Endpoint("htmx step swap", step, {
            "HX-Request": "true", "HX-Target": "wizard",
            "HX-Current-URL": f"{server.base_url}/?{ANSWERS}",
        }),
        Endpoint("API (GET /api/v1/evaluate)", f"/api/v1/evaluate?{ANSWERS}", {}),
    ]


@dataclass
class Run:
    name: str
    path: str
    transferred_bytes: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def median_run(runs: list[Run]) -> Run:
    """The run with the median throughput, and the median of each latency percentile."""
    ordered = sorted(runs, key=lambda run: run.requests_per_second)
    middle = ordered[len(ordered) // 2]
    return Run(
        middle.name, middle.path, middle.transferred_bytes, middle.requests_per_second,
        statistics.median(run.p50_ms for run in runs),
        statistics.median(run.p99_ms for run in runs),
        middle.requests, sum(run.errors for run in runs),
    )


def fetch(server: Server, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """(status, body bytes as transferred) for one request."""
    request = urllib.request.Request(server.base_url + path, headers={**ACCEPT, **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, len(response.read())


def static_twin(server: Server, size: int) -> tuple[str, int]:
    """The collected static file whose transferred size is closest to `size` bytes."""
    best: tuple[int, str, int] | None = None
    for path in sorted(server.static_root.rglob("*")):
        if not path.is_file() or path.suffix in (".gz", ".br") or path.name == "staticfiles.json":
            continue
        relative = path.relative_to(server.static_root).as_posix()
        if not re.search(r"\.[0-9a-f]{12}\.", relative):  # hashed names only, as pages link
            continue
        url = f"/static/{relative}"
        status, transferred = fetch(server, url, {})
        if status == 200 and (best is None or abs(transferred - size) < best[0]):
            best = (abs(transferred - size), url, transferred)
    assert best is not None, "no static files collected"
    return best[1], best[2]


def wrk(server: Server, name: str, path: str, headers: dict[str, str], size: int,
        duration: int, connections: int) -> Run:
    header_args = [arg for key, value in {**ACCEPT, **headers}.items()
                   for arg in ("-H", f"{key}: {value}")]
    url = server.base_url + path
    # A short warm-up first: imports, template caches, connection set-up.
    subprocess.run(["wrk", "-t1", f"-c{connections}", "-d2s", *header_args, url],
                   check=True, capture_output=True)
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s",
         *header_args, url],
        check=True, capture_output=True, text=True,
    ).stdout
    return Run(name, path, size, *parse_wrk(output))


def parse_wrk(output: str) -> tuple[float, float, float, int, int]:
    """(requests/s, p50 ms, p99 ms, requests, errors) from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    latency = {p: _ms(v, unit) for p, v, unit in
               re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)}
    requests = int(re.search(r"(\d+) requests in", output)[1])
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match[1])
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                          output):
        errors += sum(int(n) for n in match.groups())
    return rps, latency["50"], latency["99"], requests, errors


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="default 32")
    parser.add_argument("--repeat", type=int, default=3, help="runs per pair (default 3)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2

    pairs = []
    with production_server() as server:
        for endpoint in endpoints(server):
            status, size = fetch(server, endpoint.path, endpoint.headers)
            assert status == 200, (endpoint, status)
            static_path, static_size = static_twin(server, size)
            dynamics, statics = [], []
            for _ in range(args.repeat):
                dynamics.append(wrk(server, endpoint.name, endpoint.path, endpoint.headers,
                                    size, args.duration, args.connections))
                statics.append(wrk(server, f"static file for the {endpoint.name}", static_path,
                                   {}, static_size, args.duration, args.connections))
            pairs.append((median_run(dynamics), median_run(statics)))
        workers = len(server.worker_pids())

    m = machine()
    print(f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['memory']}, Python {m['python']}")
    print(f"server: gunicorn --config gunicorn.conf.py ({workers} workers), production "
          f"settings; wrk -t2 -c{args.connections} -d{args.duration}s --latency, median of "
          f"{args.repeat} runs, "
          f"Accept-Encoding: {ACCEPT['Accept-Encoding']}; all on 127.0.0.1")
    header = f"{'what':44} {'bytes':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}"
    print(header)
    for dynamic, static in pairs:
        for run in (dynamic, static):
            print(f"{run.name[:44]:44} {run.transferred_bytes:6d} "
                  f"{run.requests_per_second:8.0f} {run.p50_ms:7.2f} {run.p99_ms:7.2f} "
                  f"{run.errors:6d}")
        ratio = dynamic.requests_per_second / static.requests_per_second
        print(f"  -> {dynamic.name}: {ratio:.0%} of the static file's throughput "
              f"(target >= {TARGET_RATIO:.0%}); p99 {dynamic.p99_ms:.1f} ms "
              f"(target < {TARGET_P99_MS:g} ms)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "machine": m, "workers": workers, "connections": args.connections,
            "duration_s": args.duration, "repeat": args.repeat,
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
            "runs": [{"dynamic": asdict(d), "static": asdict(s),
                      "ratio": d.requests_per_second / s.requests_per_second}
                     for d, s in pairs],
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
