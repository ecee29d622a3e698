"""Every CloudFormation snippet any finding can produce passes cfn-lint once its placeholders
are filled in, as someone pasting it would: whole resources, not fragments.

The snippets are collected over the answer grids and linted in one in-process cfn-lint pass:
each snippet's resources are renamed with a prefix and merged into one template."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from cfnlint.api import ManualArgs, decode_str, lint

from advisor.rules import evaluate
from advisor.rules.result import CommandKind
from tests.rules.test_invariants import feature_grid, network_grid

# How a reader fills each placeholder in: the first pattern that matches its name wins.
FILLED = (
    (r"security-group-id$", "sg-0123456789abcdef0"),
    (r"subnet-id(-\d)?$", "subnet-0123456789abcdef{digit}"),
    (r"^vpc-id$", "vpc-{index:017x}"),  # one VPC per snippet: they are not one stack
    (r"route-table-id$", "rtb-0123456789abcdef0"),
    (r"port$", "8080"),
    (r"^vpc-cidr$|ipv4-cidr$", "10.0.0.0/24"),
    (r"ipv6-cidr$", "2001:db8::/64"),
    (r"account-id$", "123456789012"),
    (r"region$", "eu-west-1"),
    (r"secret-arn$",
     "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/hub"),
    (r"^service$", "ecr.api"),
    (r"file-system-id$", "fs-0123456789abcdef0"),
    (r"", "example"),
)
PLACEHOLDER = re.compile(r"<([a-z0-9-]+)>")


def _fill(text: str, index: int) -> str:
    return PLACEHOLDER.sub(
        lambda m: next(value for pattern, value in FILLED if re.search(pattern, m[1])).format(
            index=index, digit=m[1][-1] if m[1][-1].isdigit() else "0"), text)


@cache
def _snippets() -> list[str]:
    texts = {
        command.text
        for answers in network_grid() + feature_grid()
        for finding in evaluate(answers).findings
        for command in finding.commands
        if command.kind is CommandKind.CLOUDFORMATION
    }
    return sorted(t for t in texts if any(not line.lstrip().startswith("#")
                                          for line in t.splitlines() if line.strip()))


def _renamed(node: Any, names: set[str], prefix: str) -> Any:
    """`node` with every Ref, GetAtt and ${Sub} reference to `names` prefixed."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "Ref" and value in names:
                value = prefix + value
            elif key == "Fn::GetAtt" and value[0] in names:
                value = [prefix + value[0], *value[1:]]
            elif key == "Fn::Sub" and isinstance(value, str):
                value = re.sub(r"\$\{(\w+)", lambda m: "${" + (prefix + m[1] if m[1] in names
                                                             else m[1]), value)
            out[key] = _renamed(value, names, prefix)
        return out
    if isinstance(node, list):
        return [_renamed(item, names, prefix) for item in node]
    return node


def test_the_grids_produce_every_kind_of_cloudformation_snippet() -> None:
    snippets = "\n".join(_snippets())
    for resource in ("AWS::EC2::VPCEndpoint", "AWS::EC2::SecurityGroupIngress",
                     "AWS::EC2::NatGateway", "AWS::EC2::Subnet", "AWS::ECS::Service",
                     "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::IAM::Role",
                     "AWS::ECR::ReplicationConfiguration"):
        assert resource in snippets, resource


def test_every_cloudformation_snippet_passes_cfn_lint() -> None:
    snippets = _snippets()
    merged: dict[str, Any] = {}
    for index, text in enumerate(snippets):
        template, errors = decode_str(_fill(text, index))
        assert not errors, (text, errors)
        resources = template.get("Resources", template)
        prefix = f"S{index}x"
        for name, body in resources.items():
            merged[prefix + name] = _renamed(body, set(resources), prefix)
    matches = lint(json.dumps({"Resources": merged}), config=ManualArgs(regions=["eu-west-1"]))
    problems = [(snippets[int(re.match(r"S(\d+)x", str(m.path[1]))[1])]
                 if len(m.path) > 1 and re.match(r"S\d+x", str(m.path[1])) else "",
                 m.rule.id, m.message) for m in matches if not _across_snippets(m.message)]
    assert not problems, problems


def _across_snippets(message: str) -> bool:
    """A uniqueness rule that only the merging broke: two snippets (two fixes, never one
    stack) each create the same resource, such as the Docker Hub pull-through cache rule."""
    named = set(re.findall(r"'S(\d+)x\w+'", message))
    return "unique values across the resources" in message and len(named) > 1
