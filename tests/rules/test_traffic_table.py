"""The traffic table is the AWS page's table, cell for cell, for every action and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.rules import evaluate
from advisor.rules.answers import OS, Answers, PlatformVersion
from advisor.rules.knowledge import (
    COLUMN_TITLES,
    ENI_TITLES,
    ROLE_TITLES,
    TRAFFIC_TABLE,
    Column,
    column_for,
)
from advisor.rules.result import Action

PAGE = Path(__file__).resolve().parents[3] / "shared/reference/aws-task-networking-for-fargate.txt"


def _page_table() -> list[list[str]]:
    """The page's table as rows of cells: it is laid out one cell per paragraph."""
    paragraphs = [p.strip() for p in PAGE.read_text().split("\n\n") if p.strip()]
    start = paragraphs.index("Action")
    header = paragraphs[start:start + 5]
    assert header[1:4] == [COLUMN_TITLES[c] for c in Column]
    assert header[4] == "IAM permission"
    end = paragraphs.index("Fargate task networking considerations")
    cells = paragraphs[start + 5:end]
    assert len(cells) % 5 == 0
    return [cells[i:i + 5] for i in range(0, len(cells), 5)]


def test_the_table_has_the_pages_rows_in_the_pages_order() -> None:
    assert [row[0] for row in _page_table()] == [fact.label for fact in TRAFFIC_TABLE]
    assert [fact.action for fact in TRAFFIC_TABLE] == list(Action)


@pytest.mark.parametrize("row", range(7))
@pytest.mark.parametrize("column", list(Column))
def test_every_cell_matches_the_aws_page(row: int, column: Column) -> None:
    page_row = _page_table()[row]
    fact = TRAFFIC_TABLE[row]
    assert ENI_TITLES[fact.eni[column]] == page_row[1 + list(Column).index(column)]
    assert ROLE_TITLES[fact.role] == page_row[4]


@pytest.mark.parametrize(
    ("os", "version", "column"),
    [
        (OS.LINUX, PlatformVersion.LATEST, Column.LINUX_1_4_0),
        (OS.LINUX, PlatformVersion.V1_4_0, Column.LINUX_1_4_0),
        (OS.LINUX, PlatformVersion.V1_3_0, Column.LINUX_1_3_0),
        (OS.WINDOWS, PlatformVersion.LATEST, Column.WINDOWS_1_0_0),
        (OS.WINDOWS, PlatformVersion.V1_0_0, Column.WINDOWS_1_0_0),
    ],
)
def test_results_carry_the_cells_of_the_resolved_column(
    os: OS, version: PlatformVersion, column: Column
) -> None:
    assert column_for(os, version) is column
    result = evaluate(Answers(os=os, platform_version=version))
    for row, fact in zip(result.traffic, TRAFFIC_TABLE, strict=True):
        assert (row.action, row.label, row.eni, row.iam_role) == (
            fact.action, fact.label, fact.eni[column], fact.role,
        )
