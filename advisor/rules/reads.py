"""Which answers a finding rests on: the fields its rule read.

With unknown answers, a finding rendered from one completion is `certain` only if its rule
read none of the unknown fields. `Recorder` wraps the rules' `Context` and notes every answer
the rule reads, directly or through what the paths pass derived from the answers. What the
table below does not name (the traffic rows, the roles, the reach of each flow) counts as
reading every field: such a finding is never claimed certain on unknown answers.
"""

from __future__ import annotations

from typing import Any

from .answers import FIELDS

ALL_FIELDS = frozenset(f.name for f in FIELDS)
PATH_FIELDS = frozenset({"subnet", "public_ip", "nat_gateway", "ip_mode", "ipv6_egress", "dns64"})
_PATH = PATH_FIELDS
_PLATFORM = frozenset({"os", "platform_version"})

# What each derived attribute of `paths.Context` is computed from.
DERIVED: dict[str, frozenset[str]] = {
    "internet": _PATH,
    "internet_hop": _PATH,
    "internet_via": _PATH,
    "isolated": _PATH,
    "version": _PLATFORM,
    "column": _PLATFORM,
    "ipv6_assigned": _PLATFORM | {"ip_mode", "dualstack_account_setting", "ipv6_autoassign"},
    "ipv6_missing": _PLATFORM | {"ip_mode", "dualstack_account_setting", "ipv6_autoassign"},
    "interface_endpoints_usable": frozenset({
        "vpc_dns", "dns_support", "dns_hostnames", "dns_resolver", "ip_mode", "endpoint_ip_type",
        "endpoints_in", "endpoint_private_dns",
    }),
}


class _Answers:
    __slots__ = ("_answers", "_reads")

    def __init__(self, answers: Any, reads: set[str]) -> None:
        self._answers = answers
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        if name in ALL_FIELDS:
            self._reads.add(name)
        return getattr(self._answers, name)


class Recorder:
    """A `Context` that notes which answer fields are read through it."""

    __slots__ = ("_ctx", "reads")

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx
        self.reads: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        if name == "answers":
            return _Answers(self._ctx.answers, self.reads)
        self.reads.update(DERIVED.get(name, ALL_FIELDS))
        return getattr(self._ctx, name)
