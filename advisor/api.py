"""The JSON API (spec section 2): thin function views around `evaluate()`.

Every answer is JSON, errors included: bad input gets a 400 `{"errors": {"<field>": [...]}}`
that names the problem, a method the address does not take gets a 405 with an `Allow` header,
and neither ever falls through to Django's HTML error pages. Problems with the request as a
whole (the body, its type, its size) are reported under `__all__`, like Django's forms do.

Unknown answers (spec section 4) need nothing here: the parsers read `field=unknown` and
`unknown=a,b,c`, `evaluate()` decides over them, and `Result.to_dict()` carries the verdict's
conditions and witness, the requirements and the routes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from advisor.caching import cacheable_result
from advisor.presentation import NOT_SURE
from advisor.rules import RULES_VERSION, AnswersError, evaluate, parse_json, parse_query
from advisor.rules.answers import (
    DEFAULT_ANSWERS,
    FIELDS,
    INT_MAX,
    PLATFORM_VERSIONS,
    STEP_TITLES,
    UNKNOWN,
    UNKNOWN_PARAM,
    Field,
    Kind,
    Step,
    to_dict,
)
from advisor.rules.knowledge import LATEST

API_VERSION = "1"

# A full set of answers is well under 1 KiB; anything near this limit is not answers.
MAX_BODY_BYTES = 16 * 1024
# Answers nest two levels (an object of values and arrays); deeper than this is not answers.
MAX_JSON_DEPTH = 8

GENERAL = "__all__"

View = Callable[[HttpRequest], HttpResponse]


def json_response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    """Indented JSON in the order the data was built: stable, and readable from curl."""
    return JsonResponse(data, status=status, json_dumps_params={"indent": 2})


def error_response(errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return json_response({"errors": errors}, status=status)


def _allow(*methods: str) -> Callable[[View], View]:
    """Like Django's require_http_methods, but the 405 says so in JSON."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest) -> HttpResponse:
            if request.method not in methods:
                response = error_response(
                    {GENERAL: [
                        f"Method {request.method} is not allowed here. "
                        f"Allowed methods: {', '.join(methods)}."
                    ]},
                    status=405,
                )
                response["Allow"] = ", ".join(methods)
                return response
            return view(request)

        return wrapped

    return decorator


class BodyError(ValueError):
    """The POST body is not a JSON object of answers (before any field is looked at)."""


@csrf_exempt  # a stateless API: no cookies, no session, nothing for a forged request to ride on
@_allow("GET", "HEAD", "POST")
@cacheable_result
def evaluate_view(request: HttpRequest) -> HttpResponse:
    try:
        if request.method == "POST":
            answers = parse_json(_json_body(request))
        else:
            answers = parse_query(request.GET)
        result = evaluate(answers)  # TooManyUnknowns: an AnswersError naming `unknown`
    except BodyError as error:
        return error_response({GENERAL: [str(error)]})
    except TooManyFieldsSent:  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters
        return error_response({GENERAL: ["The query string has too many fields."]})
    except AnswersError as error:
        return error_response(error.errors)
    return json_response(result.to_dict())


def _json_body(request: HttpRequest) -> Any:
    """The decoded JSON body, or BodyError saying what is wrong with it."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # Checked before reading, so that a huge body is never read into memory.
    if declared > MAX_BODY_BYTES or len(body := request.body) > MAX_BODY_BYTES:
        raise BodyError(
            f"The body is too large: the limit is {MAX_BODY_BYTES} bytes "
            f"({MAX_BODY_BYTES // 1024} KiB); a full set of answers is far smaller."
        )
    if not body and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        # Django reads only as many bytes as Content-Length says.
        raise BodyError("Send the body with a Content-Length header; chunked bodies are not read.")
    if not body.strip():
        raise BodyError(
            "The body is empty: send a JSON object of answers, such as {}, with "
            "Content-Type: application/json."
        )
    if request.content_type != "application/json":
        given = request.content_type or "none"
        raise BodyError(
            f"Send the answers as JSON with Content-Type: application/json (got {given})."
        )
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise BodyError(f"The JSON body must be UTF-8 (got charset={charset}).")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyError(f"The body is not valid UTF-8 (byte {error.start}).") from None
    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise BodyError(
            f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep; answers are an object "
            "whose values are strings, booleans, integers or arrays of strings."
        )
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
            parse_int=_short_int,
        )
    except json.JSONDecodeError as error:
        raise BodyError(
            f"The body is not valid JSON: {error.msg} (line {error.lineno}, "
            f"column {error.colno})."
        ) from None
    except ValueError as error:  # from the hooks below
        raise BodyError(f"The body is not valid JSON: {error}") from None


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counted before decoding.

    json.loads recurses once per level, so a deep enough document would exhaust the stack
    (RecursionError, a 500) before any check on the decoded value could run.
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"the key {key[:100]!r} appears more than once.")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value.")


def _short_int(digits: str) -> int:
    # No answer needs more; Python's own limit (4300 digits) would give a confusing message.
    if len(digits.lstrip("-")) > 18:
        raise ValueError(f"the integer {digits[:20]}... is too long.")
    return int(digits)


@_allow("GET", "HEAD")
def questions_view(request: HttpRequest) -> HttpResponse:
    return json_response(questions())


# How every field says "not known" (spec section 4); the wizard offers it as "Not sure".
UNKNOWN_LABEL = NOT_SURE
UNKNOWN_HELP = (
    f"Any field may be answered {UNKNOWN}: in a query string subnet={UNKNOWN}, or several at "
    f"once as {UNKNOWN_PARAM}=a,b,c; in JSON the string \"{UNKNOWN}\", or an \"{UNKNOWN_PARAM}\" "
    "array of field names. The result then says what it rests on: a conditional verdict with "
    "a witness, depends rows, uncertain findings, and requirements to check."
)


@cache
def questions() -> dict[str, Any]:
    """Every question in wizard order: what `/api/v1/questions` returns."""
    return {
        "api_version": API_VERSION,
        "rules_version": RULES_VERSION,
        "unknown": {
            "value": UNKNOWN.value,
            "label": UNKNOWN_LABEL,
            "parameter": UNKNOWN_PARAM,
            "help": UNKNOWN_HELP,
        },
        "steps": [
            {
                "step": step.value,
                "title": STEP_TITLES[step],
                "fields": [field.name for field in FIELDS if field.step is step],
            }
            for step in Step
        ],
        "fields": [_question(field) for field in FIELDS],
    }


def _question(field: Field) -> dict[str, Any]:
    question: dict[str, Any] = {
        "name": field.name,
        "label": field.label,
        "help": f"{field.help} Not sure? Answer {UNKNOWN} ({field.name}={UNKNOWN}).",
        "kind": field.kind.value,
        "step": field.step.value,
        "step_title": STEP_TITLES[field.step],
        "default": to_dict(DEFAULT_ANSWERS)[field.name],
        "values": _values(field),
        "accepts_unknown": True,
        "source_url": field.source_url,
    }
    if field.kind is Kind.INT:
        question["minimum"] = field.minimum or 0
        question["maximum"] = INT_MAX
    if field.name == "platform_version":
        question["values_by_os"] = {
            os.value: [version.value for version in versions]
            for os, versions in PLATFORM_VERSIONS.items()
        }
        question["latest"] = {os.value: version.value for os, version in LATEST.items()}
    return question


def _values(field: Field) -> list[dict[str, Any]]:
    """The allowed values as they are sent in JSON, each with its label."""
    if field.kind is Kind.BOOL:
        return [{"value": True, "label": "Yes"}, {"value": False, "label": "No"}]
    return [{"value": value, "label": field.label_for(value)} for value in field.choices]

