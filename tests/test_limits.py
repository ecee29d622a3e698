"""Oversized input is refused at once, with a message that names the limit: never a 500, never
a bare "Bad Request", never the input echoed back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from advisor.api import MAX_BODY_BYTES
from advisor.limits import MAX_QUERY_BYTES, MAX_QUERY_FIELDS

PAGES = ["/", "/result/", "/result.md", "/embed/", "/embed/result/"]
API = ["/api/v1/evaluate", "/api/v1/questions", "/api/v1/openapi.json", "/oembed/"]
HTMX = {"HX-Request": "true"}


def get(path: str, query: str, **headers: str) -> Any:
    return Client().get(path, QUERY_STRING=query, headers=headers)


def long_query(size: int) -> str:
    """A query string of exactly `size` bytes: one tracking parameter padded out."""
    return "utm_source=" + "x" * (size - len("utm_source="))


def many_fields(count: int) -> str:
    return "&".join(f"utm_{n}=1" for n in range(count))


def assert_page_names(response: Any, status: int, *phrases: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    for phrase in phrases:
        assert phrase in body
    assert "xxxxxxxxxx" not in body, "the oversized input is not echoed back"


def assert_json_names(response: Any, status: int, *phrases: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    messages = response.json()["errors"]["__all__"]
    for phrase in phrases:
        assert any(phrase in message for message in messages)
    assert "xxxxxxxxxx" not in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_page_refuses_a_too_long_query_string_with_414_naming_the_limit(path: str) -> None:
    response = get(path, long_query(MAX_QUERY_BYTES + 1))
    assert_page_names(
        response, 414, "The address is too long", f"too long: {MAX_QUERY_BYTES + 1} bytes",
        f"the limit is {MAX_QUERY_BYTES} bytes",
    )


@pytest.mark.parametrize("path", API)
def test_the_api_refuses_a_too_long_query_string_with_a_414_json_error(path: str) -> None:
    response = get(path, long_query(MAX_QUERY_BYTES + 1))
    assert_json_names(response, 414, f"the limit is {MAX_QUERY_BYTES} bytes")


def test_the_htmx_summary_refuses_a_too_long_query_string_too() -> None:
    response = get("/summary/", long_query(MAX_QUERY_BYTES + 1), **HTMX)
    assert_page_names(response, 414, f"the limit is {MAX_QUERY_BYTES} bytes")


@pytest.mark.parametrize("path", PAGES)
def test_a_page_refuses_too_many_fields_with_400_naming_the_limit(path: str) -> None:
    response = get(path, many_fields(MAX_QUERY_FIELDS + 1))
    assert_page_names(
        response, 400, "too many fields", f"{MAX_QUERY_FIELDS + 1};",
        f"the limit is {MAX_QUERY_FIELDS}",
    )


@pytest.mark.parametrize("path", API)
def test_the_api_refuses_too_many_fields_with_a_400_json_error(path: str) -> None:
    response = get(path, many_fields(MAX_QUERY_FIELDS + 1))
    assert_json_names(response, 400, f"the limit is {MAX_QUERY_FIELDS}")


def test_thousands_of_parameters_get_the_same_designed_answer() -> None:
    """Beyond Django's own field limit (1000), which would answer a bare 'Bad Request'."""
    query = many_fields(5000)
    assert_page_names(get("/result/", query), 400, "too many fields: 5000;")
    assert_json_names(get("/api/v1/evaluate", query), 400, "too many fields: 5000;")


@pytest.mark.parametrize("path", ["/", "/result/", "/api/v1/evaluate"])
def test_a_query_string_at_the_limits_is_read(path: str) -> None:
    at_size = get(path, long_query(MAX_QUERY_BYTES))
    at_count = get(path, many_fields(MAX_QUERY_FIELDS))
    for response in (at_size, at_count):
        assert response.status_code in (200, 302)


def test_the_longest_real_answers_are_far_inside_the_limits() -> None:
    """Every field away from its default, every list item ticked, sent as the form sends it."""
    query = (
        "step=load_balancer&os=windows&arch=x86_64&platform_version=1.0.0&subnet=public"
        "&public_ip=true&nat_gateway=true&ip_mode=dualstack&dualstack_account_setting=true"
        "&ipv6_autoassign=true&ipv6_egress=egress_only_igw&vpc_dns=false"
        + "".join(f"&endpoints={e}" for e in ("ecr_api", "ecr_dkr", "s3", "logs",
                                              "secretsmanager", "ssm", "ssmmessages", "kms"))
        + "&endpoint_private_dns=false&registry=ecr_pull_through_cache&log_driver=firelens"
        "&secrets=secretsmanager&secrets=ssm&cmk=true&efs=true&ecs_exec=true"
        "&load_balancer=none&target_type=instance&subnet_count=1000&security_group_count=1000"
    )
    assert len(query) * 3 < MAX_QUERY_BYTES
    assert (query.count("&") + 1) * 2 < MAX_QUERY_FIELDS
    assert get("/", query).status_code in (200, 302)


def test_an_oversized_json_body_is_a_400_naming_the_limit() -> None:
    body = json.dumps({"subnet": "x" * (4 * MAX_BODY_BYTES)})
    response = Client().post("/api/v1/evaluate", body, content_type="application/json")
    assert_json_names(response, 400, f"the limit is {MAX_BODY_BYTES} bytes")


def test_a_megabyte_body_is_refused_the_same_way() -> None:
    body = b"[" * 1024 * 1024
    response = Client().post("/api/v1/evaluate", body, content_type="application/json")
    assert_json_names(response, 400, "too large")
