"""Answers in and out (spec section 1): `parse_query` and `parse_json` read answers and collect
every problem into one `AnswersError`; `to_query` writes the canonical query string a
permalink is made of. See `answers` for the rules they follow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs

from .answers import (
    DEFAULT_ANSWERS,
    INT_MAX,
    PLATFORM_VERSIONS,
    UNKNOWN,
    UNKNOWN_PARAM,
    Answers,
    PlatformVersion,
)
from .vocabulary import (
    _DEFAULTS,
    FIELDS,
    FIELDS_BY_NAME,
    Field,
    Kind,
)


class AnswersError(ValueError):
    """Bad input. `errors` maps each field (or `__all__`) to messages that name the problem."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {name: list(messages) for name, messages in errors.items()}
        super().__init__(
            "; ".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items())
        )


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(values)


def _parse_value(field: Field, raw: str) -> Any:
    """Turn one textual value into the field's type, or raise ValueError with the reason."""
    text = raw.strip()
    if text.lower() == UNKNOWN:
        return UNKNOWN
    if field.kind is Kind.BOOL:
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise ValueError(f"{_preview(raw)} is not a boolean. Allowed values: true, false.")
    if field.kind is Kind.INT:
        if not (text.isascii() and text.isdigit()) or len(text) > 6:
            raise ValueError(f"{_preview(raw)} is not a whole number.")
        return _check_int(field, int(text))
    if field.kind is Kind.MULTI:
        items = [item.strip() for item in text.split(",") if item.strip()]
        return _parse_members(field, items)
    assert field.enum is not None
    try:
        return field.enum(text.lower())
    except ValueError:
        raise ValueError(
            f"{_preview(raw)} is not an allowed value. Allowed values: {_allowed(field.choices)}."
        ) from None


def _check_int(field: Field, value: int) -> int:
    minimum = field.minimum or 0
    if not minimum <= value <= INT_MAX:
        raise ValueError(
            f"{value} is out of range: give a whole number from {minimum} to {INT_MAX}."
        )
    return value


def _parse_members(field: Field, items: Iterable[str]) -> frozenset[Any]:
    assert field.enum is not None
    members, unknown = set(), []
    for item in items:
        try:
            members.add(field.enum(item.lower()))
        except ValueError:
            unknown.append(item)
    if unknown:
        raise ValueError(
            f"{_allowed(_preview(u) for u in unknown[:5])}"
            f"{' and more' if len(unknown) > 5 else ''} "
            f"{'is not an allowed value' if len(unknown) == 1 else 'are not allowed values'}. "
            f"Allowed values: {_allowed(field.choices)}."
        )
    return frozenset(members)


def _finish(values: dict[str, Any], errors: dict[str, list[str]]) -> Answers:
    """Cross-field checks, then build; raise everything found at once."""
    if "platform_version" not in errors and "os" not in errors:
        os = values.get("os", DEFAULT_ANSWERS.os)
        version = values.get("platform_version", DEFAULT_ANSWERS.platform_version)
        allowed = PLATFORM_VERSIONS.get(os, tuple(PlatformVersion))  # any, when os is unknown
        if version is not UNKNOWN and version not in allowed:
            errors["platform_version"] = [
                f"Platform version {version} does not exist for {os.value}. "
                f"Allowed values for {os.value}: {_allowed(allowed)}."
            ]
    _contradictions(values, errors)
    if errors:
        raise AnswersError(errors)
    return Answers(**values)


def _contradictions(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """A newer field refines an older one; where both are given they must agree (spec
    section 4). Each contradiction is named on both fields."""

    def given(name: str) -> Any:
        value = values.get(name, UNKNOWN)
        return None if value is UNKNOWN or name in errors else value

    def clash(first: str, second: str, message: str) -> None:
        for name in (first, second):
            errors.setdefault(name, []).append(message)

    vpc_dns = given("vpc_dns")
    for name, setting in (("dns_support", "enableDnsSupport"),
                          ("dns_hostnames", "enableDnsHostnames")):
        if vpc_dns is True and given(name) is False:
            clash("vpc_dns", name, f"vpc_dns=true says both VPC DNS attributes are on, and "
                  f"{name}=false says {setting} is off; give one of the two.")
    if vpc_dns is False and given("dns_support") is True and given("dns_hostnames") is True:
        clash("vpc_dns", "dns_support", "vpc_dns=false says a VPC DNS attribute is off, and "
              "dns_support=true with dns_hostnames=true says both are on; give one of the two.")
    egress_via = given("egress_via")
    if given("nat_gateway") is False and egress_via not in (None, DEFAULT_ANSWERS.egress_via):
        clash("nat_gateway", "egress_via", f"nat_gateway=false says the default route does "
              f"not reach the internet, and egress_via={egress_via} says it goes through "
              f"{FIELDS_BY_NAME['egress_via'].label_for(egress_via).lower()}; give one of the "
              "two.")


def parse_query(params: Mapping[str, Any] | str) -> Answers:
    """Answers from a query string, or from its parsed parameters.

    `params` may be the raw query string, a `dict` of value lists (`parse_qs`), or a Django
    `QueryDict`. A list field may be comma-separated, repeated (as checkboxes send it), or both.
    An empty scalar value means the default; an empty list value means an empty list.
    """
    if isinstance(params, str):
        params = parse_qs(params, keep_blank_values=True)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    named_unknown = _unknown_param(params, errors)
    for field in FIELDS:
        if field.name in named_unknown:
            values[field.name] = UNKNOWN
        if field.name not in params:
            continue
        raw_values = _values_of(params, field.name)
        try:
            if field.kind is Kind.MULTI:
                given = {raw.strip().lower() for raw in raw_values}
                text = UNKNOWN.value if given == {UNKNOWN.value} else ",".join(raw_values)
                values[field.name] = _parse_value(field, text)
                continue
            given = {raw.strip() for raw in raw_values if raw.strip()}
            parsed = {_parse_value(field, raw) for raw in sorted(given)}  # the same error each time
            if len(parsed) > 1:
                raise ValueError(
                    "given more than once with different values "
                    f"({_allowed(_preview(g) for g in sorted(given)[:5])}); "
                    "give it once."
                )
            if parsed:
                value = parsed.pop()
                if field.name in named_unknown and value is not UNKNOWN:
                    raise ValueError(
                        f"given as {_query_value(field, value)} and named in unknown=; "
                        "give one of the two."
                    )
                values[field.name] = value
        except ValueError as error:
            errors[field.name] = [str(error)]
    return _finish(values, errors)


def _unknown_param(params: Mapping[str, Any], errors: dict[str, list[str]]) -> set[str]:
    """The fields named in `unknown=a,b,c` (repeatable), checked against the vocabulary."""
    if UNKNOWN_PARAM not in params:
        return set()
    names = [name.strip() for raw in _values_of(params, UNKNOWN_PARAM)
             for name in raw.split(",") if name.strip()]
    return _field_names(names, errors)


def _field_names(names: list[str], errors: dict[str, list[str]]) -> set[str]:
    strangers = [name for name in names if name not in FIELDS_BY_NAME]
    if strangers:
        errors[UNKNOWN_PARAM] = [
            f"{_allowed(_preview(n) for n in strangers[:5])} "
            f"{'is not a field' if len(strangers) == 1 else 'are not fields'}. "
            f"Known fields: {_allowed(FIELDS_BY_NAME)}."
        ]
    return {name for name in names if name in FIELDS_BY_NAME}


def _values_of(params: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return list(params.getlist(name))
    value = params[name]
    return [value] if isinstance(value, str) else [str(item) for item in value]


def parse_json(obj: Any) -> Answers:
    """Answers from a decoded JSON object: JSON types, and unknown fields are errors."""
    if not isinstance(obj, dict):
        raise AnswersError({"__all__": ["The body must be a JSON object of answers."]})
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    # An array of field names, each spelt exactly (the query string's commas and blanks are
    # for hand-edited links; JSON has arrays, and the OpenAPI schema says so).
    named_unknown = _field_names(obj[UNKNOWN_PARAM], errors) if (
        UNKNOWN_PARAM in obj and _is_name_list(obj[UNKNOWN_PARAM], errors)
    ) else set()
    for name in obj:
        if name not in FIELDS_BY_NAME and name != UNKNOWN_PARAM:
            errors[str(name)[:100]] = [
                f"Unknown field. Known fields: {_allowed(FIELDS_BY_NAME)}."
            ]
    for field in FIELDS:
        if field.name not in obj or obj[field.name] is None:
            continue
        try:
            values[field.name] = _from_json(field, obj[field.name])
        except ValueError as error:
            errors[field.name] = [str(error)]
    for name in named_unknown:
        if values.get(name, UNKNOWN) is not UNKNOWN:
            errors[name] = ["given a value and named in unknown; give one of the two."]
        values[name] = UNKNOWN
    return _finish(values, errors)


def _is_name_list(value: Any, errors: dict[str, list[str]]) -> bool:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return True
    errors[UNKNOWN_PARAM] = [f"Expected a JSON array of field names; got {_preview(value)}."]
    return False


def _json_type_error(field: Field, value: Any) -> ValueError:
    expected = {
        Kind.BOOL: "a JSON boolean (true or false)",
        Kind.INT: "a JSON integer",
        Kind.MULTI: f"a JSON array of strings from: {_allowed(field.choices)}",
        Kind.CHOICE: f"a JSON string, one of: {_allowed(field.choices)}",
    }[field.kind]
    return ValueError(f"Expected {expected}; got {type(value).__name__} {_preview(value)}.")


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _from_json(field: Field, value: Any) -> Any:
    if value == UNKNOWN:  # JSON is exact (the OpenAPI schema says so); choices fold case below
        return UNKNOWN
    if field.kind is Kind.BOOL:
        if not isinstance(value, bool):
            raise _json_type_error(field, value)
        return value
    if field.kind is Kind.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _json_type_error(field, value)
        return _check_int(field, value)
    if field.kind is Kind.MULTI:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise _json_type_error(field, value)
        return _parse_members(field, value)
    if not isinstance(value, str):
        raise _json_type_error(field, value)
    return _parse_value(field, value)


def to_dict(answers: Answers) -> dict[str, Any]:
    """Every field, JSON-ready: lists in vocabulary order."""
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = getattr(answers, field.name)
        if field.kind is Kind.MULTI and value is not UNKNOWN:
            value = [choice for choice in field.choices if choice in value]
        out[field.name] = value
    return out


def _query_value(field: Field, value: Any) -> str:
    if value is UNKNOWN:
        return UNKNOWN
    if field.kind is Kind.BOOL:
        return "true" if value else "false"
    if field.kind is Kind.MULTI:
        return ",".join(choice for choice in field.choices if choice in value)
    return str(value)


_FIELD_DEFAULTS = tuple((field, field.name, _DEFAULTS[field.name]) for field in FIELDS)


def to_query(answers: Answers) -> str:
    """The canonical query string: non-default fields only, in `FIELDS` order."""
    # Every value is a vocabulary word, a number or a comma list of words: nothing to escape.
    pairs = []
    unknown = []
    for field, name, default in _FIELD_DEFAULTS:
        value = getattr(answers, name)
        if value is UNKNOWN:
            unknown.append(name)
        elif value != default:
            pairs.append(f"{name}={_query_value(field, value)}")
    if unknown:
        pairs.append(f"{UNKNOWN_PARAM}={','.join(unknown)}")
    return "&".join(pairs)


def query_items(answers: Answers) -> list[tuple[str, str]]:
    """Every field as (name, text) pairs, for hidden form inputs that carry answers along."""
    return [(f.name, _query_value(f, getattr(answers, f.name))) for f in FIELDS]


def permalink(answers: Answers) -> str:
    """The result page's path and canonical query: the URL is the result."""
    query = to_query(answers)
    return f"/result/?{query}" if query else "/result/"

