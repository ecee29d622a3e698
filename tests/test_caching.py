"""HTTP caching: strong ETags, 304s, Cache-Control and Vary, on a small view shaped like the
result page (canonical redirect, 400 on bad answers, full page or htmx partial), served
through the whole middleware stack by a test-only URLconf.

The same URLconf also serves the site's own URLs with the views that should be cacheable
decorated, the way advisor/urls.py would, to show the decorator fits each of them.
"""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import Client
from django.urls import path

from advisor import api, caching, embed, views
from advisor import urls as site
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


# The site's pure GET views, decorated. An embed view keeps `embeddable` outermost, so that a
# 304 carries the embed's own framing headers too (a cache refreshes its copy's from them).
DECORATED = {
    "wizard": cacheable_result(views.wizard),
    "result": cacheable_result(views.result),
    "result-markdown": cacheable_result(views.result_markdown),
    "api-evaluate": cacheable_result(api.evaluate_view),
    "embed-result": embed.embeddable(cacheable_result(embed.result.__wrapped__)),
}

urlpatterns = [
    path("cached/", result_like),
    *(
        path(str(p.pattern), DECORATED[p.name], name=p.name) if p.name in DECORATED else p
        for p in site.urlpatterns
    ),
]

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


def test_if_none_match_any_gets_304_only_where_there_is_a_result(client: Client) -> None:
    assert client.get(PRIVATE, headers={"If-None-Match": "*"}).status_code == 304
    redirected = client.get("/cached/?nat_gateway=true&subnet=private",
                            headers={"If-None-Match": "*"})
    assert redirected.status_code == 302


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


# --- The site's views, decorated ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/result/?nat_gateway=true", id="result-page"),
        pytest.param("/result.md?nat_gateway=true", id="markdown"),
        pytest.param("/api/v1/evaluate?nat_gateway=true", id="api"),
        pytest.param("/?step=network&nat_gateway=true", id="wizard-step"),
        pytest.param("/embed/result/?nat_gateway=true&show=verdict,traffic", id="embed"),
    ],
)
def test_the_sites_pure_views_get_an_etag_and_304(client: Client, url: str) -> None:
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=3600"
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_the_wizards_partial_and_page_differ_in_etag_and_body(client: Client) -> None:
    url = "/?step=network&nat_gateway=true"
    page, partial = client.get(url), client.get(url, headers=HTMX)
    assert (page.status_code, partial.status_code) == (200, 200)
    assert page["ETag"] != partial["ETag"]
    assert len(partial.content) < len(page.content)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("/result/?subnet=moon", 400, id="result-bad-answers"),
        pytest.param("/result/?nat_gateway=true&utm_source=mail", 302, id="result-not-canonical"),
        pytest.param("/api/v1/evaluate?subnet=moon", 400, id="api-bad-answers"),
        pytest.param("/?step=network&subnet=private", 302, id="wizard-not-canonical"),
        pytest.param("/embed/result/?show=nothing", 400, id="embed-bad-option"),
    ],
)
def test_the_sites_redirects_and_errors_are_not_tagged(
    client: Client, url: str, status: int
) -> None:
    response = client.get(url, headers={"If-None-Match": "*"})
    assert response.status_code == status
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_post_to_the_api_is_not_cached(client: Client) -> None:
    response = client.post("/api/v1/evaluate", '{"nat_gateway": true}',
                           content_type="application/json")
    assert response.status_code == 200
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_an_embeds_304_keeps_the_embeds_framing(client: Client, settings) -> None:
    settings.EMBED_ALLOWED_ORIGINS = ["https://wiki.example.com"]
    url = "/embed/result/?nat_gateway=true"
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert "https://wiki.example.com" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
