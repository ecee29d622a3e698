"""From bytes to a Python value, safely: size limit, JSON or YAML, bounded nesting and aliases.

Nothing in a document is executed or fetched. YAML is read with a `yaml.SafeLoader` subclass
that knows CloudFormation's short intrinsic tags (`!Ref X` becomes `{"Ref": "X"}`, `!Sub s`
becomes `{"Fn::Sub": s}`, ...) and nothing else: a `!!python/object` tag is an error, not an
object. A YAML alias is counted as many times as it is used, so a "billion laughs" document
(anchors of anchors) is refused once its expanded size passes `MAX_NODES`, long before it could
use the memory or time its expansion would take. Nesting deeper than `MAX_DEPTH` is refused in
both formats; no real task definition, template or plan comes close.

A key given twice in one mapping is an error that names the key and both lines
(`DuplicateKeyError`): JSON and YAML readers keep the last one silently, so a document with a
repeated `Image:` or `assignPublicIp` would be read as only one of the things it says.

Every problem is a `DocumentError` whose message names the document, the problem and, for
syntax errors, the line and column (both counted from 1).
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Mapping
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
# No port, size, count or account number in a task definition, template or plan comes close;
# Python refuses to convert more than 4,300 digits at all, with a message about Python.
MAX_INT_DIGITS = 100


class DocumentError(ValueError):
    """Bad input. `errors` maps each document's name to messages that name the problem."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {name: list(messages) for name, messages in errors.items()}
        super().__init__(
            "; ".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items())
        )

    @classmethod
    def one(cls, document: str, message: str) -> DocumentError:
        return cls({document: [message]})


class DuplicateKeyError(DocumentError):
    """A mapping names the same key twice."""


def duplicate_key(key: str, line: int, first: int | None) -> str:
    where = f"on line {line}" if first == line else (
        f"at line {line} (it is also at line {first})" if first else f"at line {line}")
    return (f"The key '{key}' is given twice in one mapping, {where}. A reader "
            "keeps only the last one, so the document says two things at once: remove one.")


def decode(document: str, data: bytes | str) -> str:
    """The document's text; refuses more than `MAX_BYTES` and bytes that are not UTF-8."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_BYTES:
        raise DocumentError.one(document, too_large(size))
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DocumentError.one(
                document,
                f"The document is not UTF-8 text (byte {error.start + 1} cannot be decoded).",
            ) from None
    if not data.strip():
        raise DocumentError.one(document, "The document is empty.")
    return data.lstrip("\ufeff")


def too_large(size: int) -> str:
    return (
        f"The document is {size:,} bytes; the limit is 1 MB ({MAX_BYTES:,} bytes). "
        "Paste only the task definition, service, template or plan you want checked."
    )


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


# Lines a YAML document is made of: comments, `---`, directives, `key:` lines, list items and
# indented lines. A one-line document shows itself by a YAML value (a tag, an anchor, a flow).
_YAML_LINE = re.compile(r"^(?:\s|#|---|%|- |[\w.\"'-]+:(?:\s|$))")
_YAML_ONE_LINE = re.compile(r"^[\w.-]+:\s*[!&*{\[|>]")


def looks_like_structured(text: str) -> bool:
    """Whether text that YAML cannot read was meant as a YAML document (so its syntax error is
    worth reporting) rather than pasted messages."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1:
        return bool(_YAML_ONE_LINE.match(lines[0]))
    return all(_YAML_LINE.match(line) for line in lines)


def load_json(document: str, text: str) -> Any:
    try:
        value = json.loads(text, parse_int=_json_int, object_pairs_hook=_unique_pairs)
    except _DuplicateJSONKey:
        line, first, key = _json_duplicate(text)
        raise DuplicateKeyError.one(document, duplicate_key(key, line, first)) from None
    except _NumberError as error:
        raise DocumentError.one(document, f"{error}.") from None
    except json.JSONDecodeError as error:
        raise DocumentError.one(
            document,
            f"Invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}.",
        ) from None
    except RecursionError:
        raise DocumentError.one(document, _too_deep()) from None
    if _depth(value) > MAX_DEPTH:
        raise DocumentError.one(document, _too_deep())
    return value


def load_yaml(document: str, text: str) -> Any:
    try:
        return _load_yaml(document, text, unique=True)
    except DuplicateKeyError:
        # Pasted messages ("Error: ...\nError: ...") read as a flat mapping with repeated
        # keys; only a nested mapping is a document whose repeated key would change a reading.
        value = _load_yaml(document, text, unique=False)
        if isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values()):
            raise
        return value


def _load_yaml(document: str, text: str, *, unique: bool) -> Any:
    loader = None
    try:
        loader = _TemplateLoader(text)  # the reader refuses control characters right away
        loader.unique = unique
        return loader.get_single_data()
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        raise DocumentError.one(
            document, f"Invalid YAML at line {line}, column {column}: the character "
            f"U+{error.character:04X} is not allowed in YAML.",
        ) from None
    except _DuplicateYAMLKey as error:
        raise DuplicateKeyError.one(document, duplicate_key(*error.args)) from None
    except _LimitError as error:
        raise DocumentError.one(document, f"{error.message} (line {error.line}).") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = ", ".join(part for part in (error.context, error.problem) if part) or \
            "not valid YAML"
        raise DocumentError.one(document, f"Invalid YAML{where}: {problem}.") from None
    except yaml.YAMLError as error:
        raise DocumentError.one(document, f"Invalid YAML: {error}.") from None
    finally:
        if loader is not None:
            loader.dispose()


def _too_deep() -> str:
    return f"The document is nested more than {MAX_DEPTH} levels deep; that is not a " \
        "task definition, service, template or plan."


def _depth(value: Any) -> int:
    """Nesting depth of a decoded JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


class _NumberError(ValueError):
    pass


class _DuplicateJSONKey(ValueError):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateJSONKey
    return out


def _json_duplicate(text: str) -> tuple[int, int | None, str]:
    """(line, first line, key) of the first repeated key. Only run once a repeat is known: it
    walks the objects again, keeping each key's position, with the C scanner skipping values."""
    decoder = json.JSONDecoder(parse_int=_json_int)
    # json's scanner internals are public modules but not in typeshed's stubs.
    scan = json.scanner.make_scanner(decoder)  # type: ignore[arg-type]
    whitespace = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]

    def line(index: int) -> int:
        return text.count("\n", 0, index) + 1

    def walk(index: int) -> tuple[int, int | None, str] | None:
        # `index` is at "{" or "[": check this container's keys, then its children's.
        index = whitespace(text, index).end()
        if text[index] == "[":
            index = whitespace(text, index + 1).end()
            while text[index] != "]":
                found = walk(index) if text[index] in "{[" else None
                if found:
                    return found
                _, index = scan(text, index)
                index = whitespace(text, index).end()
                if text[index] == ",":
                    index = whitespace(text, index + 1).end()
            return None
        seen: dict[str, int] = {}
        index = whitespace(text, index + 1).end()
        while text[index] != "}":
            key, after = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
            if key in seen:
                return line(index), line(seen[key]), key
            seen[key] = index
            index = whitespace(text, whitespace(text, after).end() + 1).end()
            found = walk(index) if text[index] in "{[" else None
            if found:
                return found
            _, index = scan(text, index)
            index = whitespace(text, index).end()
            if text[index] == ",":
                index = whitespace(text, index + 1).end()
        return None

    start = whitespace(text, 0).end()
    return walk(start) or (line(start), None, "?")


def _too_long(digits: str) -> str:
    return (f"The document holds an integer of {len(digits):,} digits; numbers in a task "
            f"definition, service, template or plan have at most {MAX_INT_DIGITS}")


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _NumberError(_too_long(digits.lstrip("-")))
    return int(digits)


class _DuplicateYAMLKey(Exception):
    pass


class _LimitError(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark else 0


# CloudFormation's short forms: `!Ref` and `!Condition` keep their names, every other tag is
# the `Fn::` function of the same name. `!GetAtt Resource.Attribute` is a string to split.
_PLAIN_TAGS = {"Ref": "Ref", "Condition": "Condition"}


class _TemplateLoader(yaml.SafeLoader):
    """SafeLoader + CloudFormation tags, with nesting depth and alias expansion bounded."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.unique = True
        self._depth = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitError(
                    f"The document is nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]  # PyYAML's stubs
                )
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is not None and self._expanded_size(node) > MAX_NODES:
            raise _LimitError(
                f"The document expands to more than {MAX_NODES:,} values once its YAML "
                "aliases are followed; aliases that repeat aliases are refused",
                node.start_mark,
            )
        return node

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        # Merge keys (`<<: *base`) may be overridden by the mapping's own keys; a key written
        # twice in the mapping itself may not.
        if self.unique and isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key, _ in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    continue
                name = self.construct_object(key)
                if not isinstance(name, str | int | float | bool):
                    continue
                if name in seen:
                    raise _DuplicateYAMLKey(str(name), key.start_mark.line + 1, seen[name])
                seen[name] = key.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def _expanded_size(self, node: Any) -> int:
        """Values in `node` with every alias counted where it is used. Children were composed
        (and measured) before their parent, and an alias is the anchored node itself, so this
        looks at each node's direct children only."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size = 1 + sum(
                self._sizes.get(id(key), 1) + self._sizes.get(id(value), 1)
                for key, value in node.value
            )
        else:
            size = 1
        self._sizes[id(node)] = size
        return size


def _construct_tag(loader: _TemplateLoader, suffix: str, node: Any) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {_PLAIN_TAGS.get(suffix, f"Fn::{suffix}"): value}


def _construct_timestamp_as_text(loader: _TemplateLoader, node: Any) -> Any:
    # `AWSTemplateFormatVersion: 2010-09-09` is a version string, not a date.
    return loader.construct_scalar(node)


_TemplateLoader.add_multi_constructor("!", _construct_tag)
_TemplateLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def _construct_int(loader: _TemplateLoader, node: Any) -> Any:
    digits = node.value.lstrip("+-").replace("_", "")
    if len(digits) > MAX_INT_DIGITS:
        raise _LimitError(_too_long(digits), node.start_mark)
    return loader.construct_yaml_int(node)


_TemplateLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
