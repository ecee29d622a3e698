"""Record, or compare, what the rules say over the whole answer grid and a seeded sample.

    python bench/rules_grid.py record before.json
    python bench/rules_grid.py compare before.json after.json

`record` evaluates the 3,024-point grid the invariant tests use, 20,000 configurations drawn
with a fixed seed over the fields that existed before the network-detail fields (the others at
their defaults, so that a record made before and after they arrived compares the same
configurations), and 5,000 more drawn over every field; it writes, per permalink, the
verdict, each traffic row's status and every finding's id and severity. `compare` lists what
changed, grouped by kind of change, so that a rules change can show that every other
permalink keeps its meaning.
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
DETAIL_SAMPLE = 5_000
# The fields of spec section 1, before the network-detail fields (issue 12) were added.
BASE_FIELDS = frozenset((
    "os", "arch", "platform_version", "subnet", "public_ip", "nat_gateway", "ip_mode",
    "dualstack_account_setting", "ipv6_autoassign", "ipv6_egress", "vpc_dns", "endpoints",
    "endpoint_private_dns", "registry", "log_driver", "secrets", "cmk", "efs", "ecs_exec",
    "load_balancer", "target_type", "subnet_count", "security_group_count",
))


def grid() -> list[Answers]:
    from tests.rules.test_invariants import _grid

    return _grid()


def sample(n: int = SAMPLE, seed: int = SEED, every_field: bool = False) -> list[Answers]:
    rng = random.Random(seed)
    platforms = [(os, v) for os, versions in PLATFORM_VERSIONS.items() for v in versions]
    out = []
    for _ in range(n):
        values = {}
        for field in FIELDS:
            if field.name in ("os", "platform_version"):
                continue
            if not every_field and field.name not in BASE_FIELDS:
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
    for answers in grid() + sample() + sample(DETAIL_SAMPLE, SEED + 1, every_field=True):
        out[str(evaluate(answers).permalink)] = summary(answers)
    Path(path).write_text(json.dumps(out, sort_keys=True))
    print(f"{len(out)} configurations written to {path}")


def compare(before_path: str, after_path: str) -> None:
    before = json.loads(Path(before_path).read_text())
    after = json.loads(Path(after_path).read_text())
    kinds: Counter[str] = Counter()
    examples: dict[str, str] = {}
    shared = before.keys() & after.keys()
    print(f"{len(before) - len(shared)} only before, {len(after) - len(shared)} only after "
          "(the samples over every field differ as fields are added; not compared)")
    for link in sorted(shared):
        old, new = before[link], after[link]
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
    print(f"{len(shared)} configurations compared")
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
