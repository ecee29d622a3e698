"""How results are worded and ordered, once, for every renderer.

The result page, the embed, the diagram, the text and Markdown exports, the JSON API's
question list, the wizard and the import review all read these, so a status, a severity, a
requirement's state, a command's kind or an unknown answer is called the same everywhere.
"""

from __future__ import annotations

from advisor.rules import TooManyUnknowns
from advisor.rules.answers import FIELDS_BY_NAME
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


TOO_WIDE_TEXT = ("Too much is unknown to decide in one request: the same requirements read "
                 f"too many of the answers marked {NOT_SURE} together.")


def too_wide_words(error: TooManyUnknowns) -> str:
    """The refusal of answers too wide to decide, in a page's words: the questions to answer
    first by their labels (the API names the fields)."""
    labels = ", ".join(FIELDS_BY_NAME[name].label for name in error.fields)
    if not labels:
        return f"{TOO_WIDE_TEXT} Answer some of the questions marked {NOT_SURE}."
    return f"{TOO_WIDE_TEXT} Answer some of these first: {labels}."
