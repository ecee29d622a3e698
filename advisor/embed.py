"""Embedding in docs portals: the result and the wizard inside an iframe, and oEmbed.

Every other page refuses to be framed (`X-Frame-Options: DENY` and CSP `frame-ancestors
'none'`, set for the whole site in settings). The views here relax that, per view, to the
advisor itself and the origins in `settings.EMBED_ALLOWED_ORIGINS` (`ADVISOR_EMBED_ORIGINS`).
By default only the advisor's own pages may frame an embed (the result page's preview does):
a deployment names its portals rather than letting any site present the advice as its own.
An embed page holds nothing to steal and nothing that changes state (no cookies, no sessions,
GET forms only), which is why framing it is safe at all.

The wizard in embed mode is the site's own wizard, mounted under `/embed/`: the same views
run with Django's URL script prefix moved to the mount, so every address they `reverse()` (the
steps, the live summary, the result) stays inside the embed, and `request.embed` tells the
templates to use the chrome-less base. `/embed/result/` renders the result page's own named
partials, the sections picked with `show=`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from csp.constants import NONE, SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.request import split_domain_port, validate_host
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from advisor import views
from advisor.caching import cacheable_result
from advisor.links import STEPS, wizard_url
from advisor.rules import (
    RULES_VERSION,
    Answers,
    AnswersError,
    Result,
    TooManyUnknowns,
    evaluate,
    parse_query,
    to_query,
)
from advisor.rules.answers import FIELDS_BY_NAME

# The result page's sections an embed can show, in page order (named partials of result.html).
SECTIONS = ("verdict", "requirements", "traffic", "diagram", "roles", "endpoints", "findings")
SECTION_TITLES = {
    "verdict": "Verdict",
    "requirements": "What the task needs",
    "traffic": "Traffic",
    "diagram": "Diagram",
    "roles": "IAM roles",
    "endpoints": "VPC endpoints",
    "findings": "Findings",
}
THEMES = ("auto", "light", "dark")
THEME_TITLES = {"auto": "The reader's setting", "light": "Light", "dark": "Dark"}

PROVIDER_NAME = "Fargate networking advisor"
HOST_SCRIPT = "js/embed-host.js"
# oEmbed's size for the iframe. The host script then fits the height to the content; without
# it the iframe scrolls. A result is a pure function of its URL and the rules version, so
# consumers may cache the answer for a day.
OEMBED_WIDTH = 800
OEMBED_HEIGHT = 600
OEMBED_CACHE_AGE = 24 * 60 * 60

# --- The framing policy ---------------------------------------------------------------------


def frame_ancestors() -> list[str]:
    """Who may frame an embed page: the advisor itself (the result page's preview), then the
    sources settings read from ADVISOR_EMBED_ORIGINS (and checked there, at start-up), or
    nobody at all when those say 'none'."""
    sources = list(settings.EMBED_ALLOWED_ORIGINS)
    if not sources or NONE in sources:
        return [NONE]
    return [SELF, *(source for source in sources if source != SELF)]


def embedding_enabled() -> bool:
    return frame_ancestors() != [NONE]


View = Callable[..., HttpResponseBase]


def embeddable(view: View) -> View:
    """Let the allowed origins frame this view's pages; every other page refuses (settings)."""
    framed = xframe_options_exempt(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Read per request, not at import: the origins are settings, and tests change them.
        policy = csp_replace({"frame-ancestors": frame_ancestors()})
        return policy(framed)(request, *args, **kwargs)

    return wrapped


# --- Embed mode -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Embed:
    """What the embed templates know about the page they are in (set as `request.embed`)."""

    root: str  # the mount: links under it stay in the frame, all others open a new tab
    home: str  # the advisor's front page, outside the embed
    theme: str = "auto"
    # theme= was in the address: it wins over the theme the host script passes on.
    theme_fixed: bool = False


@contextmanager
def mounted(request: HttpRequest, theme: str = "auto", theme_fixed: bool = False) -> Iterator[None]:
    """Run the site's views and templates with their addresses under the embed's mount."""
    outer = get_script_prefix()
    root = reverse("embed-wizard")
    request.embed = Embed(  # type: ignore[attr-defined]
        root=root, home=reverse("wizard"), theme=theme, theme_fixed=theme_fixed
    )
    set_script_prefix(root)
    try:
        yield
    finally:
        set_script_prefix(outer)


@embeddable
@cacheable_result
def wizard(request: HttpRequest) -> HttpResponse:
    """`/embed/`: the wizard, every step and its result inside the embed."""
    with mounted(request):
        return views.wizard(request)


@embeddable
def wizard_summary(request: views.HtmxHttpRequest) -> HttpResponse:
    """The wizard's live verdict, for the embedded wizard (its links stay in the embed)."""
    with mounted(request):
        return views.wizard_summary(request)


def parse_options(params: QueryDict) -> tuple[list[str], str, dict[str, list[str]]]:
    """`show=` (sections, comma-separated or repeated) and `theme=`, with any errors by name."""
    errors: dict[str, list[str]] = {}
    sections = list(SECTIONS)
    if "show" in params:
        given = [
            name.strip() for value in params.getlist("show") for name in value.split(",")
        ]
        given = [name for name in given if name]
        unknown = sorted({name for name in given if name not in SECTIONS})
        if unknown:
            names = ", ".join(repr(name[:40]) for name in unknown[:5])
            errors["show"] = [f"Unknown section {names}. Sections: {', '.join(SECTIONS)}."]
        elif not given:
            errors["show"] = [f"Name at least one section: {', '.join(SECTIONS)}."]
        else:
            sections = [name for name in SECTIONS if name in given]
    themes = {value.strip() for value in params.getlist("theme") if value.strip()}
    theme = "auto"
    if len(themes) > 1:
        errors["theme"] = [f"Give one theme: {', '.join(THEMES)}."]
    elif themes:
        theme = themes.pop()
        if theme not in THEMES:
            errors["theme"] = [f"Unknown theme {theme[:40]!r}. Themes: {', '.join(THEMES)}."]
            theme = "auto"
    return sections, theme, errors


def _error_page(request: HttpRequest, errors: dict[str, list[str]], theme: str) -> HttpResponse:
    problems = [
        (FIELDS_BY_NAME[name].label if name in FIELDS_BY_NAME else name, messages)
        for name, messages in errors.items()
    ]
    context = {"problems": problems, "rules_version": RULES_VERSION}
    with mounted(request, theme, theme_fixed=_theme_given(request)):
        return render(request, "embed/error.html", context, status=400)


def _theme_given(request: HttpRequest) -> bool:
    return any(value.strip() for value in request.GET.getlist("theme"))


def embed_context(request: HttpRequest, result: Result, sections: Sequence[str]) -> dict[str, Any]:
    """The result page's context, trimmed to what the embedded sections can link to."""
    context = views.result_context(request, result)
    if "findings" not in sections:
        # Traffic rows link to their findings on the same page; here they are not on it.
        context["traffic"] = [(row, []) for row, _refs in context["traffic"]]
        if context["top_fix"]:
            context["top_fix_url"] = context["permalink"] + context["top_fix_url"]
        # The checklist links a violated requirement to its finding: on the full report.
        context["finding_base"] = context["permalink"]
    context["sections"] = sections
    context["full_report"] = context["permalink"]
    context["title_verdict"] = verdict_title(result)
    return context


@embeddable
@cacheable_result
@require_safe
def result(request: HttpRequest) -> HttpResponse:
    """`/embed/result/?<answers>&show=...&theme=...`: the result's sections, no site chrome."""
    sections, theme, errors = parse_options(request.GET)
    try:
        answers = parse_query(request.GET)
        evaluation = evaluate(answers)  # TooManyUnknowns: an AnswersError naming `unknown`
    except AnswersError as error:
        errors = {**error.errors, **errors}
    if errors:
        return _error_page(request, errors, theme)
    context = embed_context(request, evaluation, sections)
    with mounted(request, theme, theme_fixed=_theme_given(request)):
        # "Change answers" turns the embed into the embedded wizard, at these answers.
        context["change_url"] = wizard_url(STEPS[0], to_query(answers))
        return render(request, "embed/result.html", context)


# --- Snippets: the iframe, the host script, oEmbed ------------------------------------------


def verdict_title(result: Result) -> str:
    verdict = result.verdict
    counts = (
        f"{verdict.blockers} blocker{'s' if verdict.blockers != 1 else ''}, "
        f"{verdict.warnings} warning{'s' if verdict.warnings != 1 else ''}"
    )
    return f"{verdict.status.value.capitalize()} ({counts}): Fargate networking advice"


def embed_path(answers: Answers, **options: str) -> str:
    """The embed's address for these answers; options (show, theme) only when not default."""
    query = to_query(answers)
    extra = urlencode({k: v for k, v in options.items() if v}, safe=",")
    parts = [part for part in (query, extra) if part]
    return reverse("embed-result") + ("?" + "&".join(parts) if parts else "")


def host_script_url(base: str) -> str:
    """The host script's address, unversioned on purpose: portals paste it once, and a
    deploy must not break it (the hashed name changes with every edit of the file)."""
    return urljoin(base, settings.STATIC_URL + HOST_SCRIPT)


def iframe_html(src: str, title: str, width: int | str, height: int) -> str:
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
        'allow="clipboard-write"></iframe>',
        src, title, width, height,
    )


def script_html(src: str) -> str:
    return format_html('<script src="{}" async></script>', src)


def oembed_url(request: HttpRequest, result: Result) -> str:
    query = urlencode({"url": request.build_absolute_uri(result.permalink), "format": "json"})
    return request.build_absolute_uri(reverse("oembed")) + "?" + query


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"indent": 2})
    # oEmbed is public and uncredentialed: let browser-side consumers read it too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _is_our_host(request: HttpRequest, host: str) -> bool:
    """The request's own host, or one that ALLOWED_HOSTS names (its `*` names every host,
    so it does not count here: oEmbed answers for this advisor's permalinks only)."""
    if host == request.get_host().lower():
        return True
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, [h for h in settings.ALLOWED_HOSTS if h != "*"])


def permalink_answers(request: HttpRequest, url: str) -> Answers | None:
    """The answers when `url` is one of this advisor's result permalinks, else None."""
    try:
        parts = urlsplit(url.strip())
        host = parts.netloc.lower()
    except ValueError:  # a malformed IPv6 host, say
        return None
    if parts.scheme not in ("http", "https") or "@" in host or not _is_our_host(request, host):
        return None
    if parts.path != reverse("result"):
        return None
    try:
        return parse_query(parts.query)
    except AnswersError:
        return None


def _dimension(request: HttpRequest, name: str) -> tuple[int | None, str | None]:
    value = request.GET.get(name, "").strip()
    if not value:
        return None, None
    if not value.isdigit() or not 0 < int(value) <= 100_000:
        return None, f"{name} must be a whole number of pixels from 1 to 100000."
    return int(value), None


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    """`/oembed/?url=<permalink>&format=json`: oEmbed 1.0, type `rich`.

    The `html` is built only from what was validated: this request's own origin (whatever host
    the permalink named, the embed comes from the advisor that answers), the canonical query
    of the parsed answers, numbers, and the advisor's own words.
    """
    fmt = request.GET.get("format", "json").strip() or "json"
    if fmt != "json":
        return _json({"errors": {"format": ["Only the json format is offered."]}}, status=501)
    errors: dict[str, list[str]] = {}
    maxwidth, problem = _dimension(request, "maxwidth")
    if problem:
        errors["maxwidth"] = [problem]
    maxheight, problem = _dimension(request, "maxheight")
    if problem:
        errors["maxheight"] = [problem]
    url = request.GET.get("url", "")
    if not url.strip():
        errors["url"] = ["Give a result's permalink: url=<this advisor>/result/?<answers>."]
    if errors:
        return _json({"errors": errors}, status=400)
    found = permalink_answers(request, url)
    if found is None:
        return _json({"errors": {"url": [
            "Not a result permalink of this advisor: it must be "
            f"{request.build_absolute_uri(reverse('result'))}?<answers> with valid answers."
        ]}}, status=404)
    answers = found
    origin = request.build_absolute_uri("/").rstrip("/")
    try:
        result = evaluate(answers)
    except TooManyUnknowns as error:
        return _json({"errors": {"url": error.errors["unknown"]}}, status=400)
    width = min(OEMBED_WIDTH, maxwidth or OEMBED_WIDTH)
    height = min(OEMBED_HEIGHT, maxheight or OEMBED_HEIGHT)
    title = verdict_title(result)
    html = iframe_html(origin + embed_path(answers), title, width, height) + script_html(
        host_script_url(origin + "/")
    )
    return _json({
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": PROVIDER_NAME,
        "provider_url": origin + reverse("wizard"),
        "cache_age": OEMBED_CACHE_AGE,
        "html": html,
        "width": width,
        "height": height,
    })


def snippets(request: HttpRequest, result: Result) -> dict[str, str]:
    """The embed panel's texts for this result: iframe, host script tag, oEmbed URL."""
    base = request.build_absolute_uri("/")
    src = request.build_absolute_uri(embed_path(result.answers))
    return {
        "embed_src": src,
        "iframe": iframe_html(src, verdict_title(result), "100%", OEMBED_HEIGHT),
        "script": script_html(host_script_url(base)),
        "oembed": oembed_url(request, result),
        "host_script": host_script_url(base),
    }
