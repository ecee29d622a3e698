"""Documents from files, and a plain-text account of an import, for the command line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .authority import AUTHORITY_BY_FIELD
from .loading import MAX_BYTES, DocumentError, too_large
from .model import Document, ImportResult, Level, Status, json_value


def read_files(paths: Iterable[str]) -> list[Document]:
    """A `Document` per path; every unreadable or oversized file is named at once."""
    documents: list[Document] = []
    errors: dict[str, list[str]] = {}
    for path in paths:
        file = Path(path)
        try:
            size = file.stat().st_size
            if size > MAX_BYTES:
                errors[path] = [too_large(size)]
                continue
            documents.append(Document(path, file.read_bytes()))
        except OSError as error:
            errors[path] = [f"Cannot read the file: {error.strerror or error}."]
    if errors:
        raise DocumentError(errors)
    return documents


def summary(result: ImportResult) -> str:
    """What was imported, conflicts and warnings first; one line per item."""
    lines = [
        "Imported: " + ", ".join(f"{d.name} ({d.kind.value})" for d in result.documents),
    ]
    for field in result.conflicts:
        sides = dict.fromkeys(
            f"{_show(field.field, c.value)} in {c.origins[0].document}"
            for c in field.claims if c.value is not None
        )
        values = "; ".join(sides)
        lines.append(f"Conflict: {field.field}: {values}. It is left unknown; pass "
                     f"{field.field}=... to decide.")
    lines += [f"Warning: {n.message} ({n.origin.document}: {n.origin.path})"
              for n in result.notices if n.level is Level.WARNING]
    for diagnosis in result.diagnoses:
        lines.append(f"Error message: {diagnosis.title} (pattern {diagnosis.pattern}).")
        lines += [f"  cause {n}: {c.text} Check: {c.check[0]}"
                  for n, c in enumerate(diagnosis.ranked, start=1)]
    for field in result.fields:
        if field.status in (Status.FOUND, Status.INFERRED):
            where = "; ".join(f"{o.document}: {o.path}" for o in field.claims[0].origins)
            how = " (inferred)" if field.status is Status.INFERRED else ""
            lines.append(f"  {field.field} = {_show(field.field, field.value)}{how}  [{where}]")
    for field in result.fields:
        if field.status in (Status.SUGGESTED, Status.PARTIAL):
            lines.append(f"  {field.field} = unknown  ({field.note})")
    missing = [f for f in result.fields if f.status is Status.MISSING]
    if missing:
        lines.append("Not in the documents, so unknown (and who would state it):")
        lines += [f"  {f.field} = unknown  ({f.note or _owner(f.field)})" for f in missing]
    notes = [n for n in result.notices if n.level is Level.INFO]
    if notes:
        lines.append("Notes (what the advisor could not follow, and why):")
        lines += [f"  - {n.message} ({n.origin.document}: {n.origin.path})" for n in notes]
    return "\n".join(lines) + "\n"


def _owner(name: str) -> str:
    return f"stated by {AUTHORITY_BY_FIELD[name].owner}"


def _show(name: str, value: object) -> str:
    shown = json_value(name, value)
    if isinstance(shown, list):
        return ",".join(shown) or "(none)"
    if isinstance(shown, bool):
        return "true" if shown else "false"
    return str(shown)
