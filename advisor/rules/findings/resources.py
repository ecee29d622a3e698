"""Findings about where the task's registries, secrets and logs live, environment files
and traffic between services (issue 12).

Each rule is named after the finding it writes (hyphens as underscores) and returns it or
None; `RESOURCES_RULES` is the order they run in.
"""

from __future__ import annotations

from collections.abc import Callable

from ..paths import Context
from ..result import Finding

RESOURCES_RULES: tuple[Callable[[Context], Finding | None], ...] = ()
