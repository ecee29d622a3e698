"""Record, or compare, what the rules say over the whole answer grid and a seeded sample.

    python bench/rules_grid.py record before.json
    python bench/rules_grid.py compare before.json after.json

`record` evaluates the 3,024-point grid the invariant tests use and 20,000 configurations drawn
with a fixed seed over every field, and writes, per permalink, the verdict, each traffic row's
status and every finding's id and severity. `compare` lists what changed, grouped by kind of
change, so that a rules change can show that every other permalink keeps its meaning.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.rules import evaluate
from advisor.rules.answers import FIELDS, PLATFORM_VERSIONS, Answers, Kind

SEED = 20261201
SAMPLE = 20_000


def grid() -> list[Answers]:
    from tests.rules.test_invariants import _grid

    return _grid()


def sample(n: int = SAMPLE, seed: int = SEED) -> list[Answers]:
    rng = random.Random(seed)
    platforms = [(os, v) for os, versions in PLATFORM_VERSIONS.items() for v in versions]
    out = []
    for _ in range(n):
        values = {}
        for field in FIELDS:
            if field.name in ("os", "platform_version"):
                continue
            if field.kind is Kind.BOOL:
                values[field.name] = rng.random() < 0.5
            elif field.kind is Kind.INT:
                values[field.name] = rng.choice((0, 1, 2, 3, 5, 6, 16, 17, 40))
            elif field.kind is Kind.MULTI:
                values[field.name] = frozenset(m for m in field.enum if rng.random() < 0.5)
            else:
                values[field.name] = rng.choice(list(field.enum))
        if values["subnet_count"] == 0:
            values["subnet_count"] = 1
        os, version = rng.choice(platforms)
        out.append(Answers(os=os, platform_version=version, **values))
    return out


def summary(answers: Answers) -> dict[str, object]:
    result = evaluate(answers)
    return {
        "verdict": str(result.verdict.status),
        "traffic": {str(row.action): str(row.status) for row in result.traffic},
        "findings": sorted(f"{f.id}:{f.severity}" for f in result.findings),
    }


def record(path: str) -> None:
    out = {}
    for answers in grid() + sample():
        out[str(evaluate(answers).permalink)] = summary(answers)
    Path(path).write_text(json.dumps(out, sort_keys=True))
    print(f"{len(out)} configurations written to {path}")


def compare(before_path: str, after_path: str) -> None:
    before = json.loads(Path(before_path).read_text())
    after = json.loads(Path(after_path).read_text())
    kinds: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for link, old in before.items():
        new = after.get(link)
        if new is None:
            kinds["permalink missing after"] += 1
            continue
        if old["verdict"] != new["verdict"]:
            key = f"verdict {old['verdict']} -> {new['verdict']}"
            kinds[key] += 1
            examples.setdefault(key, link)
        for action, status in old["traffic"].items():
            if new["traffic"][action] != status:
                key = f"{action} {status} -> {new['traffic'][action]}"
                kinds[key] += 1
                examples.setdefault(key, link)
        for finding in sorted(set(old["findings"]) ^ set(new["findings"])):
            key = ("- " if finding in old["findings"] else "+ ") + finding
            kinds[key] += 1
            examples.setdefault(key, link)
    print(f"{len(before)} configurations compared")
    for key, count in kinds.most_common():
        print(f"{count:6d}  {key}    e.g. {examples.get(key, '')}")
    if not kinds:
        print("no differences")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "record":
        record(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
