"""The embed panel's and the oEmbed discovery link's data, for the result page's includes."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from django import template
from django.urls import reverse

from advisor import embed
from advisor.rules import to_query

register = template.Library()


@register.simple_tag(takes_context=True)
def embed_snippets(context: template.Context) -> dict[str, Any]:
    """Everything templates/embed/panel.html and head.html show, for the page's `result`."""
    request, result = context["request"], context["result"]
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
