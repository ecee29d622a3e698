"""`manage.py snapshot` end to end against moto's server mode: a real HTTP endpoint that speaks
the AWS APIs, started here on 127.0.0.1. Each scenario builds a VPC that reproduces a common
failure, with an ECS cluster, service and task definition; the snapshot reads it with boto3,
and `advise --from snapshot.json` must give the verdict a person would.

Every AWS operation the snapshot calls is recorded (botocore's `before-call` event) and must be
in the policy the README publishes, and never one that returns a secret."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from advisor.importers import Document, DocumentKind, import_documents
from advisor.management.commands.snapshot import ACTIONS, FORBIDDEN, POLICY, REDACTED

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-west-1"
# Not 123456789012, moto's default: the importer takes the documentation's example account
# for a placeholder.
ACCOUNT = "210987654321"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/shop/web:1.4"
DB_PASSWORD = "hunter2-never-in-a-snapshot"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _moto_api(endpoint: str, path: str, data: bytes = b"") -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/{path}", data=data, method="POST",
                                     headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=10).read()


@pytest.fixture
def aws(endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty fake account; the AWS SDK pointed at it with fake credentials."""
    _moto_api(endpoint, "reset")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", ACCOUNT)  # the server runs in this process
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield endpoint


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every AWS operation a boto3 session created from now on calls, as an IAM action."""
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(f"{model.service_model.signing_name}:{model.name}")

    class Recording(boto3.session.Session):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.events.register("before-call", record)

    monkeypatch.setattr(boto3.session, "Session", Recording)
    return calls


# --- building an account ---------------------------------------------------------------------


@dataclass
class Scenario:
    """What to build: the task's subnet and what its route table and VPC have."""

    route: str = "none"  # none | nat | igw
    public_ip: bool = False
    endpoints: tuple[str, ...] = ()  # interface endpoints (ecr.api, ...) and s3 (a gateway)
    private_dns: bool = True
    load_balancer: bool = False
    missing_log_group: bool = False
    # The task's group, which the endpoints and the load balancer share, admits its members.
    group_admits_itself: bool = True
    tags: dict[str, str] = field(default_factory=dict)


def build(scenario: Scenario) -> dict[str, str]:
    """The scenario in the fake account; returns the IDs a test may check."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for attribute in ("EnableDnsSupport", "EnableDnsHostnames"):
        ec2.modify_vpc_attribute(VpcId=vpc, **{attribute: {"Value": True}})
    # A real account's VPCs get its default DHCP options set (AmazonProvidedDNS); moto's get
    # none, so the scenario associates one like it.
    options = ec2.create_dhcp_options(DhcpConfigurations=[
        {"Key": "domain-name-servers", "Values": ["AmazonProvidedDNS"]}])["DhcpOptions"]
    ec2.associate_dhcp_options(DhcpOptionsId=options["DhcpOptionsId"], VpcId=vpc)
    task_subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24",
                                    AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    public_subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24",
                                      AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public_table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_table, SubnetId=public_subnet)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=task_subnet)
    if scenario.route == "igw":
        ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    elif scenario.route == "nat":
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(SubnetId=public_subnet, AllocationId=allocation)
        ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0",
                         NatGatewayId=nat["NatGateway"]["NatGatewayId"])
    group = ec2.create_security_group(GroupName="web", Description="web tasks",
                                      VpcId=vpc)["GroupId"]
    if scenario.group_admits_itself:
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{
            "IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group}]}])
    for name in scenario.endpoints:
        service = f"com.amazonaws.{REGION}.{name}"
        if name == "s3":
            ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=service, VpcEndpointType="Gateway",
                                    RouteTableIds=[table])
        else:
            ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=service, VpcEndpointType="Interface",
                                    SubnetIds=[task_subnet], SecurityGroupIds=[group],
                                    PrivateDnsEnabled=scenario.private_dns)

    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole"}]})
    iam = boto3.client("iam", region_name=REGION)
    role = iam.create_role(RoleName="web-execution", AssumeRolePolicyDocument=trust)["Role"]
    pull = iam.create_policy(PolicyName="web-pull", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
            "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
            "logs:CreateLogStream", "logs:PutLogEvents"]}]}))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="web-execution", PolicyArn=pull)
    iam.put_role_policy(RoleName="web-execution", PolicyName="web-secrets", PolicyDocument=(
        json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})))

    secret = boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name="shop/db", SecretString=DB_PASSWORD)["ARN"]
    boto3.client("ssm", region_name=REGION).put_parameter(
        Name="/shop/api-key", Value=DB_PASSWORD, Type="SecureString")
    if not scenario.missing_log_group:
        boto3.client("logs", region_name=REGION).create_log_group(logGroupName="/ecs/web")
    ecr = boto3.client("ecr", region_name=REGION)
    ecr.create_repository(repositoryName="shop/web")

    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="shop")
    ecs.register_task_definition(
        family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256",
        memory="512", executionRoleArn=role["Arn"],
        containerDefinitions=[{
            "name": "web", "image": IMAGE, "essential": True, "memory": 512,
            "environment": [{"name": "DB_PASSWORD", "value": DB_PASSWORD},
                            {"name": "PORT", "value": "8080"}],
            "secrets": [{"name": "DB", "valueFrom": secret},
                        {"name": "API_KEY", "valueFrom": "/shop/api-key"}],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/web", "awslogs-region": REGION,
                "awslogs-stream-prefix": "web"}},
            "portMappings": [{"containerPort": 8080}],
        }],
    )
    balancers = []
    if scenario.load_balancer:
        elb = boto3.client("elbv2", region_name=REGION)
        lb = elb.create_load_balancer(Name="shop", Subnets=[public_subnet, task_subnet],
                                      SecurityGroups=[group])["LoadBalancers"][0]
        tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=8080, VpcId=vpc,
                                     TargetType="ip")["TargetGroups"][0]
        elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                            DefaultActions=[{"Type": "forward",
                                             "TargetGroupArn": tg["TargetGroupArn"]}])
        balancers = [{"targetGroupArn": tg["TargetGroupArn"], "containerName": "web",
                      "containerPort": 8080}]
    ecs.create_service(
        cluster="shop", serviceName="web", taskDefinition="web", desiredCount=1,
        launchType="FARGATE", loadBalancers=balancers,
        networkConfiguration={"awsvpcConfiguration": {
            "subnets": [task_subnet], "securityGroups": [group],
            "assignPublicIp": "ENABLED" if scenario.public_ip else "DISABLED"}},
    )
    return {"vpc": vpc, "subnet": task_subnet, "route_table": table, "group": group}


def snapshot(tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "snapshot.json"
    call_command("snapshot", "--region", REGION, *args, "--output", str(out),
                 stdout=StringIO(), stderr=StringIO())
    return json.loads(out.read_text())


def advise(path: Path, *args: str) -> tuple[dict[str, Any], int]:
    out = StringIO()
    try:
        call_command("advise", "--from", str(path), "--format", "json", *args, stdout=out,
                     stderr=StringIO())
    except SystemExit as exit:
        return json.loads(out.getvalue()), int(exit.code or 0)
    return json.loads(out.getvalue()), 0


# --- the scenarios ---------------------------------------------------------------------------

ENDPOINTS = ("ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager", "ssm")

SCENARIOS = {
    "private_subnet_without_nat_or_endpoints_is_blocked": (
        Scenario(route="none"), "blocked",
        {"subnet": "private", "nat_gateway": False, "endpoints": []}),
    "private_subnet_with_nat_gateway_starts": (
        Scenario(route="nat"), "ok",
        {"subnet": "private", "nat_gateway": True}),
    "endpoints_without_private_dns_are_blocked": (
        Scenario(route="none", endpoints=ENDPOINTS, private_dns=False), "blocked",
        {"subnet": "private", "nat_gateway": False, "endpoint_private_dns": False,
         "vpc_dns": True}),
    "endpoints_with_private_dns_start": (
        Scenario(route="none", endpoints=ENDPOINTS, private_dns=True), "ok",
        {"endpoint_private_dns": True,
         "endpoints": ["ecr_api", "ecr_dkr", "s3", "logs", "secretsmanager", "ssm"],
         "endpoint_sg": "allows_tasks", "endpoints_in": "this_vpc", "nacl": "default",
         "dns_resolver": "amazon", "free_addresses": "enough", "task_egress": "all",
         "endpoint_policy": "full_access", "s3_endpoint_routes": "task_subnets"}),
    "endpoints_whose_group_admits_nothing_are_blocked": (
        Scenario(route="none", endpoints=ENDPOINTS, group_admits_itself=False), "blocked",
        {"endpoint_sg": "blocks"}),
    "public_subnet_without_public_ip_is_blocked": (
        Scenario(route="igw", public_ip=False), "blocked",
        {"subnet": "public", "public_ip": False}),
    "public_subnet_with_public_ip_behind_alb_starts": (
        Scenario(route="igw", public_ip=True, load_balancer=True), "ok",
        {"subnet": "public", "public_ip": True, "load_balancer": "alb", "target_type": "ip",
         "lb_ingress": "allows", "lb_azs": "every_az"}),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_snapshot_of_a_live_account_gives_the_verdict(
    name: str, aws: str, recorded: list[str], tmp_path: Path,
) -> None:
    scenario, verdict, expected = SCENARIOS[name]
    ids = build(scenario)
    recorded.clear()
    taken = snapshot(tmp_path, "--cluster", "shop", "--service", "web")
    assert taken["kind"] == "fargate-advisor-snapshot"
    assert taken["version"] == 1
    assert set(recorded) <= set(ACTIONS)
    assert not set(recorded) & set(FORBIDDEN)
    assert sorted(set(recorded)) == sorted(taken["calls"])

    result, code = advise(tmp_path / "snapshot.json")
    values = result["answers"]
    for key, value in expected.items():
        assert values[key] == value, key
    assert result["verdict"]["status"] == verdict, result["verdict"]["summary"]
    assert code == {"ok": 0, "blocked": 1}[verdict]
    assert ids["subnet"] in json.dumps(taken["subnets"])


def test_snapshot_redacts_environment_values_and_never_reads_a_secret(
    aws: str, recorded: list[str], tmp_path: Path,
) -> None:
    build(Scenario(route="nat"))
    recorded.clear()
    taken = snapshot(tmp_path, "--cluster", "shop", "--service", "web")
    text = (tmp_path / "snapshot.json").read_text()
    assert DB_PASSWORD not in text
    environment = taken["taskDefinition"]["containerDefinitions"][0]["environment"]
    assert {e["name"]: e["value"] for e in environment} == {
        "DB_PASSWORD": REDACTED, "PORT": REDACTED}
    assert not [call for call in recorded if call in FORBIDDEN or call.startswith(
        ("secretsmanager:Get", "ssm:GetParameter", "kms:", "logs:Get", "ecr:GetAuth"))]
    secrets = {s["store"]: s for s in taken["secrets"]}
    assert secrets["secretsmanager"]["exists"] and secrets["ssm"]["exists"]
    assert secrets["ssm"]["region"] == REGION
    assert "secretsmanager:DescribeSecret" in recorded
    assert "ssm:DescribeParameters" in recorded


def test_the_snapshot_reads_roles_log_groups_and_ecr_policies(
    aws: str, tmp_path: Path,
) -> None:
    build(Scenario(route="nat", missing_log_group=True))
    taken = snapshot(tmp_path, "--cluster", "shop", "--service", "web")
    role = taken["roles"][0]
    assert role["Role"]["RoleName"] == "web-execution"
    assert [p["PolicyName"] for p in role["AttachedPolicies"]] == ["web-pull"]
    assert role["AttachedPolicies"][0]["Document"]
    assert [p["PolicyName"] for p in role["InlinePolicies"]] == ["web-secrets"]
    assert taken["logGroups"] == [
        {"logGroupName": "/ecs/web", "region": REGION, "exists": False, "container": "web"}]
    assert taken["ecrRepositories"][0]["repositoryName"] == "shop/web"
    assert taken["ecrRepositories"][0]["exists"] is True
    assert taken["vpcs"][0]["EnableDnsHostnames"] is True

    imported = import_documents([Document("snapshot.json", (tmp_path / "snapshot.json")
                                          .read_text())])
    assert imported.documents[0].kind is DocumentKind.SNAPSHOT
    assert any("/ecs/web" in n.message and "does not exist" in n.message
               for n in imported.notices)
    subnet = imported.field("subnet")
    assert all("from the account snapshot" in o.note for c in subnet.claims for o in c.origins)

    out = StringIO()
    with contextlib.suppress(SystemExit):  # whatever the verdict's exit code
        call_command("advise", "--from", str(tmp_path / "snapshot.json"), "--format", "sarif",
                     stdout=out, stderr=StringIO())
    lines = [loc["physicalLocation"]["region"]["startLine"]
             for result in json.loads(out.getvalue())["runs"][0]["results"]
             for loc in result["locations"]]
    assert max(lines) > 1  # findings sit on the snapshot's lines, not only its first


def test_a_task_arn_is_read_like_its_service(aws: str, tmp_path: Path) -> None:
    ids = build(Scenario(route="none"))
    ecs = boto3.client("ecs", region_name=REGION)
    task = ecs.run_task(cluster="shop", taskDefinition="web", launchType="FARGATE",
                        networkConfiguration={"awsvpcConfiguration": {
                            "subnets": [ids["subnet"]], "securityGroups": [ids["group"]]}},
                        )["tasks"][0]
    taken = snapshot(tmp_path, "--task-arn", task["taskArn"])
    assert taken["task"]["taskArn"] == task["taskArn"]
    assert [s["SubnetId"] for s in taken["subnets"]] == [ids["subnet"]]


def test_the_web_import_reads_a_snapshot(aws: str, tmp_path: Path, client: Any) -> None:
    build(Scenario(route="none"))
    snapshot(tmp_path, "--cluster", "shop", "--service", "web")
    with (tmp_path / "snapshot.json").open("rb") as file:
        response = client.post("/api/v1/import", {"document": file})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["documents"][0]["kind"] == "snapshot"
    assert body["answers"]["nat_gateway"]["value"] is False


# --- errors: a message that names the permission, exit 2, no traceback -------------------------


def test_a_denied_call_names_the_permission_to_add(aws: str, tmp_path: Path) -> None:
    build(Scenario(route="none"))
    iam = boto3.client("iam", region_name=REGION)
    iam.create_user(UserName="reader")
    allowed = [action for action in ACTIONS if action != "ec2:DescribeRouteTables"]
    iam.put_user_policy(UserName="reader", PolicyName="almost", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": allowed,
                                                 "Resource": "*"}]}))
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    _moto_api(aws, "reset-auth", b"0")
    try:
        process = run_snapshot(aws, tmp_path, AWS_ACCESS_KEY_ID=key["AccessKeyId"],
                               AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"])
    finally:
        _moto_api(aws, "reset-auth", b"inf")
    assert process.returncode == 2, process.stderr
    assert "ec2:DescribeRouteTables was denied: add it to the policy in README.md" in \
        process.stderr
    assert "Traceback" not in process.stderr


def test_missing_credentials_exit_2_with_a_message(aws: str, tmp_path: Path) -> None:
    process = run_snapshot(aws, tmp_path, AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None)
    assert process.returncode == 2
    assert "No AWS credentials were found" in process.stderr
    assert "Traceback" not in process.stderr


def test_a_missing_service_exits_2_with_a_message(aws: str, tmp_path: Path) -> None:
    build(Scenario())
    with pytest.raises(CommandError, match="ECS did not find the service nope") as error:
        snapshot(tmp_path, "--cluster", "shop", "--service", "nope")
    assert error.value.returncode == 2


def run_snapshot(endpoint: str, tmp_path: Path, **overrides: str | None
                 ) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env |= {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(tmp_path / "none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
            "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "snapshot", "--region", REGION, "--cluster", "shop",
         "--service", "web", "--output", str(tmp_path / "out.json")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


# --- the published policy --------------------------------------------------------------------


def test_the_readme_publishes_the_policy_the_snapshot_uses() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Snapshot of a live account", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.DOTALL)
    assert block is not None
    assert json.loads(block.group(1)) == POLICY


def test_the_policy_is_read_only_and_returns_no_secret() -> None:
    writers = [action for action in ACTIONS
               if not re.match(r"(Describe|Get|List)[A-Z]", action.split(":", 1)[1])]
    assert writers == []
    assert not set(ACTIONS) & set(FORBIDDEN)
    assert all("*" not in action for action in ACTIONS)
