"""`manage.py advise`: the query-string vocabulary as key=value arguments, three formats, and
the spec's exit codes (0 ok or warning, 1 blocked, 2 input error)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from advisor.rules import evaluate, parse_query
from advisor.rules.result import Status

ROOT = Path(__file__).resolve().parent.parent

OK = "subnet=public public_ip=true"
WARNING = "nat_gateway=true load_balancer=gwlb"
BLOCKED = "subnet=private endpoints=ecr_api,ecr_dkr,s3"


def advise(*args: str) -> tuple[str, int]:
    """Run the command in-process: its stdout and its exit code."""
    out = StringIO()
    try:
        call_command("advise", *args, stdout=out)
    except SystemExit as exit:
        return out.getvalue(), int(exit.code or 0)
    return out.getvalue(), 0


def advise_process(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command as a user does, for the real exit status and stderr."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "manage.py", "advise", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.mark.parametrize(
    ("arguments", "verdict", "code"),
    [(OK, "ok", 0), (WARNING, "warning", 0), (BLOCKED, "blocked", 1)],
    ids=["ok_exits_0", "warning_exits_0", "blocked_exits_1"],
)
def test_the_exit_code_follows_the_verdict(arguments: str, verdict: str, code: int) -> None:
    out, exit_code = advise(*arguments.split(), "--format", "json")
    assert json.loads(out)["verdict"]["status"] == verdict
    assert exit_code == code


@pytest.mark.parametrize(
    ("arguments", "code"), [(OK, 0), (BLOCKED, 1), ("os=bsd", 2)],
    ids=["ok", "blocked", "input_error"],
)
def test_the_process_exits_with_the_spec_codes(arguments: str, code: int) -> None:
    completed = advise_process(*arguments.split())
    assert completed.returncode == code
    assert "Traceback" not in completed.stderr


def test_an_input_error_names_the_field_and_allowed_values_on_stderr() -> None:
    completed = advise_process("os=windows", "platform_version=1.4.0", "public_ip=maybe")
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "platform_version" in completed.stderr
    assert "latest, 1.0.0" in completed.stderr
    assert "public_ip" in completed.stderr
    assert "true, false" in completed.stderr
    assert "Traceback" not in completed.stderr


BAD_ARGUMENTS = {
    "unknown_value": (["registry=gcr"], ["registry", "docker_hub"]),
    "bad_boolean": (["efs=yes"], ["efs", "true, false"]),
    "bad_integer": (["subnet_count=many"], ["subnet_count", "whole number"]),
    "platform_version_of_the_other_os": (["platform_version=1.0.0"], ["latest, 1.4.0, 1.3.0"]),
    "argument_without_equals": (["subnet"], ["'subnet' is not key=value"]),
    "argument_without_key": (["=public"], ["'=public' is not key=value"]),
    "unknown_field": (["subent=public"], ["subent", "unknown field", "subnet"]),
    "conflicting_repeats": (["subnet=public", "subnet=private"], ["subnet", "more than once"]),
}


@pytest.mark.parametrize(
    ("arguments", "phrases"), BAD_ARGUMENTS.values(), ids=list(BAD_ARGUMENTS)
)
def test_bad_arguments_are_an_input_error(arguments: list[str], phrases: list[str]) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("advise", *arguments, stdout=StringIO())
    assert raised.value.returncode == 2
    for phrase in phrases:
        assert phrase in str(raised.value)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(CommandError, match="xml"):
        call_command("advise", "--format", "xml", stdout=StringIO())


@pytest.mark.parametrize(
    "arguments",
    [OK, WARNING, BLOCKED, "", "os=windows efs=true log_driver=firelens",
     "platform_version=1.3.0 secrets=secretsmanager,ssm cmk=true"],
)
def test_json_equals_the_api_body(client: Client, arguments: str) -> None:
    out, _ = advise(*arguments.split(), "--format", "json")
    query = "&".join(arguments.split())
    assert json.loads(out) == client.get(f"/api/v1/evaluate?{query}").json()


def test_list_fields_take_commas_and_repeats_like_a_query_string() -> None:
    commas, _ = advise("endpoints=ecr_api,s3", "secrets=ssm", "--format", "json")
    repeats, _ = advise("endpoints=ecr_api", "endpoints=s3", "secrets=ssm", "--format", "json")
    assert commas == repeats
    assert json.loads(commas)["answers"]["endpoints"] == ["ecr_api", "s3"]


@pytest.mark.parametrize("arguments", [OK, WARNING, BLOCKED, "os=windows efs=true"])
def test_text_shows_the_verdict_first_and_every_traffic_row(arguments: str) -> None:
    out, _ = advise(*arguments.split())
    result = evaluate(parse_query("&".join(arguments.split())))
    lines = out.splitlines()
    assert lines[0].startswith(f"Verdict: {result.verdict.status.value.upper()}")
    for row in result.traffic:
        line = next(line for line in lines if line.startswith(row.action.value + " "))
        status = "not used" if row.status is Status.NOT_USED else row.status.value
        assert status in line.lower()


@pytest.mark.parametrize("arguments", [OK, WARNING, BLOCKED, "os=windows efs=true"])
def test_markdown_shows_the_verdict_and_every_traffic_row(arguments: str) -> None:
    out, _ = advise(*arguments.split(), "--format", "markdown")
    result = evaluate(parse_query("&".join(arguments.split())))
    assert f"**Verdict: {result.verdict.status.value}**" in out
    for row in result.traffic:
        assert any(line.startswith(f"| {row.label} |") for line in out.splitlines())


def test_base_url_makes_the_permalink_absolute() -> None:
    out, _ = advise(*OK.split(), "--format", "markdown", "--base-url", "https://advisor.test/")
    assert "<https://advisor.test/result/?subnet=public&public_ip=true>" in out
