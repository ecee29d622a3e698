"""A `Result` as SARIF 2.1.0, so that code-scanning tools show each finding on its line.

SARIF (the OASIS Static Analysis Results Interchange Format) is what GitHub code scanning and
other CI tools read. Each finding becomes a result of its rule (the finding id), placed on the
lines of the documents that state the answers the finding rests on: `finding_reads` says which
answer fields each finding's rule read, and the import's provenance says where each of those
answers was read (document and JSON/YAML path). A path is turned into a line by
composing the YAML or JSON again (`line_of`); a Terraform origin by its block; anything else,
and a finding that rests on no imported answer, is placed on the first line of the first
document, because a result a code-scanning tool can show needs a place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from advisor.importers import ImportResult
from advisor.importers.model import Origin
from advisor.rules.answers import Answers
from advisor.rules.evaluate import evaluate as evaluate_complete
from advisor.rules.result import Finding, Result, Severity
from advisor.rules.search import complete

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL = "fargate-networking-advisor"
INFORMATION_URI = "https://github.com/"  # replaced by --base-url when one is given

LEVELS = {Severity.BLOCKER: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_TOKEN = re.compile(r'\.?([A-Za-z0-9_:@-]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')
_LINE = re.compile(r"\bline (\d+)\b")


def render_sarif(result: Result, imported: ImportResult | None, base_url: str = "",
                 texts: Mapping[str, str] | None = None) -> str:
    """The SARIF log for one evaluation. `texts` maps document names to their text (read from
    the file of that name when absent)."""
    texts = dict(texts or {})
    reads = finding_reads(result.answers)
    findings = list(result.findings)
    rules = list(dict.fromkeys(f.id for f in findings))
    documents = [d.name for d in imported.documents] if imported else []
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": TOOL,
            "informationUri": base_url or INFORMATION_URI,
            "version": result.rules_version,
            "rules": [_rule(next(f for f in findings if f.id == rule)) for rule in rules],
        }},
        "results": [
            _result(finding, rules.index(finding.id), imported, reads.get(finding.id, set()),
                    documents, texts)
            for finding in findings
        ],
        "properties": {"verdict": result.verdict.status.value,
                       "permalink": base_url + result.permalink},
    }
    if documents:
        run["artifacts"] = [{"location": {"uri": _uri(name)}} for name in documents]
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2) + "\n"


def finding_reads(answers: Answers) -> dict[str, set[str]]:
    """Each finding's id and the answer fields its rule read, on the answers completed as the
    evaluation completes them (a finding only the unknown answers give reads nothing here)."""
    reads: dict[str, set[str]] = {}
    evaluate_complete(complete(answers, {}), reads)
    return reads


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.id,
        "name": "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", finding.id)),
        "shortDescription": {"text": finding.title},
        "fullDescription": {"text": finding.detail or finding.title},
        "help": {"text": "\n".join(finding.remediation) or finding.title},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
    }
    if finding.sources:
        rule["helpUri"] = finding.sources[0].url
    return rule


def _result(finding: Finding, index: int, imported: ImportResult | None, fields: set[str],
            documents: list[str], texts: dict[str, str]) -> dict[str, Any]:
    # A finding that holds only for some values of the unknown answers is a note: CI should
    # not fail on what may not apply.
    level = LEVELS[finding.severity] if finding.certain else "note"
    message = finding.title if finding.certain else f"May apply: {finding.title}"
    out: dict[str, Any] = {
        "ruleId": finding.id,
        "ruleIndex": index,
        "level": level,
        "message": {"text": f"{message}. {finding.detail}".strip()},
        "properties": {"certain": finding.certain, "answers": sorted(fields)},
    }
    locations = _locations(_origins(imported, fields), texts)
    if not locations and documents:
        locations = [_location(documents[0], 1, "")]
    if locations:
        out["locations"] = locations[:10]
    return out


def _origins(imported: ImportResult | None, fields: Iterable[str]) -> list[Origin]:
    if imported is None:
        return []
    out: list[Origin] = []
    for name in sorted(fields):
        answer = imported.field(name)
        for claim in answer.claims:
            out += [o for o in claim.origins if o not in out]
    return out


def _locations(origins: list[Origin], texts: dict[str, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    for origin in origins:
        text = _text(origin.document, texts)
        if text is None:
            continue
        line = locate(origin, text)
        if (origin.document, line) not in seen:
            seen.add((origin.document, line))
            out.append(_location(origin.document, line, origin.path))
    return out


def _location(document: str, line: int, path: str) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": {"uri": _uri(document)},
        "region": {"startLine": line},
    }}
    if path:
        location["logicalLocations"] = [{"fullyQualifiedName": path}]
    return location


def _text(document: str, texts: dict[str, str]) -> str | None:
    if document not in texts:
        try:
            texts[document] = Path(document).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
    return texts[document]


def _uri(document: str) -> str:
    """A path relative to the working directory where possible: what code scanning matches
    against the repository's files."""
    path = Path(document)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_uri()
    return path.as_posix()


def locate(origin: Origin, text: str) -> int:
    """The line (from 1) of an origin in its document's text; 1 when it cannot be found."""
    for where in (origin.note, origin.path):
        if match := _LINE.search(where):
            return int(match.group(1))
    if origin.document.endswith((".tf", ".tfvars")):
        return _terraform_line(origin.path, text)
    return line_of(text, origin.path)


def line_of(text: str, path: str) -> int:
    """The line of a JSON/YAML path (`Resources.Service.Properties.Subnets[0]`) in YAML or
    JSON text: the deepest node of the path that exists."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 1
    line = 1
    for key, index, quoted in _TOKEN.findall(path):
        if node is None:
            break
        wanted = quoted or key
        if index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            node = node.value[int(index)]
            line = node.start_mark.line + 1
        elif wanted and isinstance(node, yaml.MappingNode):
            pair = next(((name, value) for name, value in node.value
                         if isinstance(name, yaml.ScalarNode) and name.value == wanted), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]  # the key's line
        else:
            break
    return line


def _terraform_line(path: str, text: str) -> int:
    """`resource.aws_ecs_service.web.network_configuration` or `aws_ecs_service.web...`: the
    resource's block, then the first attribute of the path inside it."""
    parts = [p for p in re.split(r"[.\[\]]", path) if p]
    if parts[:1] == ["resource"]:
        parts = parts[1:]
    if len(parts) < 2:
        return 1
    head = re.search(rf'^[ \t]*resource\s+"{re.escape(parts[0])}"\s+"{re.escape(parts[1])}"',
                     text, re.MULTILINE)
    if head is None:
        return 1
    line = text.count("\n", 0, head.start()) + 1
    for attribute in parts[2:3]:
        found = re.compile(rf"^[ \t]*{re.escape(attribute)}\s*[={{]", re.MULTILINE).search(
            text, head.end())
        if found:
            line = text.count("\n", 0, found.start()) + 1
    return line
