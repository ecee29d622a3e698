"""Every fact in the rules cites an AWS page by its key in SOURCES, inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.rules.knowledge import SOURCES

RULES = Path(__file__).resolve().parents[2] / "advisor" / "rules"
NAMED = re.compile(r"\(SOURCES: ([a-z0-9_]+(?:, [a-z0-9_]+)*)|SOURCES\[\"([a-z0-9_]+)\"\]")


def test_every_source_a_comment_names_is_in_sources() -> None:
    named = set()
    for path in RULES.rglob("*.py"):
        for match in NAMED.finditer(path.read_text()):
            keys = match.group(1).split(", ") if match.group(1) else [match.group(2)]
            named.update((path.name, key) for key in keys)
    assert named, "no citations found"
    assert {(name, key) for name, key in named if key not in SOURCES} == set()


def test_no_comment_points_at_the_fact_base_outside_the_repository() -> None:
    outside = re.compile(r"\bfacts? \d+")
    hits = [f"{p.name}:{n}" for p in RULES.rglob("*.py")
            for n, line in enumerate(p.read_text().splitlines(), 1) if outside.search(line)]
    assert hits == []
