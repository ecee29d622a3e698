"""How results are worded and ordered, once, for every renderer.

The result page, the embed, the diagram, the text and Markdown exports, the JSON API's
question list, the wizard and the import review all read these, so a status, a severity, a
requirement's state, a command's kind or an unknown answer is called the same everywhere.
"""

from __future__ import annotations

from advisor.rules.result import CommandKind, RequirementState, Severity, Status, VerdictStatus

# Words beside the status icons: status is never told by colour alone.
STATUS_WORDS: dict[Status, str] = {
    Status.OK: "OK",
    Status.BLOCKED: "Blocked",
    Status.UNSUPPORTED: "Unsupported",
    Status.NOT_USED: "Not used",
    Status.DEPENDS: "Depends",
}

VERDICT_WORDS: dict[VerdictStatus, str] = {
    VerdictStatus.OK: "Should work",
    VerdictStatus.WARNING: "Should work, with warnings",
    VerdictStatus.BLOCKED: "Blocked",
    VerdictStatus.CONDITIONAL: "Depends on what is not known",
}

SEVERITY_ORDER: tuple[Severity, ...] = (Severity.BLOCKER, Severity.WARNING, Severity.INFO)
SEVERITY_WORDS: dict[Severity, str] = {
    Severity.BLOCKER: "Blocker", Severity.WARNING: "Warning", Severity.INFO: "Note",
}

# One mark per requirement state.
REQUIREMENT_MARKS: dict[RequirementState, str] = {
    RequirementState.MET: "✓",
    RequirementState.VIOLATED: "✗",
    RequirementState.UNKNOWN: "?",
}

COMMAND_TITLES: dict[CommandKind, str] = {
    CommandKind.AWS_CLI: "AWS CLI",
    CommandKind.CLOUDFORMATION: "CloudFormation",
    CommandKind.TERRAFORM: "Terraform",
}

# How an unknown answer is shown to people; the wizard offers it under the same words.
NOT_SURE = "Not sure"
