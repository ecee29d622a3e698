"""Fixes for EFS options, ECS Exec options and the load balancer's way into the task."""

from __future__ import annotations

import re
from functools import cache

from ..result import Command
from .common import (
    three_ways,
)


@cache
def efs_mount_target() -> tuple[Command, ...]:
    """A mount target in the Availability Zone that lacks one, with the group that admits NFS
    from the tasks (SOURCES: efs_create_mount_target)."""
    return three_ways(
        "# One subnet in each Availability Zone the tasks use that has no mount target yet\n"
        "aws efs create-mount-target --file-system-id <efs-file-system-id> \\\n"
        "  --subnet-id <missing-az-subnet-id> \\\n"
        "  --security-groups <efs-mount-target-security-group-id>",
        """
# One per Availability Zone the tasks use
MountTarget:
  Type: AWS::EFS::MountTarget
  Properties:
    FileSystemId: <efs-file-system-id>
    SubnetId: <missing-az-subnet-id>
    SecurityGroups: [<efs-mount-target-security-group-id>]
""",
        """
# One per Availability Zone the tasks use
resource "aws_efs_mount_target" "missing_az" {
  file_system_id  = "<efs-file-system-id>"
  subnet_id       = "<missing-az-subnet-id>"
  security_groups = ["<efs-mount-target-security-group-id>"]
}
""",
    )


@cache
def efs_transit_encryption(iam: bool, access_point: bool) -> tuple[Command, ...]:
    """The task definition's EFS volume with transitEncryption ENABLED, keeping the IAM
    authorization and access point it uses (SOURCES: efs_authorization_config)."""
    auth_json = ", ".join(
        ([] if not iam else ['"iam": "ENABLED"'])
        + ([] if not access_point else ['"accessPointId": "<efs-access-point-id>"']))
    auth_cfn = "".join(
        ("            IAM: ENABLED\n" if iam else "")
        + ("            AccessPointId: <efs-access-point-id>\n" if access_point else ""))
    auth_tf = "".join(
        ('      iam             = "ENABLED"\n' if iam else "")
        + ('      access_point_id = "<efs-access-point-id>"\n' if access_point else ""))
    return three_ways(
        "# In task-definition.json, the volume's efsVolumeConfiguration:\n"
        '#   {"fileSystemId": "<efs-file-system-id>", "transitEncryption": "ENABLED",\n'
        f'#    "authorizationConfig": {{{auth_json}}}}}\n'
        "aws ecs register-task-definition --cli-input-json file://task-definition.json\n"
        "aws ecs update-service --cluster <cluster> --service <service> \\\n"
        "  --task-definition <family> --force-new-deployment",
        f"""
# Your task definition, with this volume (keep its other properties)
TaskDefinition:
  Type: AWS::ECS::TaskDefinition
  Properties:
    Volumes:
      - Name: <volume-name>
        EFSVolumeConfiguration:
          FilesystemId: <efs-file-system-id>
          TransitEncryption: ENABLED
          AuthorizationConfig:
{auth_cfn.rstrip()}
""",
        f"""
resource "aws_ecs_task_definition" "this" {{
  # ...
  volume {{
    name = "<volume-name>"
    efs_volume_configuration {{
      file_system_id     = "<efs-file-system-id>"
      transit_encryption = "ENABLED"
      authorization_config {{
{auth_tf.rstrip()}
      }}
    }}
  }}
}}
""",
    )


@cache
def security_group_ingress_cidr(name: str, group: str, port: int | str, cidr: str,
                                description: str, protocol: str = "tcp"
                                ) -> tuple[Command, ...]:
    """One inbound TCP rule on `group` from an IPv4 range (a placeholder name such as
    `nlb-subnet-ipv4-cidr`): what a load balancer without security groups needs."""
    tf_name = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return three_ways(
        f"aws ec2 authorize-security-group-ingress --group-id <{group}> \\\n"
        f"  --protocol {protocol} --port {port} --cidr <{cidr}>",
        f"""
{name}:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: <{group}>
    IpProtocol: {protocol}
    FromPort: {port}
    ToPort: {port}
    CidrIp: <{cidr}>
    Description: {description}
""",
        f"""
resource "aws_vpc_security_group_ingress_rule" "{tf_name}" {{
  security_group_id = "<{group}>"
  ip_protocol       = "{protocol}"
  from_port         = {port}
  to_port           = {port}
  cidr_ipv4         = "<{cidr}>"
  description       = "{description}"
}}
""",
    )


@cache
def health_check_grace_period() -> tuple[Command, ...]:
    """Time for a new task to pass its first health checks (SOURCES: ecs_api_update_service)."""
    return three_ways(
        "# Longer than the application takes to start answering health checks\n"
        "aws ecs update-service --cluster <cluster> --service <service> \\\n"
        "  --health-check-grace-period-seconds 120",
        """
# Your service, with this property set (keep its other properties); seconds, longer than
# the application takes to start answering health checks
Service:
  Type: AWS::ECS::Service
  Properties:
    HealthCheckGracePeriodSeconds: 120
""",
        """
resource "aws_ecs_service" "this" {
  # ...
  # seconds, longer than the application takes to start answering health checks
  health_check_grace_period_seconds = 120
}
""",
    )


@cache
def load_balancer_subnets() -> tuple[Command, ...]:
    """The load balancer enabled in every task Availability Zone. SetSubnets replaces the
    subnets: name the ones it has too (SOURCES: elb_set_subnets)."""
    return three_ways(
        "# The list replaces the current one: keep the subnets it has and add one subnet in\n"
        "# each Availability Zone the tasks use\n"
        "aws elbv2 set-subnets --load-balancer-arn <load-balancer-arn> \\\n"
        "  --subnets <lb-subnet-id-1> <lb-subnet-id-2> <lb-subnet-id-3>",
        """
# Your load balancer, with a subnet in each Availability Zone the tasks use (keep its
# other properties)
LoadBalancer:
  Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Properties:
    Subnets: [<lb-subnet-id-1>, <lb-subnet-id-2>, <lb-subnet-id-3>]
""",
        """
resource "aws_lb" "this" {
  # ...
  subnets = ["<lb-subnet-id-1>", "<lb-subnet-id-2>", "<lb-subnet-id-3>"]
}
""",
    )


@cache
def writable_root_filesystem() -> tuple[Command, ...]:
    """readonlyRootFilesystem off for the container ECS Exec opens sessions in
    (SOURCES: ecs_exec)."""
    return three_ways(
        '# In task-definition.json, the container: "readonlyRootFilesystem": false\n'
        "aws ecs register-task-definition --cli-input-json file://task-definition.json\n"
        "aws ecs update-service --cluster <cluster> --service <service> \\\n"
        "  --task-definition <family> --force-new-deployment",
        """
# Your task definition, with this container property (keep its other properties)
TaskDefinition:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ContainerDefinitions:
      - Name: <container-name>
        Image: <image>
        ReadonlyRootFilesystem: false
""",
        """
resource "aws_ecs_task_definition" "this" {
  # ...
  container_definitions = jsonencode([{
    name                   = "<container-name>"
    image                  = "<image>"
    readonlyRootFilesystem = false
    # ...
  }])
}
""",
    )
