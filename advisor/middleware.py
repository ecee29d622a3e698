"""What every response goes through in production: a request log line, the health check that
load balancers call, and the security headers Django does not set itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from advisor import views

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
            return views.healthz(request)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` from settings.PERMISSIONS_POLICY: no camera, no geolocation, ...

    Django's SecurityMiddleware sets the other security headers; this one it does not know.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
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
