"""Findings about the filters on the way: security groups, network ACLs, endpoint
security groups and policies, egress firewalls, DNS and subnet capacity (issue 12).

Each rule is named after the finding it writes (hyphens as underscores) and returns it or
None; `SECURITY_RULES` is the order they run in.
"""

from __future__ import annotations

from collections.abc import Callable

from ..paths import Context
from ..result import Finding

SECURITY_RULES: tuple[Callable[[Context], Finding | None], ...] = ()
