"""Whatever comes in, the importer answers or names the problem: never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.importers import Document, DocumentError, ImportResult, import_documents
from advisor.rules import TooManyUnknowns, evaluate

FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# Keys and values the importers look for, so that generated documents reach deep code paths.
KEYS = st.sampled_from([
    "Resources", "Type", "Properties", "Ref", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::GetAtt",
    "Fn::ImportValue", "Fn::Select", "Fn::FindInMap", "Condition", "Conditions", "Parameters",
    "Default", "Outputs", "Export", "Name", "Value", "containerDefinitions", "image",
    "logConfiguration", "logDriver", "secrets", "valueFrom", "networkMode", "runtimePlatform",
    "volumes", "efsVolumeConfiguration", "serviceName", "networkConfiguration",
    "awsvpcConfiguration", "subnets", "securityGroups", "assignPublicIp", "loadBalancers",
    "targetGroupArn", "SubnetId", "RouteTableId", "GatewayId", "NatGatewayId", "VpcId",
    "ServiceName", "TargetType", "DestinationCidrBlock", "format_version", "planned_values",
    "values", "root_module", "resources", "child_modules", "address", "configuration",
    "references", "module_calls", "tasks", "stoppedReason", "taskArn", "services", "events",
    "message", "platformVersion",
])
TYPES = st.sampled_from([
    "AWS::EC2::Subnet", "AWS::EC2::Route", "AWS::EC2::RouteTable", "AWS::EC2::VPC",
    "AWS::EC2::SubnetRouteTableAssociation", "AWS::ECS::Service", "AWS::ECS::TaskDefinition",
    "AWS::EC2::VPCEndpoint", "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener", "aws_subnet", "aws_route_table", "aws_ecs_service",
    "0.0.0.0/0", "awsvpc", "ENABLED", "nginx", "public.ecr.aws/x/y", "com.amazonaws.x.ecr.api",
])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12), TYPES)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(KEYS, st.text(max_size=6)), children, max_size=5),
    ),
    max_leaves=40,
)
MESSAGES = st.lists(st.sampled_from([
    "ResourceInitializationError: ", "unable to pull secrets or registry auth: ",
    "CannotPullContainerError: ", "api.ecr.us-east-1.amazonaws.com", "i/o timeout",
    "unable to retrieve secret from asm", "AccessDeniedException", "toomanyrequests",
    "descriptor matching platform 'linux/arm64'", "failed to invoke EFS utils commands",
    "starport-layer-bucket", "dkr.ecr.eu-west-1.amazonaws.com", " ", "\n", "…",
]), max_size=8).map("".join)


def outcome(content: str) -> ImportResult | DocumentError:
    try:
        result = import_documents([Document("fuzz", content)])
    except DocumentError as error:
        assert error.errors and all(error.errors.values())
        return error
    json.dumps(result.to_dict())
    try:
        evaluate(result.answers)
    except TooManyUnknowns as error:  # a designed answer: the import stands, named as too wide
        assert error.fields
    return result


@FUZZ
@given(VALUES)
def test_any_json_document(value):
    outcome(json.dumps(value))


@FUZZ
@given(st.text(max_size=300))
def test_any_text(text):
    outcome(text)


@FUZZ
@given(MESSAGES)
def test_any_mix_of_error_message_words(text):
    outcome(text)


@FUZZ
@given(VALUES.map(lambda v: {"AWSTemplateFormatVersion": "2010-09-09", "Resources": v}))
def test_any_template_shape(template):
    outcome(json.dumps(template))


NAMES = st.sampled_from(["A", "B", "Vpc", "Sub", "Rt", "Svc", "Td", "Tg"])
PROPERTIES = st.dictionaries(KEYS, st.one_of(VALUES, NAMES.map(lambda n: {"Ref": n})), max_size=6)
RESOURCES = st.dictionaries(
    NAMES, st.fixed_dictionaries({"Type": TYPES, "Properties": PROPERTIES}), max_size=8
)


@FUZZ
@given(RESOURCES)
def test_templates_whose_resources_refer_to_each_other(resources):
    outcome(json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}))


@FUZZ
@given(st.lists(st.fixed_dictionaries({
    "address": NAMES, "mode": st.just("managed"), "type": TYPES, "name": NAMES,
    "values": PROPERTIES,
}), max_size=8), st.dictionaries(KEYS, VALUES, max_size=4))
def test_plans_whose_resources_refer_to_each_other(resources, configuration):
    outcome(json.dumps({"format_version": "1.2", "planned_values": {"root_module": {
        "resources": resources}}, "configuration": {"root_module": configuration}}))
