"""Importing documents: `POST /api/v1/import` (JSON) and the `/import/` page (review).

The API: documents in, answers with provenance out (advisor.importers).

Three ways to send documents, told apart by the Content-Type:
- `application/json`: `{"documents": [{"name": "task.json", "content": "<the text>"}, ...]}`;
- `multipart/form-data`: uploaded files (any field name) and pasted text (`text` fields),
  as the wizard's "Start from your config" form sends them;
- anything else (`text/plain`, `application/yaml`, ...): the body is one document, named by
  the `name` query parameter.

`?evaluate=true` adds the evaluation of the imported answers (`POST /api/v1/evaluate`'s body)
under `evaluation`, so a script can import and check in one call; its fixes' commands carry
the documents' Region, account, VPC, subnets, route table and security group where the
documents name them (advisor.importers.ids).

Errors are the API's 400 JSON: a problem with one document under its name, a problem with the
request as a whole under `__all__`.

The page: `GET /import/` is the "Start from your config" form (also shown on the wizard's first
step); posting it shows the review page, every question with the answer the documents give and
where they say it, or "not in the document", before the wizard continues at the first step
with a question left open.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from advisor.api import API_VERSION, GENERAL, _allow, error_response, json_response
from advisor.importers import (
    KIND_TITLES,
    MAX_BYTES,
    MAX_DOCUMENTS,
    Document,
    DocumentError,
    DocumentKind,
    ImportedAnswer,
    ImportResult,
    Status,
    import_documents,
)
from advisor.importers.ids import collect, substitute
from advisor.importers.loading import too_large
from advisor.importers.model import json_value
from advisor.links import STEPS, Navigation, result_url, wizard_url
from advisor.presentation import too_wide_words
from advisor.rules import RULES_VERSION, TooManyUnknowns, evaluate, permalink
from advisor.rules.answers import FIELDS, FIELDS_BY_NAME, STEP_TITLES, Answers, Field, Kind
from advisor.rules.knowledge import TRAFFIC_BY_ACTION
from advisor.rules.result import Action

# Two full-size documents, or many ordinary ones; the limit per document is MAX_BYTES.
MAX_REQUEST_BYTES = 2 * MAX_BYTES + 64 * 1024
MULTIPART = "multipart/form-data"


class RequestError(ValueError):
    """The request as a whole is unusable (before any document is read)."""


@csrf_exempt  # stateless: no cookies or session for a forged request to ride on
@_allow("POST")
def import_view(request: HttpRequest) -> HttpResponse:
    try:
        documents = _documents(request)
        result = import_documents(documents)
    except RequestError as error:
        return error_response({GENERAL: [str(error)]})
    except DocumentError as error:
        return error_response(error.errors)
    body: dict[str, Any] = {
        "api_version": API_VERSION,
        "rules_version": RULES_VERSION,
        **result.to_dict(),
        "permalink": permalink(result.answers),
    }
    if request.GET.get("evaluate", "").lower() in ("1", "true", "yes"):
        try:
            evaluation = evaluate(result.answers)
        except TooManyUnknowns as error:  # the import stands; what it leaves open is too wide
            body["evaluation_errors"] = error.errors
        else:
            body["evaluation"] = substitute(evaluation, collect(documents)).to_dict()
    return json_response(body)


def _documents(request: HttpRequest) -> list[Document]:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_REQUEST_BYTES:
        raise RequestError(_too_large(declared))
    if not declared and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        raise RequestError("Send the body with a Content-Length header; chunked bodies are "
                           "not read.")
    if request.content_type == MULTIPART:
        return _multipart(request)
    body = request.body
    if len(body) > MAX_REQUEST_BYTES:
        raise RequestError(_too_large(len(body)))
    if not body.strip():
        raise RequestError("The body is empty: send a document (a task definition, service, "
                           "template, plan or error message), or a JSON envelope of documents.")
    if request.content_type == "application/json":
        envelope = _envelope(body)
        if envelope is not None:
            return envelope
    name = (request.GET.get("name") or "body").strip()[:200] or "body"
    return [Document(name, body)]


def _too_large(size: int) -> str:
    return (f"The request is {size:,} bytes; the limit is {MAX_REQUEST_BYTES:,} bytes per "
            f"request and 1 MB ({MAX_BYTES:,} bytes) per document.")


def _envelope(body: bytes) -> list[Document] | None:
    """The documents of a `{"documents": [...]}` envelope; None if the JSON is something else
    (a task definition posted as is is read as one document)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None  # the importer reports the syntax error with line and column
    if not isinstance(data, dict) or set(data) != {"documents"}:
        return None
    items = data["documents"]
    if not isinstance(items, list):
        raise RequestError('"documents" must be an array of {"name": ..., "content": ...}.')
    if len(items) > MAX_DOCUMENTS:
        raise RequestError(f"{len(items)} documents were given; the limit is {MAX_DOCUMENTS}.")
    documents = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            raise RequestError(f'documents[{index}] must be an object with "content" (the '
                               'document as a string) and optionally "name".')
        name = item.get("name")
        documents.append(Document(name if isinstance(name, str) else "", item["content"]))
    return documents


def _multipart(request: HttpRequest) -> list[Document]:
    try:
        files, fields = request.FILES, request.POST
    except MultiPartParserError as error:
        raise RequestError(f"The multipart/form-data body cannot be read: {error}") from None
    documents = []
    oversized: dict[str, list[str]] = {}
    for upload in (f for key in files for f in files.getlist(key)):
        name = upload.name or "upload"
        if upload.size is not None and upload.size > MAX_BYTES:
            oversized[name] = [too_large(upload.size)]  # refused without reading it
        else:
            documents.append(Document(name, upload.read()))
    if oversized:
        raise DocumentError(oversized)
    for index, text in enumerate(fields.getlist("text"), start=1):
        if text.strip():
            documents.append(Document("pasted text" if index == 1 else f"pasted text {index}",
                                      text))
    if not documents:
        raise RequestError("No document was given: upload a file or paste a document as text.")
    return documents


# --- The page ------------------------------------------------------------------------------


# A forged post could only show its sender's documents back to them: nothing is stored, no
# session or cookie is read, so there is nothing for a CSRF token to protect.
@csrf_exempt
def import_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"rules_version": RULES_VERSION, "max_documents": MAX_DOCUMENTS}
    if request.method != "POST":
        return render(request, "import.html", context)
    try:
        documents = _documents(request)
        result = import_documents(documents)
    except RequestError as error:
        context["errors"] = [("", str(error))]
    except DocumentError as error:
        context["errors"] = [(name, " ".join(messages))
                             for name, messages in error.errors.items()]
    else:
        return render(request, "import.html", context | _review(result, documents))
    # What was pasted goes back in its box, so the reader fixes it rather than pasting again.
    pasted = _pasted(request)
    context["pasted"] = pasted + [""] * (PASTE_BOXES - len(pasted))
    context["advice"] = _advice(context["errors"], pasted, uploaded=_uploaded(request))
    return render(request, "import.html", context, status=400)


# The page's paste boxes: one document each. A task definition and the error its task stopped
# with are the usual pair, hence two.
PASTE_BOXES = 2
# What the readers say when a box holds more than one document (a JSON document followed by
# anything, or a YAML stream with `---` between documents).
SEVERAL_IN_ONE = ("Extra data", "expected a single document")


def _pasted(request: HttpRequest) -> list[str]:
    try:
        texts = request.POST.getlist("text") if request.content_type == MULTIPART else []
    except (MultiPartParserError, ValueError):  # the body could not be read at all
        return []
    return [text for text in texts[:PASTE_BOXES] if len(text) <= MAX_BYTES]


def _uploaded(request: HttpRequest) -> bool:
    try:
        return request.content_type == MULTIPART and bool(request.FILES)
    except (MultiPartParserError, ValueError):
        return False


def _advice(errors: list[tuple[str, str]], pasted: list[str], uploaded: bool) -> list[str]:
    """What to do next, beyond what each error says."""
    advice = []
    if any(name.startswith("pasted text") and any(sign in message for sign in SEVERAL_IN_ONE)
           for name, message in errors):
        advice.append(
            "A box holds more than one document (a task definition followed by an error "
            "message, say). Put one document in each box: paste the second into the next box, "
            "or upload each document as its own file; several files can be chosen at once."
        )
    if pasted and any(text.strip() for text in pasted):
        advice.append("What you pasted is still in the boxes below: correct it there.")
    if uploaded:
        advice.append("Choose the files again: a browser does not keep them after an error.")
    return advice


def _asks(field: Field, answers: Answers) -> bool:
    return field.matters(answers) and not field.optional


def _review(result: ImportResult, documents: list[Document]) -> dict[str, Any]:
    steps = []
    open_count = 0  # the questions left open that the wizard will ask, over every step
    for step in STEPS:
        fields = [f for f in result.fields if FIELDS_BY_NAME[f.field].step is step]
        rows = [_row(FIELDS_BY_NAME[f.field], f) for f in fields]
        # Open: a question the documents left unanswered that the wizard would ask here (it
        # matters for these answers, and is not one of the optional checks).
        asked = [_asks(FIELDS_BY_NAME[f.field], result.answers) for f in fields]
        left = sum(1 for row, ask in zip(rows, asked, strict=True)
                   if ask and not row["answered"])
        open_count += left
        steps.append({"title": STEP_TITLES[step], "rows": rows, "open": left})
    first_open = next((step for step, review in zip(STEPS, steps, strict=True)
                       if review["open"]), None)
    query = result.answered_query()
    return {
        "result": result,
        "diagnoses": [{
            "diagnosis": d,
            "action": TRAFFIC_BY_ACTION[d.action].label if d.action else "",
            "check": [FIELDS_BY_NAME[name].label for name in d.check],
        } for d in result.diagnoses],
        "documents": [(d.name, KIND_TITLES[d.kind]) for d in result.documents],
        "conflicts": [(f.field, FIELDS_BY_NAME[f.field].label) for f in result.conflicts],
        "steps": steps,
        "warnings": [n for n in result.notices if n.level == "warning"],
        "notes": [n for n in result.notices if n.level == "info"],
        "open_count": open_count,
        # Unknown, but not asked: optional checks, or questions these answers make moot.
        "quiet_count": len(result.unanswered) - open_count,
        "continue_url": wizard_url(first_open, query, Navigation(
            skip=tuple(s for s, r in zip(STEPS, steps, strict=True) if not r["open"]),
            imported=_with_status(result, Status.FOUND),
            inferred=_with_status(result, Status.INFERRED),
        )) if first_open else None,
        "continue_title": STEP_TITLES[first_open] if first_open else "",
        "result_url": result_url(result.answers),
        "fixes": _fixes(result, documents),
    }


def _fixes(result: ImportResult, documents: list[Document]) -> dict[str, Any]:
    """The findings that hold whatever the open answers are, their commands with the
    documents' IDs (the full result lists the ones that only may apply)."""
    known = collect(documents)
    try:
        evaluation = substitute(evaluate(result.answers), known)
    except TooManyUnknowns as error:
        return {"findings": [], "ids": [], "error": too_wide_words(error)}
    return {
        "findings": [f for f in evaluation.findings if f.commands and f.certain],
        "ids": [(placeholder, value) for placeholder, value in known.replacements().items()],
    }


def _with_status(result: ImportResult, status: Status) -> tuple[str, ...]:
    """The questions whose answer has this status, in the wizard's order."""
    names = {f.field for f in result.fields if f.status is status}
    return tuple(field.name for field in FIELDS if field.name in names)


def _row(field: Field, answer: ImportedAnswer) -> dict[str, Any]:
    claims = [{
        "value": _label(field, claim.value) if claim.value is not None else "",
        "origins": tuple(dict.fromkeys(claim.origins)),  # one place is named once
        "note": claim.note,
        "inferred": claim.inferred,
        "suggested": claim.suggested,
    } for claim in answer.claims]
    return {
        "field": field.name,
        "label": field.label,
        "status": answer.status.value,
        "answered": answer.answered,
        "value": _label(field, answer.value) if answer.answered else "",
        "claims": claims,
        "note": answer.note,
    }


def _label(field: Field, value: Any) -> str:
    shown = json_value(field.name, value)
    if field.kind is Kind.BOOL:
        return "Yes" if shown else "No"
    if field.kind is Kind.MULTI:
        return ", ".join(field.label_for(item) for item in shown) or "None"
    return field.label_for(str(shown))


# --- OpenAPI (advisor/openapi.py adds these to the document) -------------------------------


def request_body() -> dict[str, Any]:
    document = {"type": "string", "description": "The document's text."}
    return {
        "required": True,
        "description": (
            "Task definitions (register-task-definition input, describe-task-definition "
            "output, or a list of container definitions), services (create-service input or "
            "output, describe-services output), describe-tasks output, CloudFormation "
            "templates (YAML or JSON), Terraform plans or states (`terraform show -json`) and "
            "error messages (a stoppedReason or a service event). "
            f"At most {MAX_DOCUMENTS} documents, 1 MB ({MAX_BYTES} bytes) each, "
            f"{MAX_REQUEST_BYTES} bytes per request."
        ),
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"documents": {
                        "type": "array", "minItems": 1, "maxItems": MAX_DOCUMENTS,
                        "items": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string", "description": "Used in provenance."},
                                "content": document,
                            },
                            "required": ["content"],
                        },
                    }},
                    "required": ["documents"],
                    "additionalProperties": False,
                },
                "example": {"documents": [{
                    "name": "task.json",
                    "content": '{"family": "web", "networkMode": "awsvpc", '
                               '"containerDefinitions": [{"name": "web", "image": "nginx"}]}',
                }]},
            },
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "array",
                                 "items": {"type": "string", "contentMediaType":
                                           "application/octet-stream"}},
                        "text": {"type": "array", "items": document},
                    },
                },
            },
            "text/plain": {"schema": document},
            "application/yaml": {"schema": document},
        },
    }


def parameters() -> tuple[dict[str, Any], ...]:
    return (
        {"name": "evaluate", "in": "query", "required": False,
         "description": "`true` adds the evaluation of the imported answers as `evaluation`.",
         "schema": {"type": "boolean", "default": False}},
        {"name": "name", "in": "query", "required": False,
         "description": "The document's name when the body is one raw document.",
         "schema": {"type": "string", "default": "body"}},
    )


def result_schema() -> dict[str, Any]:
    text = {"type": "string"}
    origin = {
        "type": "object",
        "properties": {"document": text, "path": {
            "type": "string", "description": "The JSON/YAML path, such as "
            "`Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration."
            "AssignPublicIp`."}, "note": text},
        "required": ["document", "path", "note"],
    }
    claim = {
        "type": "object",
        "description": "One document's statement about the field.",
        "properties": {
            "value": {"description": "The value the document gives (null for a partial claim)."},
            "from": {"type": "array", "items": origin},
            "note": text,
            "inferred": {"type": "boolean", "description": "Inferred (from an error message, "
                         "or an assumption the note states), not read."},
            "pattern": {"type": "string", "description": "The error pattern that matched."},
            "suggested": {"type": "boolean", "description": "Only the likeliest reading of an "
                          "error message: shown, never an answer on its own."},
            "includes": {"type": "array", "items": text},
            "excludes": {"type": "array", "items": text},
        },
        "required": ["value", "from", "note", "inferred"],
    }
    answer = {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": [s.value for s in Status], "description": (
                "`found` in a document; `inferred` (see the claims' notes); `partial`: only "
                "some list members are known; `suggested`: an error message suggests a value "
                "without proving it; `conflict`: documents disagree; `missing`: not in the "
                "document. Every status but found and inferred leaves the answer unknown.")},
            "value": {"description": "The answer, in the vocabulary of /api/v1/evaluate, when "
                      "found or inferred; else null."},
            "claims": {"type": "array", "items": claim},
            "note": text,
        },
        "required": ["status", "value", "claims", "note"],
    }
    notice = {
        "type": "object",
        "properties": {"level": {"type": "string", "enum": ["warning", "info"]},
                       "message": text, "document": text, "path": text, "note": text},
        "required": ["level", "message", "document", "path"],
    }
    names = {"type": "array", "items": {"type": "string",
                                         "enum": [field.name for field in FIELDS]}}
    return {
        "type": "object",
        "description": "What the documents answer, and where each answer comes from.",
        "properties": {
            "api_version": {"type": "string", "const": API_VERSION},
            "rules_version": text,
            "documents": {"type": "array", "items": {
                "type": "object",
                "properties": {"name": text,
                               "kind": {"type": "string", "enum": [k.value for k in DocumentKind]},
                               "title": {"type": "string",
                                         "enum": list(KIND_TITLES.values())}},
                "required": ["name", "kind", "title"],
            }},
            "answers": {"type": "object", "properties": {
                field.name: answer for field in FIELDS
            }, "required": list(FIELDS_BY_NAME), "additionalProperties": False},
            "answered": names,
            "unanswered": names,
            "conflicts": names,
            "warnings": {"type": "array", "items": notice,
                         "description": "What the documents say that Fargate cannot run."},
            "notes": {"type": "array", "items": notice,
                      "description": "What the advisor could not follow, and why."},
            "diagnoses": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "pattern": text, "title": text, "matched": text,
                    "recognised": {"type": "boolean", "description": "False: no known family "
                                   "explains the message; `closest` lists the nearest ones."},
                    "nature": {"type": "string", "description": "networking, permissions, "
                               "configuration, not networking or not Fargate (empty when not "
                               "recognised)."},
                    "stage": text, "meaning": text, "where": text,
                    "causes": {"type": "array", "items": text,
                               "description": "The ranked causes' texts (at most six)."},
                    "ranked_causes": {"type": "array", "maxItems": 6, "items": {
                        "type": "object",
                        "properties": {
                            "id": text, "text": text, "fix": text,
                            "check": {"type": "array", "items": {
                                "type": "object",
                                "properties": {"kind": {"type": "string", "const": "aws-cli"},
                                               "text": text},
                                "required": ["kind", "text"]}},
                        },
                        "required": ["id", "text", "fix", "check"]}},
                    "proves": {"type": "array", "items": text},
                    "closest": {"type": "array", "items": {"type": "object", "properties": {
                        "pattern": text, "title": text}}},
                    "action": {"type": ["string", "null"],
                               "enum": [*(a.value for a in Action), None]},
                    "check": names,
                    "sources": {"type": "array", "items": {"type": "object", "properties": {
                        "title": text, "url": {"type": "string", "format": "uri"}}}},
                    "document": text, "path": text, "note": text,
                },
                "required": ["pattern", "title", "causes", "action", "check", "sources"],
            }},
            "query": {"type": "string", "description": "The answered fields as a query "
                      "string, defaults included, for the wizard."},
            "values": {"type": "object", "description": "The imported answers as "
                       "/api/v1/evaluate takes them: every field, `unknown` where no document "
                       "answers it.", "properties": {field.name: {} for field in FIELDS},
                       "required": list(FIELDS_BY_NAME), "additionalProperties": False},
            "permalink": {"type": "string", "description": "The result page for the imported "
                          "answers (unanswered fields are unknown)."},
            "evaluation": {"$ref": "#/components/schemas/Result"},
        },
        "required": ["api_version", "rules_version", "documents", "answers", "answered",
                     "unanswered", "conflicts", "warnings", "notes", "diagnoses", "query",
                     "permalink"],
    }
