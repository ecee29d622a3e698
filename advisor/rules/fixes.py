"""Copyable fixes: AWS CLI, CloudFormation and Terraform for each kind of remedy.

Each function returns the commands for one remedy, in the order aws-cli, cloudformation,
terraform. They are pure functions of hashable arguments, so each text is built once per
process (`functools.cache`): evaluate() runs on every request. Placeholders look like
placeholders (`<vpc-id>`, `<region>`) so nobody mistakes them for values the advisor knows;
the advisor never sees an account.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache

from .answers import Endpoint
from .knowledge import ENDPOINTS, EXECUTION_ROLE_MANAGED_POLICY
from .result import Command, CommandKind

CLI, CFN, TF = CommandKind.AWS_CLI, CommandKind.CLOUDFORMATION, CommandKind.TERRAFORM

_NETWORK_CONFIGURATION = (
    '"awsvpcConfiguration={{subnets=[<subnet-id-1>,<subnet-id-2>],'
    'securityGroups=[<security-group-id>],assignPublicIp={assign}}}"'
)


def _commands(cli: str, cfn: str, tf: str) -> tuple[Command, ...]:
    return (Command(CLI, cli.strip()), Command(CFN, cfn.strip()), Command(TF, tf.strip()))


def labelled(label: str, commands: tuple[Command, ...]) -> tuple[Command, ...]:
    """The same commands, each opening with a comment line that says what they are.

    All three kinds comment with `#`, so the label travels with the text into every export.
    """
    return tuple(Command(c.kind, f"# {label}\n{c.text}") for c in commands)


def alternatives(*options: tuple[str, tuple[Command, ...]]) -> tuple[Command, ...]:
    """Several ways to the same end, each labelled as an option, later ones as instead of the
    first: "# Option 1: …", "# Option 2 (instead of option 1): …"."""
    out: list[Command] = []
    for number, (label, commands) in enumerate(options, start=1):
        lead = f"Option {number}" + (" (instead of option 1)" if number > 1 else "")
        out += labelled(f"{lead}: {label}", commands)
    return tuple(out)


@cache
def security_group_ingress(name: str, group: str, port: int | str, source_group: str,
                           description: str) -> tuple[Command, ...]:
    """One inbound TCP rule on `group` from `source_group`. `name` is the CloudFormation logical
    id (CamelCase); the group arguments are placeholder names such as
    `endpoint-security-group-id`."""
    tf_name = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return _commands(
        f"aws ec2 authorize-security-group-ingress --group-id <{group}> \\\n"
        f"  --protocol tcp --port {port} --source-group <{source_group}>",
        f"""
{name}:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: <{group}>
    IpProtocol: tcp
    FromPort: {port}
    ToPort: {port}
    SourceSecurityGroupId: <{source_group}>
    Description: {description}
""",
        f"""
resource "aws_vpc_security_group_ingress_rule" "{tf_name}" {{
  security_group_id            = "<{group}>"
  ip_protocol                  = "tcp"
  from_port                    = {port}
  to_port                      = {port}
  referenced_security_group_id = "<{source_group}>"
  description                  = "{description}"
}}
""",
    )


def _resource_name(endpoint: Endpoint) -> str:
    return "".join(part.title() for part in endpoint.value.split("_")) + "Endpoint"


@cache
def create_endpoints(endpoints: tuple[Endpoint, ...]) -> tuple[Command, ...]:
    """Interface endpoints with private DNS in the task subnets; the S3 gateway endpoint on
    the task subnets' route tables."""
    cli, cfn, tf = [], [], []
    for endpoint in endpoints:
        fact = ENDPOINTS[endpoint]
        service = fact.service_name
        if fact.type == "gateway":
            cli.append(
                "aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Gateway \\\n"
                f"  --service-name {service} \\\n"
                "  --route-table-ids <task-subnets-route-table-id>"
            )
            cfn.append(
                f"{_resource_name(endpoint)}:\n"
                "  Type: AWS::EC2::VPCEndpoint\n"
                "  Properties:\n"
                "    VpcId: <vpc-id>\n"
                f"    ServiceName: !Sub com.amazonaws.${{AWS::Region}}.{service.split('.', 3)[3]}\n"
                "    VpcEndpointType: Gateway\n"
                "    RouteTableIds: [<task-subnets-route-table-id>]"
            )
            tf.append(
                f'resource "aws_vpc_endpoint" "{endpoint.value}" {{\n'
                '  vpc_id            = "<vpc-id>"\n'
                f'  service_name      = "{service}"\n'
                '  vpc_endpoint_type = "Gateway"\n'
                '  route_table_ids   = ["<task-subnets-route-table-id>"]\n'
                "}"
            )
            continue
        cli.append(
            "aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Interface \\\n"
            f"  --service-name {service} \\\n"
            "  --subnet-ids <subnet-id-1> <subnet-id-2> \\\n"
            "  --security-group-ids <endpoint-security-group-id> \\\n"
            "  --private-dns-enabled"
        )
        cfn.append(
            f"{_resource_name(endpoint)}:\n"
            "  Type: AWS::EC2::VPCEndpoint\n"
            "  Properties:\n"
            "    VpcId: <vpc-id>\n"
            f"    ServiceName: !Sub com.amazonaws.${{AWS::Region}}.{service.split('.', 3)[3]}\n"
            "    VpcEndpointType: Interface\n"
            "    PrivateDnsEnabled: true\n"
            "    SubnetIds: [<subnet-id-1>, <subnet-id-2>]\n"
            "    SecurityGroupIds: [<endpoint-security-group-id>]"
        )
        tf.append(
            f'resource "aws_vpc_endpoint" "{endpoint.value}" {{\n'
            '  vpc_id              = "<vpc-id>"\n'
            f'  service_name        = "{service}"\n'
            '  vpc_endpoint_type   = "Interface"\n'
            "  private_dns_enabled = true\n"
            '  subnet_ids          = ["<subnet-id-1>", "<subnet-id-2>"]\n'
            '  security_group_ids  = ["<endpoint-security-group-id>"]\n'
            "}"
        )
    if any(ENDPOINTS[e].type == "interface" for e in endpoints):
        rule = {c.kind: c.text for c in endpoint_ingress()}
        cli.append("# The endpoints' security group must accept HTTPS from the tasks:\n"
                   + rule[CLI])
        cfn.append(rule[CFN])
        tf.append(rule[TF])
    return _commands("\n\n".join(cli), "Resources:\n" + _indent("\n".join(cfn)), "\n\n".join(tf))


def endpoint_ingress() -> tuple[Command, ...]:
    """HTTPS from the task security group to the interface endpoints' security group."""
    return security_group_ingress("EndpointsHttpsFromTasks", "endpoint-security-group-id", 443,
                                  "task-security-group-id",
                                  "HTTPS from the tasks to the VPC endpoints")


def _indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line if line else line for line in text.splitlines())


@cache
def nat_gateway() -> tuple[Command, ...]:
    return _commands(
        """
aws ec2 allocate-address --domain vpc
aws ec2 create-nat-gateway --subnet-id <public-subnet-id> --allocation-id <eipalloc-id>
aws ec2 create-route --route-table-id <task-subnets-route-table-id> \\
  --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-gateway-id>
""",
        """
Resources:
  NatEip:
    Type: AWS::EC2::EIP
    Properties:
      Domain: vpc
  NatGateway:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: <public-subnet-id>
      AllocationId: !GetAtt NatEip.AllocationId
  PrivateDefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: <task-subnets-route-table-id>
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref NatGateway
""",
        """
resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "this" {
  subnet_id     = "<public-subnet-id>"
  allocation_id = aws_eip.nat.id
}

resource "aws_route" "private_default" {
  route_table_id         = "<task-subnets-route-table-id>"
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this.id
}
""",
    )


@cache
def assign_public_ip(enabled: bool) -> tuple[Command, ...]:
    assign = "ENABLED" if enabled else "DISABLED"
    return _commands(
        "aws ecs update-service --cluster <cluster> --service <service> \\\n"
        f"  --network-configuration {_NETWORK_CONFIGURATION.format(assign=assign)} \\\n"
        "  --force-new-deployment",
        f"""
# Your service, with this property set (keep its other properties)
Service:
  Type: AWS::ECS::Service
  Properties:
    NetworkConfiguration:
      AwsvpcConfiguration:
        AssignPublicIp: {assign}
        Subnets: [<subnet-id-1>, <subnet-id-2>]
        SecurityGroups: [<security-group-id>]
""",
        f"""
resource "aws_ecs_service" "this" {{
  # ...
  network_configuration {{
    subnets          = ["<subnet-id-1>", "<subnet-id-2>"]
    security_groups  = ["<security-group-id>"]
    assign_public_ip = {"true" if enabled else "false"}
  }}
}}
""",
    )


@cache
def platform_version(version: str) -> tuple[Command, ...]:
    return _commands(
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
def vpc_dns() -> tuple[Command, ...]:
    return _commands(
        """
aws ec2 modify-vpc-attribute --vpc-id <vpc-id> --enable-dns-support '{"Value":true}'
aws ec2 modify-vpc-attribute --vpc-id <vpc-id> --enable-dns-hostnames '{"Value":true}'
""",
        """
# Your VPC, with both DNS attributes on
Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: <vpc-cidr>
    EnableDnsSupport: true
    EnableDnsHostnames: true
""",
        """
resource "aws_vpc" "this" {
  cidr_block           = "<vpc-cidr>"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
""",
    )


@cache
def endpoint_private_dns() -> tuple[Command, ...]:
    return _commands(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce-id> --private-dns-enabled",
        """
# Each of your interface endpoints, with PrivateDnsEnabled: true
Endpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: <vpc-id>
    ServiceName: !Sub com.amazonaws.${AWS::Region}.<service>
    VpcEndpointType: Interface
    PrivateDnsEnabled: true
    SubnetIds: [<subnet-id-1>, <subnet-id-2>]
    SecurityGroupIds: [<endpoint-security-group-id>]
""",
        """
resource "aws_vpc_endpoint" "this" {
  # ... (each of your interface endpoints)
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
""",
    )


def policy_document(actions: Sequence[str]) -> dict[str, object]:
    """An identity policy allowing exactly `actions`; resources are the reader's to narrow."""
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}],
    }


def trust_policy(principal: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": principal},
                "Action": "sts:AssumeRole",
            }
        ],
    }


@cache
def role_policy(role_placeholder: str, policy_name: str, actions: tuple[str, ...],
                managed_policy: str | None = None) -> tuple[Command, ...]:
    """Attach the managed policy (if any) and put an inline policy with the other actions."""
    document = json.dumps(policy_document(actions), separators=(",", ":"))
    pretty = json.dumps(policy_document(actions), indent=2)
    cli = []
    if managed_policy:
        cli.append(
            f"aws iam attach-role-policy --role-name {role_placeholder} \\\n"
            f"  --policy-arn {managed_policy}"
        )
    cli.append(
        f"aws iam put-role-policy --role-name {role_placeholder} --policy-name {policy_name} \\\n"
        f"  --policy-document '{document}'"
    )
    statement_lines = "\n".join(
        f"                - {action}" for action in actions
    )
    managed_cfn = f"    ManagedPolicyArns:\n      - {managed_policy}\n" if managed_policy else ""
    cfn = (
        "Role:\n"
        "  Type: AWS::IAM::Role\n"
        "  Properties:\n"
        "    AssumeRolePolicyDocument:\n"
        "      Version: '2012-10-17'\n"
        "      Statement:\n"
        "        - Effect: Allow\n"
        "          Principal: {Service: ecs-tasks.amazonaws.com}\n"
        "          Action: sts:AssumeRole\n"
        + managed_cfn
        + "    Policies:\n"
        f"      - PolicyName: {policy_name}\n"
        "        PolicyDocument:\n"
        "          Version: '2012-10-17'\n"
        "          Statement:\n"
        "            - Effect: Allow\n"
        "              Resource: '*'\n"
        "              Action:\n"
        f"{statement_lines}"
    )
    managed_tf = (
        f'\n\nresource "aws_iam_role_policy_attachment" "{policy_name}" {{\n'
        f'  role       = "{role_placeholder}"\n'
        f'  policy_arn = "{managed_policy}"\n'
        "}"
        if managed_policy
        else ""
    )
    tf = (
        f'resource "aws_iam_role_policy" "{policy_name}" {{\n'
        f'  name   = "{policy_name}"\n'
        f'  role   = "{role_placeholder}"\n'
        f"  policy = jsonencode({_hcl(pretty)})\n"
        "}" + managed_tf
    )
    return _commands("\n".join(cli), cfn, tf)


def _hcl(pretty_json: str) -> str:
    """JSON is valid HCL for jsonencode() once keys are written as `key = value`."""
    lines = []
    for line in pretty_json.splitlines():
        stripped = line.lstrip()
        if stripped.startswith('"') and '": ' in stripped:
            key, value = stripped.split('": ', 1)
            line = line[: len(line) - len(stripped)] + key.strip('"') + " = " + value
        lines.append("  " + line if lines else line)
    return "\n".join(lines)


@cache
def execution_role(actions: tuple[str, ...]) -> tuple[Command, ...]:
    extra = tuple(a for a in actions if a not in _MANAGED_EXECUTION_ACTIONS)
    if not extra:
        return _commands(
            "aws iam attach-role-policy --role-name <execution-role-name> \\\n"
            f"  --policy-arn {EXECUTION_ROLE_MANAGED_POLICY}",
            "ExecutionRole:\n"
            "  Type: AWS::IAM::Role\n"
            "  Properties:\n"
            "    AssumeRolePolicyDocument:\n"
            "      Version: '2012-10-17'\n"
            "      Statement:\n"
            "        - Effect: Allow\n"
            "          Principal: {Service: ecs-tasks.amazonaws.com}\n"
            "          Action: sts:AssumeRole\n"
            "    ManagedPolicyArns:\n"
            f"      - {EXECUTION_ROLE_MANAGED_POLICY}",
            'resource "aws_iam_role_policy_attachment" "execution" {\n'
            '  role       = "<execution-role-name>"\n'
            f'  policy_arn = "{EXECUTION_ROLE_MANAGED_POLICY}"\n'
            "}",
        )
    return role_policy(
        "<execution-role-name>", "fargate-execution-extras", extra, EXECUTION_ROLE_MANAGED_POLICY
    )


_MANAGED_EXECUTION_ACTIONS = frozenset(
    {
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
)


@cache
def service_linked_role() -> tuple[Command, ...]:
    return _commands(
        "aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com",
        """
EcsServiceLinkedRole:
  Type: AWS::IAM::ServiceLinkedRole
  Properties:
    AWSServiceName: ecs.amazonaws.com
""",
        """
resource "aws_iam_service_linked_role" "ecs" {
  aws_service_name = "ecs.amazonaws.com"
}
""",
    )


@cache
def target_group_ip(protocol: str, port: str) -> tuple[Command, ...]:
    """A target group of type ip; `protocol` and `port` must suit its load balancer
    (knowledge.TARGET_GROUP_PROTOCOLS)."""
    return _commands(
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
    alb = _commands(
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
def dualstack_account_setting() -> tuple[Command, ...]:
    return _commands(
        "aws ecs put-account-setting-default --name dualStackIPv6 --value enabled \\\n"
        "  --region <region>",
        """
# CloudFormation has no resource for ECS account settings: run the AWS CLI command once per
# Region, or use a custom resource that calls ecs:PutAccountSettingDefault.
""",
        """
resource "aws_ecs_account_setting_default" "dualstack" {
  name  = "dualStackIPv6"
  value = "enabled"
}
""",
    )


@cache
def ipv6_autoassign() -> tuple[Command, ...]:
    return _commands(
        "aws ec2 modify-subnet-attribute --subnet-id <subnet-id> \\\n"
        "  --assign-ipv6-address-on-creation",
        """
# Your task subnet, dual-stack, auto-assigning IPv6 addresses
Subnet:
  Type: AWS::EC2::Subnet
  Properties:
    VpcId: <vpc-id>
    CidrBlock: <subnet-ipv4-cidr>
    Ipv6CidrBlock: <subnet-ipv6-cidr>
    AssignIpv6AddressOnCreation: true
""",
        """
resource "aws_subnet" "this" {
  # ...
  ipv6_cidr_block                 = "<subnet-ipv6-cidr>"
  assign_ipv6_address_on_creation = true
}
""",
    )


@cache
def egress_only_igw() -> tuple[Command, ...]:
    return _commands(
        "aws ec2 create-egress-only-internet-gateway --vpc-id <vpc-id>\n"
        "aws ec2 create-route --route-table-id <task-subnets-route-table-id> \\\n"
        "  --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id <eigw-id>",
        """
EgressOnlyIgw:
  Type: AWS::EC2::EgressOnlyInternetGateway
  Properties:
    VpcId: <vpc-id>
Ipv6DefaultRoute:
  Type: AWS::EC2::Route
  Properties:
    RouteTableId: <task-subnets-route-table-id>
    DestinationIpv6CidrBlock: ::/0
    EgressOnlyInternetGatewayId: !Ref EgressOnlyIgw
""",
        """
resource "aws_egress_only_internet_gateway" "this" {
  vpc_id = "<vpc-id>"
}

resource "aws_route" "ipv6_default" {
  route_table_id              = "<task-subnets-route-table-id>"
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.this.id
}
""",
    )


@cache
def ecs_exec() -> tuple[Command, ...]:
    return _commands(
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
    return _commands(
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
    return _commands(
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
