"""HTTP plumbing that answers before or beside the pages: the load balancer's health check and
the browser's favicon. The middleware answers `/healthz` from here, so it needs no page views.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """`/favicon.ico`, which browsers ask for where no page names an icon (the API's JSON):
    the static file, through WhiteNoise. Not permanent: the hashed name changes with the file."""
    response = redirect(static("img/favicon.ico"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


