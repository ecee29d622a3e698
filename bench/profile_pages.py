"""Where a cold answer's time goes, in one process: cProfile over distinct configurations.

    .venv/bin/python bench/profile_pages.py [result|step|api] [--count 200] [--profile]

Production settings (DEBUG off) and the whole middleware stack, through Django's test client
(no sockets); every request a configuration not asked before, as bench_server.py's cold runs.
Prints the median milliseconds per request, and with --profile the costliest functions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_STATIC_ROOT", "/tmp/advisor-profile-static")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint", choices=("result", "step", "api"), nargs="?",
                        default="result")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    from bench_server import SEED, cold_lines, distinct_queries, htmx_headers
    from django.test import Client

    queries = distinct_queries(400_000)[-args.count - 20:]  # the pool's end: not warm-up's
    lines = cold_lines(args.endpoint, queries, "http://testserver", SEED)
    random.Random(1).shuffle(lines)
    client = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    def get(line: str) -> int:
        path, current = line.split("\t")
        headers = htmx_headers(current) if current else {}
        return client.get(path, headers=headers).status_code

    for line in lines[:20]:  # first-call caches
        assert get(line) == 200, line
    timed = lines[20:]
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for line in timed:
            get(line)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        return 0
    times = []
    for line in timed:
        start = time.perf_counter()
        status = get(line)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, line
    print(f"{args.endpoint}: median {statistics.median(times):.2f} ms per cold request, "
          f"{len(times)} requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
