"""Fixes to the network: endpoints, NAT and internet gateways, public IPs, DNS, IPv6."""

from __future__ import annotations

import re
from functools import cache

from ..answers import Endpoint
from ..knowledge import ENDPOINTS
from ..result import Command
from .common import (
    CFN,
    CLI,
    NETWORK_CONFIGURATION,
    TF,
    indent,
    three_ways,
)


@cache
def security_group_ingress(name: str, group: str, port: int | str, source_group: str,
                           description: str) -> tuple[Command, ...]:
    """One inbound TCP rule on `group` from `source_group`. `name` is the CloudFormation logical
    id (CamelCase); the group arguments are placeholder names such as
    `endpoint-security-group-id`."""
    tf_name = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return three_ways(
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


def _gateway_endpoint(endpoint: Endpoint) -> tuple[str, str, str]:
    """One gateway endpoint (S3) on the task subnets' route tables: CLI, CFN, TF."""
    service = ENDPOINTS[endpoint].service_name
    return (
        "aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Gateway \\\n"
        f"  --service-name {service} \\\n"
        "  --route-table-ids <task-subnets-route-table-id>",
        f"{_resource_name(endpoint)}:\n"
        "  Type: AWS::EC2::VPCEndpoint\n"
        "  Properties:\n"
        "    VpcId: <vpc-id>\n"
        f"    ServiceName: !Sub com.amazonaws.${{AWS::Region}}.{service.split('.', 3)[3]}\n"
        "    VpcEndpointType: Gateway\n"
        "    RouteTableIds: [<task-subnets-route-table-id>]",
        f'resource "aws_vpc_endpoint" "{endpoint.value}" {{\n'
        '  vpc_id            = "<vpc-id>"\n'
        f'  service_name      = "{service}"\n'
        '  vpc_endpoint_type = "Gateway"\n'
        '  route_table_ids   = ["<task-subnets-route-table-id>"]\n'
        "}",
    )


def _interface_endpoint(endpoint: Endpoint) -> tuple[str, str, str]:
    """One interface endpoint with private DNS in the task subnets: CLI, CFN, TF."""
    service = ENDPOINTS[endpoint].service_name
    return (
        "aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Interface \\\n"
        f"  --service-name {service} \\\n"
        "  --subnet-ids <subnet-id-1> <subnet-id-2> \\\n"
        "  --security-group-ids <endpoint-security-group-id> \\\n"
        "  --private-dns-enabled",
        f"{_resource_name(endpoint)}:\n"
        "  Type: AWS::EC2::VPCEndpoint\n"
        "  Properties:\n"
        "    VpcId: <vpc-id>\n"
        f"    ServiceName: !Sub com.amazonaws.${{AWS::Region}}.{service.split('.', 3)[3]}\n"
        "    VpcEndpointType: Interface\n"
        "    PrivateDnsEnabled: true\n"
        "    SubnetIds: [<subnet-id-1>, <subnet-id-2>]\n"
        "    SecurityGroupIds: [<endpoint-security-group-id>]",
        f'resource "aws_vpc_endpoint" "{endpoint.value}" {{\n'
        '  vpc_id              = "<vpc-id>"\n'
        f'  service_name        = "{service}"\n'
        '  vpc_endpoint_type   = "Interface"\n'
        "  private_dns_enabled = true\n"
        '  subnet_ids          = ["<subnet-id-1>", "<subnet-id-2>"]\n'
        '  security_group_ids  = ["<endpoint-security-group-id>"]\n'
        "}",
    )


@cache
def create_endpoints(endpoints: tuple[Endpoint, ...]) -> tuple[Command, ...]:
    """Interface endpoints with private DNS in the task subnets; the S3 gateway endpoint on
    the task subnets' route tables."""
    cli, cfn, tf = [], [], []
    for endpoint in endpoints:
        gateway = ENDPOINTS[endpoint].type == "gateway"
        one = _gateway_endpoint(endpoint) if gateway else _interface_endpoint(endpoint)
        cli.append(one[0])
        cfn.append(one[1])
        tf.append(one[2])
    if any(ENDPOINTS[e].type == "interface" for e in endpoints):
        rule = {c.kind: c.text for c in endpoint_ingress()}
        cli.append("# The endpoints' security group must accept HTTPS from the tasks:\n"
                   + rule[CLI])
        cfn.append(rule[CFN])
        tf.append(rule[TF])
    return three_ways("\n\n".join(cli), "Resources:\n" + indent("\n".join(cfn)), "\n\n".join(tf))


def endpoint_ingress() -> tuple[Command, ...]:
    """HTTPS from the task security group to the interface endpoints' security group."""
    return security_group_ingress("EndpointsHttpsFromTasks", "endpoint-security-group-id", 443,
                                  "task-security-group-id",
                                  "HTTPS from the tasks to the VPC endpoints")


@cache
def nat_gateway() -> tuple[Command, ...]:
    return three_ways(
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
    return three_ways(
        "aws ecs update-service --cluster <cluster> --service <service> \\\n"
        f"  --network-configuration {NETWORK_CONFIGURATION.format(assign=assign)} \\\n"
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
def vpc_dns() -> tuple[Command, ...]:
    return three_ways(
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
    return three_ways(
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


@cache
def dualstack_account_setting() -> tuple[Command, ...]:
    return three_ways(
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
    return three_ways(
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
    return three_ways(
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
