"""How documents become answers: registries, secrets, routes, endpoints, defaults, conflicts."""

from __future__ import annotations

import json

import pytest

from advisor.importers import Document, Status, import_documents
from advisor.importers.ecs import classify_image, secret_source
from advisor.importers.network import endpoint_for
from advisor.rules.answers import FIELDS, UNKNOWN, Endpoint, Registry, SecretSource


def run(*texts: str):
    return import_documents([Document(f"doc{i}", text) for i, text in enumerate(texts, 1)])


def value(result, field):
    answer = result.field(field)
    assert answer.status in (Status.FOUND, Status.INFERRED), (field, answer)
    return answer.value


def task(containers, **extra) -> str:
    return json.dumps({"family": "t", "networkMode": "awsvpc",
                       "requiresCompatibilities": ["FARGATE"], "containerDefinitions": containers,
                       **extra})


# --- Images, secrets, endpoints ------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "credentials", "region", "expected"),
    [
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1", False, "eu-west-1", Registry.ECR),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1", False, None, Registry.ECR),
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/app", False, "eu-west-1",
         Registry.ECR_OTHER_REGION),
        ("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app", False, "${AWS::Region}",
         Registry.ECR),
        ("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app", False, None, Registry.ECR),
        ("123456789012.dkr-ecr.us-west-2.on.aws/app", False, None, Registry.ECR),
        ("123456789012.dkr.ecr.us-west-2.amazonaws.com/docker-hub/library/nginx", False, None,
         Registry.ECR_PULL_THROUGH_CACHE),
        ("public.ecr.aws/nginx/nginx:1.28", False, None, Registry.ECR_PUBLIC),
        ("nginx", False, None, Registry.DOCKER_HUB),
        ("amazon/aws-for-fluent-bit:stable", False, None, Registry.DOCKER_HUB),
        ("docker.io/library/redis:7", False, None, Registry.DOCKER_HUB),
        ("quay.io/prometheus/node-exporter", False, None, Registry.OTHER_PUBLIC),
        ("ghcr.io/org/app:sha", False, None, Registry.OTHER_PUBLIC),
        ("registry.example.com:5000/team/app", True, None, Registry.PRIVATE_REGISTRY),
        ("myorg/private-app", True, None, Registry.PRIVATE_REGISTRY),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_images_are_classified_by_registry(image, credentials, region, expected):
    assert classify_image(image, credentials=credentials, task_region=region).registry is expected


@pytest.mark.parametrize(
    ("value_from", "expected"),
    [
        ("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::",
         SecretSource.SECRETSMANAGER),
        ("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db",
         SecretSource.SECRETSMANAGER),
        ("arn:aws:ssm:us-east-1:123456789012:parameter/app/db_password", SecretSource.SSM),
        ("/app/db_password", SecretSource.SSM),
        ("db_password", SecretSource.SSM),
        ("/aws/reference/secretsmanager/db", SecretSource.SSM),
    ],
)
def test_secret_sources_are_read_from_value_from(value_from, expected):
    assert secret_source(value_from)[0] is expected


@pytest.mark.parametrize(
    ("service_name", "expected"),
    [
        ("com.amazonaws.${AWS::Region}.ecr.api", Endpoint.ECR_API),
        ("com.amazonaws.eu-west-1.ecr.dkr", Endpoint.ECR_DKR),
        ("com.amazonaws.us-east-1.s3", Endpoint.S3),
        ("com.amazonaws.us-east-1.logs", Endpoint.LOGS),
        ("cn.com.amazonaws.cn-north-1.ecr.api", Endpoint.ECR_API),
        ("com.amazonaws.us-east-1.ssmmessages", Endpoint.SSMMESSAGES),
        ("com.amazonaws.us-east-1.ssm", Endpoint.SSM),
        ("com.amazonaws.us-east-1.dynamodb", None),
        ("com.amazonaws.us-east-1.ecs-agent", None),
        ("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", None),
    ],
)
def test_vpc_endpoint_service_names(service_name, expected):
    assert endpoint_for(service_name) is expected


# --- Task definitions --------------------------------------------------------------------


def test_secrets_from_both_stores_and_secret_options():
    result = run(task([
        {"name": "app", "image": "nginx",
         "secrets": [{"name": "A", "valueFrom": "arn:aws:ssm:us-east-1:1:parameter/a"}],
         "logConfiguration": {"logDriver": "splunk", "secretOptions": [
             {"name": "token", "valueFrom": "arn:aws:secretsmanager:us-east-1:1:secret:t"}]}},
    ]))
    assert value(result, "secrets") == {SecretSource.SSM, SecretSource.SECRETSMANAGER}
    assert value(result, "log_driver") == "splunk"
    paths = [o.path for o in result.field("secrets").claims[0].origins]
    assert paths == ["containerDefinitions[0].secrets[0].valueFrom",
                     "containerDefinitions[0].logConfiguration.secretOptions[0].valueFrom"]


@pytest.mark.parametrize(
    ("platform", "os", "arch"),
    [
        ({"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE", "cpuArchitecture": "X86_64"},
         "windows", "x86_64"),
        ({"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"}, "linux", "arm64"),
        ({"cpuArchitecture": "ARM64"}, "linux", "arm64"),
    ],
)
def test_runtime_platform(platform, os, arch):
    result = run(task([{"name": "a", "image": "nginx"}], runtimePlatform=platform))
    assert (value(result, "os"), value(result, "arch")) == (os, arch)


@pytest.mark.parametrize(
    ("extra", "container", "warning"),
    [
        ({"networkMode": "bridge"}, {}, "networkMode is bridge"),
        ({"requiresCompatibilities": ["EC2"]}, {},
         "requiresCompatibilities is EC2 without FARGATE"),
        ({}, {"logConfiguration": {"logDriver": "json-file"}},
         "log driver 'json-file', which Fargate does not support"),
        ({}, {"logConfiguration": {"logDriver": "gelf"}}, "log driver 'gelf'"),
    ],
    ids=["bridge", "ec2-only", "json-file", "gelf"],
)
def test_what_fargate_cannot_run_is_reported(extra, container, warning):
    result = run(task([{"name": "a", "image": "nginx", **container}], **extra))
    messages = [n.message for n in result.notices if n.level == "warning"]
    assert any(warning in m for m in messages), messages


def test_an_unsupported_log_driver_is_not_an_answer():
    result = run(task([{"name": "a", "image": "nginx",
                        "logConfiguration": {"logDriver": "syslog"}}]))
    assert result.field("log_driver").status is Status.MISSING


def test_a_bare_list_of_container_definitions_says_nothing_about_the_task():
    result = run(json.dumps([{"name": "app", "image": "public.ecr.aws/x/y",
                              "logConfiguration": {"logDriver": "awslogs"}}]))
    assert value(result, "registry") == "ecr_public"
    assert result.field("os").status is Status.MISSING
    assert not [n for n in result.notices if n.level == "warning"]


# --- CloudFormation ------------------------------------------------------------------------

NETWORK = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Image: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  WithNat: !Not [!Condition IsProd]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16, EnableDnsSupport: true}
  Igw: {Type: AWS::EC2::InternetGateway}
  Eigw:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties: {VpcId: !Ref Vpc}
  Public:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 4, 64]]
      AssignIpv6AddressOnCreation: true
  Isolated:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  PublicTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  PublicDefault:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0,
                 GatewayId: !Ref Igw}
  PublicDefaultV6:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicTable, DestinationIpv6CidrBlock: "::/0",
                 EgressOnlyInternetGatewayId: !Ref Eigw}
  PublicAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Public, RouteTableId: !Ref PublicTable}
  Nat:
    Type: AWS::EC2::NatGateway
    Condition: WithNat
    Properties: {SubnetId: !Ref Public}
  IsolatedTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  IsolatedDefault:
    Type: AWS::EC2::Route
    Condition: WithNat
    Properties: {RouteTableId: !Ref IsolatedTable, DestinationCidrBlock: 0.0.0.0/0,
                 NatGatewayId: !Ref Nat}
  IsolatedAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Isolated, RouteTableId: !Ref IsolatedTable}
  EcrApi:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Interface
      ServiceName: !Sub com.amazonaws.${AWS::Region}.ecr.api
      PrivateDnsEnabled: true
  EcrDkr:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Interface
      ServiceName: !Join ["", [com.amazonaws., !Ref "AWS::Region", .ecr.dkr]]
  S3:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
      RouteTableIds: [!Ref PublicTable]
  Group:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Protocol: TCP, Port: 80, TargetType: ip, VpcId: !Ref Vpc}
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network, Subnets: [!Ref Public]}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Balancer
      Port: 80
      Protocol: TCP
      DefaultActions:
        - Type: forward
          ForwardConfig:
            TargetGroups: [{TargetGroupArn: !Ref Group}]
  Secret:
    Type: AWS::SecretsManager::Secret
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      ContainerDefinitions:
        - Name: app
          Image: !If
            - IsProd
            - !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app"
            - !Ref Image
          Secrets: [{Name: DB, ValueFrom: !Ref Secret}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      PlatformVersion: 1.4.0
      EnableExecuteCommand: true
      LoadBalancers: [{TargetGroupArn: !Ref Group, ContainerName: app, ContainerPort: 80}]
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: SUBNETS
"""


def template(subnet: str = "", subnets: str = "") -> str:
    """The template above with the service in `[!Ref subnet]`, or in `subnets` as written."""
    return NETWORK.replace("SUBNETS", subnets or f"[!Ref {subnet}]")


def test_public_subnet_through_an_internet_gateway_with_ipv6():
    result = run(template("Public"))
    expected = {
        "subnet": "public", "nat_gateway": False, "public_ip": False, "ip_mode": "dualstack",
        "ipv6_autoassign": True, "ipv6_egress": "egress_only_igw", "platform_version": "1.4.0",
        "ecs_exec": True, "load_balancer": "nlb", "target_type": "ip", "subnet_count": 1,
        "security_group_count": 0, "registry": "ecr", "secrets": {SecretSource.SECRETSMANAGER},
    }
    assert {name: value(result, name) for name in expected} == expected


def test_vpc_dns_hostnames_default_to_off():
    result = run(template("Public"))
    assert value(result, "vpc_dns") is False
    assert "EnableDnsHostnames defaults to false" in result.field("vpc_dns").claims[0].note


def test_endpoints_private_dns_defaults_and_gateway_routes():
    # ecr.dkr leaves PrivateDnsEnabled out (false); the S3 gateway endpoint is on the task's
    # route table, so it counts.
    result = run(template("Public"))
    assert value(result, "endpoints") == {Endpoint.ECR_API, Endpoint.ECR_DKR, Endpoint.S3}
    assert value(result, "endpoint_private_dns") is False


def test_s3_gateway_endpoint_not_on_the_task_route_table_is_not_counted():
    result = run(template("Isolated"))
    assert value(result, "endpoints") == {Endpoint.ECR_API, Endpoint.ECR_DKR}
    assert any("not on the task subnets' route tables" in n.message for n in result.notices)


def test_a_resource_whose_condition_is_false_does_not_exist():
    # Env defaults to prod, so WithNat is false: no NAT gateway, no default route.
    result = run(template("Isolated"))
    assert (value(result, "subnet"), value(result, "nat_gateway")) == ("private", False)
    note = result.field("subnet").claims[0].note
    assert "IsolatedTable has no IPv4 default route" in note


def test_a_subnet_without_association_is_inferred_private():
    text = template("Isolated").replace("""  IsolatedAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Isolated, RouteTableId: !Ref IsolatedTable}
""", "")
    result = run(text)
    answer = result.field("subnet")
    assert (answer.status, answer.value) == (Status.INFERRED, "private")
    assert "main route table" in answer.claims[0].note


def test_subnets_of_different_kinds_are_a_conflict():
    result = run(template(subnets="[!Ref Public, !Ref Isolated]"))
    answer = result.field("subnet")
    assert answer.status is Status.CONFLICT
    assert {c.value for c in answer.claims} == {"public", "private"}
    assert "Different places say different things" in answer.note


def test_a_service_subnet_parameter_without_default_is_not_guessed():
    text = template(subnets="!Ref Subnets").replace(
        "  Image: {Type: String}", "  Image: {Type: String}\n  Subnets: {Type: "
        "'List<AWS::EC2::Subnet::Id>'}")
    result = run(text)
    assert result.field("subnet").status is Status.MISSING
    assert any("parameter Subnets has no default" in n.message for n in result.notices)


def test_an_image_from_a_parameter_without_default_is_not_classified():
    result = run(template("Public").replace("Default: prod", "Default: dev"))
    assert result.field("registry").status is Status.MISSING
    assert any("parameter Image has no default" in n.message for n in result.notices)


def test_nested_stacks_are_reported_not_fetched():
    result = run("""
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: https://example.com/network.yaml}
""")
    assert any("nested stack" in n.message for n in result.notices)


def test_target_group_without_target_type_is_instance():
    result = run(template("Public").replace("TargetType: ip, ", ""))
    assert value(result, "target_type") == "instance"


# --- Terraform -----------------------------------------------------------------------------


def plan(resources, configuration=None) -> str:
    return json.dumps({
        "format_version": "1.2", "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": [
            {"address": f"{t}.{n}", "mode": "managed", "type": t, "name": n, "values": v}
            for t, n, v in resources]}},
        "configuration": configuration or {"root_module": {}},
    })


def test_terraform_known_ids_and_route_target_prefixes():
    result = run(plan([
        ("aws_subnet", "app", {"id": "subnet-1", "vpc_id": "vpc-1", "ipv6_cidr_block": None,
                               "assign_ipv6_address_on_creation": False}),
        ("aws_route_table", "app", {"id": "rtb-1", "vpc_id": "vpc-1", "route": [
            {"cidr_block": "0.0.0.0/0", "gateway_id": "", "nat_gateway_id": "nat-0abc",
             "ipv6_cidr_block": ""}]}),
        ("aws_route_table_association", "app", {"subnet_id": "subnet-1",
                                                "route_table_id": "rtb-1"}),
        ("aws_vpc", "main", {"id": "vpc-1", "enable_dns_support": True,
                             "enable_dns_hostnames": True}),
        ("aws_vpc_endpoint", "logs", {"vpc_id": "vpc-1", "service_name":
                                      "com.amazonaws.eu-west-1.logs",
                                      "vpc_endpoint_type": "Interface",
                                      "private_dns_enabled": True}),
        ("aws_ecs_account_setting_default", "dualstack", {"name": "dualStackIPv6",
                                                          "value": "enabled"}),
        ("aws_ecs_service", "app", {"launch_type": "FARGATE", "platform_version": "1.4.0",
                                    "enable_execute_command": False, "load_balancer": [],
                                    "network_configuration": [{"subnets": ["subnet-1"],
                                                               "security_groups": ["sg-1"],
                                                               "assign_public_ip": False}]}),
    ]))
    expected = {"subnet": "private", "nat_gateway": True, "vpc_dns": True,
                "endpoints": {Endpoint.LOGS}, "endpoint_private_dns": True,
                "dualstack_account_setting": True, "load_balancer": "none",
                "platform_version": "1.4.0", "ip_mode": "ipv4"}
    assert {name: value(result, name) for name in expected} == expected


def test_terraform_values_known_only_after_apply_are_not_guessed():
    result = run(plan([("aws_ecs_service", "app", {"launch_type": "FARGATE",
                                                   "network_configuration": [
                                                       {"assign_public_ip": False}]})]))
    assert result.field("platform_version").status is Status.MISSING
    assert result.field("subnet_count").status is Status.MISSING
    assert value(result, "public_ip") is False


# --- Combining -----------------------------------------------------------------------------


def test_documents_that_disagree_make_a_conflict_with_both_sides():
    linux = task([{"name": "a", "image": "nginx"}], runtimePlatform={"operatingSystemFamily":
                                                                     "LINUX"})
    windows = task([{"name": "a", "image": "nginx"}], runtimePlatform={
        "operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"})
    result = run(linux, windows)
    answer = result.field("os")
    assert answer.status is Status.CONFLICT
    assert [(c.value, c.origins[0].document) for c in answer.claims] == [
        ("linux", "doc1"), ("windows", "doc2")]
    assert "os" not in result.answered


def test_latest_and_the_version_it_resolves_to_agree():
    service = json.dumps({"serviceName": "s", "launchType": "FARGATE",
                          "platformVersion": "LATEST"})
    stopped = json.dumps({"tasks": [{"taskArn": "arn:aws:ecs:eu-west-1:1:task/c/1",
                                     "platformVersion": "1.4.0"}]})
    result = run(stopped, service)
    assert (result.field("platform_version").status, value(result, "platform_version")) == (
        Status.FOUND, "latest")


def test_a_combination_the_vocabulary_rejects_is_left_open_with_a_warning():
    windows = task([{"name": "a", "image": "nginx"}], runtimePlatform={
        "operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"})
    service = json.dumps({"serviceName": "s", "launchType": "FARGATE",
                          "platformVersion": "1.4.0"})
    result = run(windows, service)
    assert result.field("platform_version").status is Status.MISSING
    assert value(result, "os") == "windows"
    assert any("does not exist for windows" in n.message for n in result.notices)


def test_inferences_only_fill_what_they_imply():
    result = run("ResourceInitializationError: unable to pull secrets or registry auth: "
                 "execution resource retrieval failed: unable to retrieve secret from asm: "
                 "service call has been retried 5 time(s): RequestCanceled: request context "
                 "canceled caused by: context deadline exceeded.")
    # The message proves a Secrets Manager secret, not that there is no SSM parameter.
    secrets = result.field("secrets")
    assert (secrets.status, secrets.value) == (Status.PARTIAL, None)
    assert secrets.claims[0].includes == {SecretSource.SECRETSMANAGER}
    assert "present: secretsmanager" in secrets.note
    assert result.answers.secrets is UNKNOWN
    # A time-out proves no hop: the endpoints, the NAT gateway and the public IP stay unknown.
    for name in ("endpoints", "nat_gateway", "public_ip"):
        assert result.field(name).status is Status.MISSING
    assert result.field("subnet").status is Status.MISSING


def test_access_denied_means_the_network_worked():
    result = run("ResourceInitializationError: unable to pull secrets or registry auth: "
                 "execution resource retrieval failed: unable to retrieve ecr registry auth: "
                 "service call has been retried 3 time(s): AccessDeniedException: User: "
                 "arn:aws:sts::123456789012:assumed-role/exec/abc is not authorized to perform: "
                 "ecr:GetAuthorizationToken on resource: *")
    assert [d.pattern for d in result.diagnoses] == ["ecr-auth-denied"]
    assert result.answered == ()


@pytest.mark.parametrize(
    ("message", "pattern", "field", "expected"),
    [
        ("CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: "
         "httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/"
         "library/nginx/manifests/sha256:0: 429 Too Many Requests - Server message: "
         "toomanyrequests: You have reached your pull rate limit.",
         "pull-rate-limit", "registry", "docker_hub"),
        ("CannotPullContainerError: failed to find a descriptor for platform {linux/arm64}",
         "image-platform", "arch", "arm64"),
        ("ResourceInitializationError: failed to validate logger args: create stream has been "
         "retried 1 times: failed to create Cloudwatch log stream: RequestError: send request "
         "failed caused by: Post \"https://logs.eu-west-1.amazonaws.com/\": dial tcp "
         "10.0.0.1:443: i/o timeout", "logs-timeout", "log_driver", "awslogs"),
        ("CannotPullContainerError: error pulling image configuration: Get https://prod-eu-west-"
         "1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/abc: dial tcp 52.1.1.1:443: i/o "
         "timeout", "pull-timeout-s3-layers", "public_ip", None),
    ],
    ids=["docker-hub-rate-limit", "platform", "logs-timeout", "starport-bucket"],
)
def test_more_error_patterns(message, pattern, field, expected):
    result = run(message)
    assert pattern in [d.pattern for d in result.diagnoses]
    if expected is None:  # a time-out names the public IP as a hop to check, sets nothing
        assert result.field(field).status is Status.MISSING
        assert getattr(result.answers, field) is UNKNOWN
    else:
        assert value(result, field) == expected


def test_a_timeout_names_every_hop_as_a_cause_and_sets_none_of_them():
    result = run("ResourceInitializationError: failed to validate logger args: create stream "
                 "has been retried 1 times: failed to create Cloudwatch log stream: RequestError: "
                 "send request failed caused by: Post \"https://logs.eu-west-1.amazonaws.com/\": "
                 "dial tcp 10.0.0.1:443: i/o timeout")
    assert result.field("nat_gateway").status is Status.MISSING
    assert "nat_gateway" in result.answers.unknown
    assert "nat_gateway=unknown" in result.answers_query()
    causes = [c.id for c in result.diagnoses[0].ranked]
    assert causes[:5] == ["internet-path", "endpoint", "security-group", "network-acl", "dns"]
    assert all(c.check and c.check[0].startswith("aws ") for c in result.diagnoses[0].ranked)


def test_describe_services_events_are_read_as_error_messages():
    described = json.dumps({"services": [{
        "serviceName": "web", "launchType": "FARGATE", "platformVersion": "LATEST",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"],
                                                         "assignPublicIp": "DISABLED"}},
        "events": [
            {"message": "(service web) has started 1 tasks: (task 1)."},
            {"message": "(service web) was unable to place a task. Reason: "
                        "CannotPullContainerError: pull image manifest has been retried 7 "
                        "time(s): image Manifest does not contain descriptor matching platform "
                        "'linux/arm64'."},
        ]}]})
    result = run(described)
    assert [d.pattern for d in result.diagnoses] == ["image-platform"]
    assert result.diagnoses[0].origin.path == "services[0].events[1].message"
    assert value(result, "arch") == "arm64"
    assert value(result, "security_group_count") == 0


def test_the_result_is_json_with_every_field():
    data = run(task([{"name": "a", "image": "nginx"}])).to_dict()
    json.dumps(data)
    assert set(data) == {"documents", "answers", "answered", "unanswered", "conflicts",
                         "warnings", "notes", "diagnoses", "query", "values"}
    assert len(data["answers"]) == len(FIELDS)
    assert data["answers"]["registry"]["claims"][0]["from"] == [
        {"document": "doc1", "path": "containerDefinitions[0].image",
         "note": "'a': nginx is Docker Hub (no registry host in the name)"}]
    assert data["answers"]["subnet"] == {"status": "missing", "value": None, "claims": [],
                                         "note": "not in the document"}
    assert data["values"]["subnet"] == "unknown"
    assert data["values"]["registry"] == "docker_hub"


def test_endpoints_in_a_vpc_the_template_takes_as_a_parameter_are_present_but_not_all():
    result = run("""
Parameters:
  VpcId: {Type: 'AWS::EC2::VPC::Id'}
Resources:
  Logs:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref VpcId
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      ServiceName: !Sub com.amazonaws.${AWS::Region}.logs
""")
    # At least logs: the whole list is not known, so the answer is unknown.
    answer = result.field("endpoints")
    assert (answer.status, answer.value) == (Status.PARTIAL, None)
    assert answer.claims[0].includes == {Endpoint.LOGS}
    assert "may have others" in answer.claims[0].note
    assert result.answers.endpoints is UNKNOWN
    assert value(result, "endpoint_private_dns") is True
