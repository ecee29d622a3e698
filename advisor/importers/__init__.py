"""Start from what you already have: documents in, answers with provenance out.

Pure Python, no Django. `import_documents([Document(name, content), ...])` reads each document,
recognises its kind, and returns an `ImportResult`: for every field of the advisor's
vocabulary, the value the documents give and where each document says it (document name and
JSON/YAML path), or "not in the document"; conflicts between documents; warnings about what
Fargate cannot run; and, for error messages, the likely causes.

Accepted documents (recognised by their shape, not their file name):
- an ECS task definition: `register-task-definition` input or `describe-task-definition`
  output, or a JSON list of container definitions;
- an ECS service: `create-service` input or output (with or without `serviceName`, as
  ecspresso's `ecs-service-def.json` and other tools write it, JSON or YAML),
  `describe-services` output (whose events are also read as error messages);
- `describe-tasks` output (its `stoppedReason`s are read as error messages);
- a CloudFormation template, YAML with short tags or JSON;
- a Terraform plan or state, as printed by `terraform show -json`;
- Terraform source: `.tf`, `.tf.json` and `.tfvars` files (all read as one root module), and
  the files they read with `file()` or `templatefile()` (recognised by name, or pasted `.tf`
  text by its blocks: `resource "aws_..." "name" {`);
- a snapshot of a live account, as written by `manage.py snapshot`;
- an AWS Copilot manifest (`copilot/<service>/manifest.yml`: Load Balanced Web Service,
  Backend Service, Worker Service, Scheduled Job; an environment manifest beside them);
- a CloudFormation parameter file (`create-stack --parameters`, `deploy
  --parameter-overrides`, a CodePipeline template configuration, SAM's `samconfig.toml`),
  whose values replace the defaults of the templates given with it;
- an error message pasted as text (a `stoppedReason` or a service event).

Bad input raises `DocumentError`, whose `errors` map each document's name to messages that
name the problem: invalid JSON or YAML with line and column, an unrecognised document with
what was expected, a document over the 1 MB limit, more than `MAX_DOCUMENTS` documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import (
    cloudformation,
    combine,
    copilot,
    error_message,
    hcl,
    parameters,
    service,
    snapshot,
    task_definition,
    terraform,
    tf_source,
)
from .loading import (
    MAX_BYTES,
    DocumentError,
    decode,
    load_json,
    load_yaml,
    looks_like_json,
    looks_like_structured,
)
from .model import (
    KIND_TITLES,
    Document,
    DocumentKind,
    DocumentSummary,
    Extraction,
    ImportedAnswer,
    ImportResult,
    Origin,
    Status,
)
from .nodes import Node, root

__all__ = [
    "KIND_TITLES",
    "MAX_BYTES",
    "MAX_DOCUMENTS",
    "Document",
    "DocumentError",
    "DocumentKind",
    "ImportResult",
    "ImportedAnswer",
    "Status",
    "import_documents",
    "read_document",
]

MAX_DOCUMENTS = 10

EXPECTED = (
    "Expected one of: an ECS task definition (register-task-definition input or "
    "describe-task-definition output) or a JSON list of container definitions; an ECS service "
    "(create-service input or output, describe-services output); describe-tasks output; a "
    "CloudFormation template (YAML or JSON, with Resources) or its parameter file; an AWS "
    "Copilot manifest; a Terraform plan or state from `terraform show -json`; or an error "
    "message from a stopped task or a service event "
    f"(such as {error_message.KNOWN})."
)


@dataclass(frozen=True, slots=True)
class Loaded:
    name: str
    kind: DocumentKind
    value: Any
    text: str = ""


def import_documents(documents: Sequence[Document]) -> ImportResult:
    """Read, recognise and combine the documents. Raises `DocumentError` on bad input, with
    every document's problems at once."""
    if not documents:
        raise DocumentError.one("documents", "No document was given. " + EXPECTED)
    if len(documents) > MAX_DOCUMENTS:
        raise DocumentError.one(
            "documents", f"{len(documents)} documents were given; the limit is {MAX_DOCUMENTS}."
        )
    loaded: list[Loaded] = []
    errors: dict[str, list[str]] = {}
    for name, document in zip(_unique_names(documents), documents, strict=True):
        try:
            loaded.append(read_document(name, document.content))
        except DocumentError as error:
            errors.update(error.errors)
    if errors:
        raise DocumentError(errors)
    return combine.merge(
        (DocumentSummary(d.name, d.kind) for d in loaded), _extract(loaded)
    )


def read_document(name: str, content: str | bytes) -> Loaded:
    """Decode, parse and recognise one document. Text that is not a known document (JSON, or
    YAML with the shape of one) is read as error messages: plain text is never a YAML
    error."""
    text = decode(name, content)
    terraform_source = _terraform(name, text)
    if terraform_source is not None:
        return terraform_source
    if parameters.is_samconfig(name):
        return Loaded(name, DocumentKind.CLOUDFORMATION_PARAMETERS,
                      parameters.load_samconfig(name, text), text)
    if looks_like_json(text):
        value = load_json(name, text)
        kind = detect(value)
        if kind is not None:
            _refuse(name, kind, value)
            return Loaded(name, kind, value, text)
        raise DocumentError.one(name, _unrecognised(value))
    try:
        value = load_yaml(name, text)
    except DocumentError:
        if looks_like_structured(text) and not error_message.looks_like_error(text):
            raise
        return Loaded(name, DocumentKind.ERROR_MESSAGE, text)
    kind = detect(value)
    if kind is not None:
        _refuse(name, kind, value)
        return Loaded(name, kind, value)
    if _message_like(value) or error_message.looks_like_error(text):
        return Loaded(name, DocumentKind.ERROR_MESSAGE, text)
    raise DocumentError.one(name, _unrecognised(value))


def _refuse(name: str, kind: DocumentKind, value: Any) -> None:
    """A recognised document that the advisor cannot check (a Copilot App Runner service)."""
    why = copilot.refusal(value) if kind is DocumentKind.COPILOT else None
    if why is not None:
        raise DocumentError.one(name, why)


_TERRAFORM_NAMES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")
_TEMPLATE_NAMES = (".tpl", ".tftpl")


def _terraform(name: str, text: str) -> Loaded | None:
    """Terraform source, by its file name or, pasted, by its blocks; a template it reads."""
    lowered = name.lower()
    if lowered.endswith(_TEMPLATE_NAMES):
        return Loaded(name, DocumentKind.TERRAFORM, None, text)
    if not lowered.endswith(_TERRAFORM_NAMES) and not (
            not looks_like_json(text) and hcl.looks_like_terraform(text)):
        return None
    if ".tfvars" in lowered:
        return Loaded(name, DocumentKind.TERRAFORM, hcl.parse_tfvars(name, text), text)
    return Loaded(name, DocumentKind.TERRAFORM, hcl.parse(name, text), text)


def _message_like(value: Any) -> bool:
    """Plain text to YAML: a scalar, or `Error: some text`, a one-key mapping to YAML and a
    message to a person."""
    if isinstance(value, dict):
        return len(value) == 1 and not isinstance(next(iter(value.values())), dict | list)
    return not isinstance(value, list)


def detect(value: Any) -> DocumentKind | None:
    if isinstance(value, str) and error_message.looks_like_error(value):
        return DocumentKind.ERROR_MESSAGE
    if parameters.is_parameter_file(value):
        return DocumentKind.CLOUDFORMATION_PARAMETERS
    if isinstance(value, list):
        if value and all(isinstance(item, dict) and ("image" in item or "name" in item)
                         for item in value):
            return DocumentKind.CONTAINER_DEFINITIONS
        return None
    if not isinstance(value, dict):
        return None
    if snapshot.is_snapshot(value):
        return DocumentKind.SNAPSHOT
    if cloudformation.is_template(value):
        return DocumentKind.CLOUDFORMATION
    if terraform.is_plan(value):
        return DocumentKind.TERRAFORM_PLAN
    if copilot.is_manifest(value):
        return DocumentKind.COPILOT
    node = root(value, "")
    task = node.get("taskDefinition")
    if node.get("containerDefinitions") is not None or (
        task is not None and task.get("containerDefinitions") is not None
    ):
        return DocumentKind.TASK_DEFINITION
    services = node.get("services")
    if (services is not None and isinstance(services.value, list) and services.value
            and all(isinstance(s, dict) and "serviceName" in s for s in services.value)):
        return DocumentKind.SERVICE
    if isinstance(value.get("service"), dict) or "serviceName" in value or \
            service.looks_like_service(value):
        return DocumentKind.SERVICE
    tasks = value.get("tasks")
    if isinstance(tasks, list) and tasks and all(
        isinstance(t, dict) and ("taskArn" in t or "stoppedReason" in t) for t in tasks
    ):
        return DocumentKind.TASK
    return None


def _unrecognised(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:6])
        found = f"It is a mapping with the keys {keys}{', ...' if len(value) > 6 else ''}."
    elif isinstance(value, list):
        found = f"It is a list of {len(value)} items."
    else:
        found = "It is plain text that matches no known error message."
    return f"Unrecognised document. {found} {EXPECTED}"


def _unique_names(documents: Sequence[Document]) -> list[str]:
    names: list[str] = []
    for index, document in enumerate(documents, start=1):
        name = (document.name or "").strip()[:200] or f"document {index}"
        if name in names:
            name = f"{name} ({index})"
        names.append(name)
    return names


def _extract(loaded: list[Loaded]) -> Extraction:
    out = Extraction()
    templates = [cloudformation.Template(d.name, d.value) for d in loaded
                 if d.kind is DocumentKind.CLOUDFORMATION]
    parameter_files = [(d.name, d.value) for d in loaded
                       if d.kind is DocumentKind.CLOUDFORMATION_PARAMETERS]
    if parameter_files:
        out += parameters.apply(parameter_files, templates)
    manifests = [copilot.Manifest(d.name, d.value) for d in loaded
                 if d.kind is DocumentKind.COPILOT]
    if manifests:
        out += copilot.extract(manifests)
    if templates:
        out += cloudformation.extract(templates)
    sources = [(d.name, d.value) for d in loaded
               if d.kind is DocumentKind.TERRAFORM and isinstance(d.value, list)]
    if sources:
        tfvars = [d.value for d in loaded if isinstance(d.value, hcl.Block)]
        files = {d.name.replace("\\", "/").rsplit("/", 1)[-1]: d.text for d in loaded if d.text}
        out += tf_source.extract(sources, tfvars, files)
    for document in loaded:
        node = root(document.value, document.name)
        if document.kind is DocumentKind.TASK_DEFINITION:
            out += task_definition.extract(node.get("taskDefinition") or node)
        elif document.kind is DocumentKind.CONTAINER_DEFINITIONS:
            out += task_definition.extract(node, containers=list(node.items()), volumes=[],
                                           fragment=True)
        elif document.kind is DocumentKind.SERVICE:
            out += _services(node)
        elif document.kind is DocumentKind.TASK:
            out += _tasks(node)
        elif document.kind is DocumentKind.TERRAFORM_PLAN:
            out += terraform.extract(document.name, document.value)
        elif document.kind is DocumentKind.SNAPSHOT:
            out += snapshot.extract(document.name, document.value)
        elif document.kind is DocumentKind.ERROR_MESSAGE:
            out += _message(document)
    return out


def _services(node: Node) -> Extraction:
    listed = node.get("services")
    services = list(listed.items()) if listed else [node.get("service") or node]
    out = Extraction()
    for svc in services:
        extraction, refs = service.extract(svc)
        out += extraction + service.unfollowed(refs)
        events = svc.get("events")
        for event in events.items() if events else ():
            message = event.get("message")
            if message is not None and message.text():
                out += error_message.diagnose(message.text() or "", message.origin())
    return out


def _tasks(node: Node) -> Extraction:
    out = Extraction()
    tasks = node.get("tasks")
    for task in tasks.items() if tasks else ():
        extraction, _ = service.extract(task, absent_is_default=False)
        out += Extraction(tuple(c for c in extraction.claims if c.field in
                                ("platform_version", "ecs_exec", "os")),
                          tuple(n for n in extraction.notices if "launchType" in n.message))
        reasons = [task.get("stoppedReason")]
        containers = task.get("containers")
        reasons += [c.get("reason") for c in containers.items()] if containers else []
        for reason in reasons:
            if reason is not None and reason.text():
                out += error_message.diagnose(reason.text() or "", reason.origin())
    return out


def _message(document: Loaded) -> Extraction:
    text = document.value if isinstance(document.value, str) else str(document.value)
    return error_message.diagnose(text, Origin(document.name, "(message)"),
                                  report_unrecognised=True)

