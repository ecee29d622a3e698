"""The OpenAPI 3.1 description of the JSON API, generated so that it cannot drift.

The answers' schemas and the query parameters come from `FIELDS` (the same rows the parsers
read); the result's schemas come from the `Result` dataclasses and their `StrEnum`s. Only the
prose (what a field means) is written here, in `DESCRIPTIONS`.

Every field also accepts `unknown` (spec section 4): a choice field lists it among its values,
the others take it as an alternative (`anyOf`), and the `unknown` query parameter or JSON key
names several fields at once.

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

from django.http import HttpRequest, HttpResponse

from advisor import api, import_views
from advisor.api import API_VERSION, MAX_BODY_BYTES, MAX_JSON_DEPTH, _allow
from advisor.rules.answers import (
    DEFAULT_ANSWERS,
    FIELDS,
    INT_MAX,
    OS,
    PLATFORM_VERSIONS,
    UNKNOWN,
    UNKNOWN_PARAM,
    Answers,
    Field,
    Kind,
    Step,
    to_dict,
)
from advisor.rules.result import Result, VerdictStatus

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# --- Answers, from FIELDS --------------------------------------------------------------------


def _value_schema(field: Field, unique: bool = False) -> dict[str, Any]:
    """The field's known values (not `unknown`)."""
    if field.kind is Kind.BOOL:
        return {"type": "boolean"}
    if field.kind is Kind.INT:
        return {"type": "integer", "minimum": field.minimum or 0, "maximum": INT_MAX}
    if field.kind is Kind.MULTI:
        items = {"type": "array", "items": {"type": "string", "enum": list(field.choices)}}
        return items | {"uniqueItems": True} if unique else items
    return {"type": "string", "enum": list(field.choices)}


UNKNOWN_SCHEMA = {
    "type": "string", "const": UNKNOWN.value,
    "description": "Not known: the result says what it rests on (spec section 4).",
}


def _answer_schema(field: Field, unique: bool = False) -> dict[str, Any]:
    """The field's values or `unknown`: one more word of a choice's enum, else an alternative."""
    if field.kind is Kind.CHOICE:
        return {"type": "string", "enum": [*field.choices, UNKNOWN.value]}
    return {"anyOf": [_value_schema(field, unique), UNKNOWN_SCHEMA]}


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
    text += (
        f" `{UNKNOWN}` when it is not known"
        + (" (the whole list; not an item in it)." if field.kind is Kind.MULTI else ".")
    )
    return text + f" Source: {field.source_url}"


def _answer_property(field: Field, unique: bool = False) -> dict[str, Any]:
    return {
        **_answer_schema(field, unique),
        "title": field.label,
        "description": _field_description(field),
        "default": to_dict(DEFAULT_ANSWERS)[field.name],
    }


def _platform_version_per_os(named_unknown: bool = False) -> list[dict[str, Any]]:
    """JSON Schema conditionals: the platform versions that exist for each OS.

    An unknown OS allows every version. With `named_unknown`, the answers may also name the OS
    unknown in their `unknown` list, and then the default OS's rule does not apply either.
    """
    rules = []
    for os, versions in PLATFORM_VERSIONS.items():
        condition: dict[str, Any] = {"properties": {"os": {"const": os.value}}}
        if os is not DEFAULT_ANSWERS.os:  # an absent os is the default one
            condition["required"] = ["os"]
        elif named_unknown:
            condition["properties"][UNKNOWN_PARAM] = {"not": {"contains": {"const": "os"}}}
        allowed = [v.value for v in versions] + [UNKNOWN.value]
        rules.append({
            "if": condition,
            "then": {"properties": {"platform_version": {"enum": allowed}}},
        })
    return rules


def _named_unknown_property() -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string", "enum": [field.name for field in FIELDS]},
        "description": (
            "Fields that are not known, named together: the same as giving each of them the "
            f"value `{UNKNOWN}`. A field named here may be left out or given as `{UNKNOWN}`, "
            "but not given another value."
        ),
    }


def answers_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "Answers about one Fargate task. Every field is optional and has a default; any "
            f"field may be `{UNKNOWN}`, and `{UNKNOWN_PARAM}` names several unknown fields at "
            "once. Unknown field names are an input error. A newer field that refines an "
            "older one must agree with it where both are given, or the pair is an input error "
            "naming both: `vpc_dns=true` with `dns_support` or `dns_hostnames` false, "
            "`vpc_dns=false` with both true, `nat_gateway=false` with an `egress_via` other "
            "than `nat_gateway`. Bodies over "
            f"{MAX_BODY_BYTES} bytes or nested more than {MAX_JSON_DEPTH} levels are refused."
        ),
        "properties": {
            **{field.name: _answer_property(field) for field in FIELDS},
            UNKNOWN_PARAM: _named_unknown_property(),
        },
        "additionalProperties": False,
        # That a field named in `unknown` is not also given another value is said in prose
        # only: as 23 if/then rules it made the schema too hard for generators (schemathesis
        # could not generate bodies from it).
        "allOf": _platform_version_per_os(named_unknown=True),
    }


def normalised_answers_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "Every field, normalised, defaults filled in, lists in vocabulary order; a field "
            f"that is not known is `{UNKNOWN}`."
        ),
        "properties": {field.name: _answer_property(field, unique=True) for field in FIELDS},
        "required": [field.name for field in FIELDS],
        "additionalProperties": False,
        "allOf": _platform_version_per_os(),
    }


def witness_answers_schema() -> dict[str, Any]:
    """The values a witness gives the unknown fields: known values only."""
    return {
        "type": "object",
        "description": (
            "Values for some of the unknown answers (never `unknown`) under which a blocker "
            "holds."
        ),
        "properties": {field.name: _value_schema(field, unique=True) for field in FIELDS},
        "minProperties": 1,
        "additionalProperties": False,
    }


def query_parameters() -> list[dict[str, Any]]:
    parameters = []
    for field in FIELDS:
        parameter: dict[str, Any] = {
            "name": field.name,
            "in": "query",
            "required": False,
            "description": f"{field.label}. {_field_description(field)}",
            "schema": {**_answer_schema(field), "default": to_dict(DEFAULT_ANSWERS)[field.name]},
        }
        if field.kind is Kind.MULTI:
            parameter |= {"style": "form", "explode": False}
        parameters.append(parameter)
    parameters.append({
        "name": UNKNOWN_PARAM,
        "in": "query",
        "required": False,
        "description": (
            f"Fields that are not known, comma-separated (`{UNKNOWN_PARAM}=subnet,public_ip`): "
            f"the same as `subnet={UNKNOWN}&public_ip={UNKNOWN}`, and how a permalink names "
            f"them. A field named here may also be given as `{UNKNOWN}`, not as another value."
        ),
        "schema": _named_unknown_property() | {"description": "Field names."},
        "style": "form",
        "explode": False,
    })
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
    "Result.requirements": (
        "Every condition this configuration needs to start and to serve, each met, violated "
        "or unknown, with a read-only command that shows it in an account."
    ),
    "Verdict.status": (
        "With every answer known: `blocked` when any finding is a blocker, else `warning` when "
        "any is a warning, else `ok`. With unknown answers: `blocked` when every value they "
        "could take gives some blocker; `ok` or `warning` when none does; `conditional` in "
        "between, with a `witness`."
    ),
    "Verdict.blockers": "Certain blocker findings.",
    "Verdict.warnings": "Certain warning findings.",
    "Verdict.conditions": "Open conditions: blocking requirements the unknown answers leave open.",
    "Verdict.witness": (
        "Present exactly when `status` is `conditional`: one assignment of the unknown answers "
        "under which a blocker holds."
    ),
    "Witness.requirement": "The id of the requirement that fails under these values.",
    "Witness.finding": "The id of the blocker finding that explains it.",
    "Witness.permalink": (
        "The configuration with these values filled in: its evaluation is `blocked`."
    ),
    "TrafficRow.eni": (
        "The traffic table's cell for the resolved OS and platform version; `none` where the "
        "table says 'Not available'."
    ),
    "TrafficRow.status": (
        "`not_used`: the configuration does not do this; `unsupported`: it does, but the "
        "platform cannot; `blocked`: it does and could, but no network path reaches the "
        "service; `ok`: a path exists; `depends`: it gets through if its open conditions hold."
    ),
    "TrafficRow.path": "How this traffic gets out, or why it cannot.",
    "TrafficRow.findings": "Ids of the findings about this row.",
    "TrafficRow.route": "The route this traffic takes, in order, from the task to the service.",
    "Hop.kind": (
        "What kind of place the traffic passes. `security_group`, `network_acl`, `firewall` "
        "and `dns` are filters: they take the traffic nowhere, and are on the route where "
        "they are answered other than AWS's default or where they stop it."
    ),
    "Hop.name": "Its name, as the page and the diagram show it.",
    "Hop.passes": (
        "Whether the traffic gets past it; null when that depends on unknown answers. On an "
        "endpoint, false: its security group or policy stops the traffic; on the `service` "
        "hop, false: the service refuses it (the row's `path` says why)."
    ),
    "Requirement.id": "A stable kebab-case id.",
    "Requirement.state": (
        "`met`, `violated` (then `finding` says why) or `unknown` (then `check` says how to "
        "find out)."
    ),
    "Requirement.actions": "The traffic rows that need it.",
    "Requirement.check": "Read-only AWS CLI commands that show whether it holds.",
    "Requirement.finding": "The id of the finding a violation raises; null when none is raised.",
    "Requirement.basis": (
        "`answers`: the answers decide it; `account`: only a look at the account can."
    ),
    "Requirement.blocking": "A violation stops the task; otherwise a feature fails (a warning).",
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
    "Finding.certain": (
        "False when the finding holds only for some values of the unknown answers; the verdict "
        "counts certain findings only."
    ),
    "Command.text": "A copyable command or snippet; placeholders look like `<vpc-id>`.",
}

# Extra keywords for a few fields, by "Class.field".
REFINEMENTS: dict[str, dict[str, Any]] = {
    "Result.permalink": {"format": "uri-reference", "pattern": "^/result/"},
    "Witness.permalink": {"format": "uri-reference", "pattern": "^/result/"},
    "Source.url": {"format": "uri"},
}

# Fields whose type says too little for a schema (a mapping), by "Class.field".
OVERRIDES: dict[str, Any] = {
    "Witness.answers": witness_answers_schema,
}

# Optional fields that `Result.to_dict()` leaves out, rather than writing null, when None.
OMITTED_WHEN_NONE = {"Verdict.witness"}

# Rules that tie an object's fields together, by class.
OBJECT_RULES: dict[str, dict[str, Any]] = {
    "Verdict": {
        "if": {"properties": {"status": {"const": VerdictStatus.CONDITIONAL.value}}},
        "then": {"required": ["witness"]},
        "else": {"not": {"required": ["witness"]}},
    },
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
        *types_, none = typing.get_args(annotation)
        if none is not type(None) or len(types_) != 1:
            raise TypeError(f"No schema for the union {annotation}; give it one.")
        schema = _type_schema(types_[0])
        if schema.get("type") in ("string", "boolean", "integer"):
            return schema | {"type": [schema["type"], "null"]}
        return {"anyOf": [schema, {"type": "null"}]}
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
        "required": [name for name in properties
                     if f"{cls.__name__}.{name}" not in OMITTED_WHEN_NONE],
        "additionalProperties": False,
    }
    if cls.__name__ in DESCRIPTIONS:
        schema["description"] = DESCRIPTIONS[cls.__name__]
    return schema | OBJECT_RULES.get(cls.__name__, {})


def _property(cls: type, name: str, annotation: Any) -> dict[str, Any]:
    key = f"{cls.__name__}.{name}"
    if key in OVERRIDES:
        base = OVERRIDES[key]()
    elif key in OMITTED_WHEN_NONE:
        base = _type_schema(_without_none(annotation))
    else:
        base = _type_schema(annotation)
    schema = {**base, **REFINEMENTS.get(key, {})}
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


def _without_none(annotation: Any) -> Any:
    (only,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    return only


def _dataclasses_in(annotation: Any) -> list[type]:
    found = [arg for arg in typing.get_args(annotation)
             if isinstance(arg, type) and dataclasses.is_dataclass(arg)]
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        found.append(annotation)
    return found


# --- Other bodies ------------------------------------------------------------------------------


def errors_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "Input errors, by field. A key is a field of the answers (or, for a POSTed object, "
            f"the unknown field given), or `{UNKNOWN_PARAM}` when that list names something that "
            "is not a field; `__all__` holds problems with the request as a whole: its body, "
            "content type, size or method."
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
            "accepts_unknown": {
                "type": "boolean", "const": True,
                "description": f"The field also accepts `{UNKNOWN}` (every field does).",
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
            "accepts_unknown", "source_url",
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
            "unknown": {
                "type": "object",
                "description": "How any field is answered when it is not known.",
                "properties": {
                    "value": {"type": "string", "const": UNKNOWN.value},
                    "label": {"type": "string"},
                    "parameter": {"type": "string", "const": UNKNOWN_PARAM,
                                  "description": "The query parameter and JSON key that "
                                                 "name several unknown fields."},
                    "help": {"type": "string"},
                },
                "required": ["value", "label", "parameter", "help"],
                "additionalProperties": False,
            },
            "steps": {"type": "array", "items": step},
            "fields": {"type": "array", "items": question},
        },
        "required": ["api_version", "rules_version", "unknown", "steps", "fields"],
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
            "`false`, omitted fields take their defaults, and a field that is not known is "
            f"`{UNKNOWN}` (`subnet={UNKNOWN}`, or several as `{UNKNOWN_PARAM}=subnet,endpoints`). "
            "Unknown query parameters are ignored.",
            "advice",
            parameters=tuple(query_parameters()),
            responses={"200": RESULT, "304": NOT_MODIFIED, "400": BAD_REQUEST},
        ),
        Operation(
            "/api/v1/evaluate", "post", "evaluateJson",
            "Evaluate answers given as a JSON object",
            "The same answers as a JSON object: lists as arrays, booleans and integers as JSON "
            f"values, `\"{UNKNOWN}\"` for a field that is not known (or their names in an "
            f"`{UNKNOWN_PARAM}` array). Unknown field names are an input error.",
            "advice",
            request_body={
                "required": True,
                "content": {JSON: {
                    "schema": ref("Answers"),
                    "examples": {
                        "known": {
                            "summary": "Every answer known",
                            "value": {"subnet": "private", "nat_gateway": True,
                                      "secrets": ["ssm"]},
                        },
                        "unknown": {
                            "summary": "Some answers not known: a conditional verdict",
                            "value": {"subnet": "private", "secrets": ["ssm"],
                                      "nat_gateway": UNKNOWN.value,
                                      UNKNOWN_PARAM: ["endpoints"]},
                        },
                    },
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
            "evaluation of the imported answers (`evaluation`), or `evaluation_errors` "
            "(`{\"unknown\": [message]}`) where what the documents leave unknown is too "
            "wide to decide in one request.",
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
                "interface and IAM role carry it, the route it takes and whether it gets out, "
                "the IAM permissions and VPC endpoints it needs, the requirements it rests on, "
                "and findings with fixes and AWS sources. Any answer may be `unknown`: the "
                "verdict is then decided over every value it could take (`conditional` when "
                "some block the task and some do not). Fields and values may be added in "
                "version 1, never renamed or removed."
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


@_allow("GET", "HEAD")
def openapi_view(request: HttpRequest) -> HttpResponse:
    """/api/v1/openapi.json: this document."""
    return api.json_response(document())
