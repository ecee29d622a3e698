"""Placeholders: text a person or a tool fills in before the document is deployed.

Samples, tutorials and tool templates ship with `ACCOUNT_ID`, `<region>`, `"your ECR url"`,
`{{ must_env `IMAGE` }}` (ecspresso), `${IMAGE}` (envsubst) or AWS's own example account
`123456789012` where the real value goes. Read as values they give confident wrong answers (an
image called "your ECR url" has no registry host, so it would read as Docker Hub), so every
reader asks `describe()` first: a placeholder makes the field unknown, with a note that quotes
it, never a value.

CloudFormation's pseudo parameters (`${AWS::AccountId}`, `${AWS::Region}`) are not
placeholders: the stack fills them in, and the importer reads them as "the stack's account or
Region".
"""

from __future__ import annotations

import re

# Upper-case tokens (`SUBNET_ID1`, `AWS_REGION`, `CHANGE_ME`) made of these words are
# placeholders; real IDs and names in these fields are lower case (subnet-0abc..., us-east-1).
_WORDS = frozenset({
    "ACCOUNT", "ACCOUNTID", "REGION", "SUBNET", "SUBNETS", "SECURITY", "SG", "VPC", "IMAGE",
    "REPO", "REPOSITORY", "URI", "URL", "ECR", "TAG", "CHANGE", "CHANGEME", "REPLACE",
    "REPLACEME", "TODO", "FIXME", "TBD", "PLACEHOLDER", "YOUR", "ARN", "CLUSTER", "ROUTE",
    "RTB", "EXAMPLE",
})
_UPPER_TOKEN = re.compile(r"(?<![A-Za-z0-9_$])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?![A-Za-z0-9_])")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_ANGLE = re.compile(r"<[^<>\s][^<>]*>")
_VARIABLE = re.compile(r"\$\{(?!AWS::)[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")
_YOUR = re.compile(r"(?i)(?:^|[^a-z])your[\s_-]")
_CROSSES = re.compile(r"(?i)(?:^|[^a-z0-9])x{4,}(?:$|[^a-z0-9])")
# The account numbers and ID suffixes AWS's documentation uses in its examples.
EXAMPLE_ACCOUNTS = frozenset({"123456789012", "111122223333", "444455556666", "012345678901",
                              "000000000000", "999999999999"})
_EXAMPLE_ID = re.compile(r"^(?:vpc|subnet|sg|rtb|igw|nat|vpce|eigw)-(?:12345678|abcd1234|"
                         r"1a2b3c4d|12344321|abcdef01|0123456789abcdef0?|0+)$")
_ACCOUNT_IN_TEXT = re.compile(r"(?<!\d)(\d{12})(?!\d)")


def describe(text: str) -> str | None:
    """Why `text` is (or contains) a placeholder, quoting it; None when it is not one."""
    stripped = text.strip()
    if not stripped:
        return None
    why = _why(stripped)
    return f"'{_short(stripped)}' is a placeholder ({why}), not a value" if why else None


def _why(text: str) -> str | None:
    if _TEMPLATE.search(text):
        return "a template expression, filled in when the file is rendered"
    if _VARIABLE.search(text):
        return "a variable, filled in before deployment"
    if _ANGLE.search(text):
        return "a name in angle brackets"
    if _YOUR.search(text):
        return "words for a person to replace"
    if _CROSSES.search(text):
        return "crosses where a value goes"
    if _EXAMPLE_ID.match(text):
        return "the example ID of AWS's documentation"
    if any(account in EXAMPLE_ACCOUNTS for account in _ACCOUNT_IN_TEXT.findall(text)):
        return "the example account number of AWS's documentation"
    for token in _UPPER_TOKEN.findall(text):
        parts = token.split("_")
        if any(part.rstrip("0123456789") in _WORDS for part in parts) and (
                len(parts) > 1 or token.rstrip("0123456789") in _WORDS):
            return "an upper-case name where a value goes"
    return None


def is_placeholder(text: str) -> bool:
    return describe(text) is not None


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."
