"""Template tags for the result page: table lookups, the rules' `code` spans, partials
rendered once per distinct input, and the icons."""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from crispy_forms.layout import Field as LayoutField
from crispy_forms.layout import Layout
from crispy_forms.utils import TEMPLATE_PACK, render_crispy_form
from django import template
from django.template.loader import get_template
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


# --- Partials rendered once per distinct input --------------------------------------------------

# Far fewer distinct findings, traffic rows and requirements exist than configurations (5,000
# random configurations hold about 1,400 distinct findings and 475 distinct traffic rows), so
# each piece's HTML is rendered once per process and reused, least recently used out first.
# About 4 KB of HTML per entry at most: the bound keeps it near 16 MB a worker.
ONCE_MAX_ENTRIES = 4096


class _Items(tuple[tuple[str, Any], ...]):
    """A dict's items, frozen for a cache key; made a dict again to render."""

    __slots__ = ()


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a template value: lists and tuples item by item, dicts as items."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return _Items((key, _frozen(item)) for key, item in value.items())
    return value


@lru_cache(maxsize=ONCE_MAX_ENTRIES)
def _render_once(template_name: str, values: tuple[tuple[str, Any], ...]) -> SafeString:
    context = {name: dict(value) if isinstance(value, _Items) else value
               for name, value in values}
    return mark_safe(get_template(template_name).render(context))


@register.simple_tag
def once(template_name: str, **values: Any) -> SafeString:
    """`{% once "page.html#partial" name=value ... %}`: the partial rendered with exactly these
    values and nothing else from the page (so its HTML is a function of them), once per
    distinct set of values; see ONCE_MAX_ENTRIES."""
    return _render_once(template_name, tuple((name, _frozen(v)) for name, v in values.items()))


@register.simple_tag
@lru_cache(maxsize=64)
def icon(name: str) -> SafeString:
    """`{% icon name %}`: templates/icon.html for one status word, rendered once per word."""
    return mark_safe(get_template("icon.html").render({"name": str(name)}))


# --- The wizard's form ----------------------------------------------------------------------

# crispy-forms renders each of a step's fields (its questions, and every other answer as a
# hidden input) through several templates: most of a step swap's time. A field's HTML depends
# only on its name, value, help text (with an import's note) and wrapper, and each has a few
# values, so each is rendered once per distinct set of those and reused.
FIELDS_MAX_ENTRIES = 4096


class _ReusedField(LayoutField):  # type: ignore[misc]  # crispy-forms publishes no types
    def render(self, form: Any, context: Any, template_pack: str = TEMPLATE_PACK,
               **kwargs: Any) -> SafeString:
        name = self.fields[0]
        # A field's HTML shows its own errors only: the others' leave it as it is, so the
        # questions of a step with a wrong answer elsewhere (a 400) are reused too.
        if len(self.fields) != 1 or kwargs or form[name].errors:
            html: SafeString = super().render(form, context, template_pack=template_pack,
                                              **kwargs)
            return html
        key = (name, _frozen(form[name].value()), str(form.fields[name].help_text),
               type(form.fields[name].widget), self.wrapper_class, template_pack)
        html_ = _fields.get(key)
        if html_ is None:
            html_ = super().render(form, context, template_pack=template_pack)
            _fields[key] = html_
            if len(_fields) > FIELDS_MAX_ENTRIES:
                _fields.popitem(last=False)
        else:
            _fields.move_to_end(key)
        return html_


_fields: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()


@register.simple_tag
def step_fields(form: Any) -> SafeString:
    """`{% crispy form %}` for a wizard step (advisor.forms.StepForm): the same HTML, each field
    rendered once per distinct value (see FIELDS_MAX_ENTRIES)."""
    helper = copy.copy(form.helper)
    helper.layout = Layout(*(
        _ReusedField(*item.fields, wrapper_class=item.wrapper_class)
        if type(item) is LayoutField and not item.attrs else item
        for item in form.helper.layout
    ))
    rendered: SafeString = render_crispy_form(form, helper=helper)
    return rendered
