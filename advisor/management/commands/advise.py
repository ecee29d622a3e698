"""`python manage.py advise key=value ... --format text|json|markdown`.

The same vocabulary as a query string: one `key=value` per field, a list field as a comma list,
a repeated key as in a query string. Exit codes (spec section 3): 0 when the verdict is ok or a
warning, 1 when it is blocked, 2 on an input error, with the message on stderr.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any
from urllib.parse import parse_qsl

from django.core.management.base import BaseCommand, CommandError

from advisor.importers import DocumentError, import_documents
from advisor.importers.files import read_files, summary
from advisor.report import render_markdown, render_text
from advisor.rules import AnswersError, evaluate, parse_query
from advisor.rules.answers import FIELDS_BY_NAME, Answers
from advisor.rules.result import Result, VerdictStatus

EXIT_BLOCKED = 1
EXIT_INPUT_ERROR = 2

RENDERERS = {
    "text": render_text,
    "json": lambda result, base_url: json.dumps(result.to_dict(), indent=2) + "\n",
    "markdown": render_markdown,
}


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # it reads no models; start fast
    help = (
        "Evaluate a Fargate task's networking from key=value answers (the vocabulary of the "
        "query string, e.g. subnet=private nat_gateway=true endpoints=ecr_api,ecr_dkr,s3) and "
        "print the result. Exit code 0: ok or warning; 1: blocked; 2: input error."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "answers", nargs="*", metavar="key=value",
            help=f"An answer. Fields: {', '.join(FIELDS_BY_NAME)}.",
        )
        parser.add_argument(
            "--format", choices=tuple(RENDERERS), default="text",
            help="Output format (default: text).",
        )
        parser.add_argument(
            "--from", dest="from_files", action="append", default=[], metavar="FILE",
            help="Import answers from a task definition, service, CloudFormation template, "
            "Terraform plan (terraform show -json) or error message; repeatable. What was "
            "imported goes to stderr; key=value answers override it.",
        )
        parser.add_argument(
            "--base-url", default="", metavar="URL",
            help="Make the permalink absolute, e.g. https://advisor.example.com.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        answers = self.answers_from(options)
        result = evaluate(answers)
        self.stdout.write(RENDERERS[options["format"]](result, options["base_url"]), ending="")
        self.stdout.flush()
        if code := exit_code(result):
            # BaseCommand has no way to end with a non-zero status except through an error.
            raise SystemExit(code)

    def answers_from(self, options: dict[str, Any]) -> Answers:
        """The answers the options describe; one place, so that new sources of answers fit in."""
        if options["from_files"]:
            return imported_answers(options["from_files"], options["answers"], self.stderr)
        return parse_answers(options["answers"])


def imported_answers(paths: list[str], arguments: list[str], stderr: Any) -> Answers:
    """The files' answers (advisor.importers), with key=value arguments taking precedence."""
    try:
        result = import_documents(read_files(paths))
    except DocumentError as error:
        raise input_error([f"{name}: {message}" for name, messages in error.errors.items()
                           for message in messages]) from None
    stderr.write(summary(result), ending="")
    given = {argument.partition("=")[0].strip() for argument in arguments}
    imported = [f"{key}={value}" for key, value in parse_qsl(result.answered_query())
                if key not in given]
    return parse_answers(imported + arguments)


def parse_answers(arguments: list[str]) -> Answers:
    """Answers from key=value arguments, or a CommandError naming every problem at once."""
    params: dict[str, list[str]] = {}
    problems = []
    for argument in arguments:
        key, equals, value = argument.partition("=")
        key = key.strip()
        if not equals or not key:
            problems.append(f"{argument!r} is not key=value (for example subnet=private).")
        elif key not in FIELDS_BY_NAME:
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


def input_error(problems: list[str]) -> CommandError:
    return CommandError(
        "Invalid answers:\n  " + "\n  ".join(problems), returncode=EXIT_INPUT_ERROR
    )


def exit_code(result: Result) -> int:
    return EXIT_BLOCKED if result.verdict.status is VerdictStatus.BLOCKED else 0
