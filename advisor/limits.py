"""How big a query string the advisor reads: refused early, with a message that names the limit.

Every answer fits in a short query string: the longest possible set of answers, sent by the
wizard's form with every checkbox ticked, is about 600 bytes in about 40 parameters. Anything
far beyond that is not answers. Without this check an oversized query string would reach
Django's `TooManyFieldsSent` (a bare "Bad Request (400)" page that says nothing) or be echoed
into every link of an error page, and a long enough one would be refused by the server in
front (gunicorn's request line limit) with its own words. So the check comes first, below
those limits, and says what is wrong: 400 when the query string has too many fields, 414 when
it is too long. The API and oEmbed answer in the API's JSON error shape; pages get a small
HTML page that quotes nothing from the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

Handler = Callable[[HttpRequest], HttpResponse]

# Well above any real set of answers (every one of the 57 fields at its longest is about 1.4
# KB; a wizard link with its navigation about 2.3 KB), with room for tracking parameters a
# link picks up, and below the request-line limit gunicorn.conf.py sets (8190 bytes).
MAX_QUERY_BYTES = 6144
# Every field, a checkbox per list item, `step` and navigation, and tracking parameters.
MAX_QUERY_FIELDS = 200

# Addresses that answer JSON: their errors are JSON too.
JSON_PREFIXES = ("/api/", "/oembed/")

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<h1>{title}</h1>
<p>{message}</p>
<p><a href="/">Start the advisor again</a></p>
</body>
</html>
"""


def query_problem(query_string: str) -> tuple[int, str, str] | None:
    """(status, title, message) when the query string is over a limit, else None."""
    fields = query_string.count("&") + 1
    if fields > MAX_QUERY_FIELDS:
        return (
            400,
            "The address has too many fields",
            f"The query string has too many fields: {fields}; the limit is "
            f"{MAX_QUERY_FIELDS}. A full set of answers needs fewer than 100.",
        )
    size = len(query_string.encode("latin-1", "replace"))
    if size > MAX_QUERY_BYTES:
        return (
            414,
            "The address is too long",
            f"The query string is too long: {size} bytes; the limit is {MAX_QUERY_BYTES} "
            "bytes. A full set of answers needs well under 3 KiB.",
        )
    return None


class QueryStringLimitMiddleware:
    """Refuse an oversized query string before any view parses it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = query_problem(request.META.get("QUERY_STRING", ""))
        if problem is None:
            return self.get_response(request)
        status, title, message = problem
        if request.path_info.startswith(JSON_PREFIXES):
            return JsonResponse(
                {"errors": {"__all__": [message]}}, status=status,
                json_dumps_params={"indent": 2},
            )
        # The message holds only numbers and fixed words: nothing to escape.
        return HttpResponse(PAGE.format(title=title, message=message), status=status)
