"""The OpenAPI 3.1 description of the JSON API, generated so that it cannot drift.

The answers' schemas and the query parameters come from `FIELDS` (the same rows the parsers
read); the result's schemas come from the `Result` dataclasses and their `StrEnum`s. Only the
prose (what a field means) is written here, in `DESCRIPTIONS`.

An operation is one `Operation` row in `OPERATIONS`; a new endpoint is a new row there (plus
its schemas in `SCHEMAS`, if it has new ones).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from advisor import import_views
from advisor.api import API_VERSION, MAX_BODY_BYTES, MAX_JSON_DEPTH
from advisor.rules.answers import (
    DEFAULT_ANSWERS,
    FIELDS,
    INT_MAX,
    OS,
    PLATFORM_VERSIONS,
    Answers,
    Field,
    Kind,
    Step,
    to_dict,
)
from advisor.rules.result import Result

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# --- Answers, from FIELDS --------------------------------------------------------------------


def _value_schema(field: Field) -> dict[str, Any]:
    if field.kind is Kind.BOOL:
        return {"type": "boolean"}
    if field.kind is Kind.INT:
        return {"type": "integer", "minimum": field.minimum or 0, "maximum": INT_MAX}
    if field.kind is Kind.MULTI:
        return {"type": "array", "items": {"type": "string", "enum": list(field.choices)}}
    return {"type": "string", "enum": list(field.choices)}


def _field_description(field: Field) -> str:
    text = field.help
    if field.kind in (Kind.CHOICE, Kind.MULTI):
        labels = "; ".join(f"`{value}`: {field.label_for(value)}" for value in field.choices)
        text += f" Values: {labels}."
    if field.name == "platform_version":
        per_os = "; ".join(
            f"{os.value}: {', '.join(versions)}" for os, versions in PLATFORM_VERSIONS.items()
        )
        text += f" Allowed per operating system: {per_os}."
    return text + f" Source: {field.source_url}"


def _answer_property(field: Field) -> dict[str, Any]:
    return {
        **_value_schema(field),
        "title": field.label,
        "description": _field_description(field),
        "default": to_dict(DEFAULT_ANSWERS)[field.name],
    }


def _platform_version_per_os() -> list[dict[str, Any]]:
    """JSON Schema conditionals: the platform versions that exist for each OS."""
    rules = []
    for os, versions in PLATFORM_VERSIONS.items():
        condition: dict[str, Any] = {"properties": {"os": {"const": os.value}}}
        if os is not DEFAULT_ANSWERS.os:  # an absent os is the default one
            condition["required"] = ["os"]
        rules.append({
            "if": condition,
            "then": {"properties": {"platform_version": {"enum": [v.value for v in versions]}}},
        })
    return rules


def answers_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "Answers about one Fargate task. Every field is optional and has a default; unknown "
            f"fields are an input error. Bodies over {MAX_BODY_BYTES} bytes or nested more than "
            f"{MAX_JSON_DEPTH} levels are refused."
        ),
        "properties": {field.name: _answer_property(field) for field in FIELDS},
        "additionalProperties": False,
        "allOf": _platform_version_per_os(),
    }


def normalised_answers_schema() -> dict[str, Any]:
    properties = {}
    for field in FIELDS:
        schema = _answer_property(field)
        if field.kind is Kind.MULTI:
            schema["uniqueItems"] = True
        properties[field.name] = schema
    return {
        "type": "object",
        "description": "Every field, normalised, defaults filled in, lists in vocabulary order.",
        "properties": properties,
        "required": [field.name for field in FIELDS],
        "additionalProperties": False,
        "allOf": _platform_version_per_os(),
    }


def query_parameters() -> list[dict[str, Any]]:
    parameters = []
    for field in FIELDS:
        parameter: dict[str, Any] = {
            "name": field.name,
            "in": "query",
            "required": False,
            "description": f"{field.label}. {_field_description(field)}",
            "schema": {**_value_schema(field), "default": to_dict(DEFAULT_ANSWERS)[field.name]},
        }
        if field.kind is Kind.MULTI:
            parameter |= {"style": "form", "explode": False}
        parameters.append(parameter)
    return parameters


# --- The result, from the Result dataclasses -------------------------------------------------

# What the fields mean (spec section 2), by "Class.field". The structure is generated; only
# this prose is written by hand.
DESCRIPTIONS: dict[str, str] = {
    "Result": "The evaluation of one set of answers (spec section 2).",
    "Result.api_version": "The version of this API.",
    "Result.rules_version": "The version of the advisor's rules that produced this result.",
    "Result.permalink": "The result page for these answers: its path and canonical query.",
    "Result.traffic": (
        "The seven rows of the AWS traffic table, in the page's order: ecr_auth, image_pull, "
        "log_driver, firelens, secrets, efs, application."
    ),
    "Result.roles": "All three roles, every time; `required` says whether this task needs it.",
    "Result.endpoints": "The VPC endpoints relevant to this configuration.",
    "Platform.platform_version": "The platform version the request resolves to.",
    "Platform.requested": "The platform version asked for (`latest` before resolution).",
    "Verdict.status": (
        "`blocked` when any finding is a blocker, else `warning` when any is a warning, "
        "else `ok`."
    ),
    "TrafficRow.eni": (
        "The traffic table's cell for the resolved OS and platform version; `none` where the "
        "table says 'Not available'."
    ),
    "TrafficRow.status": (
        "`not_used`: the configuration does not do this; `unsupported`: it does, but the "
        "platform cannot; `blocked`: it does and could, but no network path reaches the "
        "service; `ok`: a path exists."
    ),
    "TrafficRow.path": "How this traffic gets out, or why it cannot.",
    "TrafficRow.findings": "Ids of the findings about this row.",
    "RoleNeed.permissions": (
        "Every IAM action this configuration needs the role to allow (for the task role, those "
        "the platform features need, not the application's own calls)."
    ),
    "RoleNeed.trust_principal": "The service principal the role's trust policy must allow.",
    "EndpointCheck.service": "The endpoint, in the vocabulary of the `endpoints` answer.",
    "EndpointCheck.name": "The endpoint's service name (`<region>` is a placeholder).",
    "EndpointCheck.type": "`interface` or `gateway`.",
    "EndpointCheck.required": (
        "True where the task has no other path to the service and the endpoint is the way."
    ),
    "EndpointCheck.present": "The answers list this endpoint as present.",
    "Finding.id": "A stable kebab-case id.",
    "Finding.remediation": "The steps of the fix, in order. Every blocker has at least one.",
    "Finding.sources": "The AWS pages this finding rests on. Every finding has at least one.",
    "Finding.actions": "The traffic rows this finding is about.",
    "Command.text": "A copyable command or snippet; placeholders look like `<vpc-id>`.",
}

# Extra keywords for a few fields, by "Class.field".
REFINEMENTS: dict[str, dict[str, Any]] = {
    "Result.permalink": {"format": "uri-reference", "pattern": "^/result/"},
    "Source.url": {"format": "uri"},
}

# Classes whose JSON is not their dataclass fields, by schema name.
SCHEMA_NAMES: dict[type, str] = {Answers: "NormalisedAnswers"}


def _schema_name(cls: type) -> str:
    return SCHEMA_NAMES.get(cls, cls.__name__)


def _type_schema(annotation: Any) -> dict[str, Any]:
    """The JSON Schema of a field's type, as `Result.to_dict()` writes it."""
    origin = typing.get_origin(annotation)
    if origin is tuple:
        item, _ellipsis = typing.get_args(annotation)
        return {"type": "array", "items": _type_schema(item)}
    if origin in (typing.Union, types.UnionType):
        raise TypeError(f"No schema for the optional type {annotation}; give it one.")
    if isinstance(annotation, type):
        if issubclass(annotation, StrEnum):
            return {"type": "string", "enum": [member.value for member in annotation]}
        if dataclasses.is_dataclass(annotation):
            return ref(_schema_name(annotation))
        for python, json_type in ((bool, "boolean"), (int, "integer"), (str, "string")):
            if issubclass(annotation, python):
                return {"type": json_type}
    raise TypeError(f"No schema for {annotation!r}.")


def _object_schema(cls: type, properties: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if cls.__name__ in DESCRIPTIONS:
        schema["description"] = DESCRIPTIONS[cls.__name__]
    return schema


def _property(cls: type, name: str, annotation: Any) -> dict[str, Any]:
    key = f"{cls.__name__}.{name}"
    schema = {**_type_schema(annotation), **REFINEMENTS.get(key, {})}
    if key in DESCRIPTIONS:
        schema["description"] = DESCRIPTIONS[key]
    return schema


def dataclass_schemas(root: type) -> dict[str, dict[str, Any]]:
    """Schemas for `root` and every dataclass it reaches, one per class, by schema name."""
    schemas: dict[str, dict[str, Any]] = {}
    pending = [root]
    while pending:
        cls = pending.pop()
        name = _schema_name(cls)
        if name in schemas or cls in SCHEMA_NAMES:
            continue
        hints = typing.get_type_hints(cls)
        properties = {}
        if cls is Result:
            properties["api_version"] = {
                "type": "string", "const": API_VERSION,
                "description": DESCRIPTIONS["Result.api_version"],
            }
        for field in dataclasses.fields(cls):
            properties[field.name] = _property(cls, field.name, hints[field.name])
            pending.extend(_dataclasses_in(hints[field.name]))
        schemas[name] = _object_schema(cls, properties)
    return dict(sorted(schemas.items()))


def _dataclasses_in(annotation: Any) -> list[type]:
    found = [arg for arg in typing.get_args(annotation) if dataclasses.is_dataclass(arg)]
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        found.append(annotation)
    return found


# --- Other bodies ------------------------------------------------------------------------------


def errors_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "Input errors, by field. A key is a field of the answers (or, for a POSTed object, "
            "the unknown field given); `__all__` holds problems with the request as a whole: "
            "its body, content type, size or method."
        ),
        "properties": {
            "errors": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {
                    "type": "array", "minItems": 1, "items": {"type": "string"},
                },
            },
        },
        "required": ["errors"],
        "additionalProperties": False,
    }


def questions_schema() -> dict[str, Any]:
    value = {"type": ["string", "boolean"]}
    question = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "enum": [field.name for field in FIELDS]},
            "label": {"type": "string"},
            "help": {"type": "string"},
            "kind": {"type": "string", "enum": [kind.value for kind in Kind]},
            "step": {"type": "string", "enum": [step.value for step in Step]},
            "step_title": {"type": "string"},
            "default": {
                "description": "The default, as it is sent in JSON.",
                "type": ["string", "boolean", "integer", "array"],
            },
            "values": {
                "type": "array",
                "description": "Allowed values, with labels (empty for integers).",
                "items": {
                    "type": "object",
                    "properties": {"value": value, "label": {"type": "string"}},
                    "required": ["value", "label"],
                    "additionalProperties": False,
                },
            },
            "source_url": {"type": "string", "format": "uri"},
            "minimum": {"type": "integer", "description": "Integers only."},
            "maximum": {"type": "integer", "description": "Integers only."},
            "values_by_os": {
                "type": "object",
                "description": "platform_version only: the versions that exist for each OS.",
                "propertyNames": {"enum": [os.value for os in OS]},
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "latest": {
                "type": "object",
                "description": "platform_version only: what `latest` resolves to on each OS.",
                "propertyNames": {"enum": [os.value for os in OS]},
                "additionalProperties": {"type": "string"},
            },
        },
        "required": [
            "name", "label", "help", "kind", "step", "step_title", "default", "values",
            "source_url",
        ],
        "additionalProperties": False,
    }
    step = {
        "type": "object",
        "properties": {
            "step": {"type": "string", "enum": [step.value for step in Step]},
            "title": {"type": "string"},
            "fields": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["step", "title", "fields"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "description": "Every question, in wizard order, and the wizard's steps.",
        "properties": {
            "api_version": {"type": "string", "const": API_VERSION},
            "rules_version": {"type": "string"},
            "steps": {"type": "array", "items": step},
            "fields": {"type": "array", "items": question},
        },
        "required": ["api_version", "rules_version", "steps", "fields"],
        "additionalProperties": False,
    }


def schemas() -> dict[str, dict[str, Any]]:
    return {
        "Answers": answers_schema(),
        **dataclass_schemas(Result),
        "NormalisedAnswers": normalised_answers_schema(),
        "Errors": errors_schema(),
        "Questions": questions_schema(),
        "ImportResult": import_views.result_schema(),
    }


# --- Operations ------------------------------------------------------------------------------


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


BAD_REQUEST = {"$ref": "#/components/responses/BadRequest"}
RESULT = json_response("The evaluation.", ref("Result"))
URI_TOO_LONG = {"$ref": "#/components/responses/URITooLong"}
NOT_MODIFIED = {"description": "Not modified: the request's If-None-Match holds the current ETag."}


@dataclass(frozen=True, slots=True)
class Operation:
    path: str
    method: str
    operation_id: str
    summary: str
    description: str
    tag: str
    responses: dict[str, Any]
    parameters: tuple[dict[str, Any], ...] = ()
    request_body: dict[str, Any] | None = None

    def as_openapi(self) -> dict[str, Any]:
        operation: dict[str, Any] = {
            "operationId": self.operation_id,
            "summary": self.summary,
            "description": self.description,
            "tags": [self.tag],
        }
        if self.parameters:
            operation["parameters"] = list(self.parameters)
        if self.request_body:
            operation["requestBody"] = self.request_body
        responses = dict(self.responses)
        if self.method == "get" and self.path != "/healthz":
            # advisor.limits refuses oversized query strings before any view runs.
            responses.setdefault("400", BAD_REQUEST)
            responses["414"] = URI_TOO_LONG
        operation["responses"] = responses
        return operation


def operations() -> tuple[Operation, ...]:
    return (
        Operation(
            "/api/v1/evaluate", "get", "evaluateQuery",
            "Evaluate answers given as a query string",
            "The answers travel as in a permalink: lists comma-separated, booleans `true` or "
            "`false`, omitted fields take their defaults. Unknown query parameters are ignored.",
            "advice",
            parameters=tuple(query_parameters()),
            responses={"200": RESULT, "304": NOT_MODIFIED, "400": BAD_REQUEST},
        ),
        Operation(
            "/api/v1/evaluate", "post", "evaluateJson",
            "Evaluate answers given as a JSON object",
            "The same answers as a JSON object: lists as arrays, booleans and integers as JSON "
            "values. Unknown fields are an input error.",
            "advice",
            request_body={
                "required": True,
                "content": {JSON: {
                    "schema": ref("Answers"),
                    "example": {"subnet": "private", "nat_gateway": True, "secrets": ["ssm"]},
                }},
            },
            responses={"200": RESULT, "400": BAD_REQUEST},
        ),
        Operation(
            "/api/v1/import", "post", "importDocuments",
            "Answers from task definitions, services, templates, plans or error messages",
            "Documents in, answers out: each answer with the document and JSON/YAML path it "
            "comes from (or 'not in the document'), conflicts between documents, what Fargate "
            "cannot run, and the likely causes of error messages. `?evaluate=true` adds the "
            "evaluation of the imported answers.",
            "advice",
            parameters=import_views.parameters(),
            request_body=import_views.request_body(),
            responses={"200": json_response("The imported answers.", ref("ImportResult")),
                       "400": BAD_REQUEST},
        ),
        Operation(
            "/api/v1/questions", "get", "listQuestions",
            "Every question, in wizard order",
            "Each field's label, help text, kind, allowed values with labels, default, wizard "
            "step and AWS source.",
            "vocabulary",
            responses={"200": json_response("The questions.", ref("Questions"))},
        ),
        Operation(
            "/api/v1/openapi.json", "get", "openapi",
            "This document", "The OpenAPI 3.1 description of the API.", "vocabulary",
            responses={"200": json_response("The OpenAPI document.", {"type": "object"})},
        ),
        Operation(
            "/healthz", "get", "healthz", "Liveness", "Answers `ok` while the app is up.", "meta",
            responses={"200": {
                "description": "The app is up.",
                "content": {"text/plain": {"schema": {"type": "string", "const": "ok"}}},
            }},
        ),
    )


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document served at /api/v1/openapi.json."""
    paths: dict[str, dict[str, Any]] = {}
    for operation in operations():
        paths.setdefault(operation.path, {})[operation.method] = operation.as_openapi()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Fargate Networking Advisor API",
            "version": API_VERSION,
            "description": (
                "Will my ECS task on Fargate reach what it needs, and if not, what do I fix? "
                "Send answers about a task; get back, for each kind of traffic, which network "
                "interface and IAM role carry it and whether it gets out, the IAM permissions "
                "and VPC endpoints it needs, and findings with fixes and AWS sources. Fields "
                "and values may be added in version 1, never renamed or removed."
            ),
        },
        "tags": [
            {"name": "advice", "description": "Evaluate a configuration."},
            {"name": "vocabulary", "description": "What can be asked, and this description."},
            {"name": "meta", "description": "Operations."},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "responses": {
                "BadRequest": json_response(
                    "Input error: each message names the field and the allowed values.",
                    ref("Errors"),
                ),
                "URITooLong": json_response(
                    "The query string is longer than the advisor accepts; the message gives "
                    "the limit.",
                    ref("Errors"),
                ),
            },
        },
    }
