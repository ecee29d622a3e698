"""The per-process response cache replays results, and only results."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from advisor import response_cache

RESULT = "/result/?subnet=public&public_ip=true"


@pytest.fixture
def cached_client(settings) -> Client:
    settings.RESPONSE_CACHE_BYTES = 4 * 1024 * 1024
    return Client()


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


def test_conditional_requests_pass_through_to_get_their_304(cached_client, renders) -> None:
    etag = cached_client.get(RESULT)["ETag"]
    response = cached_client.get(RESULT, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(renders) == 2


def test_posts_to_the_api_are_never_replayed(cached_client, renders) -> None:
    for _ in range(2):
        cached_client.post("/api/v1/evaluate", {"subnet": "public"},
                           content_type="application/json")
    assert len(renders) == 2


def test_the_cache_stays_within_its_bound(settings) -> None:
    settings.RESPONSE_CACHE_BYTES = 64 * 1024

    def view(request):
        response = HttpResponse(b"x" * 5000)
        response["ETag"] = '"e"'
        response["Cache-Control"] = "public, max-age=60"
        return response

    middleware = response_cache.ResponseCacheMiddleware(view)
    factory = RequestFactory()
    for count in range(40):
        middleware(factory.get(f"/result/?subnet_count={count + 1}"))
    assert 0 < middleware.size <= settings.RESPONSE_CACHE_BYTES
    assert 0 < len(middleware.entries) < 40
    assert ("testserver", "/result/?subnet_count=40", "", "", "") in middleware.entries
    assert ("testserver", "/result/?subnet_count=1", "", "", "") not in middleware.entries
