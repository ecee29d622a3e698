"""The OpenAPI document is valid OpenAPI 3.1 and describes what the API really returns."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from advisor.openapi import document
from advisor.rules.answers import FIELDS, PLATFORM_VERSIONS, Answers, Kind, to_query
from tests.strategies import valid_answers

DOC_URI = "urn:advisor:openapi"

# A spread of answer sets: every verdict, every OS and platform column, every registry kind,
# the IPv6 modes, load balancers, and fields with lists and integers.
SPREAD = [
    "",
    "subnet=public&public_ip=true",
    "subnet=public",
    "nat_gateway=true&load_balancer=gwlb",
    "nat_gateway=true&public_ip=true",
    "endpoints=ecr_api,ecr_dkr,s3,logs,secretsmanager,ssm,ssmmessages,kms&secrets=secretsmanager,ssm"
    "&cmk=true&ecs_exec=true",
    "endpoints=ecr_api,ecr_dkr,s3,logs&vpc_dns=false",
    "endpoints=ecr_api,ecr_dkr,s3,logs&endpoint_private_dns=false",
    "platform_version=1.3.0&endpoints=ecr_dkr,s3,logs&efs=true",
    "os=windows&nat_gateway=true&efs=true&log_driver=firelens&arch=arm64",
    "os=windows&platform_version=1.0.0&subnet=public&public_ip=true&registry=docker_hub",
    "registry=ecr_other_region&nat_gateway=true",
    "registry=ecr_public",
    "registry=ecr_pull_through_cache&endpoints=ecr_api,ecr_dkr,s3,logs",
    "registry=private_registry&subnet=public&public_ip=true",
    "registry=other_public&log_driver=splunk&nat_gateway=true",
    "ip_mode=dualstack&dualstack_account_setting=true&ipv6_autoassign=true"
    "&ipv6_egress=egress_only_igw",
    "ip_mode=ipv6_only&ipv6_egress=igw&subnet=public",
    "load_balancer=clb&target_type=instance&nat_gateway=true",
    "load_balancer=alb&subnet_count=17&security_group_count=6&nat_gateway=true",
    "security_group_count=0&log_driver=none&registry=docker_hub&nat_gateway=true",
]


def answers_strategy() -> st.SearchStrategy[Answers]:
    return valid_answers(max_int=20)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return document()


def validator_for(doc: dict[str, Any], pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the document, resolving its $refs."""
    resource = Resource(contents=doc, specification=DRAFT202012)
    registry = Registry().with_resource(DOC_URI, resource)
    return Draft202012Validator(
        {"$ref": f"{DOC_URI}#{pointer}"}, registry=registry, format_checker=FormatChecker()
    )


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def response_schema(doc: dict[str, Any], path: str, method: str, status: str) -> str:
    response = doc["paths"][path][method]["responses"][status]
    if "$ref" in response:
        response_pointer = response["$ref"].removeprefix("#")
    else:
        response_pointer = f"/paths/{_escape(path)}/{method}/responses/{status}"
    return f"{response_pointer}/content/application~1json/schema"


def assert_valid(validator: Draft202012Validator, instance: Any) -> None:
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]
    )


def test_the_document_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    assert doc["openapi"].startswith("3.1")
    validate(doc)


def test_the_document_is_served_as_json(client: Client, doc: dict[str, Any]) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(json.dumps(doc))


def test_every_documented_path_is_routed(doc: dict[str, Any]) -> None:
    for path in doc["paths"]:
        try:
            resolve(path)
        except Resolver404:
            pytest.fail(f"{path} is documented but not routed")


def test_the_api_paths_are_documented(doc: dict[str, Any]) -> None:
    assert {"/api/v1/evaluate", "/api/v1/questions", "/api/v1/openapi.json", "/healthz"} <= set(
        doc["paths"]
    )
    assert set(doc["paths"]["/api/v1/evaluate"]) == {"get", "post"}


def test_every_field_is_a_query_parameter_in_order(doc: dict[str, Any]) -> None:
    parameters = doc["paths"]["/api/v1/evaluate"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == [field.name for field in FIELDS]
    for parameter, field in zip(parameters, FIELDS, strict=True):
        if field.kind is Kind.MULTI:
            assert (parameter["style"], parameter["explode"]) == ("form", False)


@pytest.mark.parametrize("query", SPREAD)
def test_get_responses_match_the_result_schema(
    client: Client, doc: dict[str, Any], query: str
) -> None:
    response = client.get(f"/api/v1/evaluate?{query}")
    assert response.status_code == 200
    validator = validator_for(doc, response_schema(doc, "/api/v1/evaluate", "get", "200"))
    assert_valid(validator, response.json())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers_strategy())
def test_post_responses_match_the_result_schema(answers: Answers) -> None:
    doc = document()
    client = Client()
    query = client.get(f"/api/v1/evaluate?{to_query(answers)}")
    body = query.json()["answers"]
    request_validator = validator_for(doc, "/components/schemas/Answers")
    assert_valid(request_validator, body)
    response = client.post("/api/v1/evaluate", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    validator = validator_for(doc, response_schema(doc, "/api/v1/evaluate", "post", "200"))
    assert_valid(validator, response.json())


# Bodies the schema and the API must agree about: valid per the schema exactly when accepted.
BODIES = {
    "empty": {},
    "windows_1_0_0": {"os": "windows", "platform_version": "1.0.0"},
    "windows_1_4_0": {"os": "windows", "platform_version": "1.4.0"},
    "default_os_with_windows_version": {"platform_version": "1.0.0"},
    "linux_1_3_0": {"os": "linux", "platform_version": "1.3.0"},
    "string_boolean": {"public_ip": "true"},
    "zero_subnets": {"subnet_count": 0},
    "too_many_subnets_for_a_typo": {"subnet_count": 1001},
    "seventeen_subnets": {"subnet_count": 17},
    "unknown_list_member": {"endpoints": ["s3", "nope"]},
    "unknown_field": {"bogus": 1},
    "every_list_value": {
        "endpoints": list(next(f for f in FIELDS if f.name == "endpoints").choices),
        "secrets": ["ssm", "secretsmanager"],
    },
}


@pytest.mark.parametrize("body", BODIES.values(), ids=list(BODIES))
def test_the_answers_schema_accepts_exactly_what_the_api_accepts(
    client: Client, doc: dict[str, Any], body: dict[str, Any]
) -> None:
    schema_accepts = validator_for(doc, "/components/schemas/Answers").is_valid(body)
    response = client.post("/api/v1/evaluate", json.dumps(body), content_type="application/json")
    assert schema_accepts == (response.status_code == 200)


def test_the_answers_schema_knows_the_platform_versions_of_each_os(doc: dict[str, Any]) -> None:
    validator = validator_for(doc, "/components/schemas/Answers")
    for os, versions in PLATFORM_VERSIONS.items():
        for version in ("latest", "1.4.0", "1.3.0", "1.0.0"):
            body = {"os": os.value, "platform_version": version}
            assert validator.is_valid(body) == (version in versions), body


ERROR_REQUESTS = [
    ("get", "os=bsd&public_ip=maybe", None),
    ("get", "os=windows&platform_version=1.4.0", None),
    ("post", "", b'{"subnett": "public"}'),
    ("post", "", b"not json"),
    ("post", "", b"[1, 2]"),
    ("post", "", b"{" + b" " * 20000 + b"}"),
]


@pytest.mark.parametrize(("method", "query", "body"), ERROR_REQUESTS)
def test_error_responses_match_the_error_schema(
    client: Client, doc: dict[str, Any], method: str, query: str, body: bytes | None
) -> None:
    if method == "get":
        response = client.get(f"/api/v1/evaluate?{query}")
    else:
        response = client.post("/api/v1/evaluate", body, content_type="application/json")
    assert response.status_code == 400
    validator = validator_for(doc, response_schema(doc, "/api/v1/evaluate", method, "400"))
    assert_valid(validator, response.json())


def test_the_questions_match_their_schema(client: Client, doc: dict[str, Any]) -> None:
    validator = validator_for(doc, response_schema(doc, "/api/v1/questions", "get", "200"))
    assert_valid(validator, client.get("/api/v1/questions").json())


def test_healthz_matches_its_description(client: Client, doc: dict[str, Any]) -> None:
    content = doc["paths"]["/healthz"]["get"]["responses"]["200"]["content"]
    response = client.get("/healthz")
    assert response["Content-Type"].split(";")[0] in content
    assert response.content.decode() == content["text/plain"]["schema"]["const"]


def test_the_result_schema_lists_the_fields_beyond_the_spec(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    assert "trust_principal" in schemas["RoleNeed"]["required"]
    assert "why" in schemas["EndpointCheck"]["required"]
