"""The JSON API: /api/v1/evaluate (GET and POST) and /api/v1/questions, spec sections 2 and 3."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from advisor.api import MAX_BODY_BYTES
from advisor.rules import evaluate, parse_query
from advisor.rules.answers import (
    DEFAULT_ANSWERS,
    FIELDS,
    PLATFORM_VERSIONS,
    STEP_TITLES,
    Kind,
    to_dict,
)

EVALUATE = "/api/v1/evaluate"
QUESTIONS = "/api/v1/questions"

# The same answers as a query string and as a JSON object.
SAME_ANSWERS = {
    "defaults": ("", {}),
    "public_subnet_with_public_ip": (
        "subnet=public&public_ip=true", {"subnet": "public", "public_ip": True},
    ),
    "private_subnet_with_endpoints_and_secrets": (
        "endpoints=ecr_api,ecr_dkr,s3,logs,ssm&secrets=ssm,secretsmanager&cmk=true",
        {"endpoints": ["ecr_api", "ecr_dkr", "s3", "logs", "ssm"],
         "secrets": ["ssm", "secretsmanager"], "cmk": True},
    ),
    "windows_with_efs": (
        "os=windows&platform_version=1.0.0&nat_gateway=true&efs=true",
        {"os": "windows", "platform_version": "1.0.0", "nat_gateway": True, "efs": True},
    ),
    "retired_platform_version_with_counts": (
        "platform_version=1.3.0&subnet_count=17&security_group_count=0&load_balancer=clb",
        {"platform_version": "1.3.0", "subnet_count": 17, "security_group_count": 0,
         "load_balancer": "clb"},
    ),
    # Spec section 4: unknown answers, one by one or named together.
    "unknown_network": (
        "unknown=subnet,public_ip,nat_gateway,endpoints",
        {"unknown": ["subnet", "public_ip", "nat_gateway", "endpoints"]},
    ),
    "unknown_values_of_every_kind": (
        "subnet=unknown&public_ip=unknown&endpoints=unknown&subnet_count=unknown",
        {"subnet": "unknown", "public_ip": "unknown", "endpoints": "unknown",
         "subnet_count": "unknown"},
    ),
    "unknown_beside_known": (
        "nat_gateway=true&unknown=registry,secrets",
        {"nat_gateway": True, "registry": "unknown", "secrets": "unknown"},
    ),
}


def post_json(client: Client, body: Any, **extra: Any) -> Any:
    return client.post(EVALUATE, json.dumps(body), content_type="application/json", **extra)


def assert_error_body(response: Any, status: int = 400) -> dict[str, list[str]]:
    """A designed JSON error: the status, a JSON content type, and only `errors`."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["errors"]
    assert body["errors"]
    for messages in body["errors"].values():
        assert messages
        assert all(isinstance(message, str) and message for message in messages)
    return body["errors"]


# --- 200 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [q for q, _ in SAME_ANSWERS.values()], ids=list(SAME_ANSWERS))
def test_get_returns_the_evaluation_of_the_query(client: Client, query: str) -> None:
    response = client.get(f"{EVALUATE}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    expected = evaluate(parse_query(query)).to_dict()
    assert response.json() == json.loads(json.dumps(expected))


@pytest.mark.parametrize(("query", "body"), SAME_ANSWERS.values(), ids=list(SAME_ANSWERS))
def test_get_and_post_of_the_same_answers_give_the_same_json(
    client: Client, query: str, body: dict[str, Any]
) -> None:
    got = client.get(f"{EVALUATE}?{query}")
    posted = post_json(client, body)
    assert got.status_code == posted.status_code == 200
    assert got.content == posted.content


def test_answers_are_normalised_with_defaults_filled_in(client: Client) -> None:
    response = client.get(f"{EVALUATE}?subnet=PUBLIC&public_ip=True&endpoints=s3,ecr_api,s3")
    answers = response.json()["answers"]
    assert list(answers) == [field.name for field in FIELDS]
    assert answers == {
        **to_dict(DEFAULT_ANSWERS),
        "subnet": "public",
        "public_ip": True,
        "endpoints": ["ecr_api", "s3"],
    }


def test_unknown_query_fields_are_ignored(client: Client) -> None:
    plain = client.get(f"{EVALUATE}?subnet=public&public_ip=true")
    tracked = client.get(f"{EVALUATE}?utm_source=newsletter&subnet=public&public_ip=true&x=1")
    assert tracked.status_code == 200
    assert tracked.content == plain.content


@pytest.mark.parametrize(("query", "body"), SAME_ANSWERS.values(), ids=list(SAME_ANSWERS))
def test_the_permalink_round_trips(client: Client, query: str, body: dict[str, Any]) -> None:
    first = post_json(client, body).json()
    link = urlsplit(first["permalink"])
    assert link.path == "/result/"
    again = client.get(f"{EVALUATE}?{link.query}").json()
    assert again["answers"] == first["answers"]
    assert again == first


def test_head_answers_like_get(client: Client) -> None:
    response = client.head(f"{EVALUATE}?subnet=public")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_post_accepts_a_utf8_charset(client: Client) -> None:
    response = client.post(EVALUATE, "{}", content_type="application/json; charset=UTF-8")
    assert response.status_code == 200


# --- Unknown answers (spec section 4) ----------------------------------------------------------

UNKNOWN_VERDICTS = {
    "conditional": ("unknown=subnet,nat_gateway,public_ip,endpoints", "conditional"),
    "blocked_whatever_the_subnet": ("unknown=subnet", "blocked"),
    "ok_whatever_the_registry": ("nat_gateway=true&unknown=registry", "ok"),
    "warning_whatever_efs_is": ("endpoints=ecr_api,ecr_dkr,s3,logs&ecs_exec=true&unknown=efs",
                                "warning"),
}


@pytest.mark.parametrize(
    ("query", "status"), UNKNOWN_VERDICTS.values(), ids=list(UNKNOWN_VERDICTS)
)
def test_unknown_answers_get_a_verdict_over_every_value_they_could_take(
    client: Client, query: str, status: str
) -> None:
    result = client.get(f"{EVALUATE}?{query}").json()
    verdict = result["verdict"]
    assert verdict["status"] == status
    assert ("witness" in verdict) == (status == "conditional")
    assert verdict["blockers"] == sum(
        1 for f in result["findings"] if f["certain"] and f["severity"] == "blocker"
    )
    assert verdict["warnings"] == sum(
        1 for f in result["findings"] if f["certain"] and f["severity"] == "warning"
    )


def test_a_conditional_verdict_carries_a_witness_that_is_blocked(client: Client) -> None:
    result = client.get(f"{EVALUATE}?{UNKNOWN_VERDICTS['conditional'][0]}").json()
    verdict = result["verdict"]
    assert verdict["conditions"] >= 1
    witness = verdict["witness"]
    assert set(witness["answers"]) <= {"subnet", "nat_gateway", "public_ip", "endpoints"}
    assert witness["requirement"] in {r["id"] for r in result["requirements"]}
    assert witness["finding"] in {f["id"] for f in result["findings"]}
    link = urlsplit(witness["permalink"])
    # The fields the witness leaves unknown do not matter: it is blocked whatever they are.
    assert client.get(f"{EVALUATE}?{link.query}").json()["verdict"]["status"] == "blocked"
    assert any(row["status"] == "depends" for row in result["traffic"])
    assert any(not f["certain"] for f in result["findings"])


def test_unknown_answers_are_kept_in_the_answers_and_the_permalink(client: Client) -> None:
    result = client.get(f"{EVALUATE}?endpoints=unknown&subnet=unknown&nat_gateway=true").json()
    assert result["answers"]["subnet"] == result["answers"]["endpoints"] == "unknown"
    assert result["permalink"] == "/result/?nat_gateway=true&unknown=subnet,endpoints"


def test_every_result_lists_requirements_and_routes(client: Client) -> None:
    result = client.get(f"{EVALUATE}?subnet=public&public_ip=true").json()
    assert result["requirements"]
    for requirement in result["requirements"]:
        assert requirement["state"] in ("met", "violated", "unknown")
        assert (requirement["finding"] is not None) == (requirement["state"] == "violated")
        assert requirement["sources"]
    for row in result["traffic"]:
        assert all(set(hop) == {"kind", "name", "passes"} for hop in row["route"])
    assert all(f["certain"] for f in result["findings"])


def test_a_configuration_that_cannot_work_is_a_result_not_an_error(client: Client) -> None:
    response = client.get(f"{EVALUATE}?os=windows&efs=true&arch=arm64")
    assert response.status_code == 200
    assert response.json()["verdict"]["status"] == "blocked"


# --- 400: bad answers ------------------------------------------------------------------------

BAD_QUERIES = {
    "unknown_value": ("os=bsd", "os", ["'bsd'", "linux, windows"]),
    "bad_boolean": ("public_ip=yes", "public_ip", ["'yes'", "true, false"]),
    "bad_integer": ("subnet_count=two", "subnet_count", ["'two'", "whole number"]),
    "integer_out_of_range": ("subnet_count=0", "subnet_count", ["0", "from 1"]),
    "negative_integer": ("security_group_count=-1", "security_group_count", ["'-1'"]),
    "unknown_list_member": (
        "endpoints=ecr_api,ecr_fancy", "endpoints", ["'ecr_fancy'", "ecr_api, ecr_dkr, s3"],
    ),
    "windows_with_a_linux_platform_version": (
        "os=windows&platform_version=1.4.0", "platform_version", ["1.4.0", "latest, 1.0.0"],
    ),
    "linux_with_the_windows_platform_version": (
        "platform_version=1.0.0", "platform_version", ["1.0.0", "latest, 1.4.0, 1.3.0"],
    ),
    "conflicting_repeated_value": (
        "subnet=public&subnet=private", "subnet", ["more than once"],
    ),
    "unknown_names_a_stranger": ("unknown=foo", "unknown", ["'foo'", "not a field", "subnet"]),
    "given_and_named_unknown": ("subnet=public&unknown=subnet", "subnet", ["unknown="]),
    "unknown_inside_a_list": ("endpoints=s3,unknown", "endpoints", ["'unknown'"]),
    "unknown_and_a_value_repeated": ("subnet=unknown&subnet=public", "subnet", ["more than once"]),
}


@pytest.mark.parametrize(
    ("query", "field", "phrases"), BAD_QUERIES.values(), ids=list(BAD_QUERIES)
)
def test_a_bad_query_is_a_400_naming_the_field_and_allowed_values(
    client: Client, query: str, field: str, phrases: list[str]
) -> None:
    errors = assert_error_body(client.get(f"{EVALUATE}?{query}"))
    assert list(errors) == [field]
    for phrase in phrases:
        assert phrase in errors[field][0]


def test_every_bad_field_is_named_at_once(client: Client) -> None:
    errors = assert_error_body(client.get(f"{EVALUATE}?os=bsd&public_ip=maybe&subnet_count=x"))
    assert set(errors) == {"os", "public_ip", "subnet_count"}


BAD_BODIES = {
    "unknown_field": ({"subnett": "public"}, "subnett", ["Unknown field", "subnet"]),
    "unknown_value": ({"registry": "gcr"}, "registry", ["'gcr'", "docker_hub"]),
    "string_for_a_boolean": ({"public_ip": "true"}, "public_ip", ["JSON boolean"]),
    "string_for_an_integer": ({"subnet_count": "2"}, "subnet_count", ["JSON integer"]),
    "boolean_for_an_integer": ({"subnet_count": True}, "subnet_count", ["JSON integer"]),
    "string_for_a_list": ({"endpoints": "s3"}, "endpoints", ["JSON array", "ecr_api"]),
    "windows_with_a_linux_platform_version": (
        {"os": "windows", "platform_version": "1.3.0"}, "platform_version", ["latest, 1.0.0"],
    ),
    "unknown_names_a_stranger": ({"unknown": ["subnet", "foo"]}, "unknown", ["'foo'"]),
    "unknown_is_not_a_list": ({"unknown": "subnet"}, "unknown", ["JSON array"]),
    # JSON names each field exactly: the query string's commas and blanks are not for arrays.
    "unknown_names_an_empty_string": ({"unknown": [""]}, "unknown", ["'' is not a field"]),
    "unknown_names_two_in_one_string": (
        {"unknown": ["subnet,public_ip"]}, "unknown", ["'subnet,public_ip'"],
    ),
    "given_and_named_unknown": (
        {"subnet": "public", "unknown": ["subnet"]}, "subnet", ["named in unknown"],
    ),
    "unknown_inside_a_list": ({"endpoints": ["s3", "unknown"]}, "endpoints", ["'unknown'"]),
}


@pytest.mark.parametrize(("body", "field", "phrases"), BAD_BODIES.values(), ids=list(BAD_BODIES))
def test_a_bad_json_answer_is_a_400_naming_the_field(
    client: Client, body: dict[str, Any], field: str, phrases: list[str]
) -> None:
    errors = assert_error_body(post_json(client, body))
    assert list(errors) == [field]
    for phrase in phrases:
        assert phrase in errors[field][0]


# --- 400: bad bodies -------------------------------------------------------------------------

BAD_REQUESTS: dict[str, tuple[bytes, str, list[str]]] = {
    "not_json": (b"subnet=public", "application/json", ["not valid JSON"]),
    "truncated_json": (b'{"subnet": "public"', "application/json", ["not valid JSON", "line 1"]),
    "json_array": (b'["subnet", "public"]', "application/json", ["JSON object"]),
    "json_string": (b'"subnet=public"', "application/json", ["JSON object"]),
    "json_null": (b"null", "application/json", ["JSON object"]),
    "empty_body": (b"", "application/json", ["empty"]),
    "invalid_utf8": (b'{"subnet": "\xff"}', "application/json", ["not valid UTF-8"]),
    "other_charset": (b"{}", "application/json; charset=latin-1", ["UTF-8", "latin-1"]),
    "form_content_type": (
        b"subnet=public", "application/x-www-form-urlencoded",
        ["Content-Type: application/json", "application/x-www-form-urlencoded"],
    ),
    "text_content_type": (b"{}", "text/plain", ["Content-Type: application/json"]),
    "deeply_nested": (b"[" * 5000 + b"]" * 5000, "application/json", ["nested"]),
    "nested_in_a_field": (
        b'{"endpoints": ' + b"[" * 20 + b"]" * 20 + b"}", "application/json", ["nested"],
    ),
    "duplicate_key": (
        b'{"subnet": "public", "subnet": "private"}', "application/json", ["'subnet'", "once"],
    ),
    "nan": (b'{"subnet_count": NaN}', "application/json", ["NaN"]),
    "huge_integer": (b'{"subnet_count": ' + b"9" * 5000 + b"}", "application/json", ["too long"]),
    "oversized": (
        b'{"subnet": "public", "pad": "' + b"x" * MAX_BODY_BYTES + b'"}', "application/json",
        ["too large", str(MAX_BODY_BYTES)],
    ),
}


@pytest.mark.parametrize(
    ("body", "content_type", "phrases"), BAD_REQUESTS.values(), ids=list(BAD_REQUESTS)
)
def test_a_bad_body_is_a_400_json_answer(
    client: Client, body: bytes, content_type: str, phrases: list[str]
) -> None:
    errors = assert_error_body(client.post(EVALUATE, body, content_type=content_type))
    assert list(errors) == ["__all__"]
    for phrase in phrases:
        assert phrase in errors["__all__"][0]


def test_a_body_just_under_the_limit_is_read(client: Client) -> None:
    body = b'{"subnet": "public"' + b" " * (MAX_BODY_BYTES - 21) + b"}"
    assert len(body) == MAX_BODY_BYTES - 1
    assert client.post(EVALUATE, body, content_type="application/json").status_code == 200


def test_a_body_that_declares_a_huge_length_is_refused_before_reading(client: Client) -> None:
    response = client.generic(
        "POST", EVALUATE, b"{}", content_type="application/json",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )
    assert "too large" in assert_error_body(response)["__all__"][0]


def test_a_chunked_body_is_asked_to_come_with_a_length(client: Client) -> None:
    # Django reads Content-Length bytes; a chunked request has none, so its body reads empty.
    response = client.generic(
        "POST", EVALUATE, b"", content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert "Content-Length" in assert_error_body(response)["__all__"][0]


def test_too_many_query_fields_is_a_400_json_answer(client: Client) -> None:
    query = urlencode([(f"utm{n}", "x") for n in range(1200)])
    errors = assert_error_body(client.get(f"{EVALUATE}?{query}"))
    assert "too many fields" in errors["__all__"][0]


# --- 405 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("put", EVALUATE, "GET, HEAD, POST"),
        ("patch", EVALUATE, "GET, HEAD, POST"),
        ("delete", EVALUATE, "GET, HEAD, POST"),
        ("options", EVALUATE, "GET, HEAD, POST"),
        ("post", QUESTIONS, "GET, HEAD"),
        ("post", "/api/v1/openapi.json", "GET, HEAD"),
    ],
)
def test_another_method_is_a_405_json_answer_with_allow(
    client: Client, method: str, url: str, allowed: str
) -> None:
    response = getattr(client, method)(url)
    errors = assert_error_body(response, status=405)
    assert response["Allow"] == allowed
    assert method.upper() in errors["__all__"][0]
    assert allowed in errors["__all__"][0]


# --- /api/v1/questions ------------------------------------------------------------------------


@pytest.fixture
def questions(client: Client) -> dict[str, Any]:
    response = client.get(QUESTIONS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_questions_list_every_field_in_wizard_order(questions: dict[str, Any]) -> None:
    assert [q["name"] for q in questions["fields"]] == [field.name for field in FIELDS]


def test_questions_describe_each_field_from_the_vocabulary(questions: dict[str, Any]) -> None:
    defaults = to_dict(DEFAULT_ANSWERS)
    for question, field in zip(questions["fields"], FIELDS, strict=True):
        assert question["label"] == field.label
        assert question["help"].startswith(field.help)
        assert f"{field.name}=unknown" in question["help"]
        assert question["accepts_unknown"] is True
        assert question["kind"] == field.kind.value
        assert question["step"] == field.step.value
        assert question["step_title"] == STEP_TITLES[field.step]
        assert question["source_url"] == field.source_url
        assert question["default"] == defaults[field.name]
        values = [v["value"] for v in question["values"]]
        if field.kind is Kind.BOOL:
            assert values == [True, False]
        else:
            assert values == list(field.choices)
            assert [v["label"] for v in question["values"]] == [
                field.label_for(value) for value in field.choices
            ]


def test_questions_give_the_platform_versions_of_each_os(questions: dict[str, Any]) -> None:
    question = next(q for q in questions["fields"] if q["name"] == "platform_version")
    assert question["values_by_os"] == {
        os.value: [version.value for version in versions]
        for os, versions in PLATFORM_VERSIONS.items()
    }
    assert question["latest"] == {"linux": "1.4.0", "windows": "1.0.0"}


def test_questions_give_integer_bounds(questions: dict[str, Any]) -> None:
    bounds = {q["name"]: (q["minimum"], q["maximum"]) for q in questions["fields"]
              if q["kind"] == "int"}
    assert bounds["subnet_count"][0] == 1
    assert bounds["security_group_count"][0] == 0


def test_question_steps_cover_every_field_once_in_order(questions: dict[str, Any]) -> None:
    in_steps = [name for step in questions["steps"] for name in step["fields"]]
    by_step = sorted(FIELDS, key=lambda field: list(STEP_TITLES).index(field.step))
    assert in_steps == [field.name for field in by_step]  # each once, in FIELDS order per step
    assert [step["title"] for step in questions["steps"]] == list(STEP_TITLES.values())


def test_questions_say_how_to_answer_unknown(questions: dict[str, Any]) -> None:
    unknown = questions["unknown"]
    assert (unknown["value"], unknown["parameter"], unknown["label"]) == (
        "unknown", "unknown", "Not sure")
    assert "unknown=a,b,c" in unknown["help"]


def test_unknown_is_accepted_for_every_question(
    client: Client, questions: dict[str, Any]
) -> None:
    for question in questions["fields"]:
        assert question["accepts_unknown"]
        response = post_json(client, {question["name"]: "unknown"})
        assert response.status_code == 200, (question["name"], response.content)
        assert response.json()["answers"][question["name"]] == "unknown"
        assert client.get(f"{EVALUATE}?unknown={question['name']}").content == response.content


def test_every_value_the_questions_offer_is_accepted(
    client: Client, questions: dict[str, Any]
) -> None:
    for question in questions["fields"]:
        for value in question["values"]:
            body = {question["name"]: [value["value"]] if question["kind"] == "multi"
                    else value["value"]}
            if question["name"] == "platform_version" and value["value"] == "1.0.0":
                body["os"] = "windows"
            response = post_json(client, body)
            assert response.status_code == 200, (body, response.content)
