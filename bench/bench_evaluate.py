"""How fast is `evaluate()`? Median and p99 microseconds per call, and evaluations per second
on one core, over a deterministic sample of the whole answer space.

    .venv/bin/python bench/bench_evaluate.py [--answers 2000] [--rounds 5] [--json FILE]
    .venv/bin/python bench/bench_evaluate.py --unknowns 17   # 17 fields unknown in each set
    .venv/bin/python bench/bench_evaluate.py --profile     # where the time goes (cProfile)

The sample is drawn with a fixed seed from every field's full domain (every OS/platform pair,
every enum value, every subset of endpoints and secrets, integers across their range), so the
same command measures the same work on every run. The process is pinned to one CPU. Each call is
timed on its own (perf_counter_ns, whose overhead is well under 1 µs); the throughput figure is a
separate tight loop over the same sample. Not part of the test suite: timings are not asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.rules import evaluate
from advisor.rules.answers import (
    FIELDS,
    INT_MAX,
    PLATFORM_VERSIONS,
    UNKNOWN,
    Answers,
    Kind,
)

TARGET_MEDIAN_US = 50.0
TARGET_MEDIAN_US_WITH_UNKNOWNS = 1000.0  # issue 11: seventeen unknowns under 1 ms
SEED = 20240606


from rules_grid import BASE_FIELDS  # noqa: E402


def sample_answers(count: int, seed: int = SEED, unknowns: int = 0,
                   every_field: bool = False) -> list[Answers]:
    """`count` answer sets drawn uniformly from each field's domain, deterministically; with
    `unknowns`, that many fields of each (chosen with the same seed) are unknown. Only the
    fields that existed before the network-detail fields are drawn (the rest keep their
    defaults) unless `every_field`, so that figures before and after them compare the same
    configurations."""
    rng = random.Random(seed)
    fields = [f for f in FIELDS if every_field or f.name in BASE_FIELDS]
    names = [field.name for field in fields]
    platforms = [(os_, v) for os_, versions in PLATFORM_VERSIONS.items() for v in versions]
    sample = []
    for _ in range(count):
        os_, version = rng.choice(platforms)
        values = {"os": os_, "platform_version": version}
        for field in fields:
            if field.name in values:
                continue
            if field.kind is Kind.BOOL:
                values[field.name] = rng.random() < 0.5
            elif field.kind is Kind.INT:
                # Mostly realistic counts, sometimes anywhere in the allowed range.
                low = field.minimum or 0
                high = 16 if rng.random() < 0.9 else INT_MAX
                values[field.name] = rng.randint(low, high)
            elif field.kind is Kind.MULTI:
                values[field.name] = frozenset(m for m in field.enum if rng.random() < 0.5)
            else:
                values[field.name] = rng.choice(list(field.enum))
        for name in rng.sample(names, unknowns):
            values[name] = UNKNOWN
        sample.append(Answers(**values))
    return sample


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def pin_to_one_cpu() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": model, "memory": memory,
            "python": platform.python_version()}


def run(count: int, rounds: int, unknowns: int = 0) -> dict[str, object]:
    pinning = pin_to_one_cpu()
    sample = sample_answers(count, unknowns=unknowns)
    verdicts: dict[str, int] = {}
    for answers in sample:  # warm-up: first-call caches, and a check that every set evaluates
        status = evaluate(answers).verdict.status.value
        verdicts[status] = verdicts.get(status, 0) + 1

    clock = time.perf_counter_ns
    per_call: list[float] = []
    by_verdict: dict[str, list[float]] = {status: [] for status in verdicts}
    gc.collect()
    for _ in range(rounds):
        for answers in sample:
            start = clock()
            result = evaluate(answers)
            elapsed = (clock() - start) / 1000
            per_call.append(elapsed)
            by_verdict[result.verdict.status.value].append(elapsed)
    per_call.sort()

    loops = []
    for _ in range(rounds):
        start = clock()
        for answers in sample:
            evaluate(answers)
        loops.append(len(sample) / ((clock() - start) / 1e9))

    median = statistics.median(per_call)
    target = TARGET_MEDIAN_US_WITH_UNKNOWNS if unknowns else TARGET_MEDIAN_US
    return {
        "unknown_fields_per_set": unknowns,
        "machine": machine(),
        "pinning": pinning,
        "answer_sets": count,
        "rounds": rounds,
        "calls_timed": len(per_call),
        "verdicts": verdicts,
        "median_us": round(median, 1),
        "median_us_by_verdict": {
            status: round(statistics.median(times), 1) for status, times in by_verdict.items()
        },
        "p90_us": round(percentile(per_call, 0.90), 1),
        "p99_us": round(percentile(per_call, 0.99), 1),
        "max_us": round(per_call[-1], 1),
        "evaluations_per_second": round(statistics.median(loops)),
        "target_median_us": target,
        "meets_target": median < target,
    }


def profile(count: int, unknowns: int = 0) -> None:
    import cProfile
    import pstats

    sample = sample_answers(count, unknowns=unknowns)
    for answers in sample:
        evaluate(answers)
    profiler = cProfile.Profile()
    profiler.enable()
    for answers in sample:
        evaluate(answers)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000, help="answer sets (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over them (default 5)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--unknowns", type=int, default=0,
                        help="how many fields of each answer set are unknown (default 0)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the calls instead, and print the costliest functions")
    args = parser.parse_args()
    if args.profile:
        profile(args.answers, args.unknowns)
        return 0
    figures = run(args.answers, args.rounds, args.unknowns)
    m = figures["machine"]
    print(f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['memory']}, Python {m['python']}; "
          f"{figures['pinning']}")
    print(f"sample: {figures['answer_sets']} answer sets x {figures['rounds']} rounds, "
          f"{figures['unknown_fields_per_set']} unknown fields each; "
          f"verdicts {figures['verdicts']}")
    print(f"evaluate(): median {figures['median_us']} µs, p90 {figures['p90_us']} µs, "
          f"p99 {figures['p99_us']} µs, max {figures['max_us']} µs per call")
    print(f"median by verdict: {figures['median_us_by_verdict']}")
    print(f"throughput: {figures['evaluations_per_second']:,} evaluations/s on one core")
    verdict = "meets" if figures["meets_target"] else "MISSES"
    print(f"target: median < {figures['target_median_us']:g} µs: {verdict}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
