"""A per-process cache of finished responses, for URLs whose answer is a pure function of the URL.

Rendering a result page and compressing it costs a worker far more than evaluating the rules
(see README, "Performance"), and docs portals show the same permalinks to many readers. This
middleware keeps the bytes a response was sent with, already compressed, and replays them.

It stores only what `advisor.caching.cacheable_result` marked shareable: a `200` to a GET with
an `ETag` and `Cache-Control: public`, and no cookie. The key is the host, the full path with
its query string, and the request headers such a response varies on (`Accept-Encoding`, the
htmx headers). Conditional requests pass through: `cacheable_result` answers them with a 304
without rendering anything. Entries live for the response's `max-age` and the cache holds at
most `ADVISOR_RESPONSE_CACHE_MB` per process, least recently used first out; 0 turns it off.
A deploy starts new processes, so a cached page never outlives the release that rendered it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_max_age

from advisor.caching import HTMX_HEADERS

Handler = Callable[[HttpRequest], HttpResponse]


@dataclass(frozen=True, slots=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    expires: float

    @property
    def size(self) -> int:
        return len(self.content) + sum(len(k) + len(v) for k, v in self.headers) + 200


class ResponseCacheMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.limit = settings.RESPONSE_CACHE_BYTES
        self.entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.limit or request.method not in ("GET", "HEAD") or _conditional(request):
            return self.get_response(request)
        key = _key(request)
        entry = self._get(key)
        if entry is not None:
            return _replay(entry, head=request.method == "HEAD")
        response = self.get_response(request)
        if request.method == "GET" and _storable(response):
            self._put(key, response)
        return response

    def _get(self, key: tuple[str, ...]) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry.expires <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def _put(self, key: tuple[str, ...], response: HttpResponse) -> None:
        entry = Entry(
            response.status_code,
            tuple(response.items()),
            response.content,
            time.monotonic() + (get_max_age(response) or 0),
        )
        if entry.size > self.limit // 4:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = entry
            self.size += entry.size
            while self.size > self.limit:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: tuple[str, ...]) -> None:
        self.size -= self.entries.pop(key).size


def _conditional(request: HttpRequest) -> bool:
    return any(h in request.headers for h in ("If-None-Match", "If-Modified-Since", "If-Match"))


def _key(request: HttpRequest) -> tuple[str, ...]:
    encoding = request.headers.get("Accept-Encoding", "")
    return (
        request.get_host(),
        request.get_full_path(),
        "gzip" if "gzip" in encoding else "",
        *(request.headers.get(name, "") for name in HTMX_HEADERS),
    )


def _storable(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and response.has_header("ETag")
        and "public" in cache_control
        and not response.cookies
        and (get_max_age(response) or 0) > 0
    )


def _replay(entry: Entry, head: bool) -> HttpResponse:
    response = HttpResponse(b"" if head else entry.content, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    return response
