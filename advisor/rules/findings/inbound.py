"""Findings about EFS and ECS Exec options and the load balancer's path into the task
(issue 12).

Each rule is named after the finding it writes (hyphens as underscores) and returns it or
None; `INBOUND_RULES` is the order they run in.
"""

from __future__ import annotations

from collections.abc import Callable

from ..paths import Context
from ..result import Finding

INBOUND_RULES: tuple[Callable[[Context], Finding | None], ...] = ()
