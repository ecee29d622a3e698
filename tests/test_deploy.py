"""deploy/advisor.yaml: it lints, and the advisor's own verdict for the network it builds is
green, with the task execution role holding exactly what the advisor says it needs.

The template's network is read into the advisor's vocabulary here, fact by fact, so a change
to the template (a removed endpoint, a NAT route, a public IP) changes the answers evaluated.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from advisor.caching import VARY
from advisor.rules import evaluate, parse_query, permalink
from advisor.rules.result import Role, VerdictStatus
from tests.production import REPO, TEMPLATE, container, resources, template

# The README's "Production" section shows this result; the test keeps them in step.
README_PERMALINK = (
    "/result/?endpoints=ecr_api,ecr_dkr,s3,logs,secretsmanager&secrets=secretsmanager"
    "&load_balancer=alb"
)

# com.amazonaws.<region>.<suffix> -> the advisor's endpoint value
ENDPOINTS = {"ecr.api": "ecr_api", "ecr.dkr": "ecr_dkr", "s3": "s3", "logs": "logs",
             "secretsmanager": "secretsmanager", "ssm": "ssm", "ssmmessages": "ssmmessages",
             "kms": "kms"}


def ref(value: Any) -> str:
    return value["Ref"]


def service() -> dict[str, Any]:
    (props,) = resources("AWS::ECS::Service").values()
    return props


def task_definition() -> dict[str, Any]:
    (props,) = resources("AWS::ECS::TaskDefinition").values()
    return props


def routes_of(subnet: str) -> list[dict[str, Any]]:
    """The routes of the route table associated with `subnet`."""
    (table,) = [
        ref(a["RouteTableId"]) for a in resources("AWS::EC2::SubnetRouteTableAssociation").values()
        if ref(a["SubnetId"]) == subnet
    ]
    return [r for r in resources("AWS::EC2::Route").values() if ref(r["RouteTableId"]) == table]


def template_answers() -> dict[str, str]:
    """The advisor's answers for the network, service and task the template deploys."""
    network = service()["NetworkConfiguration"]["AwsvpcConfiguration"]
    subnets = [ref(s) for s in network["Subnets"]]
    routes = [route for subnet in subnets for route in routes_of(subnet)]
    gateways = resources("AWS::EC2::InternetGateway")
    endpoints = resources("AWS::EC2::VPCEndpoint").values()
    (vpc,) = resources("AWS::EC2::VPC").values()
    task = task_definition()
    advisor = container()
    secrets = template()["Resources"]
    (balancer,) = resources("AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    (target_group,) = resources("AWS::ElasticLoadBalancingV2::TargetGroup").values()
    image = advisor["Image"]["Fn::Sub"]
    assert ".dkr.ecr.${AWS::Region}.amazonaws.com/" in image  # ECR, the stack's own Region
    return {
        "os": task["RuntimePlatform"]["OperatingSystemFamily"].lower(),
        "arch": task["RuntimePlatform"]["CpuArchitecture"].lower(),
        "platform_version": service()["PlatformVersion"].lower(),
        "subnet": "public" if any(ref(r.get("GatewayId", {"Ref": ""})) in gateways
                                  for r in routes) else "private",
        "public_ip": str(network["AssignPublicIp"] == "ENABLED").lower(),
        "nat_gateway": str(any("NatGatewayId" in r for r in routes)).lower(),
        "vpc_dns": str(vpc["EnableDnsSupport"] and vpc["EnableDnsHostnames"]).lower(),
        "endpoints": ",".join(
            ENDPOINTS[e["ServiceName"]["Fn::Sub"].removeprefix("com.amazonaws.${AWS::Region}.")]
            for e in endpoints
        ),
        "endpoint_private_dns": str(all(
            e.get("PrivateDnsEnabled", False) for e in endpoints
            if e["VpcEndpointType"] == "Interface"
        )).lower(),
        "registry": "ecr",
        "log_driver": advisor["LogConfiguration"]["LogDriver"],
        "secrets": ",".join(sorted({
            "secretsmanager" for s in advisor.get("Secrets", [])
            if secrets[ref(s["ValueFrom"])]["Type"] == "AWS::SecretsManager::Secret"
        })),
        "efs": str(any("EFSVolumeConfiguration" in v for v in task.get("Volumes", []))).lower(),
        "ecs_exec": str(service().get("EnableExecuteCommand", False)).lower(),
        "load_balancer": {"application": "alb", "network": "nlb"}[balancer["Type"]],
        "target_type": target_group["TargetType"],
        "subnet_count": str(len(subnets)),
        "security_group_count": str(len(network["SecurityGroups"])),
    }


def test_the_template_passes_cfn_lint() -> None:
    cfn_lint = shutil.which("cfn-lint", path=str(Path(sys.executable).parent)) or shutil.which(
        "cfn-lint"
    )
    if cfn_lint is None:
        pytest.skip("cfn-lint is not installed (pip install cfn-lint, in the test extra)")
    linted = subprocess.run([cfn_lint, str(TEMPLATE)], capture_output=True, text=True,
                            timeout=300)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_advisor_finds_nothing_to_fix_in_the_templates_network() -> None:
    result = evaluate(parse_query(template_answers()))
    assert result.verdict.status is VerdictStatus.OK
    assert (result.verdict.blockers, result.verdict.warnings) == (0, 0)
    assert result.permalink == README_PERMALINK


def test_the_readme_shows_that_result() -> None:
    readme = (REPO / "README.md").read_text()
    assert README_PERMALINK in readme
    answers = parse_query(README_PERMALINK.split("?", 1)[1])
    assert permalink(answers) == README_PERMALINK


def test_the_execution_role_holds_exactly_what_the_advisor_says_it_needs() -> None:
    result = evaluate(parse_query(template_answers()))
    needs = {role.role: role for role in result.roles}
    (role,) = resources("AWS::IAM::Role").values()
    (policy,) = role["Policies"]
    granted = [
        action
        for statement in policy["PolicyDocument"]["Statement"]
        for action in ([statement["Action"]] if isinstance(statement["Action"], str)
                       else statement["Action"])
    ]
    assert sorted(granted) == sorted(needs[Role.TASK_EXECUTION].permissions)
    assert "ManagedPolicyArns" not in role  # the managed policy grants them on every resource
    # The advisor's code makes no AWS calls: no task role, as the advisor says.
    assert needs[Role.TASK].required is False
    assert "TaskRoleArn" not in task_definition()


# --- The CDN ----------------------------------------------------------------------------------


def only(kind: str) -> dict[str, Any]:
    (properties,) = resources(kind).values()
    return properties


def test_the_cdn_caches_for_exactly_as_long_as_the_app_says() -> None:
    config = only("AWS::CloudFront::CachePolicy")["CachePolicyConfig"]
    assert (config["MinTTL"], config["DefaultTTL"]) == (0, 0)  # no Cache-Control: not kept
    assert config["MaxTTL"] >= 365 * 24 * 60 * 60  # hashed static files, a year


def test_the_cdn_keys_pages_on_the_query_and_on_what_the_app_varies_on() -> None:
    keyed = only("AWS::CloudFront::CachePolicy")["CachePolicyConfig"][
        "ParametersInCacheKeyAndForwardedToOrigin"]
    assert keyed["QueryStringsConfig"] == {"QueryStringBehavior": "all"}  # the answers
    assert keyed["CookiesConfig"] == {"CookieBehavior": "none"}  # the app sets none
    # CloudFront keys Accept-Encoding through these two switches, not as a header.
    assert keyed["EnableAcceptEncodingGzip"] and keyed["EnableAcceptEncodingBrotli"]
    headers = keyed["HeadersConfig"]
    assert headers["HeaderBehavior"] == "whitelist"
    assert {*headers["Headers"], "Accept-Encoding"} == set(VARY)


def test_the_cdn_passes_the_host_and_htmx_headers_to_the_app() -> None:
    forwarded = only("AWS::CloudFront::OriginRequestPolicy")["OriginRequestPolicyConfig"]
    assert forwarded["HeadersConfig"] == {"HeaderBehavior": "allViewer"}


def test_the_cdn_serves_the_domain_from_the_load_balancer_over_https() -> None:
    config = only("AWS::CloudFront::Distribution")["DistributionConfig"]
    assert config["Aliases"] == [{"Ref": "DomainName"}]
    (origin,) = config["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": ["LoadBalancer", "DNSName"]}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["CachedMethods"] == ["GET", "HEAD"]
    assert "POST" in behaviour["AllowedMethods"]  # the API and the import
