"""`manage.py advise`: the query-string vocabulary as key=value arguments, three formats, and
the spec's exit codes (0 ok or warning, 1 blocked, 2 input error, 3 conditional), which
`--fail-on` tightens or loosens."""

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

from advisor.management.commands.advise import _named, _without
from advisor.rules import evaluate, parse_query
from advisor.rules.result import Status

ROOT = Path(__file__).resolve().parent.parent

OK = "subnet=public public_ip=true"
WARNING = "nat_gateway=true load_balancer=gwlb"
BLOCKED = "subnet=private endpoints=ecr_api,ecr_dkr,s3"
CONDITIONAL = "unknown=subnet,nat_gateway,public_ip,endpoints"
# Every value of the unknown subnet gives a blocker: blocked, though nothing certain says why.
BLOCKED_WITH_UNKNOWNS = "unknown=subnet"
# Whatever the registry is, the NAT gateway gets the image.
OK_WITH_UNKNOWNS = "nat_gateway=true registry=unknown"
# ECS Exec has no path whatever EFS is: a certain warning.
WARNING_WITH_UNKNOWNS = "endpoints=ecr_api,ecr_dkr,s3,logs ecs_exec=true unknown=efs"


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


VERDICTS = {
    "ok": (OK, "ok"),
    "warning": (WARNING, "warning"),
    "blocked": (BLOCKED, "blocked"),
    "conditional": (CONDITIONAL, "conditional"),
    "blocked_with_unknowns": (BLOCKED_WITH_UNKNOWNS, "blocked"),
    "ok_with_unknowns": (OK_WITH_UNKNOWNS, "ok"),
    "warning_with_unknowns": (WARNING_WITH_UNKNOWNS, "warning"),
}

# The exit code of each verdict under each --fail-on (None: the option not given). The
# verdict's own code, or 0 when it is less severe than --fail-on (ok < warning < conditional
# < blocked).
EXIT_CODES = {
    #               None  blocked  conditional  warning
    "ok":          (0,    0,       0,           0),
    "warning":     (0,    0,       0,           4),
    "conditional": (3,    0,       3,           3),
    "blocked":     (1,    1,       1,           1),
}
FAIL_ON = (None, "blocked", "conditional", "warning")


@pytest.mark.parametrize(
    ("arguments", "verdict", "fail_on", "code"),
    [
        (arguments, verdict, fail_on, EXIT_CODES[verdict][FAIL_ON.index(fail_on)])
        for arguments, verdict in VERDICTS.values()
        for fail_on in FAIL_ON
    ],
    ids=[f"{name}-fail_on_{fail_on}" for name in VERDICTS for fail_on in FAIL_ON],
)
def test_the_exit_code_follows_the_verdict_and_fail_on(
    arguments: str, verdict: str, fail_on: str | None, code: int
) -> None:
    option = [] if fail_on is None else ["--fail-on", fail_on]
    out, exit_code = advise(*arguments.split(), *option, "--format", "json")
    assert json.loads(out)["verdict"]["status"] == verdict
    assert exit_code == code


@pytest.mark.parametrize("fail_on", FAIL_ON)
def test_an_input_error_exits_2_whatever_fail_on_says(fail_on: str | None) -> None:
    option = [] if fail_on is None else ["--fail-on", fail_on]
    with pytest.raises(CommandError) as raised:
        call_command("advise", "os=bsd", *option, stdout=StringIO())
    assert raised.value.returncode == 2


def test_an_unknown_fail_on_is_refused() -> None:
    with pytest.raises(CommandError, match="ok"):
        call_command("advise", "--fail-on", "ok", stdout=StringIO())


def test_help_documents_every_exit_code_and_fail_on() -> None:
    completed = advise_process("--help")
    assert completed.returncode == 0
    text = " ".join(completed.stdout.split())
    for phrase in ("0: ok or warning", "1: blocked", "2: input error", "3: conditional",
                   "4: warning", "--fail-on {blocked,conditional,warning}"):
        assert phrase in text


@pytest.mark.parametrize(
    ("arguments", "code"),
    [(OK, 0), (BLOCKED, 1), ("os=bsd", 2), (CONDITIONAL, 3),
     (WARNING + " --fail-on warning", 4), (CONDITIONAL + " --fail-on blocked", 0)],
    ids=["ok", "blocked", "input_error", "conditional", "warning_failing", "conditional_passing"],
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
    "unknown_names_a_stranger": (["unknown=subnet,bogus"], ["unknown", "'bogus'", "not a field"]),
    "given_and_named_unknown": (["subnet=public", "unknown=subnet"], ["subnet", "unknown="]),
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
     "platform_version=1.3.0 secrets=secretsmanager,ssm cmk=true", CONDITIONAL,
     BLOCKED_WITH_UNKNOWNS, OK_WITH_UNKNOWNS, "endpoints=unknown secrets=unknown"],
)
def test_json_equals_the_api_body(client: Client, arguments: str) -> None:
    out, _ = advise(*arguments.split(), "--format", "json")
    query = "&".join(arguments.split())
    assert json.loads(out) == client.get(f"/api/v1/evaluate?{query}").json()


def test_unknown_fields_can_be_named_one_by_one_or_together() -> None:
    together, _ = advise("unknown=subnet,endpoints", "--format", "json")
    one_by_one, _ = advise("subnet=unknown", "endpoints=unknown", "--format", "json")
    assert together == one_by_one
    result = json.loads(together)
    assert result["answers"]["subnet"] == result["answers"]["endpoints"] == "unknown"
    assert result["permalink"] == "/result/?unknown=subnet,endpoints"


def test_a_conditional_verdict_comes_with_its_witness_in_json() -> None:
    out, code = advise(*CONDITIONAL.split(), "--format", "json")
    verdict = json.loads(out)["verdict"]
    assert (verdict["status"], code) == ("conditional", 3)
    assert verdict["conditions"] >= 1
    assert verdict["witness"]["permalink"].startswith("/result/")


def test_list_fields_take_commas_and_repeats_like_a_query_string() -> None:
    commas, _ = advise("endpoints=ecr_api,s3", "secrets=ssm", "--format", "json")
    repeats, _ = advise("endpoints=ecr_api", "endpoints=s3", "secrets=ssm", "--format", "json")
    assert commas == repeats
    assert json.loads(commas)["answers"]["endpoints"] == ["ecr_api", "s3"]


@pytest.mark.parametrize(
    "arguments", [OK, WARNING, BLOCKED, "os=windows efs=true", CONDITIONAL, BLOCKED_WITH_UNKNOWNS]
)
def test_text_shows_the_verdict_first_and_every_traffic_row(arguments: str) -> None:
    out, _ = advise(*arguments.split())
    result = evaluate(parse_query("&".join(arguments.split())))
    lines = out.splitlines()
    assert lines[0].startswith(f"Verdict: {result.verdict.status.value.upper()}")
    for row in result.traffic:
        line = next(line for line in lines if line.startswith(row.action.value + " "))
        status = "not used" if row.status is Status.NOT_USED else row.status.value
        assert status in line.lower()


@pytest.mark.parametrize(
    "arguments", [OK, WARNING, BLOCKED, "os=windows efs=true", CONDITIONAL, BLOCKED_WITH_UNKNOWNS]
)
def test_markdown_shows_the_verdict_and_every_traffic_row(arguments: str) -> None:
    out, _ = advise(*arguments.split(), "--format", "markdown")
    result = evaluate(parse_query("&".join(arguments.split())))
    assert f"**Verdict: {result.verdict.status.value}**" in out
    for row in result.traffic:
        assert any(line.startswith(f"| {row.label} |") for line in out.splitlines())


@pytest.mark.parametrize("output", ["text", "markdown"])
def test_text_and_markdown_list_the_requirements_and_the_witness(output: str) -> None:
    out, code = advise(*CONDITIONAL.split(), "--format", output)
    result = evaluate(parse_query("&".join(CONDITIONAL.split())))
    assert code == 3
    assert result.verdict.witness is not None
    assert result.verdict.witness.permalink in out
    for requirement in result.requirements:
        assert " ".join(requirement.text.split()[:4]) in " ".join(out.split())


def test_base_url_makes_the_permalink_absolute() -> None:
    out, _ = advise(*OK.split(), "--format", "markdown", "--base-url", "https://advisor.test/")
    assert "<https://advisor.test/result/?subnet=public&public_ip=true>" in out


# --- advise --from: imported answers exit by the same table ------------------------------------

FIXTURES = ROOT / "tests" / "fixtures" / "cloudformation"
DOCUMENTS = ["--from", str(FIXTURES / "fargate-private-vpc.yaml"),
             "--from", str(FIXTURES / "fargate-private-subnet-public-service.json")]
# What the two documents leave unstated (and so unknown). The warning (a public IP in a private
# subnet) holds whatever they are, so it is certain either way. No template states the task
# subnets' free addresses (issue 12): unstated, the verdict is conditional on it.
KNOWN = ["dualstack_account_setting=false", "endpoint_private_dns=true", "cmk=false",
         "free_addresses=enough"]


@pytest.mark.parametrize(
    ("arguments", "verdict", "code"),
    [
        ([], "conditional", 3),
        (KNOWN, "warning", 0),
        ([*KNOWN, "--fail-on", "warning"], "warning", 4),
        (["nat_gateway=unknown"], "conditional", 3),
        (["unknown=nat_gateway"], "conditional", 3),
        (["unknown=nat_gateway", "--fail-on", "blocked"], "conditional", 0),
        (["free_addresses=enough", "nat_gateway=unknown"], "conditional", 3),
        (["nat_gateway=false", "public_ip=false"], "blocked", 1),
    ],
    ids=["unstated_fields_unknown", "warning", "warning_failing", "unknown_overrides_the_file",
         "unknown_list_overrides_the_file", "conditional_passing", "capacity_known", "blocked"],
)
def test_imported_answers_exit_by_the_same_table(
    arguments: list[str], verdict: str, code: int
) -> None:
    out, exit_code = advise(*DOCUMENTS, *arguments, "--format", "json")
    assert (json.loads(out)["verdict"]["status"], exit_code) == (verdict, code)


@pytest.mark.parametrize(
    ("imported", "arguments", "kept"),
    [
        ([("subnet", "private"), ("nat_gateway", "true")], ["nat_gateway=unknown"],
         ["subnet=private"]),
        ([("subnet", "private"), ("nat_gateway", "true")], ["unknown=nat_gateway,subnet"], []),
        ([("unknown", "subnet,endpoints"), ("os", "linux")], ["subnet=public"],
         ["unknown=endpoints", "os=linux"]),
        ([("unknown", "subnet")], ["subnet=public"], []),
    ],
    ids=["value_over_value", "unknown_list_over_values", "value_over_unknown_list",
         "the_whole_unknown_list_given"],
)
def test_arguments_take_a_field_from_the_files_whether_by_value_or_as_unknown(
    imported: list[tuple[str, str]], arguments: list[str], kept: list[str]
) -> None:
    assert _without(imported, _named(arguments)) == kept
