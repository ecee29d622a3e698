"""Fuzzing the JSON API with hypothesis: whatever arrives, the answer is a result or a designed
JSON error that names the problem; never a 5xx, never anything but JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.limits import query_problem
from advisor.rules import parse_query
from advisor.rules.answers import UNKNOWN, UNKNOWN_PARAM
from tests.fuzz_inputs import (
    FIELD_NAMES,
    answer_errors,
    assert_json_error_names_the_problem,
    content_types,
    encode_pairs,
    json_bodies,
    names,
    query_strings,
    values,
)

pytestmark = pytest.mark.usefixtures("fuzz_budget")  # tests/conftest.py

EVALUATE = "/api/v1/evaluate"
CLIENT = Client()
FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_json(response: Any) -> None:
    assert response.status_code < 500
    assert response["Content-Type"] == "application/json"
    # With nosniff, no browser renders a JSON body as a page, whatever strings it holds.
    assert response["X-Content-Type-Options"] == "nosniff"


@FUZZ
@given(query=query_strings())
def test_any_query_string_gets_a_result_or_a_400_that_names_each_problem(query: str) -> None:
    response = CLIENT.get(EVALUATE, QUERY_STRING=query)
    assert_json(response)
    if query_problem(query):
        assert response.status_code in (400, 414)
        assert set(assert_json_error_names_the_problem(response)) == {"__all__"}
        return
    errors = answer_errors(QueryDict(query))
    if errors is None:
        assert response.status_code == 200
        assert set(response.json()["answers"]) == set(FIELD_NAMES)
    else:
        assert response.status_code == 400
        assert assert_json_error_names_the_problem(response) == errors


# Queries that lean on `unknown` (spec section 4): fields given as unknown or as values, and
# `unknown=` lists that name fields, strangers, or fields also given.
unknown_pairs = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(FIELD_NAMES), st.one_of(st.just(UNKNOWN.value), values)),
        st.tuples(
            st.just(UNKNOWN_PARAM),
            st.lists(st.one_of(st.sampled_from(FIELD_NAMES), names), max_size=5).map(",".join),
        ),
    ),
    max_size=10,
)


@FUZZ
@given(pairs=unknown_pairs)
def test_unknown_answers_get_a_result_that_keeps_them_or_a_400_that_names_the_field(
    pairs: list[tuple[str, str]],
) -> None:
    query = encode_pairs(pairs)
    response = CLIENT.get(EVALUATE, QUERY_STRING=query)
    assert_json(response)
    if query_problem(query):  # over the size limits: tested above
        assert response.status_code in (400, 414)
        return
    errors = answer_errors(QueryDict(query))
    if errors is not None:
        assert response.status_code == 400
        assert assert_json_error_names_the_problem(response) == errors
        return
    assert response.status_code == 200
    result = response.json()
    unknown = [name for name, value in result["answers"].items() if value == UNKNOWN]
    assert unknown == list(parse_query(QueryDict(query)).unknown)
    assert (result["verdict"]["status"] == "conditional") == ("witness" in result["verdict"])
    # The permalink names each unknown field once, together, and means the same answers.
    link = result["permalink"].partition("?")[2]
    assert link.count(f"={UNKNOWN}") == 0
    assert CLIENT.get(EVALUATE, QUERY_STRING=link).json()["answers"] == result["answers"]


@FUZZ
@given(body=json_bodies(), content_type=content_types)
def test_any_post_body_gets_a_result_or_a_400_that_names_the_problem(
    body: bytes, content_type: str
) -> None:
    response = CLIENT.generic("POST", EVALUATE, body, content_type=content_type)
    assert_json(response)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert set(response.json()["answers"]) == set(FIELD_NAMES)
    else:
        assert_json_error_names_the_problem(response)


@FUZZ
@given(query=query_strings(), path=st.sampled_from(["/api/v1/questions", "/api/v1/openapi.json"]))
def test_the_vocabulary_and_the_document_ignore_any_query(query: str, path: str) -> None:
    response = CLIENT.get(path, QUERY_STRING=query)
    assert_json(response)
    if query_problem(query):
        assert_json_error_names_the_problem(response)
    else:
        assert response.status_code == 200


@settings(max_examples=50, deadline=None)
@given(
    method=st.sampled_from(["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "<SCRIPT>"]),
    path=st.sampled_from(["/api/v1/evaluate", "/api/v1/questions", "/api/v1/openapi.json"]),
    body=json_bodies(),
)
def test_any_other_method_is_a_405_that_names_the_allowed_ones(
    method: str, path: str, body: bytes
) -> None:
    response = CLIENT.generic(method, path, body, content_type="application/json")
    assert_json(response)
    assert response.status_code == 405
    (message,) = assert_json_error_names_the_problem(response)["__all__"]
    assert "Allowed methods" in message
    assert response["Allow"]
