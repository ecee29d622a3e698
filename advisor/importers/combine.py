"""Fold the claims of every document into one answer per field, or a conflict.

Per field:
- claims read from documents must agree; if two say different things, the field is a
  conflict and both are shown, rather than one silently winning;
- inferred claims (from error messages, or assumptions the importer states) must fit the
  documents' value; when no document says anything, agreeing inferences give the answer,
  marked inferred;
- a suggested claim (the likeliest reading of an error message) and a list field's
  inference that names only members that must be present (`includes`) or absent
  (`excludes`) never give the answer alone: the field stays unknown, with a note of what is
  known. They conflict with a document only if the document's value breaks them.

Every field without an answer is `UNKNOWN` in the answers, never its default. Finally the
answers are checked together with the vocabulary's own rules (a platform version must exist
for the OS); a field that breaks them is left unknown with a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from advisor.rules.answers import FIELDS, PlatformVersion

from .model import (
    Claim,
    Diagnosis,
    DocumentSummary,
    Extraction,
    ImportedAnswer,
    ImportResult,
    Level,
    Notice,
    Origin,
    Status,
    build_answers,
)

# LATEST and the version it resolves to describe the same platform: a service saying LATEST
# and a stopped task reporting 1.4.0 agree.
_SAME_PLATFORM = (
    frozenset({PlatformVersion.LATEST, PlatformVersion.V1_4_0}),
    frozenset({PlatformVersion.LATEST, PlatformVersion.V1_0_0}),
)


def merge(documents: Iterable[DocumentSummary], extraction: Extraction) -> ImportResult:
    by_field: dict[str, list[Claim]] = {f.name: [] for f in FIELDS}
    for claim in extraction.claims:
        by_field[claim.field].append(claim)
    fields = [_field(name, claims) for name, claims in by_field.items()]
    values = {f.field: f.value for f in fields if f.answered}
    answers, rejected = build_answers(values)
    notices = list(_dedupe(extraction.notices))
    if rejected:
        fields = [
            ImportedAnswer(f.field, Status.MISSING, None, f.claims, " ".join(rejected[f.field]))
            if f.field in rejected else f
            for f in fields
        ]
        for name, messages in rejected.items():
            origin = next(iter(c.origins[0] for c in by_field.get(name, []) if c.origins),
                          Origin("(combined)", name))
            notices.append(Notice(Level.WARNING, f"{name}: {' '.join(messages)} The question is "
                                  "left open.", origin))
    return ImportResult(
        tuple(documents), tuple(fields), tuple(notices), _dedupe_diagnoses(extraction), answers
    )


def _field(name: str, claims: list[Claim]) -> ImportedAnswer:
    if not claims:
        return ImportedAnswer(name, Status.MISSING)
    stated = [c for c in claims if not c.inferred]
    inferred = [c for c in claims if c.inferred]
    if stated:
        values = _distinct(c.value for c in stated)
        if len(values) > 1:
            return ImportedAnswer(name, Status.CONFLICT, None, tuple(claims),
                                  _conflict_note(stated))
        value = values[0]
        clashing = [c for c in inferred if not _fits(c, value)]
        if clashing:
            return ImportedAnswer(name, Status.CONFLICT, None, tuple(claims), (
                "The documents say one thing and the error message suggests another: check "
                "which configuration the failing task really used."
            ))
        return ImportedAnswer(name, Status.FOUND, value, tuple(claims))
    proven = [c for c in inferred if not c.partial and not c.suggested]
    values = _distinct(c.value for c in proven)
    if len(values) > 1:
        return ImportedAnswer(name, Status.CONFLICT, None, tuple(claims),
                              "Inferences disagree.")
    if values:
        value = values[0]
        if all(_fits(c, value) for c in inferred):
            return ImportedAnswer(name, Status.INFERRED, value, tuple(claims))
        return ImportedAnswer(name, Status.CONFLICT, None, tuple(claims), "Inferences disagree.")
    return _unproven(name, inferred)


def _unproven(name: str, inferred: list[Claim]) -> ImportedAnswer:
    """Only suggestions, or only some members of a list: the field stays unknown, and the
    note says what is known about it."""
    claims = tuple(inferred)
    suggested = _distinct(c.value for c in inferred if not c.partial)
    includes = frozenset().union(*(c.includes for c in inferred))
    excludes = frozenset().union(*(c.excludes for c in inferred))
    if len(suggested) > 1 or includes & excludes:
        return ImportedAnswer(name, Status.CONFLICT, None, claims, "Inferences disagree.")
    if suggested:
        if not all(_fits(c, suggested[0]) for c in inferred):
            return ImportedAnswer(name, Status.CONFLICT, None, claims, "Inferences disagree.")
        return ImportedAnswer(name, Status.SUGGESTED, None, claims, (
            "The error message suggests this but does not prove it (see the note), so the "
            "answer is not known."
        ))
    known = [f"present: {_members(includes)}"] if includes else []
    known += [f"absent: {_members(excludes)}"] if excludes else []
    return ImportedAnswer(name, Status.PARTIAL, None, claims,
                          f"Only part of the list is known ({'; '.join(known)}), so the answer "
                          "is not known.")


def _members(values: frozenset[Any]) -> str:
    return ", ".join(sorted(str(v) for v in values))


def _distinct(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        for index, seen in enumerate(out):
            if _same(value, seen):
                # Of LATEST and its resolved version, keep LATEST: the configuration's words.
                if value is PlatformVersion.LATEST:
                    out[index] = value
                break
        else:
            out.append(value)
    return out


def _same(a: Any, b: Any) -> bool:
    return a == b or frozenset({a, b}) in _SAME_PLATFORM


def _fits(claim: Claim, value: Any) -> bool:
    if claim.partial:
        members = value if isinstance(value, frozenset) else frozenset()
        return claim.includes <= members and not (claim.excludes & members)
    return _same(claim.value, value)


def _conflict_note(claims: list[Claim]) -> str:
    parts = []
    for claim in claims:
        where = ", ".join(f"{o.document} {o.path}" for o in claim.origins[:2])
        parts.append(f"{_show(claim.value)} ({where})")
    return "Different places say different things: " + "; ".join(parts) + "."


def _show(value: Any) -> str:
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(str(v) for v in value)) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _dedupe(notices: Iterable[Notice]) -> list[Notice]:
    seen: set[tuple[str, str]] = set()
    out = []
    for notice in notices:
        key = (notice.message, notice.origin.document)
        if key not in seen:
            seen.add(key)
            out.append(notice)
    return out


def _dedupe_diagnoses(extraction: Extraction) -> tuple[Diagnosis, ...]:
    seen: set[tuple[str, str, str]] = set()
    out: list[Diagnosis] = []
    for diagnosis in extraction.diagnoses:
        key = (diagnosis.pattern, diagnosis.matched, diagnosis.origin.document)
        if key not in seen:
            seen.add(key)
            out.append(diagnosis)
    return tuple(out)
