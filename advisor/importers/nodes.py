"""A read-only view of a parsed document that remembers where each value came from.

The same ECS settings are spelled three ways: `networkMode` in the ECS API, `NetworkMode` in
CloudFormation, `network_mode` in Terraform. `Node.get("networkMode")` finds any of them (keys
compare without case, `_` or `-`), and the child it returns knows its path in the document, so
every answer can say exactly where it was read.

A `Node` may carry a `resolve` function, which CloudFormation uses to evaluate intrinsic
functions (`Ref`, `Fn::Sub`, ...) as values are read; for plain JSON it is the identity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .model import Origin


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A value the document does not fix: a parameter without a default, a reference the
    advisor cannot follow, a Terraform value known only after apply."""

    reason: str
    text: str = ""  # a placeholder for building strings, such as "${ImageUrl}"

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True, slots=True)
class ResourceRef:
    """A CloudFormation `Ref` or `Fn::GetAtt` to a resource of the same template."""

    logical_id: str
    type: str
    attribute: str | None = None
    document: str = ""

    def __str__(self) -> str:
        return f"${{{self.logical_id}.{self.attribute}}}" if self.attribute else \
            f"${{{self.logical_id}}}"


def _identity(value: Any) -> Any:
    return value


def norm(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


_SIMPLE_KEY = re.compile(r"^[A-Za-z0-9_:@-]+$")


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    part = key if _SIMPLE_KEY.match(key) else f'["{key}"]'
    if not path:
        return part
    return f"{path}{part}" if part.startswith("[") else f"{path}.{part}"


def _nothing(value: Any) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class Node:
    value: Any
    path: str
    document: str
    resolve: Callable[[Any], Any] = field(default=_identity, compare=False)
    # Where a value came from besides its path, from the value as written: CloudFormation says
    # "default of parameter X" for a `!Ref X` that its parameter's Default resolved.
    explain: Callable[[Any], str] = field(default=_nothing, compare=False)
    via: str = ""

    def origin(self, note: str = "") -> Origin:
        if self.via and self.via not in note:
            note = f"{note}; {self.via}" if note else self.via
        return Origin(self.document, self.path or "(document)", note)

    def child(self, value: Any, key: str | int) -> Node:
        return Node(self.resolve(value), join(self.path, key), self.document, self.resolve,
                    self.explain, self.explain(value) or self.via)

    def get(self, *names: str) -> Node | None:
        """The child under any spelling of any of `names`, or None if absent (or null)."""
        if not isinstance(self.value, dict):
            return None
        wanted = {norm(name) for name in names}
        for key, value in self.value.items():
            if isinstance(key, str) and norm(key) in wanted:
                child = self.child(value, key)
                return None if child.value is None else child
        return None

    def has(self, *names: str) -> bool:
        """Whether any spelling of `names` is a key, even with a null value."""
        if not isinstance(self.value, dict):
            return False
        wanted = {norm(name) for name in names}
        return any(isinstance(key, str) and norm(key) in wanted for key in self.value)

    def block(self, *names: str) -> Node | None:
        """Like `get`, but unwraps Terraform's one-element lists of nested blocks."""
        found = self.get(*names)
        if found is not None and isinstance(found.value, list):
            if not found.value:
                return None
            return found.child(found.value[0], 0)
        return found

    def items(self) -> Iterator[Node]:
        """The elements of a list (nothing for other values)."""
        if isinstance(self.value, list):
            for index, value in enumerate(self.value):
                yield self.child(value, index)

    def entries(self) -> Iterator[tuple[str, Node]]:
        if isinstance(self.value, dict):
            for key, value in self.value.items():
                yield str(key), self.child(value, str(key))

    @property
    def unresolved(self) -> bool:
        return isinstance(self.value, Unresolved)

    def text(self) -> str | None:
        """The value as text when it is a string or number, else None."""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, str | int | float):
            return str(self.value)
        return None

    def flag(self) -> bool | None:
        """A boolean, also from the strings CloudFormation and the ECS API use."""
        if isinstance(self.value, bool):
            return self.value
        text = self.text()
        if text is None:
            return None
        lowered = text.strip().lower()
        if lowered in ("true", "enabled"):
            return True
        if lowered in ("false", "disabled"):
            return False
        return None

    def list_length(self) -> int | None:
        return len(self.value) if isinstance(self.value, list) else None


def root(value: Any, document: str, resolve: Callable[[Any], Any] = _identity) -> Node:
    return Node(resolve(value), "", document, resolve)
