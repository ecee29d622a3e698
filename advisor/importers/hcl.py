"""Terraform source as blocks and unevaluated expressions: `.tf`, `.tf.json` and `.tfvars`.

python-hcl2 parses the native syntax into a Lark tree; this module keeps the tree of each
attribute's expression (the evaluator in `tf_eval.py` reads it) and the line it starts on.
The JSON syntax (`.tf.json`) has the same blocks, and its strings are templates
(`"${aws_vpc.main.id}"`), parsed here into the same trees. Nothing is evaluated here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import hcl2
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

from .loading import DocumentError

# The block types that take labels, and how many: everything else is a nested block.
_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1,
           "locals": 0, "terraform": 0, "moved": 0, "import": 0, "check": 1, "removed": 0}


@dataclass(frozen=True, slots=True)
class Json:
    """An expression of the JSON syntax that is not a template string: a constant, or an
    object or list of expressions."""

    value: Any


Expr = Tree[Any] | Json


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    attrs: dict[str, Expr]
    blocks: list[Block]
    document: str
    line: int = 0
    attr_lines: dict[str, int] = field(default_factory=dict)

    def nested(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]


_RESOURCE_START = re.compile(
    r'^\s*(resource|data|module|variable|output|provider|locals|terraform)\s*("[^"\n]*"\s*)*\{',
    re.MULTILINE)


def looks_like_terraform(text: str) -> bool:
    """Native Terraform syntax pasted without a file name: a top-level block such as
    `resource "aws_vpc" "main" {` or `variable "x" {`, which is never YAML or a message."""
    return bool(_RESOURCE_START.search(text))


def parse(document: str, text: str) -> list[Block]:
    """The top-level blocks of one file. Raises `DocumentError` with line and column."""
    if document.endswith(".json") or text.lstrip().startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise DocumentError.one(document, f"Invalid JSON at line {error.lineno}, column "
                                    f"{error.colno}: {error.msg}.") from None
        return _json_blocks(document, value)
    try:
        tree = hcl2.parses_to_tree(text if text.endswith("\n") else text + "\n")
    except UnexpectedInput as error:
        raise DocumentError.one(document, f"Invalid Terraform (HCL) at line {error.line}, "
                                f"column {error.column}.") from None
    except (LarkError, RecursionError) as error:
        raise DocumentError.one(document, f"Invalid Terraform (HCL): {error}.") from None
    body = next(c for c in tree.children if isinstance(c, Tree) and c.data == "body")
    return _body_blocks(document, body, top=True)


def parse_tfvars(document: str, text: str) -> Block:
    """A `.tfvars` file: attributes only, as one block of type `tfvars`."""
    blocks = parse(document, text)
    root = Block("tfvars", (), {}, [], document)
    for block in blocks:
        if block.type == "(attributes)":
            root.attrs.update(block.attrs)
            root.attr_lines.update(block.attr_lines)
    return root


def expression(text: str) -> Tree[Any]:
    """One expression from its source text (template interpolations, JSON strings)."""
    tree = hcl2.parses_to_tree(f"x = {text}\n")
    body = next(c for c in tree.children if isinstance(c, Tree) and c.data == "body")
    attribute = next(c for c in body.children if isinstance(c, Tree) and c.data == "attribute")
    return attribute.children[-1]


def _line(tree: Tree[Any]) -> int:
    return getattr(tree.meta, "line", 0) if not tree.meta.empty else 0


def _name(node: Any) -> str:
    if isinstance(node, Token):
        return str(node)
    if isinstance(node, Tree):
        if node.data == "string":
            return "".join(str(part.children[0]) for part in node.children
                           if isinstance(part, Tree) and part.data == "string_part"
                           and isinstance(part.children[0], Token))
        return "".join(_name(child) for child in node.children)
    return str(node)


def _body_blocks(document: str, body: Tree[Any], top: bool = False) -> list[Block]:
    blocks: list[Block] = []
    attributes = Block("(attributes)", (), {}, [], document)
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _name(child.children[0])
            attributes.attrs[name] = child.children[-1]
            attributes.attr_lines[name] = _line(child)
        elif child.data == "block":
            parts = [c for c in child.children if isinstance(c, Tree | Token)]
            inner = next(c for c in parts if isinstance(c, Tree) and c.data == "body")
            head = [p for p in parts[:parts.index(inner)]
                    if not (isinstance(p, Token) and p.type == "LBRACE")
                    and not (isinstance(p, Tree) and p.data == "new_line_or_comment")]
            names = [_name(p) for p in head]
            nested = _body_blocks(document, inner)
            own = next((b for b in nested if b.type == "(attributes)"), None)
            block = Block(names[0], tuple(names[1:]), own.attrs if own else {},
                          [b for b in nested if b.type != "(attributes)"], document,
                          _line(child), own.attr_lines if own else {})
            blocks.append(block)
    if attributes.attrs:
        blocks.insert(0, attributes)
    return blocks


def _json_blocks(document: str, value: Any) -> list[Block]:
    if not isinstance(value, dict):
        raise DocumentError.one(document, "A .tf.json file is a JSON object of blocks.")
    blocks: list[Block] = []
    attributes = Block("(attributes)", (), {}, [], document)
    for type_, content in value.items():
        depth = _LABELS.get(type_)
        if depth is None:
            attributes.attrs[type_] = _json_expr(content)
            continue
        for labels, body in _json_labelled(content, depth):
            if isinstance(body, dict):
                attrs = {k: _json_expr(v) for k, v in body.items()}
                blocks.append(Block(type_, labels, attrs, [], document))
    if attributes.attrs:
        blocks.insert(0, attributes)
    return blocks


def _json_labelled(content: Any, depth: int) -> list[tuple[tuple[str, ...], Any]]:
    items = content if isinstance(content, list) else [content]
    if depth == 0:
        return [((), item) for item in items]
    out = []
    for item in items:
        if isinstance(item, dict):
            for key, inner in item.items():
                out += [((key, *labels), body) for labels, body in
                        _json_labelled(inner, depth - 1)]
    return out


def _json_expr(value: Any) -> Expr:
    if isinstance(value, str) and ("${" in value or "%{" in value):
        try:
            return expression(json.dumps(value))
        except (LarkError, RecursionError):
            return Json(value)
    if isinstance(value, dict):
        return Json({k: _json_expr(v) for k, v in value.items()})
    if isinstance(value, list):
        return Json([_json_expr(v) for v in value])
    return Json(value)
