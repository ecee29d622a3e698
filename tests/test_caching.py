"""HTTP caching: strong ETags, 304s, Cache-Control and Vary, on a small view shaped like the
result page (canonical redirect, 400 on bad answers, full page or htmx partial), served
through the whole middleware stack by a test-only URLconf.
"""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import Client
from django.urls import path

from advisor import caching
from advisor.caching import cacheable_result
from advisor.rules import RULES_VERSION, AnswersError, evaluate, parse_query, permalink

pytestmark = pytest.mark.urls("tests.test_caching")

rendered: list[str] = []  # the queries the view actually rendered


@cacheable_result
def result_like(request: HttpRequest) -> HttpResponse:
    try:
        answers = parse_query(request.GET)
    except AnswersError as error:
        return HttpResponse(f"bad answers: {sorted(error.errors)}", status=400)
    canonical = permalink(answers).replace("/result/", "/cached/", 1)
    if request.get_full_path() != canonical:
        return redirect(canonical)
    rendered.append(request.GET.urlencode())
    verdict = evaluate(answers).verdict
    body = f"<p>{verdict.status.value}: {verdict.summary}</p>"
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(body)
    return HttpResponse(f"<!doctype html><title>Result</title><main>{body * 20}</main>")


urlpatterns = [path("cached/", result_like)]

PRIVATE = "/cached/?nat_gateway=true"
PUBLIC = "/cached/?subnet=public&public_ip=true"
HTMX = {"HX-Request": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture(autouse=True)
def _clear_rendered() -> None:
    rendered.clear()


def vary(response: HttpResponse) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


def test_a_result_has_a_strong_etag_from_the_rules_version_and_is_public(client: Client) -> None:
    response = client.get(PRIVATE)
    assert response.status_code == 200
    assert response["ETag"].startswith(f'"{RULES_VERSION}-')
    assert response["Cache-Control"] == "public, max-age=3600"
    assert {"hx-request", "hx-history-restore-request"} <= vary(response)


def test_the_same_url_gets_the_same_etag_and_other_answers_another(client: Client) -> None:
    first, again, other = client.get(PRIVATE), client.get(PRIVATE), client.get(PUBLIC)
    assert first["ETag"] == again["ETag"]
    assert first["ETag"] != other["ETag"]


def test_a_conditional_request_gets_304_without_rendering(client: Client) -> None:
    etag = client.get(PRIVATE)["ETag"]
    rendered.clear()
    response = client.get(PRIVATE, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert rendered == []
    # A 304 carries what the 200 would have, so caches refresh the entry they hold.
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=3600"
    assert {"hx-request", "accept-encoding"} <= vary(response)


def test_a_stale_etag_gets_the_full_result(client: Client) -> None:
    response = client.get(PRIVATE, headers={"If-None-Match": f'"{RULES_VERSION}-old"'})
    assert response.status_code == 200
    assert rendered == ["nat_gateway=true"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param({}, HTMX, id="full-page-then-partial"),
        pytest.param(HTMX, {}, id="partial-then-full-page"),
        pytest.param(HTMX, HISTORY_RESTORE, id="partial-then-history-restore"),
    ],
)
def test_htmx_partials_and_full_pages_never_validate_each_other(
    client: Client, first: dict[str, str], second: dict[str, str]
) -> None:
    held = client.get(PRIVATE, headers=first)
    response = client.get(PRIVATE, headers={**second, "If-None-Match": held["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != held["ETag"]
    assert response.content != held.content
    assert {"hx-request", "hx-history-restore-request"} <= vary(response)


def test_a_new_rules_version_changes_every_etag(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = client.get(PRIVATE)["ETag"]
    monkeypatch.setattr(caching, "RULES_VERSION", "2099.01.01")
    response = client.get(PRIVATE, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response["ETag"].startswith('"2099.01.01-')


def test_a_new_release_changes_every_etag(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = client.get(PRIVATE)["ETag"]
    monkeypatch.setattr(caching, "release", lambda: "a template changed")
    assert client.get(PRIVATE)["ETag"] != before


def test_the_release_digest_follows_the_templates(settings, tmp_path) -> None:
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    digests = []
    for text in ("<p>one</p>", "<p>two</p>", "<p>one</p>"):
        page.write_text(text)
        caching.release.cache_clear()
        digests.append(caching.release())
    caching.release.cache_clear()
    assert digests[0] != digests[1]
    assert digests[0] == digests[2]


def test_the_host_is_part_of_the_etag_because_permalinks_are_absolute(client: Client) -> None:
    here = client.get(PRIVATE, headers={"Host": "localhost"})
    there = client.get(PRIVATE, headers={"Host": "127.0.0.1"})
    assert here["ETag"] != there["ETag"]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("subnet=moon", id="unknown-value"),
        pytest.param("public_ip=maybe", id="malformed-boolean"),
        pytest.param("os=windows&platform_version=1.4.0", id="version-not-for-the-os"),
    ],
)
def test_bad_answers_get_the_views_400_with_no_etag_even_when_conditional(
    client: Client, query: str
) -> None:
    for headers in ({}, {"If-None-Match": "*"}, {"If-Match": '"anything"'}):
        response = client.get(f"/cached/?{query}", headers=headers)
        assert response.status_code == 400
        assert "ETag" not in response
        assert "public" not in response.get("Cache-Control", "")


def test_a_redirect_to_the_canonical_url_is_not_tagged_or_cached(client: Client) -> None:
    response = client.get("/cached/?nat_gateway=true&subnet=private")
    assert response.status_code == 302
    assert response["Location"] == PRIVATE
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_failed_if_match_gets_412_not_a_cacheable_response(client: Client) -> None:
    response = client.get(PRIVATE, headers={"If-Match": '"something-else"'})
    assert response.status_code == 412
    assert "public" not in response.get("Cache-Control", "")
    assert rendered == []


def test_head_gets_the_same_etag_as_get(client: Client) -> None:
    assert client.head(PRIVATE)["ETag"] == client.get(PRIVATE)["ETag"]


def test_a_gzipped_result_has_a_weak_etag_that_still_gets_304(client: Client) -> None:
    gzip = {"Accept-Encoding": "gzip"}
    compressed = client.get(PRIVATE, headers=gzip)
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["ETag"] == "W/" + client.get(PRIVATE)["ETag"]
    response = client.get(PRIVATE, headers={**gzip, "If-None-Match": compressed["ETag"]})
    assert response.status_code == 304
    assert response["ETag"] == compressed["ETag"]


def test_max_age_comes_from_settings(client: Client, settings) -> None:
    settings.CACHE_MAX_AGE = 60
    assert client.get(PRIVATE)["Cache-Control"] == "public, max-age=60"
