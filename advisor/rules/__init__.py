"""The advisor's knowledge and its evaluator: pure Python, no Django imports, ever.

`evaluate(answers)` is the one place that decides; everything else translates.
"""

from __future__ import annotations

from .answers import Answers, AnswersError, parse_json, parse_query, permalink, to_query
from .knowledge import RULES_VERSION
from .result import Result
from .unknowns import TooManyUnknowns, evaluate

__all__ = [
    "RULES_VERSION",
    "Answers",
    "AnswersError",
    "Result",
    "TooManyUnknowns",
    "evaluate",
    "parse_json",
    "parse_query",
    "permalink",
    "to_query",
]
