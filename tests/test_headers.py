"""Security headers on every response, the health check a load balancer can always reach, and
the request log: through Django's test client with the production middleware, and, for the
Permissions-Policy, in Debian's chromium (the browser is the one that parses it).
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest
from django.test import Client

from advisor.jsonlog import JsonFormatter

PAGES = [
    pytest.param("/", id="wizard"),
    pytest.param("/?step=network&subnet=public", id="wizard-step"),
    pytest.param("/result/?nat_gateway=true", id="result"),
    pytest.param("/result.md?nat_gateway=true", id="markdown"),
    pytest.param("/result/?subnet=moon", id="bad-answers-400"),
    pytest.param("/no-such-page/", id="not-found-404"),
    pytest.param("/api/v1/evaluate?nat_gateway=true", id="api"),
    pytest.param("/api/v1/evaluate?subnet=moon", id="api-400"),
    pytest.param("/api/v1/questions", id="api-questions"),
]

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "fullscreen",
          "display-capture", "clipboard-read", "browsing-topics"]


@pytest.mark.parametrize("url", PAGES)
def test_every_response_carries_the_security_headers(client: Client, url: str) -> None:
    response = client.get(url, follow=True)
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_permissions_policy_denies_every_feature_but_writing_the_clipboard(
    client: Client,
) -> None:
    policy = dict(
        item.strip().split("=", 1) for item in client.get("/")["Permissions-Policy"].split(",")
    )
    assert policy.pop("clipboard-write") == "(self)"
    assert set(policy.values()) == {"()"}
    assert set(DENIED) - {"clipboard-read"} <= set(policy)


@pytest.mark.parametrize(
    ("secure", "expected"),
    [pytest.param(True, "max-age=31536000", id="https"), pytest.param(False, None, id="http")],
)
def test_hsts_is_sent_on_https_only(client: Client, secure: bool, expected: str | None) -> None:
    assert client.get("/", secure=secure).headers.get("Strict-Transport-Security") == expected


def test_hsts_follows_the_settings(client: Client, settings) -> None:
    settings.SECURE_HSTS_SECONDS = 600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=600; includeSubDomains; preload"


@pytest.mark.parametrize(
    ("host", "secure"),
    [
        pytest.param("10.40.10.17:8000", False, id="load-balancer-by-task-ip-over-http"),
        pytest.param("127.0.0.1:8000", False, id="container-healthcheck"),
        pytest.param("advisor.example.com", True, id="through-the-listener"),
    ],
)
def test_healthz_answers_any_host_and_plain_http_even_with_https_redirects(
    client: Client, settings, host: str, secure: bool
) -> None:
    settings.ALLOWED_HOSTS = ["advisor.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", headers={"Host": host}, secure=secure)
    assert (response.status_code, response.content) == (200, b"ok")


def test_other_pages_keep_the_host_check_and_the_https_redirect(client: Client, settings) -> None:
    settings.ALLOWED_HOSTS = ["advisor.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", headers={"Host": "10.40.10.17:8000"}).status_code == 400
    redirected = client.get("/", headers={"Host": "advisor.example.com"})
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://advisor.example.com/"


def test_healthz_still_refuses_other_methods(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


ANSWERED_EARLY = [
    pytest.param("/healthz", {}, id="healthz"),
    pytest.param("/healthz", {"HTTP_HOST": "10.40.10.17:8000"}, id="healthz-by-ip"),
    pytest.param("/static/css/advisor.css", {}, id="static-css"),
    pytest.param("/static/js/embed-host.js", {}, id="static-js"),
    pytest.param("/", {"HTTP_HOST": "attacker.example"}, id="refused-host-400"),
]


@pytest.mark.parametrize(("url", "extra"), ANSWERED_EARLY)
def test_answers_given_before_the_page_middleware_carry_security_headers_too(
    client: Client, url: str, extra: dict[str, str]
) -> None:
    """/healthz and static files are answered before the middleware that secures pages."""
    response = client.get(url, **extra)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_static_files_get_hsts_over_https(client: Client) -> None:
    response = client.get("/static/css/advisor.css", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_an_embed_keeps_its_framing_when_replayed_from_the_response_cache(settings) -> None:
    settings.RESPONSE_CACHE = "default"
    from django.core.cache import caches

    caches["default"].clear()
    client = Client()
    first, replayed = (client.get("/embed/result/?nat_gateway=true") for _ in range(2))
    caches["default"].clear()
    for response in (first, replayed):
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


# --- The request log ------------------------------------------------------------------------


def test_a_refused_host_is_one_short_warning_without_traceback_or_host(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    (refusal,) = [r for r in caplog.records if r.name.startswith("django.security")]
    line = json.loads(JsonFormatter().format(refusal))
    assert line["level"] == "WARNING"
    assert "exception" not in line
    assert "attacker" not in json.dumps(line)
    assert "DJANGO_ALLOWED_HOSTS" in line["message"]
    assert all(r.levelno < logging.ERROR for r in caplog.records)


@pytest.mark.parametrize(
    ("method", "url", "path", "status", "level"),
    [
        pytest.param("get", "/result/?nat_gateway=true", "/result/", 200, "INFO", id="page"),
        pytest.param("get", "/api/v1/evaluate?subnet=moon", "/api/v1/evaluate", 400, "WARNING",
                     id="bad-request"),
        pytest.param("post", "/api/v1/evaluate", "/api/v1/evaluate", 200, "INFO", id="post"),
        pytest.param("get", "/healthz", "/healthz", 200, "INFO", id="health-check"),
        pytest.param("get", "/no-such-page/?q=1", "/no-such-page/", 404, "WARNING",
                     id="not-found"),
    ],
)
def test_each_request_logs_one_line_with_method_path_status_and_duration(
    client: Client, caplog: pytest.LogCaptureFixture,
    method: str, url: str, path: str, status: int, level: str,
) -> None:
    body = {"data": '{"nat_gateway": true, "registry": "private_registry"}',
            "content_type": "application/json"} if method == "post" else {}
    with caplog.at_level(logging.INFO):
        response = getattr(client, method)(url, **body)
    assert response.status_code == status
    (record,) = [r for r in caplog.records if r.name == "advisor.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == level
    assert {k: line[k] for k in ("method", "path", "status")} == {
        "method": method.upper(), "path": path, "status": status,
    }
    assert line["duration_ms"] >= 0
    assert "?" not in line["message"] and "private_registry" not in json.dumps(line)
    # Django's own "Bad Request: ..." warning would be a second line for the same request.
    assert [r.name for r in caplog.records if r.name.startswith("django.request")] == []


def test_a_log_line_cannot_be_forged_through_the_path(client: Client, caplog) -> None:
    with caplog.at_level(logging.INFO):
        client.get('/x%0A{"level": "INFO", "path": "/forged"}')
    (record,) = [r for r in caplog.records if r.name == "advisor.request"]
    formatted = JsonFormatter().format(record)
    assert "\n" not in formatted
    assert json.loads(formatted)["path"] == '/x\n{"level": "INFO", "path": "/forged"}'


def test_an_exception_is_logged_as_one_json_object_with_its_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("advisor", logging.ERROR, __file__, 1, "failed %s", ("x",),
                                   exc_info=sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed x"
    assert "ValueError: boom" in line["exception"]


# --- In the browser -------------------------------------------------------------------------

@pytest.mark.e2e
def test_chromium_understands_the_permissions_policy_and_denies_the_features(
    browser: Any, live_server: Any
) -> None:
    page = browser.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server.url + "/result/?nat_gateway=true")
    allowed = page.evaluate(
        "(features) => features.map((f) => document.featurePolicy.allowsFeature(f))", DENIED
    )
    assert dict(zip(DENIED, allowed, strict=True)) == dict.fromkeys(DENIED, False)
    assert page.evaluate("document.featurePolicy.allowsFeature('clipboard-write')") is True
    # An unknown feature name is only a console warning, which no other test would notice.
    assert [m for m in messages if "Permissions-Policy" in m] == []


@pytest.mark.parametrize("path", ["/", "/result/", "/embed/result/", "/result.md"])
def test_a_post_to_a_page_is_a_405_that_says_why(path: str) -> None:
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"subnet": "public"})
    assert response.status_code == 405
    assert "Method POST is not allowed here" in response.content.decode()
    assert "GET" in response["Allow"]
    assert not response.cookies
