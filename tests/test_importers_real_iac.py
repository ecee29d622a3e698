"""Real SAM projects and real `cdk synth` output (#14 items 2 and 7): each is accepted and
yields what the documents state, and nothing they do not (tests/fixtures/README says where
each file comes from)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.importers import Document, ImportResult, Status, import_documents
from advisor.rules.answers import (
    EgressVia,
    EndpointSG,
    LoadBalancer,
    Registry,
    Subnet,
    TargetType,
    TaskEgress,
    Where,
)

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
SAM_FARGATE = [FIXTURES / "sam" / "sam-fargate" / name
               for name in ("template.yml", "vpc.yml", "samconfig.toml")]
SAM_ISOLATED = [FIXTURES / "sam" / "isolated-vpc" / name
                for name in ("parent.yml", "isolated-vpc.yml", "private-service.yml",
                             "cluster.yml")]
CDK_ASSET = [FIXTURES / "cdk" / "aws-ecs-integ-fargate-image.template.json"]


def load(paths: list[Path]) -> ImportResult:
    return import_documents([Document(p.name, p.read_text()) for p in paths])


def value(result: ImportResult, name: str) -> object:
    answer = result.field(name)
    assert answer.status is Status.FOUND, (name, answer)
    return answer.value


def test_sam_project_with_nested_vpc_reads_the_service_in_public_subnets_through_the_igw():
    result = load(SAM_FARGATE)
    assert [d.kind for d in result.documents][:2] == ["cloudformation", "cloudformation"]
    assert value(result, "subnet") is Subnet.PUBLIC
    assert value(result, "public_ip") is True  # AssignPublicIp: ENABLED
    assert value(result, "nat_gateway") is False  # the public route tables go to the IGW
    assert value(result, "subnet_count") == 2
    assert value(result, "load_balancer") is LoadBalancer.ALB
    assert value(result, "target_type") is TargetType.IP
    assert value(result, "ecs_exec") is True
    assert value(result, "task_egress") is TaskEgress.ALL
    assert value(result, "endpoints") == frozenset()


def test_an_image_from_a_repository_the_stack_creates_is_private_ecr_in_the_stacks_region():
    result = load(SAM_FARGATE)
    assert value(result, "registry") is Registry.ECR
    # The repository is the stack's own: its URI names ${AWS::AccountId}, the stack's account.
    assert value(result, "ecr_account") is Where.SAME


def test_sam_parameter_overrides_for_an_undeclared_parameter_are_reported_not_used():
    result = load(SAM_FARGATE)
    assert any("Parameter Tag is not declared" in n.message for n in result.notices)


def test_isolated_vpc_subnets_listed_by_a_nested_stacks_sub_output_are_followed():
    result = load(SAM_ISOLATED)
    assert value(result, "subnet") is Subnet.PRIVATE
    assert value(result, "nat_gateway") is False  # the route table has no route at all
    assert value(result, "public_ip") is False
    assert value(result, "subnet_count") == 2
    assert value(result, "endpoints") == {
        "ecr_api", "ecr_dkr", "logs", "s3", "ssm", "ssmmessages", "secretsmanager"}
    # The child stack opens the parent-passed endpoint security group to the service's.
    assert value(result, "endpoint_sg") is EndpointSG.ALLOWS_TASKS
    assert value(result, "load_balancer") is LoadBalancer.NONE


def test_isolated_vpc_image_without_a_default_is_unknown_not_guessed():
    result = load(SAM_ISOLATED)
    assert result.field("registry").status is Status.MISSING
    assert any("parameter ImageUri has no default" in n.message for n in result.notices)


def test_cdk_asset_image_service_in_the_default_vpc_private_subnets_with_nat():
    result = load(CDK_ASSET)
    assert value(result, "subnet") is Subnet.PRIVATE
    assert value(result, "nat_gateway") is True
    assert value(result, "egress_via") is EgressVia.NAT_GATEWAY
    assert value(result, "public_ip") is False  # AssignPublicIp: DISABLED
    assert value(result, "load_balancer") is LoadBalancer.ALB
    assert value(result, "target_type") is TargetType.IP
    # An asset image is in the CDK bootstrap repository: private ECR, the stack's Region.
    assert value(result, "registry") is Registry.ECR
    assert value(result, "endpoints") == frozenset()


@pytest.mark.parametrize("paths", [SAM_FARGATE, SAM_ISOLATED, CDK_ASSET],
                         ids=["sam-fargate", "sam-isolated", "cdk-asset"])
def test_what_no_template_states_stays_unknown(paths):
    result = load(paths)
    # No template fixes the Availability Zones (Fn::GetAZs) or the subnets' free addresses.
    for name in ("lb_azs", "free_addresses", "dualstack_account_setting", "cmk"):
        assert result.field(name).status is Status.MISSING, name


@pytest.mark.parametrize("paths", [SAM_FARGATE, SAM_ISOLATED, CDK_ASSET],
                         ids=["sam-fargate", "sam-isolated", "cdk-asset"])
def test_advise_from_the_documents_gives_a_verdict(paths):
    froms = [arg for p in paths for arg in ("--from", str(p))]
    run = subprocess.run(
        [sys.executable, "manage.py", "advise", *froms, "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert run.returncode in (0, 1, 3), run.stderr
    verdict = json.loads(run.stdout)["verdict"]["status"]
    expected = {0: ("ok", "warning"), 1: ("blocked",), 3: ("conditional",)}
    assert verdict in expected[run.returncode]
