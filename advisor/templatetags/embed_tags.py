"""The embed panel's and the oEmbed discovery link's data, for the result page's includes."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import parse_qsl

from django import template
from django.urls import reverse

from advisor import embed
from advisor.rules import to_query

register = template.Library()


@register.simple_tag(takes_context=True)
def embed_snippets(context: template.Context) -> dict[str, Any]:
    """Everything templates/embed/panel.html and head.html show, for the page's `result`:
    built once per page (both include it), kept in the page's render context."""
    request, result = context["request"], context["result"]
    # The page's own render context, which the templates it includes share.
    kept = cast(dict[str, tuple[Any, dict[str, Any]]], context.render_context.dicts[0])
    made = kept.get(_SNIPPETS)
    if made is None or made[0] is not result:
        made = kept[_SNIPPETS] = (result, _snippets(request, result))
    return made[1]


_SNIPPETS = "advisor.embed_snippets"


def _snippets(request: Any, result: Any) -> dict[str, Any]:
    return {
        **embed.snippets(request, result),
        "title": embed.verdict_title(result),
        "action": reverse("embed-result"),
        "answer_items": parse_qsl(to_query(result.answers)),
        "sections": list(embed.SECTION_TITLES.items()),
        "themes": list(embed.THEME_TITLES.items()),
        "height": embed.OEMBED_HEIGHT,
        "enabled": embed.embedding_enabled(),
    }
