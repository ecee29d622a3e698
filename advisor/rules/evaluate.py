"""evaluate(answers) -> Result. Being written now (issue 2); the signature is fixed."""

from __future__ import annotations

from .answers import Answers
from .result import Result


def evaluate(answers: Answers) -> Result:
    raise NotImplementedError("The rules engine lands in the next commit.")
