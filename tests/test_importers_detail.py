"""The network-detail fields (#12) read from the documents people have (#14): where images,
secrets and logs live, the log group, environment files, EFS and Exec options, service
discovery; each stated where the documents state it, unknown with a note where they do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from advisor.importers import Document, Status, import_documents

ACCOUNT = "210987654321"
OTHER = "345678901234"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole"
ARN = f"arn:aws:ecs:eu-west-1:{ACCOUNT}:task-definition/web:3"
ECR = f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/web:1.0"


def task(containers: list[dict[str, Any]], **extra: Any) -> Document:
    body = {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
            "cpu": "256", "memory": "512", "containerDefinitions": containers, **extra}
    return Document("taskdef.json", json.dumps(body))


def awslogs(**options: str) -> dict[str, Any]:
    return {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web",
                                                "awslogs-stream-prefix": "web", **options}}


def value(document: Document, name: str) -> Any:
    answer = import_documents([document]).field(name)
    return answer.value if answer.answered else answer.status


def notes(document: Document) -> list[str]:
    return [n.message for n in import_documents([document]).notices]


REGISTRY_CASES = [
    pytest.param([{"name": "web", "image": ECR}], frozenset(), id="one-container"),
    pytest.param([{"name": "web", "image": ECR},
                  {"name": "log_router", "image": "public.ecr.aws/aws-observability/"
                   "aws-for-fluent-bit:stable"}],
                 frozenset({"ecr"}), id="registry-keeps-the-hardest-the-rest-are-others"),
    pytest.param([{"name": "web", "image": ECR}, {"name": "worker", "image": ECR}],
                 frozenset(), id="every-container-from-the-registry"),
    pytest.param([{"name": "web", "image": ECR},
                  {"name": "datadog-agent", "image": "public.ecr.aws/datadog/agent:7"},
                  {"name": "log_router", "image": "amazon/aws-for-fluent-bit:stable"}],
                 frozenset({"ecr", "ecr_public"}), id="sidecars-elsewhere"),
]


@pytest.mark.parametrize(("containers", "expected"), REGISTRY_CASES)
def test_other_containers_registries_are_those_the_registry_answer_leaves_out(
        containers, expected):
    assert value(task(containers), "other_registries") == expected


def test_an_unknown_sidecar_image_leaves_other_registries_partly_known():
    document = task([{"name": "web", "image": "nginx"},
                     {"name": "agent", "image": "${AGENT_IMAGE}"},
                     {"name": "x", "image": ECR}])
    assert value(document, "other_registries") is Status.PARTIAL


@pytest.mark.parametrize(("image", "extra", "expected"), [
    pytest.param(ECR, {"executionRoleArn": ROLE}, "same", id="role-in-the-same-account"),
    pytest.param(ECR, {"taskDefinitionArn": ARN}, "same", id="arn-in-the-same-account"),
    pytest.param(ECR.replace(ACCOUNT, OTHER), {"executionRoleArn": ROLE}, "other",
                 id="another-account"),
    pytest.param(ECR, {}, Status.MISSING, id="the-task-account-is-not-stated"),
    pytest.param("nginx:1.27", {"executionRoleArn": ROLE}, Status.MISSING, id="no-ecr-image"),
])
def test_the_ecr_account_is_the_image_account_against_the_tasks(image, extra, expected):
    assert value(task([{"name": "web", "image": image}], **extra), "ecr_account") == expected


def test_an_unstated_task_account_says_why_the_ecr_account_is_unknown():
    assert any("the task's account is not in the documents" in m
               for m in notes(task([{"name": "web", "image": ECR}])))


def secret(value_from: str) -> dict[str, Any]:
    return {"name": "web", "image": "nginx",
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": value_from}]}


@pytest.mark.parametrize(("value_from", "extra", "expected"), [
    pytest.param("db-password", {}, "same", id="a-bare-name-is-the-tasks-own"),
    pytest.param(f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf",
                 {"taskDefinitionArn": ARN}, "same", id="same-account-and-region"),
    pytest.param(f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/db", {"taskDefinitionArn": ARN},
                 "other_region", id="another-region"),
    pytest.param(f"arn:aws:secretsmanager:eu-west-1:{OTHER}:secret:db-AbCdEf",
                 {"executionRoleArn": ROLE}, "other_account", id="another-account"),
    pytest.param(f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:db-AbCdEf",
                 {"executionRoleArn": ROLE}, Status.MISSING, id="the-task-region-not-stated"),
])
def test_secrets_location_compares_the_arn_with_the_task(value_from, extra, expected):
    assert value(task([secret(value_from)], **extra), "secrets_location") == expected


@pytest.mark.parametrize(("options", "extra", "expected"), [
    pytest.param({"awslogs-region": "eu-west-1"}, {"taskDefinitionArn": ARN}, "same",
                 id="same-region"),
    pytest.param({"awslogs-region": "us-east-1"}, {"taskDefinitionArn": ARN}, "other",
                 id="other-region"),
    pytest.param({"awslogs-region": "eu-west-1"}, {}, Status.MISSING,
                 id="the-region-of-the-task-is-not-the-logs-own"),
])
def test_logs_region_compares_awslogs_region_with_the_task(options, extra, expected):
    document = task([{"name": "web", "image": "nginx", "logConfiguration": awslogs(**options)}],
                    **extra)
    assert value(document, "logs_region") == expected


def test_awslogs_create_group_creates_the_group_and_a_named_group_alone_is_unknown():
    created = task([{"name": "web", "image": "nginx",
                     "logConfiguration": awslogs(**{"awslogs-create-group": "true"})}])
    named = task([{"name": "web", "image": "nginx", "logConfiguration": awslogs()}])
    assert value(created, "log_group") == "create_group"
    assert value(named, "log_group") is Status.MISSING
    assert any("the documents do not create it" in m for m in notes(named))


@pytest.mark.parametrize(("container", "name", "expected"), [
    ({"environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::cfg-bucket/web.env"}]},
     "env_files", True),
    ({}, "env_files", False),
    ({"readonlyRootFilesystem": True}, "exec_readonly_root", True),
    ({"readonlyRootFilesystem": False}, "exec_readonly_root", False),
    ({}, "exec_readonly_root", False),
])
def test_container_flags(container, name, expected):
    assert value(task([{"name": "web", "image": "nginx", **container}]), name) is expected


EFS = {"fileSystemId": "fs-0a1b2c3d4e5f60718"}


@pytest.mark.parametrize(("config", "expected"), [
    ({}, {"efs_iam": False, "efs_access_point": False, "efs_transit_encryption": False}),
    ({"transitEncryption": "ENABLED",
      "authorizationConfig": {"iam": "ENABLED", "accessPointId": "fsap-0123abcd4567ef890"}},
     {"efs_iam": True, "efs_access_point": True, "efs_transit_encryption": True}),
    ({"transitEncryption": "DISABLED", "authorizationConfig": {"iam": "DISABLED"}},
     {"efs_iam": False, "efs_access_point": False, "efs_transit_encryption": False}),
])
def test_efs_volume_options(config, expected):
    document = task([{"name": "web", "image": "nginx"}],
                    volumes=[{"name": "data", "efsVolumeConfiguration": {**EFS, **config}}])
    assert {name: value(document, name) for name in expected} == expected


def test_efs_options_are_not_stated_without_an_efs_volume():
    document = task([{"name": "web", "image": "nginx"}])
    assert value(document, "efs_iam") is Status.MISSING


def service(**extra: Any) -> Document:
    body = {"serviceName": "web", "launchType": "FARGATE", "networkConfiguration": {
        "awsvpcConfiguration": {"subnets": ["subnet-0f1e2d3c4b5a69788"]}}, **extra}
    return Document("service.json", json.dumps(body))


@pytest.mark.parametrize(("extra", "expected"), [
    ({}, "none"),
    ({"serviceConnectConfiguration": {"enabled": True, "namespace": "internal"}},
     "service_connect"),
    ({"serviceConnectConfiguration": {"enabled": False}}, "none"),
    ({"serviceRegistries": [{"registryArn": "arn:aws:servicediscovery:eu-west-1:"
                             f"{ACCOUNT}:service/srv-abcdefgh12345678"}]}, "cloud_map"),
])
def test_service_discovery(extra, expected):
    assert value(service(**extra), "service_discovery") == expected


# --- The network the documents create ---------------------------------------------------------

NETWORK = (Path(__file__).parent / "fixtures" / "import_detail" / "private-network.yaml"
           ).read_text()


def network(*edits: tuple[str, str]) -> Document:
    text = NETWORK
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    return Document("network.yaml", text)


@pytest.mark.parametrize(("edits", "name", "expected"), [
    pytest.param((), "dns_support", True, id="dns-support-stated"),
    pytest.param((), "dns_hostnames", True, id="dns-hostnames-stated"),
    pytest.param((("      EnableDnsHostnames: true\n", ""),), "dns_hostnames", False,
                 id="dns-hostnames-default-off"),
    pytest.param((), "dns64", False, id="dns64-not-set"),
    pytest.param((("      AvailabilityZone: eu-west-1a\n",
                   "      AvailabilityZone: eu-west-1a\n      EnableDns64: true\n"),),
                 "dns64", True, id="dns64-on"),
    pytest.param((), "egress_via", "transit_gateway", id="transit-gateway"),
    pytest.param((("TransitGatewayId: tgw-0a1b2c3d4e5f60718",
                   "InstanceId: i-0a1b2c3d4e5f60718"),), "egress_via", "nat_instance",
                 id="nat-instance"),
    pytest.param((("TransitGatewayId: tgw-0a1b2c3d4e5f60718",
                   "VpcEndpointId: vpce-0a1b2c3d4e5f60718"),), "egress_via", "firewall",
                 id="firewall-endpoint"),
    pytest.param((("TransitGatewayId: tgw-0a1b2c3d4e5f60718",
                   "NatGatewayId: nat-0a1b2c3d4e5f60718"),), "egress_via", "nat_gateway",
                 id="nat-gateway"),
    pytest.param((), "endpoint_ip_type", "dualstack", id="ip-type-stated"),
    pytest.param((("      IpAddressType: dualstack\n      SubnetIds: [!Ref PrivateSubnetA]\n"
                   "      PolicyDocument", "      SubnetIds: [!Ref PrivateSubnetA]\n"
                   "      PolicyDocument"),), "endpoint_ip_type", Status.MISSING,
                 id="ip-type-not-stated-for-one"),
    pytest.param((), "endpoint_policy", "full_access", id="no-policy-or-full-access"),
    pytest.param((('            Action: "*"', '            Action: ["ecr:BatchGetImage"]'),),
                 "endpoint_policy", Status.MISSING, id="a-restricted-policy-is-unknown"),
])
def test_the_network_template_states(edits, name, expected):
    assert value(network(*edits), name) == expected


def test_vpc_dns_and_its_two_attributes_agree():
    result = import_documents([network(("      EnableDnsHostnames: true\n", ""))])
    assert (result.answers.vpc_dns, result.answers.dns_support,
            result.answers.dns_hostnames) == (False, True, False)


def test_a_restricted_endpoint_policy_says_why_it_is_unknown():
    document = network(('            Action: "*"', '            Action: ["ecr:BatchGetImage"]'))
    assert any("PolicyDocument that is not full access" in m for m in notes(document))


# --- The task's security groups ---------------------------------------------------------------

SG = """
  TaskSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Fargate tasks
      VpcId: !Ref Vpc
"""


def with_group(group: str, *extra: str) -> Document:
    text = NETWORK.replace("Resources:\n", "Resources:\n" + group + "".join(extra), 1)
    text = text.replace("          Subnets: [!Ref PrivateSubnetA]",
                        "          Subnets: [!Ref PrivateSubnetA]\n"
                        "          SecurityGroups: [!Ref TaskSecurityGroup]")
    return Document("network.yaml", text)


HTTPS_OUT = """      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
"""
TO_ENDPOINTS = """      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          DestinationSecurityGroupId: sg-0a1b2c3d4e5f60718
"""
NFS_RULE = """  TaskNfsOut:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !Ref TaskSecurityGroup
      IpProtocol: tcp
      FromPort: 2049
      ToPort: 2049
      DestinationSecurityGroupId: sg-0f1e2d3c4b5a69788
"""


@pytest.mark.parametrize(("document", "expected"), [
    pytest.param(with_group(SG), "all", id="cloudformation-group-without-egress-allows-all"),
    pytest.param(with_group(SG + HTTPS_OUT), "https", id="https-anywhere"),
    pytest.param(with_group(SG + HTTPS_OUT, NFS_RULE), "https_nfs", id="https-and-nfs"),
    pytest.param(with_group(SG + TO_ENDPOINTS), "endpoints_only", id="https-to-a-group-only"),
])
def test_task_egress_from_cloudformation(document, expected):
    assert value(document, "task_egress") == expected


TF = """
resource "aws_security_group" "task" {
  vpc_id = "vpc-0a1b2c3d4e5f60718"
%s}
resource "aws_ecs_service" "web" {
  name            = "web"
  launch_type     = "FARGATE"
  task_definition = "web:3"
  network_configuration {
    subnets         = ["subnet-0f1e2d3c4b5a69788"]
    security_groups = [aws_security_group.task.id]
  }
}
%s"""


@pytest.mark.parametrize(("inline", "extra", "expected"), [
    pytest.param("", "", "none", id="terraform-removes-the-default-rule"),
    pytest.param('  egress {\n    from_port = 0\n    to_port = 0\n    protocol = "-1"\n'
                 '    cidr_blocks = ["0.0.0.0/0"]\n  }\n', "", "all", id="allow-all-block"),
    pytest.param("", 'resource "aws_vpc_security_group_egress_rule" "https" {\n'
                 '  security_group_id = aws_security_group.task.id\n  ip_protocol = "tcp"\n'
                 '  from_port = 443\n  to_port = 443\n  cidr_ipv4 = "0.0.0.0/0"\n}\n',
                 "https", id="separate-rule-resource"),
])
def test_task_egress_from_terraform(inline, extra, expected):
    document = Document("main.tf", TF % (inline, extra))
    assert value(document, "task_egress") == expected


def test_a_security_group_outside_the_documents_leaves_task_egress_unknown():
    document = Document("service.json", json.dumps({
        "serviceName": "web", "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": ["subnet-0f1e2d3c4b5a69788"],
            "securityGroups": ["sg-0a1b2c3d4e5f60718"]}}}))
    assert value(document, "task_egress") is Status.MISSING


S3_TF = """
resource "aws_vpc" "main" {
  cidr_block           = "10.30.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.30.1.0/24"
}
resource "aws_route_table" "private" { vpc_id = aws_vpc.main.id }
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.s3"
}
resource "aws_vpc_endpoint_route_table_association" "s3" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.private.id
}
resource "aws_ecs_service" "web" {
  name        = "web"
  launch_type = "FARGATE"
  network_configuration { subnets = [aws_subnet.private.id] }
}
"""


def test_the_s3_gateway_endpoint_on_the_task_route_table_by_an_association_resource():
    result = import_documents([Document("main.tf", S3_TF)])
    assert result.field("s3_endpoint_routes").value == "task_subnets"
    assert result.field("endpoints").value == frozenset({"s3"})


# --- What the filters on the way admit ----------------------------------------------------------

ENDPOINT_SG = """
  EndpointSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Interface endpoints
      VpcId: !Ref Vpc
%s"""
FROM_TASKS = """      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          SourceSecurityGroupId: !Ref TaskSecurityGroup
"""
FROM_VPC = """      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.20.0.0/16
"""
FROM_ONE_SUBNET_ELSEWHERE = """      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.99.0.0/16
"""
HTTP_ONLY = """      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 80
          ToPort: 80
          SourceSecurityGroupId: !Ref TaskSecurityGroup
"""
INGRESS_RESOURCE = """  EndpointHttpsFromTasks:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt EndpointSecurityGroup.GroupId
      IpProtocol: "-1"
      SourceSecurityGroupId: !GetAtt TaskSecurityGroup.GroupId
"""


def with_endpoint_group(rules: str, *extra: str, groups: str = "[!Ref EndpointSecurityGroup]"
                        ) -> Document:
    document = with_group(SG, ENDPOINT_SG % rules, *extra)
    text = str(document.content).replace(
        "      SubnetIds: [!Ref PrivateSubnetA]\n",
        f"      SubnetIds: [!Ref PrivateSubnetA]\n      SecurityGroupIds: {groups}\n")
    return Document("network.yaml", text)


@pytest.mark.parametrize(("document", "expected"), [
    pytest.param(network(), "default_group", id="no-security-group-ids-is-the-default-group"),
    pytest.param(with_endpoint_group(FROM_TASKS), "allows_tasks", id="https-from-the-task-group"),
    pytest.param(with_endpoint_group(FROM_VPC), "allows_tasks", id="https-from-the-vpc-cidr"),
    pytest.param(with_endpoint_group("", INGRESS_RESOURCE), "allows_tasks",
                 id="all-traffic-by-an-ingress-resource"),
    pytest.param(with_endpoint_group(HTTP_ONLY), "blocks", id="only-http-from-the-tasks"),
    pytest.param(with_endpoint_group(""), "blocks", id="a-new-group-admits-nothing"),
    pytest.param(with_endpoint_group(FROM_ONE_SUBNET_ELSEWHERE), "blocks",
                 id="https-from-another-network"),
    pytest.param(with_endpoint_group("", groups="[sg-0a1b2c3d4e5f60718]"), Status.MISSING,
                 id="a-group-outside-the-documents"),
])
def test_endpoint_sg_from_the_endpoints_groups(document, expected):
    assert value(document, "endpoint_sg") == expected


def test_a_group_outside_the_documents_says_why_endpoint_sg_is_unknown():
    document = with_endpoint_group("", groups="[sg-0a1b2c3d4e5f60718]")
    assert any("sg-0a1b2c3d4e5f60718 is not created in the documents" in m
               for m in notes(document))


def test_endpoints_created_in_the_task_vpc_are_in_this_vpc():
    assert value(network(), "endpoints_in") == "this_vpc"


ACL = """
  PrivateAcl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Vpc
  PrivateAclAssociation:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref PrivateSubnetA
      NetworkAclId: !Ref PrivateAcl
"""


def acl_entry(name: str, number: int, egress: bool, action: str, low: int | None = None,
              high: int | None = None, cidr: str = "0.0.0.0/0") -> str:
    ports = "" if low is None else \
        f"      Protocol: 6\n      PortRange:\n        From: {low}\n        To: {high}\n"
    return (f"  {name}:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n"
            f"      NetworkAclId: !Ref PrivateAcl\n      RuleNumber: {number}\n"
            f"      Egress: {str(egress).lower()}\n      RuleAction: {action}\n"
            f"      CidrBlock: {cidr}\n" + (ports or "      Protocol: -1\n"))


def with_acl(*entries: str) -> Document:
    return Document("network.yaml", NETWORK.replace("Resources:\n", "Resources:\n" + ACL
                                                    + "".join(entries), 1))


HTTPS_OUT_ACL = acl_entry("HttpsOut", 100, True, "allow", 443, 443)
RETURN_IN = acl_entry("ReturnIn", 100, False, "allow", 1024, 65535)


@pytest.mark.parametrize(("document", "expected"), [
    pytest.param(network(), "default", id="no-association-is-the-default-acl"),
    pytest.param(with_acl(HTTPS_OUT_ACL, RETURN_IN), "allows", id="https-out-and-return-in"),
    pytest.param(with_acl(acl_entry("AllOut", 100, True, "allow"),
                          acl_entry("AllIn", 100, False, "allow")), "allows", id="allow-all"),
    pytest.param(with_acl(HTTPS_OUT_ACL), "blocks", id="no-return-ports"),
    pytest.param(with_acl(HTTPS_OUT_ACL, acl_entry("ReturnIn", 100, False, "allow", 1024, 32767)),
                 "blocks", id="only-part-of-the-return-ports"),
    pytest.param(with_acl(acl_entry("DenyHttps", 90, True, "deny", 443, 443), HTTPS_OUT_ACL,
                          RETURN_IN), "blocks", id="a-lower-deny-wins"),
    pytest.param(with_acl(acl_entry("DenyHttps", 110, True, "deny", 443, 443), HTTPS_OUT_ACL,
                          RETURN_IN), "allows", id="a-higher-deny-comes-too-late"),
    pytest.param(with_acl(), "blocks", id="a-new-acl-denies-everything"),
    pytest.param(with_acl(acl_entry("VpcOnly", 100, True, "allow", 443, 443, "10.20.0.0/16"),
                          RETURN_IN), Status.MISSING, id="https-only-to-some-addresses"),
])
def test_nacl_evaluates_the_entries_in_rule_number_order(document, expected):
    assert value(document, "nacl") == expected


DHCP = """
  Dhcp:
    Type: AWS::EC2::DHCPOptions
    Properties:
      DomainNameServers: %s
  DhcpAssociation:
    Type: AWS::EC2::VPCDHCPOptionsAssociation
    Properties:
      VpcId: !Ref Vpc
      DhcpOptionsId: !Ref Dhcp
"""


@pytest.mark.parametrize(("servers", "expected"), [
    pytest.param(None, "amazon", id="no-dhcp-options-is-the-default-set"),
    pytest.param("[AmazonProvidedDNS]", "amazon", id="amazon-provided-dns"),
    pytest.param("[10.20.0.10, 10.20.0.11]", Status.MISSING, id="own-servers-are-unknown"),
])
def test_dns_resolver_from_the_dhcp_options(servers, expected):
    text = NETWORK if servers is None else \
        NETWORK.replace("Resources:\n", "Resources:\n" + DHCP % servers, 1)
    assert value(Document("network.yaml", text), "dns_resolver") == expected


def test_own_dns_servers_say_what_to_answer():
    text = NETWORK.replace("Resources:\n", "Resources:\n" + DHCP % "[10.20.0.10]", 1)
    assert any("Route 53 Resolver is not in a template" in m
               for m in notes(Document("network.yaml", text)))


LB_TF = """
resource "aws_vpc" "main" { cidr_block = "10.40.0.0/16" }
resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.2.0/24"
  availability_zone = "eu-west-1b"
}
resource "aws_subnet" "public_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.101.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "public_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.102.0/24"
  availability_zone = "eu-west-1b"
}
resource "aws_security_group" "lb" { vpc_id = aws_vpc.main.id }
resource "aws_security_group" "task" {
  vpc_id = aws_vpc.main.id
%(task_ingress)s}
resource "aws_lb" "web" {
  subnets         = [%(lb_subnets)s]
  security_groups = [aws_security_group.lb.id]
}
resource "aws_lb_target_group" "web" {
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}
resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_efs_mount_target" "a" {
  file_system_id  = "fs-0a1b2c3d"
  subnet_id       = aws_subnet.private_a.id
  security_groups = [aws_security_group.efs.id]
}
%(more_targets)s
resource "aws_security_group" "efs" {
  vpc_id = aws_vpc.main.id
%(efs_ingress)s}
resource "aws_ecs_service" "web" {
  name            = "web"
  launch_type     = "FARGATE"
  task_definition = "web:3"
  network_configuration {
    subnets         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_groups = [aws_security_group.task.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "web"
    container_port   = 8080
  }
}
"""
FROM_LB = """  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }
"""
NFS_FROM_TASKS = """  ingress {
    from_port       = 2049
    to_port         = 2049
    protocol        = "tcp"
    security_groups = [aws_security_group.task.id]
  }
"""
TARGET_B = """resource "aws_efs_mount_target" "b" {
  file_system_id  = "fs-0a1b2c3d"
  subnet_id       = aws_subnet.private_b.id
  security_groups = [aws_security_group.efs.id]
}"""
BOTH = "aws_subnet.public_a.id, aws_subnet.public_b.id"


def lb_stack(**changes: str) -> Document:
    parts = {"task_ingress": FROM_LB, "lb_subnets": BOTH, "more_targets": TARGET_B,
             "efs_ingress": NFS_FROM_TASKS} | changes
    return Document("main.tf", LB_TF % parts)


@pytest.mark.parametrize(("document", "name", "expected"), [
    pytest.param(lb_stack(), "lb_ingress", "allows", id="task-admits-the-lb-group"),
    pytest.param(lb_stack(task_ingress=FROM_LB.replace("8080", "80")), "lb_ingress", "blocks",
                 id="task-admits-another-port"),
    pytest.param(lb_stack(task_ingress='  ingress {\n    from_port = 8080\n    to_port = 8080\n'
                          '    protocol = "tcp"\n    cidr_blocks = ["10.40.0.0/16"]\n  }\n'),
                 "lb_ingress", "allows", id="task-admits-the-vpc-cidr"),
    pytest.param(lb_stack(), "lb_azs", "every_az", id="lb-in-both-zones"),
    pytest.param(lb_stack(lb_subnets="aws_subnet.public_a.id"), "lb_azs", "missing_az",
                 id="lb-in-one-zone"),
    pytest.param(lb_stack(), "efs_sg", "allows", id="mount-targets-admit-nfs-from-the-tasks"),
    pytest.param(lb_stack(efs_ingress=""), "efs_sg", "blocks", id="mount-targets-admit-nothing"),
    pytest.param(lb_stack(), "efs_mount_targets", "every_az", id="a-mount-target-per-zone"),
    pytest.param(lb_stack(more_targets=""), "efs_mount_targets", "missing_az",
                 id="a-mount-target-missing-in-one-zone"),
])
def test_the_inbound_path_from_terraform(document, name, expected):
    assert value(document, name) == expected


def test_zones_the_documents_do_not_fix_leave_lb_azs_unknown():
    document = lb_stack()
    text = str(document.content).replace('  availability_zone = "eu-west-1b"\n', "", 1)
    assert value(Document("main.tf", text), "lb_azs") is Status.MISSING


DEFAULT_ACL = """
resource "aws_default_network_acl" "main" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
  egress {
    protocol   = "tcp"
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
}
"""


def test_terraform_default_acl_keeps_only_the_rules_it_states():
    # No inbound rule: the return ports are denied (the provider removes AWS's default rules).
    assert value(Document("main.tf", LB_TF % {
        "task_ingress": FROM_LB, "lb_subnets": BOTH, "more_targets": TARGET_B,
        "efs_ingress": NFS_FROM_TASKS} + DEFAULT_ACL), "nacl") == "blocks"


def test_an_acl_association_that_may_or_may_not_exist_leaves_nacl_unknown():
    text = LB_TF % {"task_ingress": FROM_LB, "lb_subnets": BOTH, "more_targets": TARGET_B,
                    "efs_ingress": NFS_FROM_TASKS} + """
variable "strict" {}
resource "aws_network_acl" "strict" { vpc_id = aws_vpc.main.id }
resource "aws_network_acl_association" "strict" {
  count          = var.strict ? 1 : 0
  network_acl_id = aws_network_acl.strict.id
  subnet_id      = aws_subnet.private_a.id
}
"""
    assert value(Document("main.tf", text), "nacl") is Status.MISSING
    assert value(Document("main.tf", LB_TF % {
        "task_ingress": FROM_LB, "lb_subnets": BOTH, "more_targets": TARGET_B,
        "efs_ingress": NFS_FROM_TASKS}), "nacl") == "default"
