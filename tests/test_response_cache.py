"""The response cache replays results, and only results, from Django's cache: each worker's
bounded local memory by default, or a Redis server that every replica shares."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from advisor import response_cache
from advisor.response_cache import BoundedLocMemCache

REPO = Path(__file__).resolve().parent.parent
RESULT = "/result/?subnet=public&public_ip=true"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def cached_client(settings) -> Iterator[Client]:
    settings.RESPONSE_CACHE = "default"
    caches["default"].clear()
    yield Client()
    caches["default"].clear()


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Every request that reached the middleware below the cache."""
    seen: list[str] = []
    original = response_cache.ResponseCacheMiddleware.__call__

    def spy(self, request):
        inner = self.get_response

        def counting(req):
            seen.append(req.get_full_path())
            return inner(req)

        self.get_response = counting
        try:
            return original(self, request)
        finally:
            self.get_response = inner

    monkeypatch.setattr(response_cache.ResponseCacheMiddleware, "__call__", spy)
    return seen


def test_the_embedded_default_is_djangos_local_memory_cache_bounded_in_bytes() -> None:
    cache = caches["default"]
    assert isinstance(cache, BoundedLocMemCache) and isinstance(cache, LocMemCache)
    assert cache._max_bytes == 32 * 1024 * 1024


def test_a_repeated_result_is_replayed_byte_for_byte(cached_client, renders) -> None:
    first = cached_client.get(RESULT, HTTP_ACCEPT_ENCODING="gzip")
    second = cached_client.get(RESULT, HTTP_ACCEPT_ENCODING="gzip")
    assert renders == [RESULT]
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["Content-Encoding"] == "gzip"
    assert second["ETag"] == first["ETag"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_compressed_and_plain_and_htmx_answers_are_kept_apart(cached_client, renders) -> None:
    gz = cached_client.get(RESULT, HTTP_ACCEPT_ENCODING="gzip")
    plain = cached_client.get(RESULT)
    partial = cached_client.get("/?step=network", HTTP_HX_REQUEST="true")
    full = cached_client.get("/?step=network")
    assert len(renders) == 4
    assert gz.get("Content-Encoding") == "gzip" and not plain.has_header("Content-Encoding")
    assert b"<html" not in partial.content and b"<html" in full.content


def test_each_content_coding_is_its_own_entry(cached_client, renders) -> None:
    """The key holds the coding the answer was sent in, not the header's text: two browsers
    that both take brotli share an entry, and a client that refuses it (q=0) never gets it."""
    chrome = cached_client.get(RESULT, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    firefox = cached_client.get(RESULT, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    no_br = cached_client.get(RESULT, HTTP_ACCEPT_ENCODING="br;q=0, gzip")
    assert renders == [RESULT, RESULT]
    assert chrome["Content-Encoding"] == firefox["Content-Encoding"] == "br"
    assert firefox.content == chrome.content
    assert no_br["Content-Encoding"] == "gzip"


def test_other_answers_are_other_entries(cached_client, renders) -> None:
    cached_client.get(RESULT)
    other = cached_client.get("/result/?subnet=public")
    assert len(renders) == 2
    assert b"Blocked" in other.content


@pytest.mark.parametrize(
    "path",
    ["/result/?os=solaris", "/summary/?subnet=public", "/result/?subnet=PUBLIC"],
)
def test_errors_redirects_and_uncacheable_views_are_not_kept(
    cached_client, renders, path: str
) -> None:
    statuses = {cached_client.get(path).status_code for _ in range(2)}
    assert statuses <= {200, 301, 302, 400}
    assert len([p for p in renders if p == path]) == 2


def test_a_client_holding_the_etag_gets_a_304_from_the_cache(cached_client, renders) -> None:
    etag = cached_client.get(RESULT)["ETag"]
    response = cached_client.get(RESULT, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert "max-age" in response["Cache-Control"]
    assert renders == [RESULT]


def test_a_stale_etag_after_a_deploy_is_answered_from_the_cache(cached_client, renders) -> None:
    first = cached_client.get(RESULT, HTTP_ACCEPT_ENCODING="gzip")
    stale = cached_client.get(RESULT, HTTP_ACCEPT_ENCODING="gzip",
                              HTTP_IF_NONE_MATCH='W/"2020.01.01-0123456789abcdef"')
    assert stale.status_code == 200
    assert stale.content == first.content
    assert renders == [RESULT]


def test_head_is_answered_from_the_cache_without_a_body(cached_client, renders) -> None:
    cached_client.get(RESULT)
    head = cached_client.head(RESULT)
    assert head.status_code == 200
    assert head.content == b""
    assert renders == [RESULT]


def test_posts_to_the_api_are_never_replayed(cached_client, renders) -> None:
    for _ in range(2):
        cached_client.post("/api/v1/evaluate", {"subnet": "public"},
                           content_type="application/json")
    assert len(renders) == 2


def test_an_unreachable_cache_is_skipped_with_one_warning(settings, caplog) -> None:
    settings.RESPONSE_CACHE = "default"
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
    client = Client()
    with caplog.at_level(logging.WARNING, logger="advisor.cache"):
        statuses = [client.get(RESULT).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    warnings = [r for r in caplog.records if r.name == "advisor.cache"]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()


# --- The embedded backend: bounded in bytes ---------------------------------------------------


def bounded(name: str, max_bytes: int) -> BoundedLocMemCache:
    cache = BoundedLocMemCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes}})
    cache.clear()
    return cache


def test_the_local_cache_stays_within_its_bytes_and_drops_the_least_recently_used() -> None:
    cache = bounded("test-bound", 64 * 1024)
    for count in range(40):
        cache.set(f"entry-{count}", b"x" * 5000, 60)
        if count >= 2:
            cache.get("entry-0")  # read often: stays
    assert 0 < cache.used_bytes <= 64 * 1024
    assert cache.get("entry-39") is not None
    assert cache.get("entry-0") is not None
    assert cache.get("entry-1") is None
    assert len(cache._cache) < 40


def test_an_entry_over_a_quarter_of_the_bound_is_not_kept() -> None:
    cache = bounded("test-large", 64 * 1024)
    cache.set("small", b"x" * 1000, 60)
    cache.set("large", b"x" * 20_000, 60)
    assert cache.get("large") is None
    assert cache.get("small") is not None


def test_replacing_and_deleting_entries_keeps_the_count_exact() -> None:
    cache = bounded("test-exact", 1024 * 1024)
    cache.set("a", b"x" * 1000, 60)
    once = cache.used_bytes
    cache.set("a", b"x" * 1000, 60)
    assert cache.used_bytes == once
    cache.delete("a")
    assert cache.used_bytes == 0
    cache.set("b", b"x", 60)
    cache.clear()
    assert cache.used_bytes == 0


# Filling a 16 MiB cache with three times as much, in a fresh process: the resident memory it
# adds stays near the bound (not 1.8 times it, as the hand-written cache's did).
FILL = textwrap.dedent("""
    import os, random, sys
    sys.path.insert(0, os.getcwd())
    import django
    from django.conf import settings
    settings.configure(CACHES={"default": {
        "BACKEND": "advisor.response_cache.BoundedLocMemCache",
        "OPTIONS": {"MAX_BYTES": 16 * 1024 * 1024}}})
    django.setup()
    from django.core.cache import cache

    def rss():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024

    rng = random.Random(15)
    before = rss()
    for count in range(1500):
        # a cached response: status, headers, 2 to 60 KB of compressed bytes
        body = rng.randbytes(rng.randint(2_000, 60_000))
        cache.set(f"response:{count}", (200, [("ETag", f'"{count}"')] * 12, body), 3600)
        if count % 7 == 0:
            cache.get(f"response:{count // 2}")
    print(rss() - before, cache.used_bytes)
""")


def test_the_local_cache_adds_about_its_bound_in_resident_memory() -> None:
    filled = subprocess.run([sys.executable, "-c", FILL], cwd=REPO, capture_output=True,
                            text=True, timeout=120, check=True)
    growth, used = map(int, filled.stdout.split())
    bound = 16 * 1024 * 1024
    print(f"RSS growth {growth / 2**20:.1f} MiB for {used / 2**20:.1f} MiB cached")
    assert used <= bound
    assert growth <= bound * 1.25 + 4 * 2**20, growth


# --- Redis: replicas share finished pages -----------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers_ping(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(1)
            sock.connect(str(path))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server of its own (Debian's package; `make redis` installs it), on a Unix
    socket in a temporary directory: no port another process could hold."""
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip("Debian's redis-server is not installed (make redis)")
    directory = tmp_path_factory.mktemp("redis")
    path = directory / "redis.sock"
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", "0", "--unixsocket", str(path), "--save", "",
         "--appendonly", "no", "--dir", str(directory), "--maxmemory", "64mb",
         "--maxmemory-policy", "allkeys-lru"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not answers_ping(path):
            try:  # the pause between attempts, which also notices a server that gave up
                process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                if time.monotonic() < deadline:
                    continue
            pytest.fail("redis-server did not start")
        yield f"unix://{path}?db=0"
    finally:
        process.terminate()
        process.wait(timeout=10)


# One app process: the tests' settings with ADVISOR_CACHE_URL, the response cache on; it asks
# for one page and says what it got and how many templates it rendered to get it.
APP = textwrap.dedent("""
    import hashlib, json, os, sys
    sys.path.insert(0, os.getcwd())
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.signals import template_rendered
    from django.test.utils import setup_test_environment

    settings.RESPONSE_CACHE = "default"  # the tests' settings turn it off
    setup_test_environment()
    rendered = []
    template_rendered.connect(lambda **kwargs: rendered.append(kwargs["template"].name),
                             weak=False)
    response = Client().get(sys.argv[1], HTTP_ACCEPT_ENCODING="gzip")
    print(json.dumps({
        "backend": settings.CACHES["default"]["BACKEND"], "status": response.status_code,
        "etag": response["ETag"], "body": hashlib.sha256(response.content).hexdigest(),
        "rendered": len(rendered),
    }))
""")


def app_process(redis_url: str, path: str) -> dict[str, object]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "ADVISOR_"))}
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", ADVISOR_CACHE_URL=redis_url,
               DJANGO_LOG_LEVEL="ERROR")
    done = subprocess.run([sys.executable, "-c", APP, path], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_two_app_processes_share_finished_pages_through_redis(redis_url: str) -> None:
    import redis

    path = "/result/?nat_gateway=true&ecs_exec=true"
    first = app_process(redis_url, path)
    second = app_process(redis_url, path)
    assert first["backend"] == "django.core.cache.backends.redis.RedisCache"
    assert first["status"] == second["status"] == 200
    assert first["rendered"] > 0
    assert second["rendered"] == 0, "the second process replayed the first one's page"
    assert (second["etag"], second["body"]) == (first["etag"], first["body"])

    server = redis.Redis.from_url(redis_url)
    keys = server.keys("advisor:*")
    assert len(keys) == 1
    assert 0 < server.ttl(keys[0]) <= 3600  # the page's max-age
