"""What an import produces: claims about answers, each with where it came from.

Every importer turns a document into `Claim`s: "field F has value V, because of this place in
this document". `combine.merge()` folds the claims of all documents into one `ImportResult`,
field by field: one value when the claims agree, a conflict when they do not, "not in the
document" when nobody said anything.

A claim read from a document is a statement of fact about the configuration. A claim that the
advisor infers (from an error message, or by assuming something the document leaves open) is
marked `inferred` and says why, so a person can check it on the review page. An inference that
is only the likeliest reading (a timeout suggests "no NAT gateway", but a security group gives
the same message) is also marked `suggested`: it is shown, and it can conflict with a
document, but it never becomes an answer.

Whatever no document states is `UNKNOWN` in `ImportResult.answers` (spec section 4), never the
vocabulary's default: a field that is missing, only partly known, only suggested or in
conflict is unknown, and the evaluation says what the verdict hangs on.

For list fields (`endpoints`, `secrets`) an inferred claim may only know part of the list: an
i/o timeout to `api.ecr` says "there is no working ecr.api endpoint" but nothing about the
others. Such claims carry `includes` (members the configuration must have) and `excludes`
(members it cannot have) instead of a whole value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from advisor.rules.answers import (
    FIELDS,
    FIELDS_BY_NAME,
    UNKNOWN,
    Answers,
    AnswersError,
    Kind,
    parse_json,
    query_items,
)
from advisor.rules.answers import to_dict as answers_to_dict
from advisor.rules.result import Action, Source


class DocumentKind(StrEnum):
    TASK_DEFINITION = "task_definition"
    CONTAINER_DEFINITIONS = "container_definitions"
    SERVICE = "service"
    TASK = "task"
    CLOUDFORMATION = "cloudformation"
    CLOUDFORMATION_PARAMETERS = "cloudformation_parameters"
    TERRAFORM_PLAN = "terraform_plan"
    TERRAFORM = "terraform"
    SNAPSHOT = "snapshot"
    COPILOT = "copilot"
    ERROR_MESSAGE = "error_message"


KIND_TITLES: dict[DocumentKind, str] = {
    DocumentKind.TASK_DEFINITION: "ECS task definition",
    DocumentKind.CONTAINER_DEFINITIONS: "ECS container definitions",
    DocumentKind.SERVICE: "ECS service",
    DocumentKind.TASK: "ECS task (describe-tasks)",
    DocumentKind.CLOUDFORMATION: "CloudFormation template",
    DocumentKind.CLOUDFORMATION_PARAMETERS: "CloudFormation parameter file (create-stack "
    "--parameters, deploy --parameter-overrides, CodePipeline template configuration, "
    "samconfig.toml)",
    DocumentKind.TERRAFORM_PLAN: "Terraform plan or state (terraform show -json)",
    DocumentKind.TERRAFORM: "Terraform configuration (.tf, .tf.json, .tfvars) or a file it "
    "reads",
    DocumentKind.SNAPSHOT: "Snapshot of a live account (manage.py snapshot)",
    DocumentKind.COPILOT: "AWS Copilot manifest (copilot/<name>/manifest.yml)",
    DocumentKind.ERROR_MESSAGE: "Error message",
}


@dataclass(frozen=True, slots=True)
class Document:
    """One document to import: its name (used in provenance) and its text or bytes."""

    name: str
    content: str | bytes


class Status(StrEnum):
    FOUND = "found"
    INFERRED = "inferred"
    PARTIAL = "partial"  # a list field of which only some members are known: unknown
    SUGGESTED = "suggested"  # an error message suggests a value but does not prove it: unknown
    CONFLICT = "conflict"
    MISSING = "missing"


NOT_IN_DOCUMENT = "not in the document"
ALL_UNKNOWN = Answers(**{f.name: UNKNOWN for f in FIELDS})


@dataclass(frozen=True, slots=True)
class Origin:
    """A place in a document: its name and the JSON/YAML path, with what it says there."""

    document: str
    path: str
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"document": self.document, "path": self.path, "note": self.note}


@dataclass(frozen=True, slots=True)
class Claim:
    """One document's statement about one field."""

    field: str
    value: Any
    origins: tuple[Origin, ...]
    note: str = ""
    inferred: bool = False
    pattern: str = ""  # for claims inferred from an error message: the pattern that matched
    suggested: bool = False  # the likeliest reading, not a proof: never an answer on its own
    includes: frozenset[Any] = frozenset()
    excludes: frozenset[Any] = frozenset()

    @property
    def partial(self) -> bool:
        """A list claim that only knows some members (see the module docstring)."""
        return bool(self.includes or self.excludes) and self.value is None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": json_value(self.field, self.value),
            "from": [origin.to_dict() for origin in self.origins],
            "note": self.note,
            "inferred": self.inferred,
        }
        if self.pattern:
            out["pattern"] = self.pattern
        if self.suggested:
            out["suggested"] = True
        if self.includes:
            out["includes"] = json_value(self.field, self.includes)
        if self.excludes:
            out["excludes"] = json_value(self.field, self.excludes)
        return out


class Level(StrEnum):
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the document says that is not an answer: what Fargate cannot run (warning),
    or what the advisor could not follow (info)."""

    level: Level
    message: str
    origin: Origin

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "message": self.message, **self.origin.to_dict()}


@dataclass(frozen=True, slots=True)
class RankedCause:
    """One likely cause of an error message, with the read-only commands that show it."""

    id: str
    text: str
    check: tuple[str, ...]
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "fix": self.fix,
                "check": [{"kind": "aws-cli", "text": command} for command in self.check]}


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """An error message read against the catalogue of known message families
    (`error_catalog.py`), or an honest "not recognised" with the closest families."""

    pattern: str
    title: str
    matched: str
    causes: tuple[str, ...]
    action: Action | None
    check: tuple[str, ...]
    sources: tuple[Source, ...]
    origin: Origin
    recognised: bool = True
    nature: str = ""  # networking, permissions, configuration, not networking, not Fargate
    stage: str = ""
    meaning: str = ""
    ranked: tuple[RankedCause, ...] = ()
    proves: tuple[str, ...] = ()
    closest: tuple[tuple[str, str], ...] = ()  # (family id, title) when not recognised
    where: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "title": self.title,
            "recognised": self.recognised,
            "nature": self.nature,
            "stage": self.stage,
            "meaning": self.meaning,
            "matched": self.matched,
            "causes": list(self.causes),
            "ranked_causes": [cause.to_dict() for cause in self.ranked],
            "proves": list(self.proves),
            "closest": [{"pattern": pattern, "title": title} for pattern, title in self.closest],
            "where": self.where,
            "action": self.action,
            "check": list(self.check),
            "sources": [{"title": s.title, "url": s.url} for s in self.sources],
            **self.origin.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    name: str
    kind: DocumentKind

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "title": KIND_TITLES[self.kind]}


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one importer got out of one document."""

    claims: tuple[Claim, ...] = ()
    notices: tuple[Notice, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()

    def __add__(self, other: Extraction) -> Extraction:
        return Extraction(
            self.claims + other.claims,
            self.notices + other.notices,
            self.diagnoses + other.diagnoses,
        )


@dataclass(frozen=True, slots=True)
class ImportedAnswer:
    """The outcome for one field after all documents are combined."""

    field: str
    status: Status
    value: Any = None
    claims: tuple[Claim, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "value": json_value(self.field, self.value) if self.answered else None,
            "claims": [claim.to_dict() for claim in self.claims],
            "note": self.note or (NOT_IN_DOCUMENT if self.status is Status.MISSING else ""),
        }

    @property
    def answered(self) -> bool:
        return self.status in (Status.FOUND, Status.INFERRED)


@dataclass(frozen=True, slots=True)
class ImportResult:
    documents: tuple[DocumentSummary, ...]
    fields: tuple[ImportedAnswer, ...]
    notices: tuple[Notice, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()
    answers: Answers = field(default=ALL_UNKNOWN)  # unknown wherever nothing answers

    def field(self, name: str) -> ImportedAnswer:
        return next(f for f in self.fields if f.field == name)

    @property
    def answered(self) -> tuple[str, ...]:
        """The fields the documents answer, in `FIELDS` order."""
        return tuple(f.field for f in self.fields if f.answered)

    @property
    def unanswered(self) -> tuple[str, ...]:
        return tuple(f.field for f in self.fields if not f.answered)

    @property
    def conflicts(self) -> tuple[ImportedAnswer, ...]:
        return tuple(f for f in self.fields if f.status is Status.CONFLICT)

    def answered_query(self) -> str:
        """Every answered field as a query string, defaults included, so the wizard can tell
        an imported default from a question nobody answered yet (and asks the rest)."""
        pairs = [
            (name, query_value(name, getattr(self.answers, name))) for name in self.answered
        ]
        return urlencode(pairs, safe=",")

    def answers_query(self) -> str:
        """Every field as `name=value`, the unanswered ones as `name=unknown`: the answers
        exactly, and one pair per field, so that a `name=value` given later can replace it."""
        return urlencode(query_items(self.answers), safe=",")

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": [d.to_dict() for d in self.documents],
            "answers": {f.field: f.to_dict() for f in self.fields},
            "answered": list(self.answered),
            "unanswered": list(self.unanswered),
            "conflicts": [f.field for f in self.conflicts],
            "warnings": [n.to_dict() for n in self.notices if n.level is Level.WARNING],
            "notes": [n.to_dict() for n in self.notices if n.level is Level.INFO],
            "diagnoses": [d.to_dict() for d in self.diagnoses],
            "query": self.answered_query(),
            "values": answers_to_dict(self.answers),
        }


def json_value(name: str, value: Any) -> Any:
    """A field value as JSON: list fields as lists in vocabulary order."""
    spec = FIELDS_BY_NAME[name]
    if value is None or value is UNKNOWN:
        return value
    if spec.kind is Kind.MULTI:
        return [choice for choice in spec.choices if choice in value]
    return value


def query_value(name: str, value: Any) -> str:
    spec = FIELDS_BY_NAME[name]
    if value is UNKNOWN:
        return UNKNOWN
    if spec.kind is Kind.BOOL:
        return "true" if value else "false"
    if spec.kind is Kind.MULTI:
        return ",".join(choice for choice in spec.choices if choice in value)
    return str(value)


def build_answers(values: dict[str, Any]) -> tuple[Answers, dict[str, list[str]]]:
    """Answers from the answered fields' values, every other field `UNKNOWN`. Fields the
    vocabulary rejects in combination are unknown too, and returned with the reason (e.g.
    platform version 1.4.0 with Windows)."""
    payload = {f.name: UNKNOWN for f in FIELDS} | {
        name: json_value(name, value) for name, value in values.items()
    }
    try:
        return parse_json(payload), {}
    except AnswersError as error:
        kept = payload | dict.fromkeys(error.errors.keys() & payload.keys(), UNKNOWN)
        return parse_json(kept), error.errors


def field_names() -> Iterable[str]:
    return (f.name for f in FIELDS)


def replace(claim: Claim, **changes: Any) -> Claim:
    return dataclasses.replace(claim, **changes)
