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

# Answers with unknowns (spec section 4): each verdict they can give, and every kind of field
# unknown, one by one and named together.
UNKNOWN_SPREAD = {
    "conditional": "unknown=subnet,nat_gateway,public_ip,endpoints",
    "conditional_with_a_known_network": "subnet=private&nat_gateway=unknown&secrets=ssm",
    "blocked_with_unknowns": "unknown=subnet",
    "blocked_by_a_platform_whatever_else": "os=windows&efs=true&unknown=registry,log_driver",
    "ok_with_unknowns": "nat_gateway=true&unknown=registry",
    "warning_with_unknowns": "endpoints=ecr_api,ecr_dkr,s3,logs&ecs_exec=true&unknown=efs",
    "every_field_unknown": "unknown=" + ",".join(field.name for field in FIELDS),
    "unknown_os_with_a_windows_version": "os=unknown&platform_version=1.0.0&nat_gateway=true",
    "unknown_lists_and_counts": (
        "endpoints=unknown&secrets=unknown&subnet_count=unknown&security_group_count=unknown"
        "&nat_gateway=true"
    ),
}


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


def test_every_field_is_a_query_parameter_in_order_then_unknown(doc: dict[str, Any]) -> None:
    parameters = doc["paths"]["/api/v1/evaluate"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == [field.name for field in FIELDS] + ["unknown"]
    for parameter, field in zip(parameters, FIELDS, strict=False):
        if field.kind is Kind.MULTI:
            assert (parameter["style"], parameter["explode"]) == ("form", False)
    named = parameters[-1]
    assert (named["style"], named["explode"]) == ("form", False)
    assert named["schema"]["items"]["enum"] == [field.name for field in FIELDS]


def _accepts(schema: dict[str, Any], value: Any) -> bool:
    return Draft202012Validator(schema).is_valid(value)


@pytest.mark.parametrize("field", FIELDS, ids=[field.name for field in FIELDS])
def test_every_field_documents_unknown_as_a_value(doc: dict[str, Any], field: Any) -> None:
    parameter = next(p for p in doc["paths"]["/api/v1/evaluate"]["get"]["parameters"]
                     if p["name"] == field.name)
    schemas = doc["components"]["schemas"]
    for schema in (parameter["schema"], schemas["Answers"]["properties"][field.name],
                   schemas["NormalisedAnswers"]["properties"][field.name]):
        assert _accepts(schema, "unknown")
        assert not _accepts(schema, "Unknown-ish")
    assert "`unknown`" in parameter["description"]
    assert "unknown" not in str(schemas["Witness"]["properties"]["answers"]["properties"])


def test_the_result_schema_documents_the_section_4_additions(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    assert "conditional" in schemas["Verdict"]["properties"]["status"]["enum"]
    assert {"conditions", "witness"} <= set(schemas["Verdict"]["properties"])
    assert "witness" not in schemas["Verdict"]["required"]
    assert "depends" in schemas["TrafficRow"]["properties"]["status"]["enum"]
    assert "route" in schemas["TrafficRow"]["required"]
    assert "certain" in schemas["Finding"]["required"]
    assert "requirements" in schemas["Result"]["required"]
    assert schemas["Requirement"]["properties"]["state"]["enum"] == ["met", "violated", "unknown"]
    assert schemas["Requirement"]["properties"]["finding"]["type"] == ["string", "null"]
    assert schemas["Hop"]["properties"]["passes"]["type"] == ["boolean", "null"]


def test_a_witness_is_there_exactly_when_the_verdict_is_conditional(doc: dict[str, Any]) -> None:
    validator = validator_for(doc, "/components/schemas/Verdict")
    witness = {"answers": {"subnet": "public"}, "requirement": "reach-ecr-api",
               "finding": "no-path-to-aws-services", "permalink": "/result/?subnet=public"}
    base = {"blockers": 0, "warnings": 0, "summary": "", "conditions": 1}
    assert validator.is_valid(base | {"status": "conditional", "witness": witness})
    assert not validator.is_valid(base | {"status": "conditional"})
    assert not validator.is_valid(base | {"status": "ok", "witness": witness})
    assert validator.is_valid(base | {"status": "blocked"})


@pytest.mark.parametrize("query", SPREAD)
def test_get_responses_match_the_result_schema(
    client: Client, doc: dict[str, Any], query: str
) -> None:
    response = client.get(f"/api/v1/evaluate?{query}")
    assert response.status_code == 200
    validator = validator_for(doc, response_schema(doc, "/api/v1/evaluate", "get", "200"))
    assert_valid(validator, response.json())


@pytest.mark.parametrize("query", UNKNOWN_SPREAD.values(), ids=list(UNKNOWN_SPREAD))
def test_responses_with_unknown_answers_match_the_result_schema(
    client: Client, doc: dict[str, Any], query: str
) -> None:
    response = client.get(f"/api/v1/evaluate?{query}")
    assert response.status_code == 200
    result = response.json()
    validator = validator_for(doc, response_schema(doc, "/api/v1/evaluate", "get", "200"))
    assert_valid(validator, result)
    # The same answers as JSON, both ways: values and a list of names.
    answers = result["answers"]
    named = {"unknown": [name for name, value in answers.items() if value == "unknown"]}
    known = {name: value for name, value in answers.items() if value != "unknown"}
    request_validator = validator_for(doc, "/components/schemas/Answers")
    for body in (answers, {**known, **named}):
        assert_valid(request_validator, body)
        posted = client.post("/api/v1/evaluate", json.dumps(body),
                             content_type="application/json")
        assert posted.status_code == 200
        assert posted.json() == result


def test_the_unknown_spread_covers_every_verdict(client: Client) -> None:
    verdicts = {
        client.get(f"/api/v1/evaluate?{query}").json()["verdict"]["status"]
        for query in UNKNOWN_SPREAD.values()
    }
    assert verdicts == {"ok", "warning", "conditional", "blocked"}


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
    "unknown_of_every_kind": {
        "os": "unknown", "public_ip": "unknown", "endpoints": "unknown", "subnet_count": "unknown",
    },
    "unknown_names": {"unknown": ["subnet", "endpoints"]},
    "unknown_named_and_given_as_unknown": {"subnet": "unknown", "unknown": ["subnet"]},
    "unknown_names_a_stranger": {"unknown": ["subnet", "bogus"]},
    "unknown_not_a_list": {"unknown": "subnet"},
    "unknown_inside_a_list": {"endpoints": ["s3", "unknown"]},
    "unknown_capitalised_for_a_boolean": {"public_ip": "Unknown"},
    "unknown_os_with_a_windows_version": {"os": "unknown", "platform_version": "1.0.0"},
    "os_named_unknown_with_a_windows_version": {"unknown": ["os"], "platform_version": "1.0.0"},
    "windows_with_an_unknown_version": {"os": "windows", "platform_version": "unknown"},
}


@pytest.mark.parametrize("body", BODIES.values(), ids=list(BODIES))
def test_the_answers_schema_accepts_exactly_what_the_api_accepts(
    client: Client, doc: dict[str, Any], body: dict[str, Any]
) -> None:
    schema_accepts = validator_for(doc, "/components/schemas/Answers").is_valid(body)
    response = client.post("/api/v1/evaluate", json.dumps(body), content_type="application/json")
    assert schema_accepts == (response.status_code == 200)


def test_a_field_named_unknown_and_given_a_value_is_refused_as_the_schema_says_in_prose(
    client: Client, doc: dict[str, Any]
) -> None:
    """The one rule the Answers schema states in words only (see advisor/openapi.py)."""
    body = {"subnet": "public", "unknown": ["subnet"]}
    assert "but not given another value" in doc["components"]["schemas"]["Answers"][
        "properties"]["unknown"]["description"]
    response = client.post("/api/v1/evaluate", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["subnet"]


def test_the_answers_schema_knows_the_platform_versions_of_each_os(doc: dict[str, Any]) -> None:
    validator = validator_for(doc, "/components/schemas/Answers")
    for os, versions in PLATFORM_VERSIONS.items():
        for version in ("latest", "1.4.0", "1.3.0", "1.0.0"):
            body = {"os": os.value, "platform_version": version}
            assert validator.is_valid(body) == (version in versions), body


ERROR_REQUESTS = [
    ("get", "os=bsd&public_ip=maybe", None),
    ("get", "os=windows&platform_version=1.4.0", None),
    ("get", "unknown=foo", None),
    ("get", "subnet=public&unknown=subnet", None),
    ("post", "", b'{"unknown": ["subnet", "foo"]}'),
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
    assert {"basis", "blocking"} <= set(schemas["Requirement"]["required"])
