"""CloudFormation parameter files: the values a deployment gives a template's parameters.

A template's `Default` is only what a deployment gets when it says nothing; the values people
deploy with live beside the template, in one of these shapes:
- `aws cloudformation create-stack --parameters file://params.json` (and `deploy
  --parameter-overrides file://params.json`): `[{"ParameterKey": "K", "ParameterValue": "V"}]`,
  where `"UsePreviousValue": true` keeps the stack's current value;
- `deploy --parameter-overrides` in its own shape: `["K=V", ...]`;
- a CodePipeline template configuration file (which `deploy` also accepts):
  `{"Parameters": {"K": "V"}, "Tags": {...}, "StackPolicy": {...}}`;
- SAM's `samconfig.toml`: `parameter_overrides` under `[<env>.deploy.parameters]` (or
  `.global.parameters`), as one `K=V K2="V 2"` string or a list of `K=V` strings.
(aws-cli pull request 5443 added the JSON shapes to `deploy`:
https://github.com/aws/aws-cli/pull/5443; the `create-stack` shape is the `Parameter` type:
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html.)

Given with a template that declares the parameter, the file's value replaces the `Default`
(`apply()`), and every answer read through it says "parameter X from parameter file F". A
placeholder value (`<subnet-id>`, `SUBNET_ID`) stays a placeholder: the parameter is unresolved,
with a note that quotes it, never a value. A samconfig with several environments whose values
differ gives none of them: the advisor does not guess which environment is meant.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from dataclasses import dataclass
from typing import Any

from . import placeholders
from .loading import DocumentError
from .model import Extraction, Level, Notice, Origin
from .nodes import Unresolved

_PAIR = re.compile(r"^[A-Za-z0-9]+=", re.S)
_CODEPIPELINE_KEYS = frozenset({"Parameters", "Tags", "StackPolicy"})


@dataclass(frozen=True, slots=True)
class Value:
    """One parameter's value in one file, and where it is written."""

    name: str
    value: Any  # text, or `Unresolved` (a placeholder, the stack's previous value)
    origin: Origin


def is_parameter_file(value: Any) -> bool:
    """The JSON/YAML shapes above (samconfig.toml is recognised by its name)."""
    if isinstance(value, list):
        return bool(value) and (
            all(isinstance(item, dict) and "ParameterKey" in item for item in value)
            or all(isinstance(item, str) and _PAIR.match(item) for item in value))
    if isinstance(value, dict) and "Parameters" in value and set(value) <= _CODEPIPELINE_KEYS:
        parameters = value["Parameters"]
        return isinstance(parameters, dict) and all(
            isinstance(v, str | int | float | bool) for v in parameters.values())
    return False


def is_samconfig(name: str) -> bool:
    return name.replace("\\", "/").rsplit("/", 1)[-1].lower().endswith(".toml")


def load_samconfig(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DocumentError.one(name, f"Invalid TOML: {error}.") from None


def read(name: str, value: Any) -> tuple[list[Value], list[Notice]]:
    """The values one parameter file gives, in the order written."""
    if isinstance(value, list):
        return _list(name, value), []
    if isinstance(value, dict) and "Parameters" in value and set(value) <= _CODEPIPELINE_KEYS:
        return [_value(str(k), v, Origin(name, f"Parameters.{k}"))
                for k, v in value["Parameters"].items()], []
    return _samconfig(name, value if isinstance(value, dict) else {})


def _list(name: str, items: list[Any]) -> list[Value]:
    out = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            key = str(item.get("ParameterKey", ""))
            origin = Origin(name, f"[{index}].ParameterValue")
            if item.get("UsePreviousValue") is True:
                out.append(Value(key, Unresolved(
                    f"parameter {key} keeps the stack's previous value (UsePreviousValue), "
                    "which the file does not state", f"${{{key}}}"), origin))
            elif "ParameterValue" in item:
                out.append(_value(key, item["ParameterValue"], origin))
        elif isinstance(item, str) and "=" in item:
            key, _, text = item.partition("=")
            out.append(_value(key, text, Origin(name, f"[{index}]")))
    return out


def _value(key: str, value: Any, origin: Origin) -> Value:
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    why = placeholders.describe(text)
    if why is not None:
        return Value(key, Unresolved(f"parameter {key} in {origin.document}: {why}",
                                     f"${{{key}}}"), origin)
    return Value(key, text, origin)


def _samconfig(name: str, config: dict[str, Any]) -> tuple[list[Value], list[Notice]]:
    """`parameter_overrides` of each environment; where environments give a parameter
    different values, it is left unresolved with a note naming them."""
    by_env: dict[str, list[Value]] = {}
    for env, commands in config.items():
        if not isinstance(commands, dict):
            continue
        for command in ("deploy", "global"):
            section = commands.get(command)
            params = section.get("parameters") if isinstance(section, dict) else None
            overrides = params.get("parameter_overrides") if isinstance(params, dict) else None
            if overrides is None:
                continue
            path = f"{env}.{command}.parameters.parameter_overrides"
            by_env.setdefault(env, []).extend(_pairs(name, path, overrides))
    notices: list[Notice] = []
    values: dict[str, Value] = {}
    seen: dict[str, dict[str, Any]] = {}
    for env, listed in by_env.items():
        for item in listed:
            seen.setdefault(item.name, {})[env] = item.value
            values.setdefault(item.name, item)
    out = []
    for key, value in values.items():
        per_env = seen[key]
        texts = {str(v) for v in per_env.values()}
        if len(texts) > 1:
            shown = "; ".join(f"{env}: {v}" for env, v in per_env.items())
            reason = (f"parameter {key} differs between the samconfig environments ({shown}); "
                      "which one is deployed is not known")
            notices.append(Notice(Level.INFO, reason + ". Give the value you deploy with as a "
                                  "parameter file of one environment.", value.origin))
            out.append(Value(key, Unresolved(reason, f"${{{key}}}"), value.origin))
        else:
            out.append(value)
    return out, notices


def _pairs(name: str, path: str, overrides: Any) -> list[Value]:
    if isinstance(overrides, list):
        items = [str(item) for item in overrides]
    else:
        try:
            items = shlex.split(str(overrides))
        except ValueError:
            items = str(overrides).split()
    out = []
    for item in items:
        key, sep, text = item.partition("=")
        if sep and key:
            out.append(_value(key.strip(), text, Origin(name, f"{path} ({key.strip()})")))
    return out


def apply(files: list[tuple[str, Any]], templates: list[Any]) -> Extraction:
    """Give each template that declares a parameter the files' value for it. `templates` are
    `cloudformation.Template`s (`parameters`, `overrides`, `document`)."""
    notices: list[Notice] = []
    for name, value in files:
        values, found = read(name, value)
        notices += found
        if not values:
            notices.append(Notice(Level.INFO, "The parameter file gives no parameter values.",
                                  Origin(name, "(document)")))
            continue
        if not templates:
            notices.append(Notice(Level.INFO, "A parameter file is read with the template it "
                                  "deploys; add the template to have its values used.",
                                  Origin(name, "(document)")))
            continue
        unused = []
        for item in values:
            declaring = [t for t in templates if item.name in t.parameters]
            for template in declaring:
                template.overrides[item.name] = (item.value, name)
            if not declaring:
                unused.append(item)
            elif len(declaring) > 1:
                notices.append(Notice(
                    Level.INFO, f"Parameter {item.name} is declared by several templates ("
                    + ", ".join(t.document for t in declaring) + "); the file's value is used "
                    "for each.", item.origin))
        for item in unused:
            notices.append(Notice(Level.INFO, f"Parameter {item.name} is not declared by any "
                                  "template among the documents, so its value is not used.",
                                  item.origin))
    return Extraction(notices=tuple(notices))
