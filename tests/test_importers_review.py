"""Placeholders stay unknown, and what a reviewer would flag is a warning (#14 items 3, 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.importers import Document, Status, import_documents
from advisor.importers.placeholders import describe


def run(*documents: tuple[str, str]):
    return import_documents([Document(name, text) for name, text in documents])


def task(containers, **extra) -> str:
    return json.dumps({"family": "t", "networkMode": "awsvpc", "cpu": "256", "memory": "512",
                       "requiresCompatibilities": ["FARGATE"], "containerDefinitions": containers,
                       **extra})


def warnings(result) -> list[str]:
    return [n["message"] for n in result.to_dict()["warnings"]]


@pytest.mark.parametrize(
    "text",
    ["your ECR url", "ACCOUNT_ID", "AWS_ACCOUNT_ID", "<account-id>", "REGION", "AWS_REGION",
     "{{ .Env.IMAGE }}", "{{ must_env `IMAGE` }}", "${IMAGE}", "$IMAGE_URI", "xxxxxxxx",
     "subnet-xxxxxxxx", "CHANGE_ME", "123456789012", "SUBNET_ID1", "sg-12344321", "TODO"],
)
def test_placeholders_are_recognised(text):
    assert describe(text) is not None


@pytest.mark.parametrize(
    "text",
    ["${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app", "us-east-1", "FARGATE",
     "ENABLED", "subnet-0a1b2c3d4e5f67890", "nginx:1.27", "public.ecr.aws/nginx/nginx",
     "DB_PASSWORD", "LATEST", "awsvpc", "1.4.0", "HTTP"],
)
def test_values_are_not_placeholders(text):
    assert describe(text) is None


@pytest.mark.parametrize(
    "image",
    ["your ECR url", "<image>", "{{ must_env `IMAGE` }}", "${IMAGE_URI}", "IMAGE_URI",
     "REGISTRY_URL/app:latest", "<registry>/app:1"],
)
def test_a_placeholder_image_leaves_the_registry_unknown_with_a_note(image):
    result = run(("task.json", task([{"name": "app", "image": image}])))
    assert result.field("registry").status is Status.MISSING
    assert any("placeholder" in n["message"] for n in result.to_dict()["notes"])


def test_an_ecr_image_with_placeholder_account_and_region_is_ecr_in_the_tasks_region():
    arn = "arn:aws:ecs:us-east-1:111122223333:task-definition/t:1"
    result = run(("task.json", task([{
        "name": "app", "image": "ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/app:latest"}],
        taskDefinitionArn=arn)))
    assert result.field("registry").value == "ecr"
    assert "placeholder" in result.field("registry").claims[0].origins[0].note


def test_a_placeholder_region_is_not_the_tasks_region():
    result = run(("task.json", task([{
        "name": "app", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app",
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-region": "REGION"}}}],
        taskDefinitionArn="arn:aws:ecs:REGION:ACCOUNT_ID:task-definition/t:1")))
    assert result.field("registry").value == "ecr"  # not ecr_other_region


def test_a_docker_hub_image_with_a_templated_tag_is_docker_hub():
    result = run(("task.json", task([{"name": "app", "image": "nginx:${TAG}"}])))
    assert result.field("registry").value == "docker_hub"


@pytest.mark.parametrize(
    ("container", "extra", "expected"),
    [
        ({"environment": [{"name": "DB_PASSWORD", "value": "hunter2"}]}, {},
         "has DB_PASSWORD in its environment"),
        ({"environment": [{"name": "STRIPE_API_KEY", "value": "sk_live_x"}]}, {},
         "has STRIPE_API_KEY in its environment"),
        ({"privileged": True}, {}, "Fargate does not support privileged containers"),
        ({"links": ["db"]}, {}, "links between containers"),
        ({"linuxParameters": {"devices": [{"hostPath": "/dev/fuse"}]}}, {},
         "linuxParameters.devices"),
        ({"linuxParameters": {"capabilities": {"add": ["NET_ADMIN"]}}}, {},
         "adds the capabilities NET_ADMIN"),
        ({}, {"placementConstraints": [{"type": "memberOf", "expression": "x"}]},
         "placementConstraints"),
        ({}, {"volumes": [{"name": "d", "dockerVolumeConfiguration": {"scope": "task"}}]},
         "dockerVolumeConfiguration"),
        ({}, {"volumes": [{"name": "h", "host": {"sourcePath": "/var/run/docker.sock"}}]},
         "mounts the host path /var/run/docker.sock"),
        ({}, {"cpu": "256", "memory": "4096"}, "Task memory 4096 MiB does not go with cpu 256"),
        ({}, {"cpu": "1 vCPU", "memory": "1GB"}, "Task memory 1024 MiB does not go with cpu 1024"),
        ({}, {"cpu": "300", "memory": "1024"}, "Task cpu 300 is not a size Fargate offers"),
        ({}, {"ipcMode": "host"}, "ipcMode"),
    ],
    ids=["password", "api-key", "privileged", "links", "devices", "capabilities",
         "placement-constraints", "docker-volume", "host-path", "memory-for-cpu",
         "units-in-words", "cpu", "ipc-mode"],
)
def test_what_a_reviewer_would_flag_is_a_warning(container, extra, expected):
    result = run(("task.json", task([{"name": "app", "image": "nginx", **container}], **extra)))
    assert any(expected in message for message in warnings(result)), warnings(result)


@pytest.mark.parametrize(
    ("cpu", "memory"),
    [("256", "512"), ("512", "4096"), ("1024", "8GB"), ("2 vCPU", "16 GB"), ("4096", "30720"),
     ("8192", "61440"), ("16384", "122880"), ("0.25 vCPU", "0.5GB")],
)
def test_every_size_fargate_offers_passes(cpu, memory):
    result = run(("task.json", task([{"name": "app", "image": "nginx"}], cpu=cpu,
                                    memory=memory)))
    assert warnings(result) == []


def test_a_secret_value_is_never_repeated_in_the_warning():
    result = run(("task.json", task([{"name": "app", "image": "nginx", "environment": [
        {"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "EMPTY_TOKEN", "value": ""},
        {"name": "MODE", "value": "production"}]}])))
    assert len(warnings(result)) == 1
    assert "hunter2" not in json.dumps(result.to_dict())


TARGET_GROUPS = """
Resources:
  Service:
    Type: AWS::ECS::Service
    Properties:
      LaunchType: FARGATE
      TaskDefinition: arn:aws:ecs:us-east-1:111122223333:task-definition/t:1
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [subnet-0a1b2c3d4e5f67890]}
      LoadBalancers:
        - {ContainerName: app, ContainerPort: 80, TargetGroupArn: !Ref Attached}
  Attached:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {TargetType: ip, Port: 80, Protocol: HTTP}
  Forgotten:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {TargetType: ip, Port: 80, Protocol: HTTP}
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-0a1b2c3d4e5f67890]}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Balancer
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Forgotten}]
"""


def test_a_target_group_no_service_registers_with_and_one_no_listener_forwards_to():
    messages = warnings(run(("stack.yaml", TARGET_GROUPS)))
    assert any("Target group Forgotten behind load balancer Balancer is defined, but no "
               "service" in m for m in messages)
    assert any("registers with target group Attached, but no listener" in m for m in messages)


ECSPRESSO_SERVICE = {
    "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 100},
    "desiredCount": 1, "enableExecuteCommand": True, "launchType": "FARGATE",
    "networkConfiguration": {"awsvpcConfiguration": {
        "assignPublicIp": "DISABLED",
        "securityGroups": ["{{ tfstate `aws_security_group.default.id` }}"],
        "subnets": ["{{ must_env `SUBNET_1` }}", "{{ must_env `SUBNET_2` }}"]}},
    "platformVersion": "1.4.0",
}


def test_a_service_definition_without_service_name_is_a_service():
    result = run(("ecs-service-def.json", json.dumps(ECSPRESSO_SERVICE)))
    assert [d.kind for d in result.documents] == ["service"]
    assert result.field("ecs_exec").value is True
    assert result.field("public_ip").value is False
    assert result.field("subnet_count").value == 2
    assert any("(a placeholder)" in n["message"] for n in result.to_dict()["notes"])


def test_a_deployed_services_platform_family_answers_the_os():
    described = {"services": [{"serviceName": "web", "launchType": "FARGATE",
                               "platformFamily": "Windows_Server_2019_Core"}]}
    assert run(("svc.json", json.dumps(described))).field("os").value == "windows"


ECSPRESSO = Path(__file__).parent / "fixtures" / "ecspresso"


def test_ecspressos_ci_definitions_are_read_and_their_templates_stay_unknown():
    result = import_documents([Document(p.name, p.read_bytes())
                               for p in sorted(ECSPRESSO.glob("*.json"))])
    assert [d.kind for d in result.documents] == ["service", "task_definition"]
    answered = {f.field: f.value for f in result.fields if f.answered}
    assert answered["registry"] == "docker_hub"  # nginx:{{ env ... }} is Docker Hub
    assert (answered["public_ip"], answered["ecs_exec"], answered["subnet_count"],
            answered["security_group_count"]) == (True, True, 3, 2)
    # Named by ID only: nothing about the subnets' routes or the target group is stated.
    for name in ("subnet", "nat_gateway", "load_balancer", "target_type", "endpoints"):
        assert result.field(name).status is Status.MISSING
    assert warnings(result) == []
    # The account is a template expression: never an ID in the fixes; the Region is real.
    from advisor.importers.ids import collect
    known = collect([Document(p.name, p.read_bytes()) for p in ECSPRESSO.glob("*.json")])
    assert known.accounts == () and known.regions == ("ap-northeast-1",)
