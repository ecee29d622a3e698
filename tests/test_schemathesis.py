"""schemathesis against /api/v1/openapi.json, in process through the WSGI app.

Every documented operation is called with requests generated from the document itself: first
schema-valid ones (each must get a documented status, content type, headers and body), then,
for the operations that take input, schema-violating ones (each must get a documented 400 that
names the problem, never a 5xx).

Where the API is knowingly more lenient or stricter than JSON Schema can say, the exception is
spelled out below, next to the behaviour it excuses, so that nothing else slips through with it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.generation import GenerationMode

from advisor.openapi import document
from advisor.rules.answers import (
    FIELDS_BY_NAME,
    INT_MAX,
    OS,
    PLATFORM_VERSIONS,
    UNKNOWN,
    UNKNOWN_PARAM,
    Field,
    Kind,
)


@pytest.fixture(autouse=True)
def _requests_outside_the_test_client_touch_no_database():
    """Calls straight into the WSGI app fire request_started/finished, whose
    close_old_connections would touch a test database the browser tests' live server left
    open (pytest-django then refuses). Django's own test client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
OPERATIONS = {
    f"{operation.method.upper()} {operation.path}": operation
    for operation in (result.ok() for result in SCHEMA.get_all_operations())
}
ANSWERS_SCHEMA = Draft202012Validator(document()["components"]["schemas"]["Answers"])
WITH_INPUT = ["GET /api/v1/evaluate", "POST /api/v1/evaluate"]

# The WSGI transport hands back the body as sent; the app gzips for clients that accept it.
IDENTITY = {"Accept-Encoding": "identity"}

FUZZ = settings(
    max_examples=150, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_the_document_describes_every_api_operation() -> None:
    assert set(OPERATIONS) == {
        "GET /api/v1/evaluate", "POST /api/v1/evaluate", "GET /api/v1/questions",
        "GET /healthz", "POST /api/v1/import",
    }


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_schema_valid_requests_get_documented_answers(name: str) -> None:
    operation = OPERATIONS[name]

    @FUZZ
    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    def check(case: Any) -> None:
        response = case.call(headers=IDENTITY)
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
        if response.status_code == 400 and _refusal_is_documented(case, response.json()):
            return
        case.validate_response(response, checks=[positive_data_acceptance])

    check()


@pytest.mark.parametrize("name", WITH_INPUT)
def test_schema_violating_requests_get_a_400_that_names_the_problem(name: str) -> None:
    operation = OPERATIONS[name]

    @FUZZ
    @given(case=operation.as_strategy(GenerationMode.NEGATIVE))
    def check(case: Any) -> None:
        response = case.call(headers=IDENTITY)
        case.validate_response(response, excluded_checks=[negative_data_rejection])
        # 414: advisor.limits refuses an over-long query string before the view (documented).
        assert response.status_code in (200, 400, 414)
        if response.status_code in (400, 414):
            errors = response.json()["errors"]
            assert errors and all(messages for messages in errors.values())
        elif not _acceptance_is_documented(case, response):
            case.validate_response(response, checks=[negative_data_rejection])

    check()


def _refusal_is_documented(case: Any, body: dict[str, Any]) -> bool:
    """A schema-valid request that the API refuses on purpose, and says why.

    - A query string cannot carry the document's per-OS platform versions (query parameters
      have no cross-field conditions), so `os=linux&platform_version=1.0.0` is schema-valid but
      refused; the JSON body's schema does state the rule.
    - Nor can it say that a field named in `unknown=` must not also be given another value
      (`subnet=public&unknown=subnet` is refused, naming subnet). The JSON body's schema says
      so in prose only: as if/then rules it was too hard for schemathesis to generate from
      (advisor/openapi.py), so `{"subnet": "public", "unknown": ["subnet"]}` is the same case.
    - JSON Schema counts 1.0 as an integer; the API asks for a JSON integer and refuses 1.0 by
      name (api.py's choice).
    - /api/v1/import takes any text as a document's content; text that is not a document the
      importer recognises is refused (advisor/import_views.py).
    """
    if case.path == "/api/v1/import":
        # Any string is schema-valid "content", but only a task definition, service, template,
        # plan or error message is a document; the rest is refused, naming each document.
        return all(messages for messages in body["errors"].values())
    answers = case.query if case.method.upper() == "GET" else case.body
    if not isinstance(answers, dict):
        return False
    explained = _given_and_named_unknown(answers) | _refining_pairs_disagree(answers)
    os = str(answers.get("os") or OS.LINUX.value)
    version = answers.get("platform_version")
    if (version and os in {o.value for o in OS}
            and version not in {v.value for v in PLATFORM_VERSIONS[OS(os)]}):
        explained.add("platform_version")
    for name, value in answers.items():
        field = FIELDS_BY_NAME.get(name)
        if field and field.kind is Kind.INT and isinstance(value, float):
            explained.add(name)
    return bool(explained) and set(body["errors"]) <= explained


def _refining_pairs_disagree(answers: dict[str, Any]) -> set[str]:
    """A newer field that refines an older one and contradicts it: refused naming both (the
    answers schema's description; spec section 4)."""

    def given(name: str) -> bool | str | None:
        value = answers.get(name)
        if isinstance(value, str):
            text = value.strip().lower()
            return {"true": True, "false": False}.get(text, text or None)
        return value if isinstance(value, bool) else None

    named = set(str(answers.get(UNKNOWN_PARAM) or "").split(",")) if isinstance(
        answers.get(UNKNOWN_PARAM), str) else set(answers.get(UNKNOWN_PARAM) or [])
    if named & {"vpc_dns", "dns_support", "dns_hostnames", "nat_gateway", "egress_via"}:
        return set()  # a named unknown settles nothing to contradict
    found: set[str] = set()
    vpc_dns = given("vpc_dns")
    if vpc_dns is True:
        found |= {name for name in ("dns_support", "dns_hostnames") if given(name) is False}
    elif vpc_dns is False and given("dns_support") is True and given("dns_hostnames") is True:
        found |= {"dns_support"}
    if found:
        found.add("vpc_dns")
    via = given("egress_via")
    if given("nat_gateway") is False and via not in (None, "nat_gateway", UNKNOWN):
        found |= {"nat_gateway", "egress_via"}
    return found


def _given_and_named_unknown(answers: dict[str, Any]) -> set[str]:
    """The fields the answers name in `unknown` and also give a value other than unknown (or,
    in JSON, null: not given)."""
    named = answers.get(UNKNOWN_PARAM) or []
    names = named.split(",") if isinstance(named, str) else [str(name) for name in named]
    return {
        name for name in names
        if name in answers and answers[name] is not None
        and str(answers[name]).strip().lower() not in ("", UNKNOWN)
    }


def _acceptance_is_documented(case: Any, response: Any) -> bool:
    """A schema-violating request that the API accepts on purpose.

    - Query strings are read the way people and links write them (`parse_query`'s contract):
      values are trimmed and case-insensitive, an empty value means the default, a list may
      have empty or repeated items, `unknown=` may have empty names, and unknown parameters
      are ignored (links pick up tracking parameters).
    - In a JSON body, null means "not given": the field takes its default. The document does
      not declare the fields nullable.
    """
    if case.method.upper() == "GET":
        params = parse_qs(urlsplit(response.request.url).query, keep_blank_values=True)
        named = [name.strip() for value in params.get(UNKNOWN_PARAM, [])
                 for name in value.split(",")]
        return all(name in FIELDS_BY_NAME for name in named if name) and all(
            _lenient_query_value_is_valid(FIELDS_BY_NAME[name], values)
            for name, values in params.items() if name in FIELDS_BY_NAME
        )
    if not isinstance(case.body, dict) or None not in case.body.values():
        return False
    without_nulls = {name: value for name, value in case.body.items() if value is not None}
    return ANSWERS_SCHEMA.is_valid(without_nulls)


def _lenient_query_value_is_valid(field: Field, values: list[str]) -> bool:
    words = [value.strip().lower() for value in values]
    if field.kind is Kind.MULTI and ",".join(words).strip() == UNKNOWN:
        return True  # the whole list unknown (not an item in it)
    if field.kind is Kind.MULTI:
        items = [item.strip() for word in words for item in word.split(",")]
        return all(item in field.choices for item in items if item)
    given = {word for word in words if word}
    if len(given) > 1:
        return False
    if field.kind is Kind.INT:
        return all(
            word == UNKNOWN
            or (word.isascii() and word.isdigit() and (field.minimum or 0) <= int(word) <= INT_MAX)
            for word in given
        )
    return given <= {*field.choices, UNKNOWN}
