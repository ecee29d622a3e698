"""Fuzzing the `advise` command with hypothesis: whatever the arguments, it exits with one of
its codes (0, 1 blocked, 2 input error, 3 conditional, 4 warning under --fail-on warning); on 2
it says on stderr what is wrong; it never prints a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import ManagementUtility
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.management.commands.advise import exit_code
from advisor.rules import AnswersError, evaluate, parse_query
from advisor.rules.answers import UNKNOWN, UNKNOWN_PARAM
from tests.fuzz_inputs import FIELD_NAMES, HOSTILE, names, values

pytestmark = pytest.mark.usefixtures("fuzz_budget")  # tests/conftest.py

ROOT = Path(__file__).resolve().parent.parent

# Options a user of this command may give, right or wrong. Django's own options (--settings,
# --pythonpath, --traceback, ...) are left out: they reconfigure the process running the tests.
OPTIONS = ["--format=json", "--format=text", "--format=markdown", "--format=xml", "--format",
           "--base-url=https://advisor.example.com", "--base-url", "--colour", "-x", "-", "--",
           "--fail-on=blocked", "--fail-on=conditional", "--fail-on=warning", "--fail-on=ok",
           "--fail-on"]

# Values with `unknown` among them, and `unknown=` naming fields (and strangers).
values_or_unknown = st.one_of(values, st.just(UNKNOWN.value))
unknown_lists = st.lists(st.one_of(st.sampled_from(FIELD_NAMES), names), max_size=4).map(
    lambda fields: f"{UNKNOWN_PARAM}={','.join(fields)}"
)
key_values = st.one_of(
    st.builds(lambda name, value: f"{name}={value}", names, values_or_unknown), unknown_lists
)
arguments = st.lists(
    st.one_of(
        key_values,
        st.sampled_from(OPTIONS),
        st.sampled_from(HOSTILE),
        st.text(max_size=20).filter(lambda text: not text.startswith("-")),
    ),
    max_size=12,
)


def run_in_process(args: list[str]) -> tuple[int, str, str]:
    """The command as manage.py runs it: exit status, stdout, stderr."""
    out, err = StringIO(), StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            ManagementUtility(["manage.py", "advise", *args]).execute()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(args=arguments)
def test_any_arguments_exit_with_a_documented_code_and_an_input_error_says_what_is_wrong(
    args: list[str],
) -> None:
    code, out, err = run_in_process(args)
    assert code in (0, 1, 2, 3, 4)
    assert "Traceback" not in out + err
    if code == 2:
        assert err.strip(), "an input error is explained on stderr"
        assert not out, "nothing half-done on stdout"
    else:
        assert out.strip()
        assert not err


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(
    st.tuples(st.sampled_from([*FIELD_NAMES, UNKNOWN_PARAM]), values_or_unknown),
    min_size=1, max_size=6,
))
def test_known_fields_with_any_values_give_the_vocabularys_verdict_or_name_the_field(
    pairs: list[tuple[str, str]],
) -> None:
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    code, out, err = run_in_process([f"{n}={v}" for n, v in pairs] + ["--format=json"])
    try:
        answers = parse_query(params)
        expected = evaluate(answers)  # TooManyUnknowns, too, is an input error
    except AnswersError as error:
        assert code == 2
        for field in error.errors:
            assert f"{field}:" in err
        return
    assert json.loads(out)["verdict"]["status"] == expected.verdict.status.value
    assert code == exit_code(expected)


@pytest.mark.parametrize(
    "argument",
    [b"subnet=\xff", b"\xff\xfe=public", b"endpoints=ecr_api,\xc3\x28", b"os=\xed\xa0\x80"],
    ids=["bad_value_byte", "bad_key_bytes", "bad_list_item", "encoded_surrogate"],
)
def test_arguments_that_are_not_utf8_are_an_input_error(argument: bytes) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    process = subprocess.run(
        [sys.executable.encode(), b"manage.py", b"advise", argument],
        cwd=ROOT, env=env, capture_output=True, timeout=60, check=False,
    )
    assert process.returncode == 2
    assert b"Traceback" not in process.stderr
    assert b"Invalid answers" in process.stderr
    assert process.stdout == b""
