"""Server throughput, latency and CPU on loopback: cold pages first, beside the server's ceiling.

    .venv/bin/python bench/bench_server.py [--duration 6] [--rounds 5] [--json FILE]
                                           [--endpoints result,step,api] [--kinds ...]

Starts the advisor the production way (bench/prodserver.py: production settings, collected
static files, `gunicorn --config gunicorn.conf.py advisor.wsgi`) and measures, for each
endpoint -- the result page, an htmx step swap, the JSON API -- with wrk (Debian's package):

- **cold** (the headline): every request asks for a configuration nobody asked for before.
  The URLs are distinct valid permalinks drawn with a fixed seed from every field's domain
  (bench_evaluate.sample_answers, deduplicated; 400,000 by default, cached in bench/out/),
  each run taking a slice of its own, fed to wrk by bench/wrk_urls.lua. The step swap sends
  every field as the wizard's form does (the step's own questions as widgets, the others as
  hidden inputs, and the button's `step`) with the htmx headers. At 32 connections for
  throughput, and at 4 for latency;
- **warm**: one URL over and over (a docs page's permalink), answered from the response cache;
- **static twin**: a file of exactly the median cold answer's size (its own compressed bytes),
  served by WhiteNoise through the same server: the ceiling for a Django answer of that size;
- **floor**: a trivial WSGI app (bench/floor_app.py) returning those same bytes through the
  same gunicorn configuration: the server's own floor, with no Django at all.

Every request asks for compression as a browser does. Each round runs every measurement once,
the order rotated from round to round; the figures are the median over rounds with their
range (min-max), and the cold/static ratio is taken within each round. Server CPU per request
is the workers' and master's utime+stime (/proc/<pid>/stat) over the run, divided by the
requests. wrk runs on the same cores as the server; everything is on 127.0.0.1 and bounded by
--duration.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

import brotli

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_evaluate import machine, sample_answers
from prodserver import ROOT, Server, production_server

from advisor.rules import RULES_VERSION, to_query
from advisor.rules.answers import FIELDS, Kind, Step, query_items

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
LUA = BENCH / "wrk_urls.lua"
ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}
WARM_ANSWERS = "nat_gateway=true&secrets=secretsmanager&ecs_exec=true"
SEED = 4150015
VPC_DNS_DETAIL = ("dns_support", "dns_hostnames")
# The codings the advisor sends a browser's request in, and the twin file WhiteNoise sends.
DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}
SUFFIX = {"br": "br", "gzip": "gz"}
SAMPLES = 41  # cold answers fetched to find the median size, from a slice of their own

TARGET_RATIO = {"result": 0.5, "step": 0.5, "api": 1.0}
TARGET_P99_MS = 50.0
NAMES = {"result": "result page", "step": "htmx step swap", "api": "API GET /api/v1/evaluate"}
KINDS = ("cold", "cold4", "warm", "static", "floor")
TICK = os.sysconf("SC_CLK_TCK")


# --- The URLs ---------------------------------------------------------------------------------


def distinct_queries(count: int) -> list[str]:
    """`count` distinct canonical answer queries, drawn with a fixed seed; cached on disk."""
    cache = OUT / f"queries-{RULES_VERSION}-{SEED}-{count}.txt"
    if cache.exists():
        return cache.read_text().splitlines()
    seen: dict[str, None] = {}
    seed = SEED
    while len(seen) < count:
        for answers in sample_answers(min(50_000, count), seed=seed):
            seen.setdefault(to_query(answers), None)
        seed += 1
    queries = list(seen)[:count]
    OUT.mkdir(parents=True, exist_ok=True)
    cache.write_text("\n".join(queries) + "\n")
    return queries


STEPS = list(Step)


def step_request(query: str, rng: random.Random, base_url: str) -> tuple[str, str]:
    """(path, HX-Current-URL) of a wizard form submitted as the browser does: every field,
    the shown step's questions as widgets (a checkbox list as repeated names), the others as
    hidden inputs (comma lists), then the pressed button's `step`."""
    from advisor.rules import parse_query

    answers = parse_query(query)
    shown = rng.randrange(len(STEPS) - 1)
    pressed = STEPS[shown + 1]
    pairs: list[tuple[str, str]] = []
    by_name = {field.name: field for field in FIELDS}
    stated = {name for name, _ in parse_qsl(query)}
    for name, value in query_items(answers):
        field = by_name[name]
        if name in VPC_DNS_DETAIL and answers.vpc_dns is False and name not in stated:
            # The form leaves both attributes unanswered when only `vpc_dns=false` is given
            # (either may be the one that is off): their hidden inputs carry no value.
            pairs.append((name, ""))
        elif field.step is STEPS[shown] and field.kind is Kind.MULTI:
            pairs += [(name, member) for member in value.split(",") if member]
        else:
            pairs.append((name, value))
    pairs.append(("step", pressed.value))
    current = "/" if shown == 0 else f"/?step={STEPS[shown].value}&{query}"
    return "/?" + urlencode(pairs, safe=","), base_url + current


def cold_lines(endpoint: str, queries: list[str], base_url: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    if endpoint == "result":
        return [f"/result/?{q}\t" if q else "/result/\t" for q in queries]
    if endpoint == "api":
        return [f"/api/v1/evaluate?{q}\t" for q in queries]
    return ["\t".join(step_request(q, rng, base_url)) for q in queries]


def warm_request(endpoint: str, base_url: str) -> tuple[str, dict[str, str]]:
    if endpoint == "result":
        return f"/result/?{WARM_ANSWERS}", {}
    if endpoint == "api":
        return f"/api/v1/evaluate?{WARM_ANSWERS}", {}
    path, current = step_request(WARM_ANSWERS, random.Random(1), base_url)
    return path, htmx_headers(current)


def htmx_headers(current: str) -> dict[str, str]:
    return {"HX-Request": "true", "HX-Target": "wizard-step", "HX-Current-URL": current}


# --- Measuring ----------------------------------------------------------------------------


class Body(NamedTuple):
    content: bytes  # as transferred
    content_type: str
    coding: str  # its Content-Encoding


@dataclass
class Run:
    endpoint: str
    kind: str
    round: int
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    wraps: int
    cpu_ms_per_request: float


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is an answer to report, not to follow


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(base_url: str, path: str, headers: dict[str, str]) -> tuple[int, Body]:
    """(status, the body as transferred) for one request; redirects not followed."""
    request = urllib.request.Request(base_url + path, headers={**ACCEPT, **headers})
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, Body(response.read(), response.headers["Content-Type"],
                                         response.headers.get("Content-Encoding", ""))
    except urllib.error.HTTPError as error:
        return error.code, Body(b"", "", "")


def cpu_ticks(server: Server) -> int:
    total = 0
    for pid in [server.master_pid, *server.worker_pids()]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total


Figures = tuple[float, float, float, int, int, int, float]


def wrk(server: Server, url_path: str, headers: dict[str, str], connections: int,
        duration: int, urls: Path | None = None) -> Figures:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for key, value in {**ACCEPT, **headers}.items():
        args += ["-H", f"{key}: {value}"]
    env = dict(os.environ)
    if urls is not None:
        args += ["-s", str(LUA)]
        env.update(BENCH_URLS=str(urls), BENCH_THREADS="2")
    before = cpu_ticks(server)
    output = subprocess.run([*args, server.base_url + url_path], check=True,
                            capture_output=True, text=True, env=env).stdout
    cpu = (cpu_ticks(server) - before) / TICK * 1000
    rps, p50, p99, requests, errors = parse_wrk(output)
    wraps = int(m[1]) if (m := re.search(r"bench-wraps: (\d+)", output)) else 0
    if m := re.search(r"bench-not-200: (\d+)", output):  # the script counted every status
        errors = socket_errors(output) + int(m[1])
    return rps, p50, p99, requests, errors, wraps, cpu / max(requests, 1)


def parse_wrk(output: str) -> tuple[float, float, float, int, int]:
    """(requests/s, p50 ms, p99 ms, requests, errors) from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    latency = {p: _ms(v, unit) for p, v, unit in
               re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)}
    requests = int(re.search(r"(\d+) requests in", output)[1])
    errors = socket_errors(output)
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match[1])
    return rps, latency["50"], latency["99"], requests, errors


def socket_errors(output: str) -> int:
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                      output)
    return sum(int(n) for n in match.groups()) if match else 0


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def median_answers(server: Server, endpoint: str, lines: list[str]) -> Body:
    """The median-sized (as transferred) of SAMPLES cold answers."""
    answers = []
    for line in lines:
        path, current = line.split("\t")
        headers = htmx_headers(current) if current else {}
        status, body = fetch(server.base_url, path, headers)
        assert status == 200, (endpoint, path, status)
        assert body.coding in DECOMPRESS, (endpoint, body.coding)
        answers.append(body)
    answers.sort(key=lambda body: len(body.content))
    return answers[len(answers) // 2]


def write_twins(static_root: Path, bodies: dict[str, Body]) -> dict[str, str]:
    """The static twins: for each endpoint, the median answer's own bytes (`x.br` or `x.gz`,
    as it was sent) beside its uncompressed `x`, so WhiteNoise sends exactly as many bytes.
    Returns their URLs."""
    urls = {}
    for endpoint, body in bodies.items():
        suffix = ".json" if "json" in body.content_type else ".html"
        path = static_root / "bench" / f"twin-{endpoint}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(DECOMPRESS[body.coding](body.content))
        path.with_name(f"{path.name}.{SUFFIX[body.coding]}").write_bytes(body.content)
        urls[endpoint] = f"/static/bench/{path.name}"
    return urls


# --- Reporting ----------------------------------------------------------------------------


def summarise(runs: list[Run], endpoints: list[str], kinds: list[str]) -> dict[str, object]:
    rows: dict[str, dict[str, object]] = {}
    for endpoint in endpoints:
        for kind in kinds:
            mine = [run for run in runs if run.endpoint == endpoint and run.kind == kind]
            if not mine:
                continue
            rows[f"{endpoint} {kind}"] = {
                name: spread([getattr(run, name) for run in mine])
                for name in ("requests_per_second", "p50_ms", "p99_ms", "cpu_ms_per_request")
            } | {"errors": sum(r.errors for r in mine), "wraps": sum(r.wraps for r in mine),
                 "connections": mine[0].connections}
        by_round = {(r.round, r.kind): r for r in runs if r.endpoint == endpoint}
        for kind in ("cold", "warm", "floor"):
            ratios = [by_round[(n, kind)].requests_per_second
                      / by_round[(n, "static")].requests_per_second
                      for n, k in by_round if k == "static" and (n, kind) in by_round]
            if ratios:
                rows[f"{endpoint} {kind}"]["ratio_to_static"] = spread(ratios)
    return rows


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def print_table(rows: dict[str, dict[str, object]], byte_sizes: dict[str, int]) -> None:
    print(f"{'what':34} {'conns':>5} {'req/s (range)':>22} {'p50 ms':>7} {'p99 ms (range)':>20}"
          f" {'CPU ms/req':>10} {'x static':>15}")
    for key, row in rows.items():
        endpoint, kind = key.split()
        rps, p99 = row["requests_per_second"], row["p99_ms"]
        ratio = row.get("ratio_to_static")
        ratio_text = (f"{ratio['median']:.0%} ({ratio['min']:.0%}-{ratio['max']:.0%})"
                      if ratio else "")
        flag = " REPEATS" if row["wraps"] else ""
        flag += f" ERRORS {row['errors']}" if row["errors"] else ""
        print(f"{NAMES[endpoint][:22] + ' ' + kind:34} {row['connections']:5d} "
              f"{rps['median']:8.0f} ({rps['min']:5.0f}-{rps['max']:5.0f})"
              f" {row['p50_ms']['median']:7.1f} "
              f"{p99['median']:7.1f} ({p99['min']:5.1f}-{p99['max']:5.1f})"
              f" {row['cpu_ms_per_request']['median']:10.2f} {ratio_text:>15}{flag}")
    for endpoint, size in byte_sizes.items():
        cold, cold4 = rows.get(f"{endpoint} cold"), rows.get(f"{endpoint} cold4")
        if cold and "ratio_to_static" in cold:
            ratio = cold["ratio_to_static"]["median"]
            met = "met" if ratio >= TARGET_RATIO[endpoint] else "MISSED"
            line = (f"  -> {NAMES[endpoint]} ({size:,} bytes): cold at {ratio:.0%} of the static "
                    f"twin (target >= {TARGET_RATIO[endpoint]:.0%}: {met})")
            if cold4 and endpoint != "api":
                p99 = cold4["p99_ms"]["median"]
                line += (f"; p99 at 4 connections {p99:.1f} ms (target < {TARGET_P99_MS:g} ms: "
                         f"{'met' if p99 < TARGET_P99_MS else 'MISSED'})")
            print(line)


# --- Main ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=6, help="seconds per run (default 6)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--urls", type=int, default=400_000,
                        help="distinct configurations in the pool (default 400,000)")
    parser.add_argument("--endpoints", default="result,step,api")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    endpoints = args.endpoints.split(",")
    kinds = args.kinds.split(",")
    if "static" not in kinds:
        kinds.append("static")

    queries = distinct_queries(args.urls)
    cold_runs = sum(kind in ("cold", "cold4") for kind in kinds) * args.rounds
    share = len(queries) // len(endpoints)
    per_run = (share - SAMPLES) // max(cold_runs, 1)
    pools = {e: queries[n * share:(n + 1) * share] for n, e in enumerate(endpoints)}
    load_before = os.getloadavg()
    started = time.time()

    with tempfile.TemporaryDirectory(prefix="advisor-bench-urls-") as tmp:
        # The median cold answer of each endpoint, from a server started for that alone: the
        # static twins must be in STATIC_ROOT before the measured server starts.
        with production_server() as probe:
            bodies = {e: median_answers(probe, e, cold_lines(e, pools[e][:SAMPLES],
                                                              probe.base_url, SEED))
                      for e in endpoints}
        floor_dir = Path(tmp) / "floor"
        floor_dir.mkdir()
        for endpoint, body in bodies.items():
            (floor_dir / endpoint).write_bytes(body.content)
            (floor_dir / f"{endpoint}.type").write_text(body.content_type)
            (floor_dir / f"{endpoint}.encoding").write_text(body.coding)
        twins: dict[str, str] = {}
        floor_env = {"BENCH_FLOOR_DIR": str(floor_dir),
                     "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH}"}

        with production_server(before_start=lambda root: twins.update(write_twins(root, bodies))
                               ) as server, \
             production_server(app="floor_app:application", env_extra=floor_env,
                               health="/result") as floor:
            for endpoint in endpoints:
                for line in cold_lines(endpoint, pools[endpoint][:1], server.base_url, SEED):
                    path, current = line.split("\t")
                    fetch(server.base_url, path, htmx_headers(current) if current else {})
            plan = [(e, k) for e in endpoints for k in kinds]
            slices = {e: 0 for e in endpoints}
            runs: list[Run] = []
            for round_ in range(args.rounds):
                shift = round_ * len(plan) // args.rounds
                for endpoint, kind in plan[shift:] + plan[:shift]:
                    runs.append(measure(server, floor, endpoint, kind, round_, args.duration,
                                        pools, slices, per_run, twins, Path(tmp)))
                    print(f"round {round_ + 1} {endpoint} {kind}: "
                          f"{runs[-1].requests_per_second:.0f} req/s, "
                          f"p99 {runs[-1].p99_ms:.1f} ms", file=sys.stderr)
            workers = len(server.worker_pids())

    load_after = os.getloadavg()
    m = machine()
    rows = summarise(runs, endpoints, kinds)
    sizes = {e: len(bodies[e][0]) for e in endpoints}
    print(f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['memory']}, Python {m['python']}; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print(f"server: gunicorn --config gunicorn.conf.py ({workers} workers, gevent), production "
          f"settings; wrk -t2 -d{args.duration}s --latency, {args.rounds} rounds (order "
          f"rotated), median (min-max); {len(queries):,} distinct configurations, "
          f"{per_run:,} per cold run; all on 127.0.0.1; {time.time() - started:.0f} s")
    sent = ", ".join(f"{NAMES[e]} {n:,} B" for e, n in sizes.items())
    print(f"median cold answer as sent: {sent}")
    print_table(rows, sizes)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "machine": m, "workers": workers, "duration_s": args.duration,
            "rounds": args.rounds, "distinct_configurations": len(queries),
            "load_average_before_after": [load_before[0], load_after[0]],
            "when": time.strftime("%Y-%m-%d %H:%M:%S"), "bytes": sizes,
            "summary": rows, "runs": [asdict(run) for run in runs],
        }, indent=2) + "\n")
    return 0


def measure(server: Server, floor: Server, endpoint: str, kind: str, round_: int,
            duration: int, pools: dict[str, list[str]], slices: dict[str, int], per_run: int,
            twins: dict[str, str], tmp: Path) -> Run:
    if kind in ("cold", "cold4"):
        start = 1 + slices[endpoint] * per_run  # the first query warmed the server up
        slices[endpoint] += 1
        urls = tmp / f"{endpoint}-{kind}-{round_}.txt"
        lines = cold_lines(endpoint, pools[endpoint][start:start + per_run], server.base_url,
                           SEED + round_)
        for line in lines[-3:]:  # the end of the slice: wrk will not reach it, likely
            path, current = line.split("\t")
            status = fetch(server.base_url, path, htmx_headers(current) if current else {})[0]
            assert status == 200, (endpoint, path, status)
        urls.write_text("\n".join(lines[:-3]) + "\n")
        connections = 4 if kind == "cold4" else 32
        headers = htmx_headers("") if endpoint == "step" else {}
        headers.pop("HX-Current-URL", None)  # each line brings its own
        figures = wrk(server, "/", headers, connections, duration, urls)
        urls.unlink()
    elif kind == "warm":
        path, headers = warm_request(endpoint, server.base_url)
        figures = wrk(server, path, headers, 32, duration)
    elif kind == "static":
        figures = wrk(server, twins[endpoint], {}, 32, duration)
    else:
        figures = wrk(floor, f"/{endpoint}", {}, 32, duration)
    connections = 4 if kind == "cold4" else 32
    return Run(endpoint, kind, round_, connections, *figures)


if __name__ == "__main__":
    sys.exit(main())
