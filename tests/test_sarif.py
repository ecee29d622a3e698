"""`advise --from ... --format sarif`: SARIF 2.1.0 that code-scanning tools read, each finding on
the line of the document that states the answers it rests on."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.management import call_command

from advisor.importers.model import Origin
from advisor.sarif import line_of, locate

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "tests/fixtures/cloudformation/fargate-private-vpc.yaml"
TASK_DEFINITION = "tests/fixtures/ecs/aws-cli-register-task-definition-sleep360-output.json"

# The parts of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json) this output uses: the
# required properties of a log, run, tool, rule, result, message and location, and the enums.
SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "items": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {
                    "driver": {"type": "object", "required": ["name"], "properties": {
                        "name": {"type": "string"},
                        "rules": {"type": "array", "items": {
                            "type": "object", "required": ["id"],
                            "properties": {"id": {"type": "string"},
                                           "shortDescription": {"$ref": "#/$defs/message"},
                                           "helpUri": {"type": "string", "format": "uri"}},
                        }},
                    }},
                }},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "ruleIndex": {"type": "integer", "minimum": -1},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"$ref": "#/$defs/message"},
                        "locations": {"type": "array", "items": {
                            "type": "object", "properties": {"physicalLocation": {
                                "type": "object", "required": ["artifactLocation"],
                                "properties": {
                                    "artifactLocation": {"type": "object", "required": ["uri"]},
                                    "region": {"type": "object", "properties": {
                                        "startLine": {"type": "integer", "minimum": 1}}},
                                }}},
                        }},
                    },
                }},
            },
        }},
    },
    "$defs": {"message": {"type": "object", "anyOf": [{"required": ["text"]},
                                                      {"required": ["id"]}]}},
}


def sarif(*args: str) -> tuple[dict[str, Any], int]:
    out = StringIO()
    try:
        call_command("advise", *args, "--format", "sarif", stdout=out, stderr=StringIO())
    except SystemExit as exit:
        return json.loads(out.getvalue()), int(exit.code or 0)
    return json.loads(out.getvalue()), 0


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_sarif_is_valid_and_names_every_rule_it_uses() -> None:
    log, _ = sarif("--from", TEMPLATE, "--from", TASK_DEFINITION)
    jsonschema.validate(log, SARIF_SUBSET)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["locations"], result["ruleId"]
    assert {a["location"]["uri"] for a in run["artifacts"]} == {TEMPLATE, TASK_DEFINITION}


def test_a_finding_is_shown_on_the_line_its_answers_come_from() -> None:
    log, code = sarif("--from", TEMPLATE, "nat_gateway=false", "subnet=private")
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    lines = (ROOT / TEMPLATE).read_text().splitlines()
    placed = [loc["physicalLocation"] for r in results.values() for loc in r["locations"]
              if loc["physicalLocation"]["region"]["startLine"] > 1]
    assert placed
    for where in placed:
        assert where["artifactLocation"]["uri"] == TEMPLATE
        line = lines[where["region"]["startLine"] - 1]
        assert line.strip().split(":")[0] in ("Properties", "EnableDnsSupport",
                                             "EnableDnsHostnames", "VPC")
    out = StringIO()
    with pytest.raises(SystemExit) as json_exit:
        call_command("advise", "--from", TEMPLATE, "nat_gateway=false", "subnet=private",
                     "--format", "json", stdout=out, stderr=StringIO())
    assert code == json_exit.value.code  # the same exit code as every other format
    verdict = json.loads(out.getvalue())["verdict"]
    assert log["runs"][0]["properties"]["verdict"] == verdict["status"]
    errors = [r for r in results.values() if r["level"] == "error"]
    assert len(errors) == verdict["blockers"]


def test_uncertain_findings_are_notes_so_ci_fails_only_on_what_applies() -> None:
    log, _ = sarif("--from", TASK_DEFINITION)
    for result in log["runs"][0]["results"]:
        if not result["properties"]["certain"]:
            assert result["level"] == "note"
            assert result["message"]["text"].startswith("May apply")


@pytest.mark.parametrize(("text", "path", "line"), [
    ("a:\n  b:\n    - x\n    - c: 1\n", "a.b[1].c", 4),
    ("a:\n  b: !Ref X\n", "a.b", 2),
    ('{\n  "x": {\n    "y": [1,\n      2]\n  }\n}\n', "x.y[1]", 4),
    ('{"k": {"odd key": 1}}', 'k["odd key"]', 1),
    ("a:\n  b: 1\n", "a.missing.deeper", 1),
    ("a:\n  b: 1\n", "a.b.deeper", 2),
    ("not: [valid", "a", 1),
])
def test_a_json_or_yaml_path_is_found_on_its_line(text: str, path: str, line: int) -> None:
    assert line_of(text, path) == line


def test_a_terraform_origin_is_found_on_its_block_or_its_stated_line() -> None:
    text = ('variable "x" {}\n\nresource "aws_ecs_service" "web" {\n  name = "web"\n'
            '  network_configuration {\n    subnets = []\n  }\n}\n')
    origin = Origin("main.tf", "resource.aws_ecs_service.web.network_configuration")
    assert locate(origin, text) == 5
    assert locate(Origin("main.tf", "aws_ecs_service.web"), text) == 3
    assert locate(Origin("main.tf", "module.vpc", "line 12"), text) == 12
