"""Fixes to the filters on the way: security group egress, network ACL entries, endpoint
policies and IP address types, the S3 endpoint's route tables, DHCP options, private hosted
zones, an egress firewall's allow-list and subnet capacity."""

from __future__ import annotations

import json
from functools import cache

from ..answers import SecretSource
from ..knowledge import AWSLOGS_ACTIONS, SECRET_ACTIONS
from ..result import Command
from .common import NETWORK_CONFIGURATION, alternatives, indent, three_ways

# Where an outbound rule of the task's security group may send HTTPS or NFS, as the three
# tools name the destination: (CLI IpPermissions key, CloudFormation property, Terraform
# argument, placeholder or CIDR).
_DESTINATIONS: dict[str, tuple[str, str, str, str]] = {
    "anywhere": ("IpRanges=[{CidrIp=0.0.0.0/0}]", "CidrIp", "cidr_ipv4", "0.0.0.0/0"),
    "anywhere-ipv6": ("Ipv6Ranges=[{CidrIpv6=::/0}]", "CidrIpv6", "cidr_ipv6", "::/0"),
    "endpoints": ("UserIdGroupPairs=[{GroupId=<endpoint-security-group-id>}]",
                  "DestinationSecurityGroupId", "referenced_security_group_id",
                  "<endpoint-security-group-id>"),
    "s3-prefix-list": ("PrefixListIds=[{PrefixListId=<s3-prefix-list-id>}]",
                       "DestinationPrefixListId", "prefix_list_id", "<s3-prefix-list-id>"),
    "efs": ("UserIdGroupPairs=[{GroupId=<efs-mount-target-security-group-id>}]",
            "DestinationSecurityGroupId", "referenced_security_group_id",
            "<efs-mount-target-security-group-id>"),
    "dns-servers": ("IpRanges=[{CidrIp=<dns-server-cidr>}]", "CidrIp", "cidr_ipv4",
                    "<dns-server-cidr>"),
}


def _egress_rule(name: str, port: int, destination: str, description: str,
                 protocol: str = "tcp") -> tuple[str, str, str]:
    cli_key, cfn_key, tf_key, value = _DESTINATIONS[destination]
    tf_name = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return (
        "aws ec2 authorize-security-group-egress --group-id <task-security-group-id> \\\n"
        f"  --ip-permissions 'IpProtocol={protocol},FromPort={port},ToPort={port},{cli_key}'",
        f"{name}:\n"
        "  Type: AWS::EC2::SecurityGroupEgress\n"
        "  Properties:\n"
        "    GroupId: <task-security-group-id>\n"
        f"    IpProtocol: {protocol}\n"
        f"    FromPort: {port}\n"
        f"    ToPort: {port}\n"
        f"    {cfn_key}: {value}\n"
        f"    Description: {description}",
        f'resource "aws_vpc_security_group_egress_rule" "{tf_name}" {{\n'
        '  security_group_id = "<task-security-group-id>"\n'
        f'  ip_protocol       = "{protocol}"\n'
        f"  from_port         = {port}\n"
        f"  to_port           = {port}\n"
        f'  {tf_key} = "{value}"\n'
        f'  description       = "{description}"\n'
        "}",
    )


_EGRESS_RULES: dict[str, tuple[str, int, str, str] | tuple[str, int, str, str, str]] = {
    "dns-udp": ("TaskDnsUdpOut", 53, "dns-servers",
                "DNS from the tasks to the DHCP options' DNS servers", "udp"),
    "dns-tcp": ("TaskDnsTcpOut", 53, "dns-servers",
                "DNS over TCP from the tasks to the DHCP options' DNS servers"),
    "https-anywhere": ("TaskHttpsOut", 443, "anywhere", "HTTPS from the tasks to AWS services"),
    "https-anywhere-ipv6": ("TaskHttpsOutIpv6", 443, "anywhere-ipv6",
                            "HTTPS from the tasks to AWS services over IPv6"),
    "https-endpoints": ("TaskHttpsToEndpoints", 443, "endpoints",
                        "HTTPS from the tasks to the VPC endpoints"),
    "https-s3": ("TaskHttpsToS3", 443, "s3-prefix-list",
                 "HTTPS from the tasks to S3 through the gateway endpoint"),
    "nfs-efs": ("TaskNfsToEfs", 2049, "efs", "NFS from the tasks to the EFS mount targets"),
}


@cache
def security_group_egress(rules: tuple[str, ...]) -> tuple[Command, ...]:
    """Outbound rules on the task's security group, by key of `_EGRESS_RULES`."""
    parts = [_egress_rule(*_EGRESS_RULES[key]) for key in rules]
    return three_ways("\n".join(p[0] for p in parts),
                      "Resources:\n" + indent("\n".join(p[1] for p in parts)),
                      "\n\n".join(p[2] for p in parts))


def _acl_entry(name: str, number: int, egress: bool, low: int, high: int, ipv6: bool
               ) -> tuple[str, str, str]:
    cidr = "::/0" if ipv6 else "0.0.0.0/0"
    cli_cidr = "--ipv6-cidr-block" if ipv6 else "--cidr-block"
    cfn_cidr = "Ipv6CidrBlock" if ipv6 else "CidrBlock"
    tf_cidr = "ipv6_cidr_block" if ipv6 else "cidr_block"
    tf_name = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return (
        "aws ec2 create-network-acl-entry --network-acl-id <network-acl-id> "
        f"--rule-number {number} \\\n"
        f"  {'--egress' if egress else '--ingress'} --protocol 6 "
        f"--port-range From={low},To={high} {cli_cidr} {cidr} --rule-action allow",
        f"{name}:\n"
        "  Type: AWS::EC2::NetworkAclEntry\n"
        "  Properties:\n"
        "    NetworkAclId: <network-acl-id>\n"
        f"    RuleNumber: {number}\n"
        "    Protocol: 6\n"
        "    RuleAction: allow\n"
        f"    Egress: {'true' if egress else 'false'}\n"
        f"    {cfn_cidr}: '{cidr}'\n"
        "    PortRange:\n"
        f"      From: {low}\n"
        f"      To: {high}",
        f'resource "aws_network_acl_rule" "{tf_name}" {{\n'
        '  network_acl_id = "<network-acl-id>"\n'
        f"  rule_number    = {number}\n"
        f"  egress         = {'true' if egress else 'false'}\n"
        '  protocol       = "tcp"\n'
        '  rule_action    = "allow"\n'
        f'  {tf_cidr} = "{cidr}"\n'
        f"  from_port      = {low}\n"
        f"  to_port        = {high}\n"
        "}",
    )


@cache
def network_acl_entries(nfs: bool, ipv6: bool) -> tuple[Command, ...]:
    """What a task subnet's custom network ACL needs for the task as a client: HTTPS (and NFS)
    out, the replies back in on the ephemeral ports (SOURCES: vpc_nacls)."""
    entries = [("AclHttpsOut", 100, True, 443, 443)]
    if nfs:
        entries.append(("AclNfsOut", 110, True, 2049, 2049))
    entries.append(("AclRepliesIn", 100, False, 1024, 65535))
    parts = [_acl_entry(*entry, ipv6) for entry in entries]
    return three_ways("\n".join(p[0] for p in parts),
                      "Resources:\n" + indent("\n".join(p[1] for p in parts)),
                      "\n\n".join(p[2] for p in parts))


def endpoint_security_groups() -> tuple[Command, ...]:
    """An interface endpoint given a security group of its own (instead of the VPC default)."""
    return three_ways(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce-id> \\\n"
        "  --add-security-group-ids <endpoint-security-group-id> \\\n"
        "  --remove-security-group-ids <vpc-default-security-group-id>",
        """
# Each of your interface endpoints, with a security group of its own
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
  security_group_ids = ["<endpoint-security-group-id>"]
}
""",
    )


# What a restricted endpoint policy must allow for each flow (SOURCES: ecr_endpoints,
# ecr_repo_policies): ECR's pull actions with GetAuthorizationToken (the ECR example leaves
# it out), the layer bucket for S3, the execution role's actions for the others.
ECR_PULL_ACTIONS = ("ecr:GetAuthorizationToken", "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability")
LAYER_BUCKET_ARN = "arn:aws:s3:::prod-<region>-starport-layer-bucket/*"
# By endpoint (its short service name): CloudFormation name, statement id, actions, resource.
_POLICIES: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "ecr.api": ("EcrApiEndpoint", "PullFromEcr", ECR_PULL_ACTIONS, "*"),
    "ecr.dkr": ("EcrDkrEndpoint", "PullFromEcr", ECR_PULL_ACTIONS, "*"),
    "s3": ("S3Endpoint", "EcrLayers", ("s3:GetObject",), LAYER_BUCKET_ARN),
    "logs": ("LogsEndpoint", "ContainerLogs", AWSLOGS_ACTIONS, "*"),
    "secretsmanager": ("SecretsManagerEndpoint", "TaskSecrets",
                       SECRET_ACTIONS[SecretSource.SECRETSMANAGER], "*"),
    "ssm": ("SsmEndpoint", "TaskParameters", SECRET_ACTIONS[SecretSource.SSM], "*"),
}
POLICY_SERVICES = frozenset(_POLICIES)


def _endpoint_policy(service: str) -> tuple[str, str, str]:
    name, sid, actions, resource = _POLICIES[service]
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": sid, "Effect": "Allow", "Principal": "*", "Action": list(actions),
        "Resource": resource}]}
    compact = json.dumps(policy, separators=(",", ":"))
    yaml_actions = "\n".join(f"            - {action}" for action in actions)
    placeholder = f"<{service.replace('.', '-')}-endpoint-id>"
    return (
        f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {placeholder} \\\n"
        f"  --policy-document '{compact}'",
        f"# Your {service} endpoint, with this policy (keep its other properties)\n"
        f"{name}:\n"
        "  Type: AWS::EC2::VPCEndpoint\n"
        "  Properties:\n"
        "    VpcId: <vpc-id>\n"
        f"    ServiceName: !Sub com.amazonaws.${{AWS::Region}}.{service}\n"
        f"    VpcEndpointType: {'Gateway' if service == 's3' else 'Interface'}\n"
        "    PolicyDocument:\n"
        "      Version: '2012-10-17'\n"
        "      Statement:\n"
        f"        - Sid: {sid}\n"
        "          Effect: Allow\n"
        "          Principal: '*'\n"
        "          Action:\n"
        f"{yaml_actions}\n"
        f"          Resource: '{resource}'",
        f'resource "aws_vpc_endpoint_policy" "{service.replace(".", "_")}" {{\n'
        f'  vpc_endpoint_id = "{placeholder}"\n'
        "  policy          = <<-EOT\n"
        f"{indent(json.dumps(policy, indent=2), '    ')}\n"
        "  EOT\n"
        "}",
    )


@cache
def endpoint_policies(services: tuple[str, ...]) -> tuple[Command, ...]:
    """Restricted policies that allow what the task asks of these endpoints (by short service
    name, those of `POLICY_SERVICES`)."""
    parts = [_endpoint_policy(service) for service in services]
    return three_ways("\n".join(p[0] for p in parts),
                      "Resources:\n" + indent("\n".join(p[1] for p in parts)),
                      "\n\n".join(p[2] for p in parts))


@cache
def s3_endpoint_route_tables() -> tuple[Command, ...]:
    return three_ways(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id <s3-endpoint-id> \\\n"
        "  --add-route-table-ids <task-subnets-route-table-id>",
        """
# Your S3 gateway endpoint, with the task subnets' route tables in RouteTableIds
S3Endpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: <vpc-id>
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    VpcEndpointType: Gateway
    RouteTableIds:
      # ... the route tables it is on now, and:
      - <task-subnets-route-table-id>
""",
        """
resource "aws_vpc_endpoint_route_table_association" "task_subnets" {
  vpc_endpoint_id = "<s3-endpoint-id>"
  route_table_id  = "<task-subnets-route-table-id>"
}
""",
    )


@cache
def amazon_provided_dns() -> tuple[Command, ...]:
    """A DHCP options set whose DNS server is the Route 53 Resolver, on the VPC."""
    return three_ways(
        "aws ec2 create-dhcp-options \\\n"
        "  --dhcp-configurations 'Key=domain-name-servers,Values=AmazonProvidedDNS'\n"
        "aws ec2 associate-dhcp-options --dhcp-options-id <dhcp-options-id> --vpc-id <vpc-id>",
        """
Resources:
  AmazonDns:
    Type: AWS::EC2::DHCPOptions
    Properties:
      DomainNameServers: [AmazonProvidedDNS]
  AmazonDnsOnVpc:
    Type: AWS::EC2::VPCDHCPOptionsAssociation
    Properties:
      DhcpOptionsId: !Ref AmazonDns
      VpcId: <vpc-id>
""",
        """
resource "aws_vpc_dhcp_options" "amazon" {
  domain_name_servers = ["AmazonProvidedDNS"]
}

resource "aws_vpc_dhcp_options_association" "this" {
  vpc_id          = "<vpc-id>"
  dhcp_options_id = aws_vpc_dhcp_options.amazon.id
}
""",
    )


@cache
def hosted_zone_association() -> tuple[Command, ...]:
    """The hub's private hosted zones (one per endpoint service name) on this VPC. Across
    accounts the hub's account authorizes the association first (SOURCES:
    r53_phz_cross_account)."""
    return three_ways(
        "# In the hub's account, when this VPC belongs to another account:\n"
        "aws route53 create-vpc-association-authorization --hosted-zone-id <hosted-zone-id> \\\n"
        "  --vpc VPCRegion=<region>,VPCId=<vpc-id>\n"
        "# In this VPC's account, for each of the hub's zones:\n"
        "aws route53 associate-vpc-with-hosted-zone --hosted-zone-id <hosted-zone-id> \\\n"
        "  --vpc VPCRegion=<region>,VPCId=<vpc-id>",
        """
# The hub's private hosted zone for each endpoint service name, with this VPC added
# (same account; across accounts use the AWS CLI or Terraform)
EcrApiZone:
  Type: AWS::Route53::HostedZone
  Properties:
    Name: !Sub api.ecr.${AWS::Region}.amazonaws.com
    VPCs:
      # ... the hub VPC and the others it is on now, and:
      - VPCId: <vpc-id>
        VPCRegion: !Ref AWS::Region
""",
        """
# In the hub's account, when this VPC belongs to another account:
resource "aws_route53_vpc_association_authorization" "this" {
  zone_id = "<hosted-zone-id>"
  vpc_id  = "<vpc-id>"
}

# In this VPC's account, for each of the hub's zones:
resource "aws_route53_zone_association" "this" {
  zone_id = "<hosted-zone-id>"
  vpc_id  = "<vpc-id>"
}
""",
    )


@cache
def endpoint_dualstack() -> tuple[Command, ...]:
    return three_ways(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce-id> --ip-address-type dualstack",
        """
# Each of your interface endpoints, dual-stack (its subnets need IPv6 ranges)
Endpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: <vpc-id>
    ServiceName: !Sub com.amazonaws.${AWS::Region}.<service>
    VpcEndpointType: Interface
    PrivateDnsEnabled: true
    IpAddressType: dualstack
    SubnetIds: [<subnet-id-1>, <subnet-id-2>]
    SecurityGroupIds: [<endpoint-security-group-id>]
""",
        """
resource "aws_vpc_endpoint" "this" {
  # ... (each of your interface endpoints)
  ip_address_type = "dualstack"
}
""",
    )


@cache
def firewall_allowlist(names: tuple[str, ...]) -> tuple[Command, ...]:
    """An AWS Network Firewall domain-list rule group that allows these names (TLS SNI for
    HTTPS); add it to the firewall policy (SOURCES: nfw_domain_list)."""
    rule_group = json.dumps({"RulesSource": {"RulesSourceList": {
        "Targets": list(names), "TargetTypes": ["TLS_SNI", "HTTP_HOST"],
        "GeneratedRulesType": "ALLOWLIST"}}}, separators=(",", ":"))
    yaml_targets = "\n".join(f"            - {name}" for name in names)
    tf_targets = ",\n".join(f'        "{name}"' for name in names)
    return three_ways(
        "aws network-firewall create-rule-group --rule-group-name ecs-task-egress \\\n"
        "  --type STATEFUL --capacity 100 \\\n"
        f"  --rule-group '{rule_group}'",
        f"""
EcsTaskEgress:
  Type: AWS::NetworkFirewall::RuleGroup
  Properties:
    RuleGroupName: ecs-task-egress
    Type: STATEFUL
    Capacity: 100
    RuleGroup:
      RulesSource:
        RulesSourceList:
          GeneratedRulesType: ALLOWLIST
          TargetTypes: [TLS_SNI, HTTP_HOST]
          Targets:
{yaml_targets}
""",
        f"""
resource "aws_networkfirewall_rule_group" "ecs_task_egress" {{
  name     = "ecs-task-egress"
  type     = "STATEFUL"
  capacity = 100
  rule_group {{
    rules_source {{
      rules_source_list {{
        generated_rules_type = "ALLOWLIST"
        target_types         = ["TLS_SNI", "HTTP_HOST"]
        targets = [
{tf_targets},
        ]
      }}
    }}
  }}
}}
""",
    )


@cache
def more_subnet_addresses() -> tuple[Command, ...]:
    """Room for every task, deployments included: another subnet (a subnet's CIDR cannot
    grow), or fewer extra tasks during a deployment."""
    return alternatives(
        ("add a subnet with free addresses to the service", three_ways(
            "aws ec2 create-subnet --vpc-id <vpc-id> --cidr-block <subnet-ipv4-cidr> \\\n"
            "  --availability-zone <availability-zone>\n"
            "aws ecs update-service --cluster <cluster> --service <service> \\\n"
            f"  --network-configuration {NETWORK_CONFIGURATION.format(assign='DISABLED')}"
            .replace("<subnet-id-2>]", "<subnet-id-2>,<new-subnet-id>]"),
            """
Resources:
  MoreTaskAddresses:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: <vpc-id>
      CidrBlock: <subnet-ipv4-cidr>
      AvailabilityZone: !Select [0, !GetAZs '']
# ... and add !Ref MoreTaskAddresses to your service's AwsvpcConfiguration Subnets
""",
            """
resource "aws_subnet" "more_task_addresses" {
  vpc_id            = "<vpc-id>"
  cidr_block        = "<subnet-ipv4-cidr>"
  availability_zone = "<availability-zone>"
}

# ... and add aws_subnet.more_task_addresses.id to your aws_ecs_service's
# network_configuration subnets
""",
        )),
        ("start fewer extra tasks during a deployment", three_ways(
            "aws ecs update-service --cluster <cluster> --service <service> \\\n"
            "  --deployment-configuration maximumPercent=100,minimumHealthyPercent=50",
            """
# Your service, with this property set (keep its other properties)
Service:
  Type: AWS::ECS::Service
  Properties:
    DeploymentConfiguration:
      MaximumPercent: 100
      MinimumHealthyPercent: 50
""",
            """
resource "aws_ecs_service" "this" {
  # ...
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50
}
""",
        )),
    )
