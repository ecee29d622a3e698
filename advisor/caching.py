"""HTTP caching for views whose answer is a pure function of the request's URL.

A result depends on nothing but its answers (the query string), the rules version and the
release of the advisor that renders it, so a browser, a CDN or a shared proxy may keep it and
revalidate it with its ETag. `cacheable_result` adds what they need:

- a strong `ETag` from the rules version, the canonical answers, and everything else that
  changes the bytes: the release (code, templates, static file names, installed packages),
  the exact URL (a wizard's `step`, an embed's options) and the htmx headers;
- `304 Not Modified` for a conditional request that already holds those bytes, without
  evaluating or rendering anything; other preconditions are Django's own
  (`get_conditional_response`, what `@condition` uses), once the view has answered;
- `Cache-Control: public, max-age=settings.CACHE_MAX_AGE`;
- `Vary: HX-Request, HX-History-Restore-Request`, so an htmx partial and a full page at the
  same URL never stand in for one another in a shared cache, and their ETags differ too.

Only a `200` (or the `304` that stands for it) is marked cacheable. Answers that do not parse
get no ETag at all: the view produces its designed `400`, which no cache keeps.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Callable
from functools import cache, wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import parse_etags

from advisor.rules import RULES_VERSION, AnswersError, parse_query, to_query

View = Callable[..., HttpResponse]

# htmx sends HX-Request on its requests, and HX-History-Restore-Request as well when it
# reloads a page missing from its history cache: that one wants the full page again.
HTMX_HEADERS = ("HX-Request", "HX-History-Restore-Request")
# CompressionMiddleware adds it to the 200s it sees; a 304 must carry the same Vary.
VARY = ("Accept-Encoding", *HTMX_HEADERS)


@cache
def release() -> str:
    """A digest of what renders a response, besides the request: one value per process.

    A deploy that changes a template, the code, a static file (its hashed name is in the
    page) or a dependency changes it, even when RULES_VERSION stays the same.
    """
    digest = hashlib.sha256()
    base = settings.BASE_DIR
    sources = [
        *sorted((base / "advisor").rglob("*.py")),
        *sorted((base / "templates").rglob("*")),
        settings.STATIC_ROOT / "staticfiles.json",
    ]
    for path in sources:
        if path.is_file():
            # STATIC_ROOT may live anywhere (the image puts it outside the code): name each
            # file by its place in the project where it has one, so the digest is portable.
            name = path.relative_to(base) if path.is_relative_to(base) else path.name
            digest.update(str(name).encode() + b"\0" + path.read_bytes())
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()


def result_etag(request: HttpRequest) -> str | None:
    """The response's ETag, or None when no cacheable response is coming."""
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        answers = to_query(parse_query(request.GET))
    except AnswersError:
        return None  # the view answers 400: nothing to validate, nothing to cache
    parts = [
        release(),
        RULES_VERSION,
        answers,
        request.build_absolute_uri(),  # scheme, host (in permalinks), path and exact query
        *(request.headers.get(header, "") for header in HTMX_HEADERS),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f'"{RULES_VERSION}-{digest}"'


def _revalidates(request: HttpRequest, etag: str) -> str | None:
    """The form of `etag` the client already holds (strong or weak), if it says so.

    That ETag names this exact URL, host, htmx mode, rules version and release, so the client
    got it from a 200 of this URL, which would be the same bytes again. Only a plain
    If-None-Match naming it counts: `*` or an If-Match needs the view's own answer first.
    """
    if "If-Match" in request.headers or "If-Unmodified-Since" in request.headers:
        return None
    held = parse_etags(request.headers.get("If-None-Match", ""))
    return next((tag for tag in held if tag.removeprefix("W/") == etag), None)


def _mark_cacheable(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.CACHE_MAX_AGE)
    patch_vary_headers(response, VARY)
    return response


def cacheable_result(view: View) -> View:
    """Make a pure GET view cacheable by URL, with a strong ETag and 304s (see module doc)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        etag = result_etag(request)
        if etag is None:
            return view(request, *args, **kwargs)
        if held := _revalidates(request, etag):
            # Nothing to evaluate or render. The 304 names the ETag as the client holds it:
            # CompressionMiddleware weakens a compressed 200's (W/"..."), as it must.
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = held
            return _mark_cacheable(not_modified)
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response  # a redirect to the canonical URL, or a 400: not the result
        response.headers.setdefault("ETag", etag)
        _mark_cacheable(response)
        # Any other precondition (If-None-Match: *, If-Match), now that the result exists.
        return get_conditional_response(request, etag=etag, response=response) or response

    return wrapped
