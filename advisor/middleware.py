"""What every response goes through in production: a request log line, the health check that
load balancers call, the security headers Django does not set itself, and compression.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.middleware.security import SecurityMiddleware
from django.utils.cache import patch_vary_headers

from advisor import plumbing

Handler = Callable[[HttpRequest], HttpResponse]

request_log = logging.getLogger("advisor.request")


class RequestLogMiddleware:
    """One JSON log line per request: method, path, status and duration in milliseconds.

    The path is logged without its query string, and request bodies are never read here. It
    is the outermost middleware, so static files, health checks and errors are logged too.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        status = response.status_code
        level = (
            logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
        )
        request_log.log(
            level,
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                }
            },
        )
        return response


class HealthCheckMiddleware:
    """Answer `/healthz` before the host check and the HTTPS redirect.

    A load balancer's health check reaches the task by its private IP address, over plain
    HTTP, with that address as its Host header: ALLOWED_HOSTS would refuse it (400) and
    SECURE_SSL_REDIRECT would redirect it (301), and the target would never turn healthy.
    The answer is the `healthz` view's own, which says nothing about the request.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            return plumbing.healthz(request)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The security headers on every answer, including those given before the middleware that
    sets them runs: `/healthz` (HealthCheckMiddleware) and static files (WhiteNoise).

    Placed just inside the request log, it adds what is missing and changes nothing a page's
    own middleware or view chose: Django's SecurityMiddleware headers (nosniff,
    Referrer-Policy, Cross-Origin-Opener-Policy, HSTS on HTTPS); `Permissions-Policy` from
    settings.PERMISSIONS_POLICY, which Django does not know; and, on an answer without a CSP
    (no page middleware saw it), a CSP that allows nothing and X-Frame-Options, so that a
    static SVG opened on its own runs no script and nothing is framed. An embed page has its
    CSP, so it keeps its framing, also when replayed from the response cache.
    """

    FALLBACK_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.security = SecurityMiddleware(get_response)
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        self.security.process_response(request, response)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.FALLBACK_CSP
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


class MethodNotAllowedMiddleware:
    """Says in words what an empty 405 from `require_safe` only says in its Allow header."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            allowed = response.get("Allow", "GET, HEAD")
            response.content = (
                f"Method {request.method} is not allowed here. Allowed methods: {allowed}.\n"
            )
            response["Content-Type"] = "text/plain; charset=utf-8"
        return response


# Brotli at quality 4 makes a median cold result page (108 KB of HTML) 16.3 KB in 1.0 ms; gzip
# at Django's level 6 made it 16.8 KB in 1.6 ms, a sixth of the page's server time (README,
# "Performance"). Browsers ask for br over HTTPS, which the load balancer ends. A 256 KB
# window holds a median page twice over (the same bytes as the default 4 MB one; a larger page
# still compresses, its matches reaching back 256 KB): with the default, a worker kept 6-7 MiB
# more after the soak test's 3,200 requests, the encoder's larger buffers left in the heap.
BROTLI_QUALITY = 4
BROTLI_WINDOW = 18  # log2 of the window's bytes


def content_coding(request: HttpRequest) -> str:
    """How a compressible answer to this request is sent: "br", "gzip" or "" (as is).
    Brotli where Accept-Encoding names it with a weight above zero, else gzip as Django's
    GZipMiddleware decides it."""
    for item in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = item.partition(";")
        if coding.strip().lower() == "br":
            weight = params.strip().lower().removeprefix("q=")
            try:
                if not params.strip() or float(weight) > 0:
                    return "br"
            except ValueError:
                pass
    return "gzip" if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")) else ""


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, with brotli first where the client takes it. The same rules:
    nothing under 200 bytes, nothing already encoded, nothing that would grow; `Vary:
    Accept-Encoding`; a strong ETag weakened, since the bytes are no longer the entity's.
    The pages hold no secrets or cookies, so compression cannot leak one (BREACH)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase
                         ) -> HttpResponseBase:
        if (content_coding(request) != "br" or response.streaming
                or not isinstance(response, HttpResponse) or len(response.content) < 200
                or response.has_header("Content-Encoding")):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(response.content, quality=BROTLI_QUALITY,
                                     lgwin=BROTLI_WINDOW)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response
