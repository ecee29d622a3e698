"""Fixes to ECS, load balancers and ECR: platform version, target groups, ECS Exec,
replication, pull-through cache."""

from __future__ import annotations

from functools import cache

from ..result import Command
from .common import (
    CFN,
    CLI,
    TF,
    three_ways,
)


@cache
def platform_version(version: str) -> tuple[Command, ...]:
    return three_ways(
        "aws ecs update-service --cluster <cluster> --service <service> \\\n"
        f"  --platform-version {version} --force-new-deployment",
        f"""
# Your service, with these properties set (keep its other properties)
Service:
  Type: AWS::ECS::Service
  Properties:
    LaunchType: FARGATE
    PlatformVersion: {version}
""",
        f"""
resource "aws_ecs_service" "this" {{
  # ...
  launch_type      = "FARGATE"
  platform_version = "{version}"
}}
""",
    )


@cache
def target_group_ip(protocol: str, port: str) -> tuple[Command, ...]:
    """A target group of type ip; `protocol` and `port` must suit its load balancer
    (knowledge.TARGET_GROUP_PROTOCOLS)."""
    return three_ways(
        "aws elbv2 create-target-group --name <target-group-name> --target-type ip \\\n"
        f"  --protocol {protocol} --port {port} --vpc-id <vpc-id>\n"
        "# then point the listener and the service's loadBalancers at the new target group",
        f"""
TargetGroup:
  Type: AWS::ElasticLoadBalancingV2::TargetGroup
  Properties:
    TargetType: ip
    Protocol: {protocol}
    Port: {port}
    VpcId: <vpc-id>
""",
        f"""
resource "aws_lb_target_group" "this" {{
  name        = "<target-group-name>"
  target_type = "ip"
  protocol    = "{protocol}"
  port        = {port}
  vpc_id      = "<vpc-id>"
}}
""",
    )


@cache
def application_load_balancer() -> tuple[Command, ...]:
    """A new ALB, then the ip target group of target_group_ip()."""
    alb = three_ways(
        "aws elbv2 create-load-balancer --name <name> --type application \\\n"
        "  --subnets <public-subnet-id-1> <public-subnet-id-2> \\\n"
        "  --security-groups <alb-security-group-id>",
        """
LoadBalancer:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Type: application
    Subnets: [<public-subnet-id-1>, <public-subnet-id-2>]
    SecurityGroups: [<alb-security-group-id>]
""",
        """
resource "aws_lb" "this" {
  name               = "<name>"
  load_balancer_type = "application"
  subnets            = ["<public-subnet-id-1>", "<public-subnet-id-2>"]
  security_groups    = ["<alb-security-group-id>"]
}
""",
    )
    separators = {CLI: "\n", CFN: "\n", TF: "\n\n"}
    return tuple(
        Command(a.kind, a.text + separators[a.kind] + b.text)
        for a, b in zip(alb, target_group_ip("HTTP", "<container-port>"), strict=True)
    )


@cache
def ecs_exec() -> tuple[Command, ...]:
    return three_ways(
        "aws ecs update-service --cluster <cluster> --service <service> \\\n"
        "  --enable-execute-command --force-new-deployment",
        """
# Your service, with this property set (keep its other properties)
Service:
  Type: AWS::ECS::Service
  Properties:
    EnableExecuteCommand: true
""",
        """
resource "aws_ecs_service" "this" {
  # ...
  enable_execute_command = true
}
""",
    )


_REPLICATION_NOTE = (
    "# This sets the registry's whole replication configuration: an existing one is replaced.\n"
    "# Read it first ({read}) and keep its rules beside this one.\n"
    "# Only images pushed after this are replicated: push the tags you run again"
)


@cache
def ecr_replication() -> tuple[Command, ...]:
    config = '{"rules":[{"destinations":[{"region":"<task-region>","registryId":"<account-id>"}]}]}'
    return three_ways(
        _REPLICATION_NOTE.format(read="aws ecr describe-registry") + ",\n"
        "# or copy the existing ones with a replication backfill (second command).\n"
        "aws ecr put-replication-configuration --region <image-region> \\\n"
        f"  --replication-configuration '{config}'\n"
        "aws ecr start-replication-backfill --region <image-region> \\\n"
        "  --destination region=<task-region>,registryId=<account-id>",
        _REPLICATION_NOTE.format(read="aws ecr describe-registry") + ",\n"
        "# or start a replication backfill (aws ecr start-replication-backfill).\n"
        """ReplicationConfiguration:
  Type: AWS::ECR::ReplicationConfiguration
  Properties:
    ReplicationConfiguration:
      Rules:
        - Destinations:
            - Region: <task-region>
              RegistryId: <account-id>
""",
        _REPLICATION_NOTE.format(read="terraform import, or aws ecr describe-registry") + ",\n"
        "# or start a replication backfill (aws ecr start-replication-backfill).\n"
        """resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "<task-region>"
        registry_id = "<account-id>"
      }
    }
  }
}
""",
    )


@cache
def pull_through_cache(prefix: str, upstream: str, credentials: bool) -> tuple[Command, ...]:
    cli_credential = (
        " \\\n  --credential-arn <ecr-pullthroughcache-secret-arn>" if credentials else ""
    )
    cfn_credential = (
        "\n    CredentialArn: <ecr-pullthroughcache-secret-arn>" if credentials else ""
    )
    tf_credential = (
        '\n  credential_arn        = "<ecr-pullthroughcache-secret-arn>"' if credentials else ""
    )
    return three_ways(
        f"aws ecr create-pull-through-cache-rule --ecr-repository-prefix {prefix} \\\n"
        f"  --upstream-registry-url {upstream}{cli_credential}\n"
        "# then use the image as\n"
        f"# <account-id>.dkr.ecr.<region>.amazonaws.com/{prefix}/<repository>:<tag>",
        f"""
PullThroughCacheRule:
  Type: AWS::ECR::PullThroughCacheRule
  Properties:
    EcrRepositoryPrefix: {prefix}
    UpstreamRegistryUrl: {upstream}{cfn_credential}
""",
        f"""
resource "aws_ecr_pull_through_cache_rule" "this" {{
  ecr_repository_prefix = "{prefix}"
  upstream_registry_url = "{upstream}"{tf_credential}
}}
""",
    )
