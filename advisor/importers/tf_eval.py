"""The small part of Terraform's language that ECS configurations need, evaluated.

Supported: literals, lists and objects; `var.x` (a `.tfvars` value, else the variable's
default, else unknown); `local.x`; references to resources (`aws_subnet.private[0].id`,
splats, `for` expressions over them), which stay references (`Ref`) for the importer to
follow; `count.index`, `each.key`/`each.value` of known `count`/`for_each`; string
interpolation and heredocs; arithmetic, comparison, logic and conditionals on known values;
`jsonencode`, `merge`, `concat`, `lookup`, `file` and `templatefile` (of documents given
beside) and the usual collection and string functions (`FUNCTIONS`).

Everything else is `Unresolved` with the reason: data sources and provider-computed
attributes (known only when Terraform runs), module outputs (the module's code is not
here), unknown functions, template directives. An operation on an unknown value is unknown.

A value taken from a variable's default or from a `.tfvars` file is recorded (`Evaluator.used`)
so that the answer says where it came from and that it can be overridden.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lark import Token, Tree
from lark.exceptions import LarkError

from . import hcl
from .nodes import Unresolved

MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Ref(Unresolved):
    """An attribute of resources in the documents, known when Terraform applies:
    `targets` are (module, type, name, instance key or None)."""

    targets: tuple[tuple[str, str, str, Any], ...] = ()
    attr: str = ""


@dataclass(frozen=True, slots=True)
class JsonText(Unresolved):
    """`jsonencode(...)` of a value with unknown parts: the structure is kept."""

    structure: Any = None


@dataclass(frozen=True, slots=True)
class Instance:
    """A resource instance used as a value (`aws_subnet.private[0]`)."""

    module: str
    type: str
    name: str
    key: Any
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def ref(self, attr: str) -> Any:
        known = self.attrs.get(attr)
        if known is not None and not isinstance(known, Unresolved) and attr not in ("id", "arn"):
            return known
        return Ref(f"{self.type}.{self.name}.{attr}, known after apply",
                   f"${{{self.type}.{self.name}.{attr}}}",
                   ((self.module, self.type, self.name, self.key),), attr)


class EvalError(Exception):
    """A Terraform error (a wrong type, a missing key): the value is unknown."""


def unknown(reason: str, text: str = "") -> Unresolved:
    return Unresolved(reason, text)


def is_known(value: Any) -> bool:
    """No unknown part anywhere inside."""
    if isinstance(value, Unresolved | Instance):
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    return True


class Scope:
    """What names mean where an expression is evaluated. `resolve_root` answers the first
    step of a traversal (`var`, `local`, a resource type, `module`, `data`, ...)."""

    def __init__(self, resolve_root: Callable[[str, list[Any], Evaluator], Any],
                 bound: dict[str, Any] | None = None) -> None:
        self.resolve_root = resolve_root
        self.bound = bound or {}

    def with_names(self, names: dict[str, Any]) -> Scope:
        return Scope(self.resolve_root, self.bound | names)


class Evaluator:
    """Evaluates expressions in a `Scope`; `files` are the documents `file()` may read."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files
        self.used: set[str] = set()  # "default of variable `nat`", collected by callers
        self._depth = 0

    def eval(self, expr: Any, scope: Scope) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                return unknown("expression nested too deeply")
            if isinstance(expr, hcl.Json):
                return self._json(expr.value, scope)
            if isinstance(expr, Tree):
                try:
                    return self._tree(expr, scope)
                except EvalError as error:
                    return unknown(str(error))
            return expr
        finally:
            self._depth -= 1

    def _json(self, value: Any, scope: Scope) -> Any:
        if isinstance(value, dict):
            return {k: self.eval(v, scope) for k, v in value.items()}
        if isinstance(value, list):
            return [self.eval(v, scope) for v in value]
        return value

    # --- the tree ----------------------------------------------------------------------

    def _tree(self, tree: Tree[Any], scope: Scope) -> Any:
        kind = tree.data
        children = [c for c in tree.children
                    if not (isinstance(c, Tree) and c.data == "new_line_or_comment")]
        method = getattr(self, f"_t_{kind}", None)
        if method is None:
            return unknown(f"the expression form {kind} is not evaluated")
        return method(children, scope)

    def _t_expr_term(self, children: list[Any], scope: Scope) -> Any:
        inner = [c for c in children if isinstance(c, Tree)]
        if len(inner) == 1:
            return self.eval(inner[0], scope)
        return unknown("empty expression")

    def _t_int_lit(self, children: list[Any], scope: Scope) -> Any:
        return int(str(children[0]))

    def _t_float_lit(self, children: list[Any], scope: Scope) -> Any:
        return float(str(children[0]))

    def _t_literal_value(self, children: list[Any], scope: Scope) -> Any:
        return {"true": True, "false": False, "null": None}[str(children[0])]

    def _t_identifier(self, children: list[Any], scope: Scope) -> Any:
        return self._traverse(str(children[0]), [], scope)

    def _t_string(self, children: list[Any], scope: Scope) -> Any:
        parts: list[Any] = []
        for part in children:
            if isinstance(part, Tree) and part.data == "string_part":
                parts.append(self._string_part(part.children[0], scope))
        return _concat_parts(parts)

    def _string_part(self, part: Any, scope: Scope) -> Any:
        if isinstance(part, Token):
            if part.type == "ESCAPED_INTERPOLATION":
                return str(part)[1:]
            if part.type == "ESCAPED_DIRECTIVE":
                return str(part)[1:]
            return _unescape(str(part))
        if isinstance(part, Tree) and part.data == "interpolation":
            inner = [c for c in part.children if isinstance(c, Tree)]
            return self.eval(inner[0], scope) if inner else ""
        return unknown("a template directive (%{ if } or %{ for }) is not evaluated")

    def _t_template_string(self, children: list[Any], scope: Scope) -> Any:
        return unknown("an escaped template string is not evaluated")

    def _t_heredoc_template(self, children: list[Any], scope: Scope) -> Any:
        text = str(children[0])
        body = text.split("\n", 1)[1] if "\n" in text else ""
        body = body[: body.rstrip().rfind("\n") + 1] if "\n" in body.rstrip() else ""
        return self.template(body, scope)

    def _t_heredoc_template_trim(self, children: list[Any], scope: Scope) -> Any:
        value = self._t_heredoc_template(children, scope)
        if isinstance(value, str):
            lines = value.split("\n")
            indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
            return "\n".join(x[indent:] for x in lines)
        return value

    def _t_tuple(self, children: list[Any], scope: Scope) -> Any:
        return [self.eval(c, scope) for c in children if isinstance(c, Tree)]

    def _t_object(self, children: list[Any], scope: Scope) -> Any:
        out: dict[str, Any] = {}
        for element in children:
            if not (isinstance(element, Tree) and element.data == "object_elem"):
                continue
            key_tree, value_tree = element.children[0], element.children[-1]
            key = self._object_key(key_tree, scope)
            if not isinstance(key, str | int | float | bool):
                return unknown("an object key is not known")
            out[str(key)] = self.eval(value_tree, scope)
        return out

    def _object_key(self, key_tree: Tree[Any], scope: Scope) -> Any:
        inner = key_tree.children[0]
        if isinstance(inner, Tree) and inner.data == "keyword":
            return str(inner.children[0])
        # A bare identifier is the key's name, not a variable (`{ Name = "x" }`).
        if (isinstance(inner, Tree) and inner.data == "expr_term" and len(inner.children) == 1
                and isinstance(inner.children[0], Tree)
                and inner.children[0].data == "identifier"):
            return str(inner.children[0].children[0])
        return self.eval(inner, scope)

    def _t_conditional(self, children: list[Any], scope: Scope) -> Any:
        trees = [c for c in children if isinstance(c, Tree)]
        condition = self.eval(trees[0], scope)
        if isinstance(condition, bool):
            return self.eval(trees[1] if condition else trees[2], scope)
        if isinstance(condition, str) and condition in ("true", "false"):
            return self.eval(trees[1] if condition == "true" else trees[2], scope)
        yes, no = self.eval(trees[1], scope), self.eval(trees[2], scope)
        if yes == no and is_known(yes):
            return yes
        return unknown(f"a condition that is not known ({condition})")

    def _t_binary_op(self, children: list[Any], scope: Scope) -> Any:
        left = self.eval(children[0], scope)
        term = children[1]
        operator = str(term.children[0].children[0])
        right_tree = next(c for c in term.children[1:] if isinstance(c, Tree)
                      and c.data != "new_line_or_comment")
        if operator == "&&" and left is False:
            return False
        if operator == "||" and left is True:
            return True
        right = self.eval(right_tree, scope)
        return _binary(operator, left, right)

    def _t_unary_op(self, children: list[Any], scope: Scope) -> Any:
        operator = str(children[0])
        value = self.eval(children[1], scope)
        if isinstance(value, Unresolved):
            return value
        if operator == "!" and isinstance(value, bool):
            return not value
        if operator == "-" and isinstance(value, int | float):
            return -value
        raise EvalError(f"{operator} of {type(value).__name__}")

    def _t_function_call(self, children: list[Any], scope: Scope) -> Any:
        names = [str(c.children[0]) for c in children if isinstance(c, Tree)
                 and c.data == "identifier"]
        name = "::".join(names)
        arguments = next((c for c in children if isinstance(c, Tree)
                          and c.data == "arguments"), None)
        trees = [c for c in arguments.children if isinstance(c, Tree)
                 and c.data != "new_line_or_comment"] if arguments else []
        expand = arguments is not None and any(isinstance(c, Token) and c.type == "ELLIPSIS"
                                               for c in arguments.children)
        if name == "try":
            return self._try(trees, scope)
        if name == "can":
            value = self._try(trees, scope)
            return not isinstance(value, Unresolved) or unknown("can() of an unknown value")
        args = [self.eval(t, scope) for t in trees]
        if expand and args and isinstance(args[-1], list):
            args = args[:-1] + args[-1]
        if name in ("file", "templatefile"):
            return self._file(name, args, scope)
        function = FUNCTIONS.get(name)
        if function is None:
            return unknown(f"the function {name}() is not evaluated by the advisor")
        if name not in _ACCEPTS_UNKNOWN and not all(is_known(a) for a in args):
            return _first_unknown(args, f"{name}() of a value that is not known")
        try:
            return function(*args)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:
            raise EvalError(f"{name}() failed: {error}") from None

    def _try(self, trees: list[Tree[Any]], scope: Scope) -> Any:
        last: Any = unknown("try() with no argument that evaluates")
        for tree in trees:
            try:
                value = self._tree(tree, scope)
            except EvalError as error:
                last = unknown(str(error))
                continue
            if isinstance(value, Unresolved) and not isinstance(value, Ref | JsonText) and \
                    value.reason.startswith("no "):
                last = value
                continue
            return value
        return last

    def _file(self, name: str, args: list[Any], scope: Scope) -> Any:
        path = args[0] if args else None
        if not isinstance(path, str):
            if isinstance(path, Unresolved) and path.text:
                path = path.text
            else:
                return unknown(f"{name}() of a path that is not known")
        base = path.replace("\\", "/").rsplit("/", 1)[-1]
        text = self.files.get(base)
        if text is None:
            return unknown(f"{name}(\"{path}\") reads a file that is not among the documents; "
                           f"add {base} beside the .tf files")
        if name == "file":
            return text
        variables = args[1] if len(args) > 1 else {}
        if not isinstance(variables, dict):
            return unknown("templatefile() with variables that are not known")
        return self.template(text, Scope(_no_root, variables))

    def template(self, text: str, scope: Scope) -> Any:
        """A template's text with each `${...}` evaluated; `%{...}` directives are unknown."""
        parts: list[Any] = []
        position = 0
        for start, end in _interpolations(text):
            parts.append(text[position:start].replace("$${", "${"))
            source = text[start + 2:end]
            try:
                parts.append(self.eval(hcl.expression(source), scope))
            except (LarkError, RecursionError, StopIteration, IndexError):
                parts.append(unknown(f"the interpolation ${{{source}}} is not understood"))
            position = end + 1
        parts.append(text[position:].replace("$${", "${"))
        if re.search(r"(?<!%)%\{", text):
            parts.append(unknown("a template directive (%{ if } or %{ for }) is not evaluated"))
        return _concat_parts(parts)

    # --- traversals: a.b[0].c ------------------------------------------------------------

    def _chain(self, tree: Tree[Any], scope: Scope) -> tuple[str, list[Any]] | None:
        """A traversal as its root name and steps (("attr", name), ("index", value),
        ("splat", None)), or None when it does not start at a name."""
        steps: list[Any] = []
        node: Any = tree
        while True:
            if isinstance(node, Tree) and node.data == "expr_term":
                inner = [c for c in node.children if isinstance(c, Tree)]
                if len(inner) != 1:
                    return None
                node = inner[0]
            elif isinstance(node, Tree) and node.data == "get_attr_expr_term":
                steps.insert(0, ("attr", _name(node.children[1].children[-1])))
                node = node.children[0]
            elif isinstance(node, Tree) and node.data == "index_expr_term":
                index = node.children[1]
                if index.data == "short_index":
                    value: Any = int(str(index.children[-1]).lstrip("."))
                else:
                    value = self.eval(next(c for c in index.children if isinstance(c, Tree)),
                                      scope)
                steps.insert(0, ("index", value))
                node = node.children[0]
            elif isinstance(node, Tree) and node.data in ("attr_splat_expr_term",
                                                          "full_splat_expr_term"):
                rest: list[Any] = [("splat", None)]
                for step in node.children[1].children:
                    if isinstance(step, Tree) and step.data == "get_attr":
                        rest.append(("attr", _name(step.children[-1])))
                    elif isinstance(step, Tree):
                        inner_tree = [c for c in step.children if isinstance(c, Tree)]
                        rest.append(("index", self.eval(inner_tree[0], scope) if inner_tree
                                     else int(str(step.children[-1]).lstrip("."))))
                steps[:0] = rest
                node = node.children[0]
            elif isinstance(node, Tree) and node.data == "identifier":
                return str(node.children[0]), steps
            else:
                return None

    def _t_get_attr_expr_term(self, children: list[Any], scope: Scope) -> Any:
        return self._chained(Tree("get_attr_expr_term", children), scope)

    def _t_index_expr_term(self, children: list[Any], scope: Scope) -> Any:
        return self._chained(Tree("index_expr_term", children), scope)

    def _t_attr_splat_expr_term(self, children: list[Any], scope: Scope) -> Any:
        return self._chained(Tree("attr_splat_expr_term", children), scope)

    def _t_full_splat_expr_term(self, children: list[Any], scope: Scope) -> Any:
        return self._chained(Tree("full_splat_expr_term", children), scope)

    def _chained(self, tree: Tree[Any], scope: Scope) -> Any:
        chain = self._chain(tree, scope)
        if chain is not None:
            return self._traverse(chain[0], chain[1], scope)
        # (expr)[0], func()[0], [..][0]: evaluate the head, then the steps.
        head = tree.children[0]
        value = self.eval(head, scope)
        step = tree.children[1]
        if tree.data == "get_attr_expr_term":
            return apply_steps(value, [("attr", _name(step.children[-1]))])
        if tree.data == "index_expr_term":
            inner = [c for c in step.children if isinstance(c, Tree)]
            index = self.eval(inner[0], scope) if inner else int(str(step.children[-1])[1:])
            return apply_steps(value, [("index", index)])
        return unknown("a splat of a computed value is not evaluated")

    def _traverse(self, root: str, steps: list[Any], scope: Scope) -> Any:
        if root in scope.bound:
            return apply_steps(scope.bound[root], steps)
        return scope.resolve_root(root, steps, self)

    # --- for expressions ---------------------------------------------------------------

    def _t_for_tuple_expr(self, children: list[Any], scope: Scope) -> Any:
        trees = [c for c in children if isinstance(c, Tree)]
        intro, value_tree = trees[0], trees[1]
        condition = trees[2] if len(trees) > 2 else None
        out = []
        for names in self._for_items(intro, scope):
            if isinstance(names, Unresolved):
                return names
            inner = scope.with_names(names)
            if condition is not None and not self._for_keep(condition, inner):
                continue
            out.append(self.eval(value_tree, inner))
        return out

    def _t_for_object_expr(self, children: list[Any], scope: Scope) -> Any:
        trees = [c for c in children if isinstance(c, Tree)]
        intro, key_tree, value_tree = trees[0], trees[1], trees[2]
        condition = trees[3] if len(trees) > 3 else None
        grouped = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in children)
        out: dict[str, Any] = {}
        for names in self._for_items(intro, scope):
            if isinstance(names, Unresolved):
                return names
            inner = scope.with_names(names)
            if condition is not None and not self._for_keep(condition, inner):
                continue
            key = self.eval(key_tree, inner)
            if not isinstance(key, str | int | float | bool):
                return unknown("a key of a for expression is not known")
            value = self.eval(value_tree, inner)
            if grouped:
                out.setdefault(str(key), []).append(value)
            else:
                out[str(key)] = value
        return out

    def _for_keep(self, condition: Tree[Any], scope: Scope) -> bool:
        inner = [c for c in condition.children if isinstance(c, Tree)
                 and c.data != "new_line_or_comment"]
        value = self.eval(inner[0], scope)
        if not isinstance(value, bool):
            raise EvalError("a for expression's condition is not known")
        return value

    def _for_items(self, intro: Tree[Any], scope: Scope) -> list[Any]:
        identifiers = [str(c.children[0]) for c in intro.children
                       if isinstance(c, Tree) and c.data == "identifier"]
        collection_tree = next(c for c in intro.children if isinstance(c, Tree)
                           and c.data not in ("identifier", "new_line_or_comment"))
        collection = self.eval(collection_tree, scope)
        if isinstance(collection, dict):
            pairs = list(collection.items())
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            return [collection if isinstance(collection, Unresolved)
                    else unknown("a for expression over a value that is not a collection")]
        if len(identifiers) == 1:
            return [{identifiers[0]: value} for _, value in pairs]
        return [{identifiers[0]: key, identifiers[1]: value} for key, value in pairs]


def _no_root(root: str, steps: list[Any], evaluator: Evaluator) -> Any:
    return unknown(f"{root} is not a template variable", f"${{{root}}}")


def _name(node: Any) -> str:
    if isinstance(node, Token):
        return str(node)
    if isinstance(node, Tree):
        return "".join(_name(c) for c in node.children)
    return str(node)


def apply_steps(value: Any, steps: list[Any]) -> Any:
    """`value.a[0].b` on evaluated values (lists, objects, resource instances)."""
    for position, (kind, key) in enumerate(steps):
        if isinstance(value, Instance):
            if kind == "attr":
                value = value.ref(key)
                continue
            return unknown(f"index of resource {value.type}.{value.name}")
        if isinstance(value, Ref):
            return value  # an attribute of something known after apply
        if isinstance(value, Unresolved):
            return value
        if kind == "splat":
            items = value if isinstance(value, list) else ([] if value is None else [value])
            return [apply_steps(item, steps[position + 1:]) for item in items]
        if isinstance(key, Unresolved):
            return key
        if isinstance(value, dict):
            if str(key) not in value:
                raise EvalError(f"no key {key}")
            value = value[str(key)]
        elif isinstance(value, list) and kind == "index":
            try:
                value = value[int(key)]
            except (ValueError, IndexError, TypeError):
                raise EvalError(f"no index {key}") from None
        elif isinstance(value, list) and kind == "attr":
            raise EvalError(f"attribute {key} of a list")
        else:
            raise EvalError(f"{kind} {key} of {type(value).__name__}")
    return value


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _interpolations(text: str) -> list[tuple[int, int]]:
    """(start of `${`, index of its closing `}`) for each interpolation, braces and quotes
    inside counted."""
    out = []
    index = 0
    while (start := text.find("${", index)) != -1:
        if start > 0 and text[start - 1] == "$":
            index = start + 2
            continue
        depth, position, quote = 0, start + 2, False
        while position < len(text):
            char = text[position]
            if quote:
                if char == "\\":
                    position += 1
                elif char == '"':
                    quote = False
            elif char == '"':
                quote = True
            elif char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    break
                depth -= 1
            position += 1
        if position >= len(text):
            break
        out.append((start, position))
        index = position + 1
    return out


def _concat_parts(parts: list[Any]) -> Any:
    if len(parts) == 1 and not isinstance(parts[0], str):
        return parts[0]  # "${x}" is x itself, of any type
    text: list[str] = []
    reasons: list[str] = []
    for part in parts:
        if isinstance(part, Unresolved):
            reasons.append(part.reason)
            text.append(part.text or "${…}")
        elif isinstance(part, bool):
            text.append("true" if part else "false")
        elif isinstance(part, str | int | float):
            text.append(str(part))
        elif isinstance(part, Instance):
            reasons.append("a resource used as a string")
            text.append("${…}")
        else:
            reasons.append("a list or object interpolated into a string")
            text.append("${…}")
    if reasons:
        return Unresolved(reasons[0], "".join(text))
    return "".join(text)


def _first_unknown(values: list[Any], reason: str) -> Unresolved:
    for value in values:
        if isinstance(value, Unresolved):
            return value if not isinstance(value, Ref) else Unresolved(reason, value.text)
        if isinstance(value, dict | list):
            inner = _first_unknown(list(value.values()) if isinstance(value, dict) else value,
                                   reason)
            if inner.reason != reason:
                return inner
    return unknown(reason)


def _binary(operator: str, left: Any, right: Any) -> Any:
    if operator in ("==", "!="):
        if not (is_known(left) and is_known(right)):
            return unknown("a comparison with a value that is not known")
        return (left == right) == (operator == "==")
    for value in (left, right):
        if isinstance(value, Unresolved):
            return value
    if operator in ("&&", "||"):
        if not (isinstance(left, bool) and isinstance(right, bool)):
            raise EvalError(f"{operator} of non-booleans")
        return (left and right) if operator == "&&" else (left or right)
    left, right = _number(left), _number(right)
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if operator == "/":
        return left / right if right else unknown("division by zero")
    if operator == "%":
        return left % right if right else unknown("division by zero")
    return {"<": left < right, ">": left > right, "<=": left <= right,
            ">=": left >= right}[operator]


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("arithmetic on a boolean")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                raise EvalError(f"{value!r} is not a number") from None
    raise EvalError(f"arithmetic on {type(value).__name__}")


# --- functions ---------------------------------------------------------------------------


def _jsonencode(value: Any) -> Any:
    if is_known(value):
        return json.dumps(value, separators=(",", ":"))
    return JsonText("jsonencode() of a value with parts that are not known", "", value)


def _merge(*maps: Any) -> Any:
    out: dict[str, Any] = {}
    for item in maps:
        if item is None:
            continue
        if isinstance(item, Unresolved):
            return item
        if not isinstance(item, dict):
            raise EvalError("merge() of a non-object")
        out.update(item)
    return out


def _concat(*lists: Any) -> Any:
    out: list[Any] = []
    for item in lists:
        if isinstance(item, Unresolved):
            return item
        if not isinstance(item, list):
            raise EvalError("concat() of a non-list")
        out += item
    return out


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, Unresolved):
        return mapping
    if isinstance(key, Unresolved):
        return key
    if not isinstance(mapping, dict):
        raise EvalError("lookup() of a non-object")
    if str(key) in mapping:
        return mapping[str(key)]
    if default:
        return default[0]
    raise EvalError(f"lookup(): no key {key}")


def _flatten(value: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in value:
        out += _flatten(item) if isinstance(item, list) else [item]
    return out


def _format(spec: str, *args: Any) -> str:
    values = iter(args)
    return re.sub(r"%[-+ #0-9.]*([sdvfq%])",
                  lambda m: "%" if m.group(1) == "%" else str(next(values)), spec)


def _tobool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise ValueError(f"{value!r} is not a bool")


def _element(items: list[Any], index: int) -> Any:
    return items[int(index) % len(items)]


def _coalesce(*values: Any) -> Any:
    for value in values:
        if isinstance(value, Unresolved):
            return value
        if value not in (None, ""):
            return value
    raise ValueError("no non-null argument")


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": json.loads,
    "merge": _merge,
    "concat": _concat,
    "lookup": _lookup,
    "tolist": list,
    "toset": lambda v: list(dict.fromkeys(v)),
    "tomap": dict,
    "tostring": lambda v: v if isinstance(v, str) else json.dumps(v),
    "tonumber": _number,
    "tobool": _tobool,
    "flatten": _flatten,
    "distinct": lambda v: list(dict.fromkeys(v)),
    "compact": lambda v: [x for x in v if x not in (None, "")],
    "length": len,
    "element": _element,
    "keys": lambda v: sorted(v),
    "values": lambda v: [v[k] for k in sorted(v)],
    "contains": lambda v, x: x in v,
    "join": lambda sep, v: sep.join(str(x) for x in v),
    "split": lambda sep, v: v.split(sep),
    "format": _format,
    "lower": str.lower,
    "upper": str.upper,
    "trimspace": str.strip,
    "replace": lambda s, a, b: s.replace(a, b),
    "substr": lambda s, o, n: s[o:] if n < 0 else s[o:o + n],
    "coalesce": _coalesce,
    "slice": lambda v, a, b: v[a:b],
    "zipmap": lambda k, v: dict(zip(k, v, strict=True)),
    "max": max,
    "min": min,
    "abs": abs,
    "nonsensitive": lambda v: v,
    "sensitive": lambda v: v,
    "one": lambda v: (v[0] if v else None) if len(v) <= 1 else None,
}

# Functions that keep the unknown parts of their arguments in the structure they build.
_ACCEPTS_UNKNOWN = {"jsonencode", "merge", "concat", "lookup", "tolist", "toset", "tomap",
                    "flatten", "nonsensitive", "sensitive", "coalesce", "element", "one",
                    "length", "compact", "distinct"}


def json_value(value: Any) -> Any:
    """`JsonText` as its structure; everything else unchanged."""
    return value.structure if isinstance(value, JsonText) else value
