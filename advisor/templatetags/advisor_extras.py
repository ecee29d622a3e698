"""Template filters for the result page: table lookups and the rules' `code` spans."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def lookup(mapping: Mapping[Any, Any], key: Any) -> Any:
    """`mapping[key]`, or "" when it is missing: titles for enum values."""
    return mapping.get(key, "")


@register.filter
def inline_code(text: str) -> SafeString:
    """Escape the text and show its `backticked` spans as code, as the Markdown report does."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: show the text as it is
        return mark_safe(escape(text))
    return mark_safe("".join(
        f"<code>{escape(part)}</code>" if index % 2 else escape(part)
        for index, part in enumerate(parts)
    ))
