"""The JSON API (spec section 2). Being written: see issue 2."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse


def _not_yet(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"errors": {"__all__": ["Not implemented yet."]}}, status=501)


evaluate_view = questions_view = openapi_view = _not_yet
