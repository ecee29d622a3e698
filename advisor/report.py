"""A `Result` as plain text (for a terminal) and as Markdown (for a ticket or a wiki page).

Both are pure functions of the result and say the same things in the same order: the verdict,
the traffic table, the IAM roles, the VPC endpoints, then the findings as numbered fixes with
their commands and sources. The traffic table points at the fixes by number.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from advisor.presentation import (
    COMMAND_TITLES,
    NOT_SURE,
    REQUIREMENT_MARKS,
    SEVERITY_ORDER,
    STATUS_WORDS,
)
from advisor.rules.answers import FIELDS, FIELDS_BY_NAME, UNKNOWN, Kind, query_items, to_query
from advisor.rules.knowledge import ENI_TITLES, ROLE_TITLES
from advisor.rules.result import (
    ENI,
    CommandKind,
    EndpointCheck,
    Finding,
    Requirement,
    RequirementState,
    Result,
    Role,
    Severity,
    Status,
    TrafficRow,
)

WIDTH = 100

# In plain text, the statuses that need a look stand out in capitals.
STATUS_TEXT = {
    status: word.upper() if status in (Status.BLOCKED, Status.UNSUPPORTED, Status.DEPENDS)
    else word.lower()
    for status, word in STATUS_WORDS.items()
}

REQUIREMENT_STATE_TEXT = {
    RequirementState.MET: "met",
    RequirementState.VIOLATED: "not met",
    RequirementState.UNKNOWN: "not known: check it",
}


@dataclass(frozen=True, slots=True)
class RequirementGroup:
    """Requirements shown together under one heading."""

    key: str
    title: str
    requirements: tuple[Requirement, ...]


def requirement_groups(result: Result) -> list[RequirementGroup]:
    """The checklist: what the task needs to start, what features need, what the account
    must hold. Empty groups are left out."""
    answers = [r for r in result.requirements if r.basis.value == "answers"]
    groups = [
        RequirementGroup("starts", "This task starts if:",
                         tuple(r for r in answers if r.blocking)),
        RequirementGroup("features", "Features that fail without:",
                         tuple(r for r in answers if not r.blocking)),
        RequirementGroup("account", "Check in your account:",
                         tuple(r for r in result.requirements if r.basis.value == "account")),
    ]
    return [group for group in groups if group.requirements]


def answer_value_text(name: str, value: object) -> str:
    """One answer as its query-string text (`none` for an empty list)."""
    if value is UNKNOWN:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (set, frozenset, list, tuple)):
        order = FIELDS_BY_NAME[name].choices
        items = sorted((str(v) for v in value), key=lambda v: order.index(v) if v in order else 99)
        return ",".join(items) or "none"
    return str(value)


def witness_text(result: Result) -> str:
    """The conditional verdict's witness: `subnet=public, public_ip=false`."""
    witness = result.verdict.witness
    if witness is None:
        return ""
    return ", ".join(f"{field.name}={answer_value_text(field.name, witness.answers[field.name])}"
                     for field in FIELDS if field.name in witness.answers)

# Short cell texts for the terminal's traffic table, which has to fit its path column in.
ENI_SHORT = {ENI.TASK: "task", ENI.FARGATE_OWNED: "Fargate-owned", ENI.NONE: "none"}
ROLE_SHORT = {
    Role.SERVICE_LINKED: "service-linked",
    Role.TASK_EXECUTION: "task execution",
    Role.TASK: "task",
}


# Markdown fence info strings, so that renderers highlight each kind.
FENCE_LANGUAGES = {
    CommandKind.AWS_CLI: "sh",
    CommandKind.CLOUDFORMATION: "yaml",
    CommandKind.TERRAFORM: "hcl",
}


def ordered_findings(result: Result) -> list[Finding]:
    """Blockers first, then warnings, then notes; otherwise in the evaluator's order."""
    return sorted(result.findings, key=lambda f: SEVERITY_ORDER.index(f.severity))


def _numbers(result: Result) -> dict[str, int]:
    return {finding.id: n for n, finding in enumerate(ordered_findings(result), start=1)}


def _fix_refs(row: TrafficRow, numbers: dict[str, int]) -> str:
    return ", ".join(str(numbers[f]) for f in row.findings if f in numbers)


def _status_with_fixes(row: TrafficRow, numbers: dict[str, int]) -> str:
    refs = _fix_refs(row, numbers)
    return f"{STATUS_TEXT[row.status]} (see {refs})" if refs else STATUS_TEXT[row.status]


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _counts(result: Result) -> str:
    verdict = result.verdict
    return f"{_count(verdict.blockers, 'blocker')}, {_count(verdict.warnings, 'warning')}"


def _platform(result: Result) -> str:
    platform = result.platform
    text = f"{platform.os.value.capitalize()}, platform version {platform.platform_version}"
    if platform.requested != platform.platform_version:
        text += f" (asked for {platform.requested})"
    return text


def _link(result: Result, base_url: str) -> str:
    return base_url.rstrip("/") + result.permalink if base_url else result.permalink


@dataclass(frozen=True, slots=True)
class TopFix:
    """What to do first: the first step of the first blocker's fix, else the first warning's;
    only findings that hold whatever the unknown answers are (a conditional verdict's open
    conditions are checked first, and its witness says so)."""

    number: int
    finding: Finding
    step: str


def top_fix(result: Result) -> TopFix | None:
    """The fix to put right under the verdict, so nobody has to scroll to find it."""
    for n, finding in enumerate(ordered_findings(result), start=1):
        if finding.certain and finding.severity is not Severity.INFO and finding.remediation:
            return TopFix(n, finding, " ".join(finding.remediation[0].split()))
    return None


def endpoint_state(endpoint: EndpointCheck) -> str:
    if endpoint.required:
        return "present" if endpoint.present else "MISSING"
    return "present, not needed" if endpoint.present else "not needed"


# --- Plain text ------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], indent: str = "") -> list[str]:
    """Columns aligned to their widest cell; the last column is left ragged and wrapped."""
    rows = [header, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lead = indent + "".join(w * " " + "  " for w in widths)
    last_width = max(WIDTH - len(lead), 30)
    lines = []
    for row in rows:
        cells = "".join(cell.ljust(w) + "  " for cell, w in zip(row, widths, strict=False))
        wrapped = textwrap.wrap(row[-1], last_width) or [""]
        lines.append((indent + cells + wrapped[0]).rstrip())
        lines.extend(lead + more for more in wrapped[1:])
    lines.insert(1, indent + "  ".join("-" * w for w in [*widths, len(header[-1])]))
    return lines


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent if first is None else first,
        subsequent_indent=indent, break_on_hyphens=False,
    ) or [indent.rstrip()]


def render_text(result: Result, base_url: str = "") -> str:
    """The result for a terminal: verdict first, then traffic, roles, endpoints, fixes."""
    numbers = _numbers(result)
    status = result.verdict.status.value.upper()
    lines = [f"Verdict: {status} ({_counts(result)})", *_wrap(result.verdict.summary, "")]
    if fix := top_fix(result):
        lines += _wrap(fix.step, "  ", first=f"Fix first (finding {fix.number} below): ")
    if result.verdict.witness is not None:
        witness = result.verdict.witness
        lines += _wrap(
            f"{witness_text(result)} (see {_link_to(witness.permalink, base_url)})", "  ",
            first="Blocked if: ",
        )
        lines.append(f"Open conditions: {result.verdict.conditions}")
    for group in requirement_groups(result):
        lines += ["", group.title.upper().rstrip(":")]
        for requirement in group.requirements:
            lines += _text_requirement(requirement, numbers)
    lines.append("")
    query = to_query(result.answers)
    lines += [
        f"Platform:   {_platform(result)}",
        f"Answers:    {query or '(all defaults)'}",
        f"Permalink:  {_link(result, base_url)}",
        f"Rules:      version {result.rules_version}",
        "",
        "TRAFFIC",
    ]
    lines += _table(
        ("Action", "ENI", "IAM role", "Status", "Path"),
        (
            (
                row.action.value, ENI_SHORT[row.eni], ROLE_SHORT[row.iam_role],
                _status_with_fixes(row, numbers), row.path,
            )
            for row in result.traffic
        ),
    )
    lines += ["", "IAM ROLES"]
    for role in result.roles:
        need = "required" if role.required else "not needed"
        lines.append(f"{ROLE_TITLES[role.role]} ({role.name}): {need}")
        lines += _wrap(f"Trusted by {role.trust_principal}. {role.why}", "  ")
        if role.permissions:
            lines.append("  Permissions:")
            lines += [f"    {permission}" for permission in role.permissions]
    lines += ["", "VPC ENDPOINTS"]
    if result.endpoints:
        lines += _table(
            ("State", "Endpoint", "Type", "Why"),
            ((endpoint_state(e), e.name, e.type, e.why) for e in result.endpoints),
        )
    else:
        lines.append("None are relevant to this configuration.")
    lines += ["", "FINDINGS AND FIXES"]
    if not result.findings:
        lines.append("None: nothing to fix.")
    for n, finding in enumerate(ordered_findings(result), start=1):
        lines += ["", *_text_finding(n, finding)]
    return "\n".join(lines) + "\n"


def _link_to(path: str, base_url: str) -> str:
    return base_url.rstrip("/") + path if base_url else path


def _text_requirement(requirement: Requirement, numbers: dict[str, int]) -> list[str]:
    mark = REQUIREMENT_MARKS[requirement.state]
    text = requirement.text
    if requirement.state is RequirementState.VIOLATED and requirement.finding in numbers:
        text += f" (not met: see finding {numbers[requirement.finding]})"
    lines = _wrap(text, "    ", first=f"  {mark} ")
    if requirement.state is not RequirementState.MET and requirement.check:
        lines.append("      Check (read-only):")
        for command in requirement.check:
            lines += [f"        {line}".rstrip() for line in command.text.splitlines()]
    return lines


def _uncertain(finding: Finding) -> str:
    return "" if finding.certain else " (may apply: depends on the answers you are not sure of)"


def _text_finding(n: int, finding: Finding) -> list[str]:
    head = f"{n}. "
    pad = " " * len(head)
    lines = _wrap(
        f"[{finding.severity.value.upper()}] {finding.title}{_uncertain(finding)}", pad, first=head
    )
    lines += _wrap(finding.detail, pad)
    if finding.remediation:
        lines.append(f"{pad}Fix:")
        for step_number, step in enumerate(finding.remediation, start=1):
            marker = f"{pad}  {step_number}) "
            lines += _wrap(step, " " * len(marker), first=marker)
    for command in finding.commands:
        lines.append(f"{pad}{COMMAND_TITLES[command.kind]}:")
        lines += [f"{pad}    {line}".rstrip() for line in command.text.splitlines()]
    if finding.sources:
        lines.append(f"{pad}Sources:")
        for source in finding.sources:
            lines += [f"{pad}  - {source.title}", f"{pad}    {source.url}"]
    affected = f"; traffic: {', '.join(finding.actions)}" if finding.actions else ""
    lines.append(f"{pad}(id: {finding.id}{affected})")
    return lines


# --- Markdown --------------------------------------------------------------------------------


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


# A name with a placeholder in it, such as com.amazonaws.<region>.ecr.api or <vpc-id>: a dot
# belongs to it only between two of its parts, so a full stop after it stays outside.
_PLACEHOLDER_WORD = re.compile(
    r"(?:[\w:/-]|\.(?=[\w<]))*<[A-Za-z][\w-]*>(?:[\w:/<>-]|\.(?=[\w<]))*"
)


def _md_text(text: str) -> str:
    """Prose for Markdown: placeholders such as <vpc-id> would otherwise vanish as HTML tags.

    Code spans the rules wrote on purpose are kept as they are; a word with a placeholder
    becomes one. Any other `<` is written as an entity: Python-Markdown (MkDocs, TechDocs)
    does not read `\\<` as an escape, and every CommonMark engine reads `&lt;`.
    """
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out += [_prose(text[last:match.start()]), match.group(0)]
        last = match.end()
    out.append(_prose(text[last:]))
    return "".join(out)


def _prose(text: str) -> str:
    out, last = [], 0
    for match in _PLACEHOLDER_WORD.finditer(text):
        out += [_escape(text[last:match.start()]), _code(match.group(0))]
        last = match.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
        .replace("*", "\\*")
    )


def _cell(text: str) -> str:
    """Prose safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _fenced(text: str, language: str) -> list[str]:
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return [f"{fence}{language}", *text.splitlines(), fence]


def _md_link(title: str, url: str) -> str:
    label = _escape(title).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}](<{url}>)"


def render_markdown(result: Result, base_url: str = "") -> str:
    """The result as a self-contained Markdown document, for a ticket or a wiki page.

    With `base_url` (such as `https://advisor.example.com`) the permalink is absolute.
    """
    numbers = _numbers(result)
    link = _link(result, base_url)
    lines = [
        f"# Fargate networking advice: {result.verdict.status.value}",
        "",
        f"**Verdict: {result.verdict.status.value}** ({_counts(result)}). "
        + _md_text(result.verdict.summary),
        "",
    ]
    if fix := top_fix(result):
        ref = f"finding {fix.number}"
        if base_url:  # the page shows the finding with its commands, under this anchor
            ref = f"[{ref}](<{link}#finding-{fix.finding.id}>)"
        lines += [f"**Fix first** ({ref}): {_md_text(fix.step)}", ""]
    if (witness := result.verdict.witness) is not None:
        target = _link_to(witness.permalink, base_url)
        lines += [
            f"**Blocked if:** {_code(witness_text(result))} "
            f"([this case](<{target}>)). Open conditions: {result.verdict.conditions}.",
            "",
        ]
    for group in requirement_groups(result):
        lines += [f"**{group.title}**", ""]
        for requirement in group.requirements:
            lines += _md_requirement(requirement, numbers)
        lines.append("")
    lines += [
        f"- Platform: {_platform(result)}",
        f"- Permalink: {f'<{link}>' if base_url else _code(link)}",
        f"- Rules version: {result.rules_version}",
        "",
        "## Traffic",
        "",
    ]
    lines += _md_table(
        ("Action", "ENI", "IAM role", "Status", "Fixes", "Path"),
        (
            (
                _md_text(row.label), ENI_TITLES[row.eni], ROLE_TITLES[row.iam_role],
                STATUS_TEXT[row.status], _fix_refs(row, numbers), _md_text(row.path),
            )
            for row in result.traffic
        ),
    )
    lines += ["", "## IAM roles"]
    for role in result.roles:
        need = "required" if role.required else "not needed"
        lines += [
            "",
            f"### {ROLE_TITLES[role.role]} ({_code(role.name)}): {need}",
            "",
            f"Trusted by {_code(role.trust_principal)}. {_md_text(role.why)}",
        ]
        if role.permissions:
            lines += ["", *(f"- {_code(permission)}" for permission in role.permissions)]
    lines += ["", "## VPC endpoints", ""]
    if result.endpoints:
        lines += _md_table(
            ("Endpoint", "Type", "Needed", "Present", "Why"),
            (
                (
                    _code(e.name), e.type, "yes" if e.required else "no",
                    "yes" if e.present else "**no**" if e.required else "no", _md_text(e.why),
                )
                for e in result.endpoints
            ),
        )
    else:
        lines.append("None are relevant to this configuration.")
    lines += ["", "## Findings and fixes"]
    if not result.findings:
        lines += ["", "None: nothing to fix."]
    for n, finding in enumerate(ordered_findings(result), start=1):
        lines += ["", *_md_finding(n, finding)]
    lines += ["", "## Configuration", ""]
    lines += _md_table(("Question", "Answer"), _answer_rows(result))
    lines += [
        "",
        f"*Generated by the Fargate Networking Advisor, rules version {result.rules_version}.*",
    ]
    return "\n".join(lines) + "\n"


def _md_requirement(requirement: Requirement, numbers: dict[str, int]) -> list[str]:
    text = f"- {REQUIREMENT_MARKS[requirement.state]} {_md_text(requirement.text)}"
    if requirement.state is RequirementState.VIOLATED and requirement.finding in numbers:
        text += f" (not met: see finding {numbers[requirement.finding]})"
    lines = [text]
    if requirement.state is not RequirementState.MET and requirement.check:
        # Unindented, so every engine reads the fence; the list resumes after it.
        lines += ["", "Check (read-only):", ""]
        lines += _fenced("\n".join(command.text for command in requirement.check), "sh")
        lines.append("")
    return lines


def _md_finding(n: int, finding: Finding) -> list[str]:
    lines = [
        f"### {n}. {_md_text(finding.title)}{_uncertain(finding)}",
        "",
        f"**{finding.severity.value.capitalize()}** · id {_code(finding.id)}"
        + (f" · traffic: {', '.join(_code(a) for a in finding.actions)}" if finding.actions
           else ""),
        "",
        _md_text(finding.detail),
    ]
    if finding.remediation:
        lines += ["", "**Fix**", ""]
        lines += [
            f"{i}. {_md_text(' '.join(step.split()))}"
            for i, step in enumerate(finding.remediation, start=1)
        ]
    for command in finding.commands:
        lines += ["", f"{COMMAND_TITLES[command.kind]}:", ""]
        lines += _fenced(command.text, FENCE_LANGUAGES[command.kind])
    if finding.sources:
        lines += ["", "**Sources**", ""]
        lines += [f"- {_md_link(source.title, source.url)}" for source in finding.sources]
    return lines


def _answer_rows(result: Result) -> list[tuple[str, str]]:
    texts = dict(query_items(result.answers))
    rows = []
    for field in FIELDS:
        value = texts[field.name]
        if value is UNKNOWN:
            shown = NOT_SURE
        elif field.kind is Kind.MULTI:
            shown = ", ".join(field.label_for(v) for v in value.split(",") if v) or "none"
        elif field.kind is Kind.BOOL:
            shown = "yes" if value == "true" else "no"
        else:
            shown = field.label_for(value)
        rows.append((field.label, shown))
    return rows
