"""`python manage.py advise key=value ... --format text|json|markdown`.

The same vocabulary as a query string: one `key=value` per field, a list field as a comma list,
a repeated key as in a query string, `field=unknown` or `unknown=a,b,c` for what is not known.

Exit codes (spec sections 3 and 4): each verdict has its own code, and `--fail-on` picks from
which verdict on the code is non-zero (verdicts in order ok < warning < conditional < blocked):

    verdict       code   --fail-on blocked   conditional (default)   warning
    ok            0      0                   0                       0
    warning       4      0                   0                       4
    conditional   3      0                   3                       3
    blocked       1      1                   1                       1
    input error   2      2                   2                       2

Warning gets a code of its own (4) rather than sharing 1 with blocked, so that a script that
fails on warnings can still tell "start it, but look" from "it will not start".
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from django.core.management.base import BaseCommand, CommandError

from advisor.importers import DocumentError, DocumentKind, ImportResult, import_documents
from advisor.importers.files import read_files, summary
from advisor.importers.ids import collect, substitute
from advisor.report import render_markdown, render_text
from advisor.rules import AnswersError, TooManyUnknowns, evaluate, parse_query
from advisor.rules.answers import FIELDS_BY_NAME, UNKNOWN_PARAM, Answers
from advisor.rules.result import Result, VerdictStatus
from advisor.sarif import render_sarif

EXIT_BLOCKED = 1
EXIT_INPUT_ERROR = 2
EXIT_CONDITIONAL = 3
EXIT_WARNING = 4

# Each verdict's exit code, in order of severity: `--fail-on X` exits non-zero on X and worse.
EXIT_CODES: dict[VerdictStatus, int] = {
    VerdictStatus.OK: 0,
    VerdictStatus.WARNING: EXIT_WARNING,
    VerdictStatus.CONDITIONAL: EXIT_CONDITIONAL,
    VerdictStatus.BLOCKED: EXIT_BLOCKED,
}
SEVERITY = tuple(EXIT_CODES)
FAIL_ON = (VerdictStatus.BLOCKED, VerdictStatus.CONDITIONAL, VerdictStatus.WARNING)
DEFAULT_FAIL_ON = VerdictStatus.CONDITIONAL

RENDERERS: dict[str, Callable[[Result, str], str]] = {
    "text": render_text,
    "json": lambda result, base_url: json.dumps(result.to_dict(), indent=2) + "\n",
    "markdown": render_markdown,
}


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # it reads no models; start fast
    help = (
        "Evaluate a Fargate task's networking from key=value answers (the vocabulary of the "
        "query string, e.g. subnet=private nat_gateway=true endpoints=ecr_api,ecr_dkr,s3; "
        "field=unknown or unknown=a,b,c for what you do not know) and print the result. "
        "Exit code 0: ok or warning; 1: blocked; 2: input error; 3: conditional (it depends on "
        "the unknown answers); 4: warning, with --fail-on warning."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "answers", nargs="*", metavar="key=value",
            help=f"An answer. Fields: {', '.join(FIELDS_BY_NAME)}. Any field may be unknown "
            f"(subnet=unknown); {UNKNOWN_PARAM}=a,b,c names several.",
        )
        parser.add_argument(
            "--format", choices=(*RENDERERS, "sarif"), default="text",
            help="Output format (default: text). sarif: SARIF 2.1.0 for code scanning, each "
            "finding on the line of the --from document it rests on.",
        )
        parser.add_argument(
            "--from", dest="from_files", action="append", default=[], metavar="FILE",
            help="Import answers from a task definition, service, CloudFormation template, "
            "Terraform plan (terraform show -json) or error message; repeatable. What was "
            "imported goes to stderr; key=value answers override it.",
        )
        parser.add_argument(
            "--fail-on", choices=[status.value for status in FAIL_ON],
            default=DEFAULT_FAIL_ON.value,
            help="The least severe verdict that exits non-zero (order: warning < conditional < "
            "blocked). blocked: only blocked exits non-zero (1). conditional (default): "
            "blocked 1, conditional 3. warning: also warning, with 4. "
            "An input error always exits 2.",
        )
        parser.add_argument(
            "--base-url", default="", metavar="URL",
            help="Make the permalink absolute, e.g. https://advisor.example.com.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        imported = import_files(options["from_files"]) if options["from_files"] else None
        sarif = options["format"] == "sarif"
        if imported is not None and imported.diagnoses and not sarif and all(
                d.kind is DocumentKind.ERROR_MESSAGE for d in imported.documents):
            raise SystemExit(self.diagnose(imported, options))
        answers = self.answers_from(options, imported)
        result = decide(answers)
        if options["from_files"]:
            # The documents' Region, VPC, subnets... in the fixes' commands (advisor.importers.ids).
            result = substitute(result, collect(read_files(options["from_files"])))
        self.stdout.write(render_sarif(result, imported, options["base_url"]) if sarif
                          else RENDERERS[options["format"]](result, options["base_url"]),
                          ending="")
        self.stdout.flush()
        if code := exit_code(result, VerdictStatus(options["fail_on"])):
            # BaseCommand has no way to end with a non-zero status except through an error.
            raise SystemExit(code)

    def answers_from(self, options: dict[str, Any], imported: ImportResult | None = None
                     ) -> Answers:
        """The answers the options describe; one place, so that new sources of answers fit in."""
        if imported is not None:
            self.stderr.write(summary(imported), ending="")
            return imported_answers(imported, options["answers"])
        return parse_answers(options["answers"])

    def diagnose(self, imported: ImportResult, options: dict[str, Any]) -> int:
        """Error messages alone: the diagnosis is the output, and the exit code follows it
        (0 when a message is recognised and explained, networking or not; 2 when none is);
        the configuration they imply is evaluated with every other answer unknown."""
        result = decide(imported_answers(imported, options["answers"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "diagnoses": [d.to_dict() for d in imported.diagnoses],
                "evaluation": result.to_dict(),
            }, indent=2) + "\n", ending="")
        else:
            self.stdout.write(render_diagnoses(imported.diagnoses), ending="")
            self.stdout.write(f"\nWith only the message, every other answer is unknown; the "
                              f"configuration it implies is {result.verdict.status.value}:\n\n",
                              ending="")
            self.stdout.write(RENDERERS[options["format"]](result, options["base_url"]),
                              ending="")
        self.stdout.flush()
        return 0 if any(d.recognised for d in imported.diagnoses) else EXIT_INPUT_ERROR


def import_files(paths: list[str]) -> ImportResult:
    try:
        return import_documents(read_files(paths))
    except DocumentError as error:
        raise input_error([f"{name}: {message}" for name, messages in error.errors.items()
                           for message in messages]) from None


def imported_answers(result: ImportResult, arguments: list[str]) -> Answers:
    """The files' answers (advisor.importers), with key=value arguments taking precedence.
    Every field the files do not give is unknown, never a default (spec section 4)."""
    query = result.answers_query()
    return parse_answers(_without(parse_qsl(query), _named(arguments)) + arguments)


def render_diagnoses(diagnoses: Any) -> str:
    """Each message's diagnosis, its ranked causes with the commands that check them."""
    lines: list[str] = []
    for d in diagnoses:
        where = f" ({d.origin.path})" if d.origin.path != "(message)" else ""
        lines.append(f"Error message{where}: {d.title}" + (f" [{d.nature}]" if d.nature else ""))
        lines.append(f"  {d.meaning}")
        lines += [f"  {line}" for line in d.proves]
        for number, cause in enumerate(d.ranked, start=1):
            lines.append(f"  {number}. {cause.text}")
            lines += [f"     check: {command}" for command in cause.check]
            lines.append(f"     fix:   {cause.fix}")
        if not d.recognised:
            lines.append("  Closest known families: " + "; ".join(t for _, t in d.closest))
        lines += [f"  Source: {s.title} {s.url}" for s in d.sources]
        lines.append("")
    return "\n".join(lines)


def _named(arguments: list[str]) -> set[str]:
    """The fields key=value arguments give, by value or in unknown=a,b,c."""
    named = set()
    for argument in arguments:
        key, _, value = (part.strip() for part in argument.partition("="))
        if key == UNKNOWN_PARAM:
            named |= {name.strip() for name in value.split(",")}
        else:
            named.add(key)
    return named


def _without(pairs: list[tuple[str, str]], named: set[str]) -> list[str]:
    """Imported pairs as key=value arguments, less the fields the arguments give themselves."""
    out = []
    for key, value in pairs:
        if key == UNKNOWN_PARAM:
            value = ",".join(name for name in value.split(",") if name.strip() not in named)
            if not value:
                continue
        elif key in named:
            continue
        out.append(f"{key}={value}")
    return out


def parse_answers(arguments: list[str]) -> Answers:
    """Answers from key=value arguments, or a CommandError naming every problem at once."""
    params: dict[str, list[str]] = {}
    problems = []
    for argument in arguments:
        key, equals, value = argument.partition("=")
        key = key.strip()
        if not equals or not key:
            problems.append(f"{argument!r} is not key=value (for example subnet=private).")
        elif key not in FIELDS_BY_NAME and key != UNKNOWN_PARAM:
            # A query string ignores unknown fields (links pick up tracking parameters); on a
            # command line an unknown key is a typo, and ignoring it would give wrong advice.
            problems.append(f"{key}: unknown field. Known fields: {', '.join(FIELDS_BY_NAME)}.")
        else:
            params.setdefault(key, []).append(value)
    try:
        answers = parse_query(params)
    except AnswersError as error:
        problems += [
            f"{field}: {message}" for field, messages in error.errors.items()
            for message in messages
        ]
        raise input_error(problems) from None
    if problems:
        raise input_error(problems)
    return answers


def decide(answers: Answers) -> Result:
    """`evaluate`, with answers too wide to decide an input error (exit 2) that names them."""
    try:
        return evaluate(answers)
    except TooManyUnknowns as error:
        raise input_error([f"unknown: {message}" for message in error.errors["unknown"]]
                          ) from None


def input_error(problems: list[str]) -> CommandError:
    return CommandError(
        "Invalid answers:\n  " + "\n  ".join(problems), returncode=EXIT_INPUT_ERROR
    )


def exit_code(result: Result, fail_on: VerdictStatus = DEFAULT_FAIL_ON) -> int:
    """The verdict's code when it is `fail_on` or worse, else 0."""
    status = result.verdict.status
    return EXIT_CODES[status] if SEVERITY.index(status) >= SEVERITY.index(fail_on) else 0
