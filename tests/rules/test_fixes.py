"""The fixes are real and copyable: CloudFormation parses, AWS CLI names real commands, and
placeholders look like placeholders."""

from __future__ import annotations

import re

import botocore.session
import pytest

from advisor.importers.loading import load_yaml
from advisor.rules import evaluate, parse_query
from advisor.rules.result import CommandKind
from tests.rules.test_decision_table import CASES

COMMANDS = sorted({
    (command.kind, command.text)
    for case in CASES.values()
    for finding in evaluate(parse_query(case.query)).findings
    for command in finding.commands
})


def test_the_decision_table_exercises_every_kind_of_command() -> None:
    assert {kind for kind, _ in COMMANDS} == set(CommandKind)
    assert len(COMMANDS) > 40


def _code(text: str) -> str:
    """The snippet without its comment lines (labels, notes)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


@pytest.mark.parametrize("text", [t for k, t in COMMANDS if k is CommandKind.CLOUDFORMATION])
def test_cloudformation_snippets_are_yaml_with_cloudformation_tags(text: str) -> None:
    if not _code(text).strip():
        assert "CloudFormation has no resource" in text
        return
    parsed = load_yaml("snippet", text)
    resources = parsed.get("Resources", parsed)
    assert all("Type" in body and body["Type"].startswith("AWS::") for body in resources.values())


AWS_COMMAND = re.compile(r"^aws ([a-z0-9-]+) ([a-z0-9-]+)")


SESSION = botocore.session.get_session()


def _operations(service: str) -> set[str]:
    """The operations as the AWS CLI spells them (CreateVpcEndpoint: create-vpc-endpoint)."""
    model = SESSION.get_service_model(service)
    return {re.sub(r"(?<!^)(?=[A-Z][a-z])|(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()
            for name in model.operation_names}


@pytest.mark.parametrize("text", [t for k, t in COMMANDS if k is CommandKind.AWS_CLI])
def test_aws_cli_commands_name_real_operations(text: str) -> None:
    lines = [line for line in text.replace("\\\n", " ").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines
    for line in lines:
        match = AWS_COMMAND.match(line)
        assert match, line
        service, operation = match.groups()
        assert service in SESSION.get_available_services(), service
        assert operation in _operations(service), f"{service} {operation}"


@pytest.mark.parametrize("text", [t for _, t in COMMANDS])
def test_no_snippet_carries_a_real_looking_resource_id(text: str) -> None:
    assert not re.search(r"\b(vpc|subnet|sg|rtb|nat|eipalloc|vpce)-[0-9a-f]{8,}\b", text)
