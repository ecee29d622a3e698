"""Finished responses kept in Django's cache, for URLs whose answer is a pure function of the URL.

Rendering a result page and compressing it costs a worker far more than evaluating the rules
(see README, "Performance"), and docs portals show the same permalinks to many readers. This
middleware keeps the bytes a response was sent with, already compressed, in the cache named by
`settings.RESPONSE_CACHE` (None turns it off), and replays them:

- embedded (the default), each worker's local memory: `BoundedLocMemCache`, at most
  `ADVISOR_RESPONSE_CACHE_MB` of it, least recently used out first;
- with `ADVISOR_CACHE_URL`, a Redis server that every replica shares (Django's own
  `RedisCache`), bounded by Redis's `maxmemory` and its eviction policy.

It stores only what `advisor.caching.cacheable_result` marked shareable: a `200` to a GET with
an `ETag` and `Cache-Control: public`, and no cookie, for its `max-age`. The key is the
release, the scheme, the host, the full path with its query string, and the request headers
such a response varies on (`Accept-Encoding`, the htmx headers): replicas of two releases
sharing one Redis during a deploy never serve each other's pages. A conditional request is
answered from the entry too (Django's `get_conditional_response`, as the view would): a `304`
when the client holds the entry's ETag, the cached `200` when it holds a stale one.

A cache that cannot be reached (Redis down or slow) is skipped: the page is rendered instead,
and a warning is logged at most once a minute.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, get_max_age

from advisor.caching import HTMX_HEADERS, release
from advisor.middleware import content_coding

Handler = Callable[[HttpRequest], HttpResponse]
Entry = tuple[int, list[tuple[str, str]], bytes]  # status, headers, body: pickles anywhere

log = logging.getLogger("advisor.cache")
WARN_EVERY = 60.0  # seconds between two warnings about an unreachable cache


class ResponseCacheMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.alias: str | None = settings.RESPONSE_CACHE
        self.warned = float("-inf")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        alias = self.alias
        if alias is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        key = _key(request)
        entry = self._get(alias, key)
        if entry is not None:
            return _replay(request, entry)
        response = self.get_response(request)
        if request.method == "GET" and _storable(response):
            entry = (response.status_code, list(response.items()), response.content)
            self._set(alias, key, entry, get_max_age(response) or 0)
        return response

    def _get(self, alias: str, key: str) -> Entry | None:
        try:
            entry: Entry | None = caches[alias].get(key)
            return entry
        except Exception as error:  # whatever the backend raises: render the page instead
            self._unreachable(error)
            return None

    def _set(self, alias: str, key: str, entry: Entry, timeout: int) -> None:
        try:
            caches[alias].set(key, entry, timeout)
        except Exception as error:
            self._unreachable(error)

    def _unreachable(self, error: Exception) -> None:
        now = time.monotonic()
        if now - self.warned >= WARN_EVERY:
            self.warned = now
            log.warning("The response cache is unreachable, rendering instead: %s",
                        type(error).__name__)


def _key(request: HttpRequest) -> str:
    parts = [
        release(),
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        content_coding(request),
        *(request.headers.get(name, "") for name in HTMX_HEADERS),
    ]
    return "response:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.has_header("ETag")
        and "public" in response.get("Cache-Control", "")
        and not response.cookies
        and (get_max_age(response) or 0) > 0
    )


def _replay(request: HttpRequest, entry: Entry) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
    for name, value in headers:
        response[name] = value
    # With a response given, Django returns it or a 304/412, never None.
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


# --- The embedded backend ---------------------------------------------------------------------

_sizes: dict[str, dict[str, int]] = {}  # per cache name, like LocMemCache's own globals
_used: dict[str, list[int]] = {}


class BoundedLocMemCache(LocMemCache):
    """Django's local-memory cache, bounded in bytes (`OPTIONS["MAX_BYTES"]`), not entries.

    LocMemCache keeps pickled values and counts them (MAX_ENTRIES); the responses it holds
    range from 2 to 90 KB, so a count bounds nothing. This one counts each entry's pickled
    bytes, its key and a fixed overhead for the dictionaries' slots, and drops the least
    recently used entries until a new one fits. An entry over a quarter of the bound is not
    kept. (incr() and touch(), which the advisor does not use, keep their own accounting.)
    """

    ENTRY_OVERHEAD = 400  # bytes: key string, two dict slots, the expiry float, bytes header

    # LocMemCache's own state, which django-stubs leaves out: this class keeps its accounting.
    _cache: OrderedDict[str, Any]
    _expire_info: dict[str, float | None]
    _lock: Lock

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        options = params.get("OPTIONS", {})
        self._max_bytes = int(options.get("MAX_BYTES", 32 * 1024 * 1024))
        if "MAX_ENTRIES" not in options:
            self._max_entries = sys.maxsize
        self._sizes = _sizes.setdefault(name, {})
        self._used = _used.setdefault(name, [0])

    @property
    def used_bytes(self) -> int:
        return self._used[0]

    def _set(self, key: str, value: Any, timeout: Any = None) -> None:
        size = len(key) + len(value) + self.ENTRY_OVERHEAD
        self._delete(key)
        if size > self._max_bytes // 4:
            return
        while self._cache and self._used[0] + size > self._max_bytes:
            self._delete(next(reversed(self._cache)))  # the least recently used is last
        super()._set(key, value, timeout)  # type: ignore[misc]  # private, not in the stubs
        self._sizes[key] = size
        self._used[0] += size

    def _cull(self) -> None:
        for _ in range(max(1, len(self._cache) // max(1, self._cull_frequency))):
            if not self._cache:
                break
            self._delete(next(reversed(self._cache)))

    def _delete(self, key: str) -> bool:
        deleted: bool = super()._delete(key)  # type: ignore[misc]  # private, not in the stubs
        if deleted:
            self._used[0] -= self._sizes.pop(key, 0)
        return deleted

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._used[0] = 0
