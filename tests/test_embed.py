"""Embedding: the framing policy, embed mode through the wizard, the sections, and oEmbed."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from advisor import embed, report
from advisor.rules import evaluate, parse_query, permalink, to_query
from advisor.templatetags import embed_tags

ROOT = Path(__file__).resolve().parent.parent
HTMX = {"HTTP_HX_REQUEST": "true"}
PORTALS = ["https://docs.example.com", "https://backstage.example.com:8443"]
QUERY = "subnet=public&platform_version=1.3.0&secrets=ssm&log_driver=firelens"
RESULT = evaluate(parse_query(QUERY))


@pytest.fixture
def portals(settings: Any) -> list[str]:
    settings.EMBED_ALLOWED_ORIGINS = list(PORTALS)
    return PORTALS


def directives(response: Any) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def html_of(response: Any) -> str:
    return response.content.decode()


def section(html: str, id_: str) -> str:
    match = re.search(rf'<section id="{id_}".*?</section>', html, re.DOTALL)
    assert match, f"no section {id_}"
    return match.group(0)


def local_links(html: str) -> list[str]:
    """Every address a page's links, forms and htmx attributes lead to on this site."""
    found = re.findall(r'(?:href|action|hx-get|src)="([^"]*)"', html)
    return [unescape(url) for url in found if not urlsplit(unescape(url)).netloc]


# --- The framing policy ---------------------------------------------------------------------

EMBED_PAGES = [
    f"/embed/result/?{QUERY}",
    f"/embed/result/?{QUERY}&show=traffic&theme=dark",
    "/embed/",
    "/embed/?step=network&subnet=public",
    "/embed/result/?show=nothing",
    "/embed/result/?subnet=moon",
    "/embed/?step=image&registry=quay",
]
OTHER_PAGES = [
    "/",
    "/?step=network",
    f"/result/?{to_query(RESULT.answers)}",
    "/result/?subnet=moon",
    f"/result.md?{QUERY}",
    "/api/v1/evaluate",
    "/api/v1/questions",
    "/oembed/?url=http://testserver/result/&format=json",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", EMBED_PAGES)
def test_embed_pages_may_be_framed_by_the_advisor_and_the_configured_portals(
    client: Client, portals: list[str], url: str
) -> None:
    response = client.get(url)
    assert response.status_code in (200, 400)
    assert "X-Frame-Options" not in response
    assert directives(response)["frame-ancestors"] == ["'self'", *portals]


@pytest.mark.parametrize("url", EMBED_PAGES)
def test_embed_pages_keep_the_rest_of_the_strict_policy(client: Client, url: str) -> None:
    policy = directives(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.parametrize("url", EMBED_PAGES + OTHER_PAGES)
def test_no_page_sets_a_cookie(client: Client, portals: list[str], url: str) -> None:
    response = client.get(url)
    assert "Set-Cookie" not in response
    assert not response.cookies


def test_the_embedded_wizards_step_swap_and_summary_set_no_cookie(client: Client) -> None:
    swap = client.get("/embed/?step=network", **HTMX)
    summary = client.get(
        "/embed/summary/?subnet=public",
        HTTP_HX_CURRENT_URL="http://testserver/embed/?step=network", **HTMX,
    )
    assert swap.status_code == summary.status_code == 200
    assert not swap.cookies and not summary.cookies


@pytest.mark.parametrize("url", OTHER_PAGES)
def test_every_other_page_refuses_to_be_framed(
    client: Client, portals: list[str], url: str
) -> None:
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    ("configured", "ancestors"),
    [
        (["'self'"], ["'self'"]),
        (["https://docs.example.com"], ["'self'", "https://docs.example.com"]),
        (["https://a.example.com", "'self'", "https://*.example.com"],
         ["'self'", "https://a.example.com", "https://*.example.com"]),
        (["*"], ["'self'", "*"]),
        (["'none'"], ["'none'"]),
        ([], ["'none'"]),
    ],
    ids=["default-self", "a-portal", "self-not-repeated", "anyone", "none", "empty"],
)
def test_the_advisor_itself_may_frame_an_embed_unless_embedding_is_off(
    client: Client, settings: Any, configured: list[str], ancestors: list[str]
) -> None:
    settings.EMBED_ALLOWED_ORIGINS = configured
    response = client.get(f"/embed/result/?{QUERY}")
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ancestors


def test_with_embedding_off_the_panel_says_so_instead_of_a_preview(
    client: Client, settings: Any
) -> None:
    settings.EMBED_ALLOWED_ORIGINS = ["'none'"]
    panel = section(html_of(client.get(permalink(RESULT.answers))), "embed")
    assert "<iframe" not in panel
    assert "Embedding is turned off" in panel


# --- Embed mode: the wizard stays in the embed -----------------------------------------------

WIZARD_STEPS = ["", "?step=network", "?step=endpoints", "?step=image", "?step=features",
                "?step=load_balancer"]


@pytest.mark.parametrize("step", WIZARD_STEPS, ids=lambda s: s or "platform")
def test_every_link_of_an_embedded_wizard_step_stays_in_the_embed(
    client: Client, step: str
) -> None:
    html = html_of(client.get(f"/embed/{step}"))
    links = [url for url in local_links(html) if not url.startswith(("/static/", "#"))]
    assert len(links) > 6, "the step has its progress links, form and summary"
    # The one link out: the footer's, to the advisor itself (in a new tab).
    assert [url for url in links if not url.startswith("/embed/")] == ["/"]
    assert re.search(r'<footer class="embed-footer">\s*<a href="/">', html)
    assert 'class="site-header"' not in html
    assert 'data-embed-root="/embed/"' in html


def test_the_embedded_wizard_keeps_the_same_steps_and_questions(client: Client) -> None:
    site = html_of(client.get("/?step=network"))
    embedded = html_of(client.get("/embed/?step=network"))
    names = re.compile(r'<input[^>]* name="([a-z_]+)"')
    assert names.findall(embedded) == names.findall(site)


def test_see_the_result_goes_to_the_embedded_result(client: Client) -> None:
    response = client.get("/embed/?step=result&subnet=public&public_ip=true")
    assert response.status_code == 302
    assert response["Location"] == "/embed/result/?subnet=public&public_ip=true"


def test_see_the_result_with_htmx_redirects_the_frame_to_the_embedded_result(
    client: Client,
) -> None:
    response = client.get("/embed/?step=result&subnet=public&public_ip=true", **HTMX)
    assert response["HX-Redirect"] == "/embed/result/?subnet=public&public_ip=true"


def test_a_step_swap_in_the_embed_pushes_an_embed_address(client: Client) -> None:
    response = client.get("/embed/?step=network&subnet=public", **HTMX)
    assert response["HX-Push-Url"] == "/embed/?step=network&subnet=public"
    assert [u for u in local_links(html_of(response)) if not u.startswith("/embed/")] == []


def test_the_live_summary_in_the_embed_links_to_the_embedded_result(client: Client) -> None:
    response = client.get(
        "/embed/summary/?subnet=public&public_ip=true",
        HTTP_HX_CURRENT_URL="http://testserver/embed/?step=network", **HTMX,
    )
    html = html_of(response)
    assert 'href="/embed/result/?subnet=public&amp;public_ip=true"' in html
    assert response["HX-Replace-Url"] == "/embed/?step=network&subnet=public&public_ip=true"


def test_a_bad_value_in_the_embedded_wizard_is_a_400_inside_the_embed(client: Client) -> None:
    response = client.get("/embed/?step=image&registry=quay")
    html = html_of(response)
    assert response.status_code == 400
    assert "docker_hub" in html  # the allowed values are named
    assert 'class="site-header"' not in html
    assert [u for u in local_links(html) if not u.startswith(("/embed/", "/static/", "#"))] == ["/"]


def test_the_mount_is_undone_after_an_embed_request(client: Client) -> None:
    client.get("/embed/?step=network")
    client.get(f"/embed/result/?{QUERY}")
    assert reverse("result") == "/result/"
    assert reverse("wizard") == "/"


def test_the_site_wizard_is_unchanged_by_the_embed(client: Client) -> None:
    html = html_of(client.get("/?step=network"))
    assert 'class="site-header"' in html
    assert "/embed/" not in html
    assert client.get("/?step=result&subnet=public")["Location"] == "/result/?subnet=public"


# --- The embedded result: sections, theme, links ---------------------------------------------


@pytest.mark.parametrize(
    ("show", "shown"),
    [
        ("", embed.SECTIONS),
        ("&show=traffic", ("traffic",)),
        ("&show=roles,verdict,traffic", ("verdict", "traffic", "roles")),
        ("&show=findings&show=diagram", ("diagram", "findings")),
        ("&show=%20endpoints%20,,", ("endpoints",)),
    ],
    ids=["default-all", "one", "comma-list-in-page-order", "repeated", "spaces-and-empties"],
)
def test_show_picks_the_sections_in_page_order(
    client: Client, show: str, shown: tuple[str, ...]
) -> None:
    html = html_of(client.get(f"/embed/result/?{QUERY}{show}"))
    ids = {name: f'<section id="{name}"' for name in embed.SECTIONS}
    ids["verdict"] = '<section class="verdict'

    present = [name for name in embed.SECTIONS if ids[name] in html]
    assert present == list(shown)
    positions = [html.index(ids[name]) for name in shown]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", ["traffic", "diagram", "roles", "endpoints", "findings"])
def test_an_embedded_section_reads_as_on_the_result_page(client: Client, name: str) -> None:
    page = html_of(client.get(permalink(RESULT.answers)))
    embedded = html_of(client.get(f"/embed/result/?{QUERY}"))
    assert section(embedded, name) == section(page, name)


def test_without_the_findings_the_traffic_rows_do_not_link_to_them(client: Client) -> None:
    alone = html_of(client.get(f"/embed/result/?{QUERY}&show=traffic"))
    together = html_of(client.get(f"/embed/result/?{QUERY}&show=traffic,findings"))
    assert 'href="#finding-' not in alone
    assert 'href="#finding-' in together


def test_the_embedded_result_has_no_site_chrome_and_a_link_to_the_full_report(
    client: Client,
) -> None:
    html = html_of(client.get(f"/embed/result/?{QUERY}&show=traffic"))
    assert 'class="site-header"' not in html and 'class="site-footer"' not in html
    link = re.search(r'<a href="([^"]+)" target="_blank" rel="noopener">Open the full report', html)
    assert link and unescape(link.group(1)) == "http://testserver" + RESULT.permalink
    assert '<base target="_blank">' in html


def test_the_embedded_verdict_changes_answers_inside_the_embed(client: Client) -> None:
    html = html_of(client.get(f"/embed/result/?{QUERY}&show=verdict"))
    assert f'href="/embed/?{to_query(RESULT.answers).replace("&", "&amp;")}">Change answers' in html
    assert 'href="#share"' not in html


def test_a_section_shown_alone_still_gives_the_page_a_heading(client: Client) -> None:
    html = html_of(client.get(f"/embed/result/?{QUERY}&show=endpoints"))
    assert f'<h1 class="visually-hidden">{embed.verdict_title(RESULT)}</h1>' in html
    with_verdict = html_of(client.get(f"/embed/result/?{QUERY}&show=verdict"))
    assert with_verdict.count("<h1") == 1


@pytest.mark.parametrize(
    ("theme", "attribute", "scheme"),
    [
        ("", "auto", "light dark"),
        ("&theme=light", "light", "light"),
        ("&theme=dark", "dark", "dark"),
        ("&theme=auto", "auto", "light dark"),
    ],
    ids=["default", "light", "dark", "auto"],
)
def test_theme_sets_the_pages_colour_scheme(
    client: Client, theme: str, attribute: str, scheme: str
) -> None:
    html = html_of(client.get(f"/embed/result/?{QUERY}{theme}"))
    assert f'data-theme="{attribute}"' in html
    assert f'<meta name="color-scheme" content="{scheme}">' in html


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("show=tables", "show", ["'tables'", *embed.SECTIONS]),
        ("show=", "show", ["at least one", *embed.SECTIONS]),
        ("show=traffic,<script>", "show", ["&#x27;&lt;script&gt;&#x27;"]),
        ("theme=neon", "theme", ["'neon'", "auto", "light", "dark"]),
        ("theme=light&theme=dark", "theme", ["one theme"]),
        ("subnet=moon", "Subnet type", ["public", "private"]),
    ],
    ids=["unknown-section", "no-section", "hostile-section", "unknown-theme", "two-themes",
         "bad-answer"],
)
def test_a_bad_embed_address_is_a_400_that_names_the_allowed_values(
    client: Client, query: str, field: str, words: list[str]
) -> None:
    response = client.get(f"/embed/result/?{query}")
    html = html_of(response)
    assert response.status_code == 400
    problem = re.search(rf"<li><strong>{re.escape(field)}</strong>: (.*?)</li>", html)
    assert problem, html
    for word in words:
        assert word.replace("'", "&#x27;") in problem.group(1) or word in problem.group(1)
    assert "<script>" not in html.split("</head>")[1]


def test_every_problem_of_an_embed_address_is_named_at_once(client: Client) -> None:
    html = html_of(client.get("/embed/result/?subnet=moon&show=tables&theme=neon"))
    assert html.count("<li><strong>") == 3


# --- oEmbed -----------------------------------------------------------------------------------


def oembed(client: Client, url: str, **params: str) -> Any:
    return client.get("/oembed/?" + urlencode({"url": url, **params}))


def iframe_src(html: str) -> str:
    match = re.search(r'<iframe src="([^"]+)"', html)
    assert match
    return unescape(match.group(1))


def test_oembed_describes_a_permalink_as_a_rich_embed(client: Client) -> None:
    response = oembed(client, "http://testserver" + RESULT.permalink, format="json")
    data = response.json()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["provider_name"] == "Fargate networking advisor"
    assert data["provider_url"] == "http://testserver/"
    verdict = RESULT.verdict
    assert data["title"].startswith(verdict.status.value.capitalize())
    assert f"{verdict.blockers} blocker" in data["title"]
    assert f"{verdict.warnings} warning" in data["title"]
    assert isinstance(data["cache_age"], int) and data["cache_age"] > 0
    assert (data["width"], data["height"]) == (embed.OEMBED_WIDTH, embed.OEMBED_HEIGHT)
    assert iframe_src(data["html"]) == "http://testserver/embed/result/?" + to_query(RESULT.answers)
    assert f'width="{data["width"]}" height="{data["height"]}"' in data["html"]
    assert '<script src="http://testserver/static/js/embed-host.js" async></script>' in data["html"]


def test_the_oembed_iframe_loads_the_embed(client: Client) -> None:
    data = oembed(client, "http://testserver" + RESULT.permalink).json()
    src = urlsplit(iframe_src(data["html"]))
    response = client.get(f"{src.path}?{src.query}")
    assert response.status_code == 200
    assert data["title"] in html_of(response)


def test_oembed_builds_the_iframe_from_the_canonical_permalink(client: Client) -> None:
    spelt_otherwise = (
        "http://testserver/result/?log_driver=firelens&utm_source=wiki&secrets=ssm"
        "&platform_version=1.3.0&subnet=public&subnet=public"
    )
    data = oembed(client, spelt_otherwise).json()
    assert iframe_src(data["html"]) == "http://testserver/embed/result/?" + to_query(RESULT.answers)
    assert "utm_source" not in data["html"]


def test_oembed_answers_for_another_host_of_this_advisor_from_its_own(
    client: Client, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "advisor.example.com"]
    data = oembed(client, "https://advisor.example.com/result/?subnet=public").json()
    assert iframe_src(data["html"]) == "http://testserver/embed/result/?subnet=public"
    assert "http://testserver/static/js/embed-host.js" in data["html"]
    assert "advisor.example.com" not in json.dumps(data)


@pytest.mark.parametrize(
    ("params", "width", "height"),
    [
        ({"maxwidth": "480"}, 480, embed.OEMBED_HEIGHT),
        ({"maxheight": "300"}, embed.OEMBED_WIDTH, 300),
        ({"maxwidth": "320", "maxheight": "200"}, 320, 200),
        ({"maxwidth": "5000", "maxheight": "5000"}, embed.OEMBED_WIDTH, embed.OEMBED_HEIGHT),
    ],
    ids=["narrower", "shorter", "both", "larger-limits-change-nothing"],
)
def test_oembed_honours_maxwidth_and_maxheight(
    client: Client, params: dict[str, str], width: int, height: int
) -> None:
    data = oembed(client, "http://testserver/result/", **params).json()
    assert (data["width"], data["height"]) == (width, height)
    assert f'width="{width}" height="{height}"' in data["html"]


@pytest.mark.parametrize(
    "params",
    [{"maxwidth": "wide"}, {"maxwidth": "0"}, {"maxheight": "-5"}, {"maxheight": "1e3"},
     {"maxwidth": "999999"}],
    ids=["word", "zero", "negative", "exponent", "huge"],
)
def test_a_bad_maxwidth_or_maxheight_is_a_400(client: Client, params: dict[str, str]) -> None:
    response = oembed(client, "http://testserver/result/", **params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(params)


@pytest.mark.parametrize("fmt", ["xml", "XML", "html", "jsonp"])
def test_oembed_in_another_format_is_501(client: Client, fmt: str) -> None:
    response = oembed(client, "http://testserver/result/", format=fmt)
    assert response.status_code == 501
    assert "json" in response.json()["errors"]["format"][0]


@pytest.mark.parametrize(
    "url",
    [
        "http://elsewhere.example.com/result/?subnet=public",
        "http://testserver/embed/result/?subnet=public",
        "http://testserver/result",
        "http://testserver/result/extra",
        "http://testserver/",
        "http://testserver/api/v1/evaluate?subnet=public",
        "ftp://testserver/result/",
        "javascript:alert(1)//testserver/result/",
        "//testserver/result/",
        "/result/?subnet=public",
        "http://testserver@elsewhere.example.com/result/",
        "http://user@testserver/result/",
        'http://testserver"onload="alert(1)/result/',
        "http://[::1/result/",
        "http://testserver/result/?subnet=moon",
        "http://testserver/result/?subnet_count=0",
        "not a url",
    ],
)
def test_oembed_is_404_for_anything_but_one_of_our_result_permalinks(
    client: Client, url: str
) -> None:
    response = oembed(client, url)
    assert response.status_code == 404
    # The message names what is wanted, the same whatever was given: it echoes nothing.
    assert response.json() == oembed(client, "http://elsewhere.example.com/").json()
    assert "/result/?<answers>" in response.json()["errors"]["url"][0]


def test_oembed_without_a_url_is_a_400_that_says_what_to_give(client: Client) -> None:
    response = client.get("/oembed/?format=json")
    assert response.status_code == 400
    assert "permalink" in response.json()["errors"]["url"][0]


@pytest.mark.parametrize(
    "hostile",
    [
        '&x="><script>alert(1)</script>',
        "&utm=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
        "&onload=alert(1)&x='><img src=x onerror=alert(1)>",
        "#\"><script>alert(1)</script>",
    ],
    ids=["quote-script", "encoded-script", "event-handler", "fragment"],
)
def test_oembed_never_echoes_unvalidated_input_into_its_html(client: Client, hostile: str) -> None:
    response = oembed(client, "http://testserver/result/?subnet=public" + hostile)
    data = response.json()
    assert response.status_code == 200
    html = data["html"]
    assert "<script>alert" not in html and "onerror" not in html and "alert(1)" not in html
    assert re.fullmatch(
        r'<iframe src="http://testserver/embed/result/\?subnet=public" title="[^"<>]+" '
        r'width="\d+" height="\d+" loading="lazy" allow="clipboard-write"></iframe>'
        r'<script src="http://testserver/static/js/embed-host.js" async></script>',
        html,
    )


def test_oembed_may_be_read_by_browser_side_consumers(client: Client) -> None:
    response = oembed(client, "http://testserver/result/")
    assert response["Access-Control-Allow-Origin"] == "*"


# --- The result page: discovery link and embed panel -----------------------------------------


def test_the_result_page_links_to_its_oembed_description(client: Client) -> None:
    html = html_of(client.get(permalink(RESULT.answers)))
    head = html.split("</head>")[0]
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', head)
    assert link
    url = urlsplit(unescape(link.group(1)))
    assert url.path == "/oembed/"
    assert parse_qs(url.query) == {
        "url": ["http://testserver" + RESULT.permalink], "format": ["json"],
    }
    assert client.get(f"{url.path}?{url.query}").status_code == 200


def test_the_embed_panel_offers_the_snippet_script_and_oembed_url(client: Client) -> None:
    html = html_of(client.get(permalink(RESULT.answers)))
    panel = section(html, "embed")
    snippet = unescape(re.findall(r'<pre id="embed-iframe"[^>]*><code>(.*?)</code>', panel)[0])
    script = unescape(re.findall(r'<pre id="embed-script"[^>]*><code>(.*?)</code>', panel)[0])
    oembed_url = unescape(re.findall(r'id="embed-oembed" type="url" value="([^"]+)"', panel)[0])
    src = iframe_src(snippet)
    assert src == "http://testserver/embed/result/?" + to_query(RESULT.answers)
    assert 'width="100%"' in snippet
    assert script == '<script src="http://testserver/static/js/embed-host.js" async></script>'
    for copy in ("embed-iframe", "embed-script", "embed-oembed"):
        assert f'data-copy="{copy}"' in panel
    preview = re.search(r'<iframe class="embed-preview" name="embed-preview" src="([^"]+)"', panel)
    assert preview and unescape(preview.group(1)) == src
    for url in (src, oembed_url, "http://testserver/static/js/embed-host.js"):
        parts = urlsplit(url)
        assert client.get(f"{parts.path}?{parts.query}").status_code == 200, url


def test_the_page_builds_the_embed_texts_once_for_its_head_and_its_panel(
        client: Client, monkeypatch) -> None:
    built = []
    make = embed_tags._snippets
    monkeypatch.setattr(embed_tags, "_snippets", lambda *args: built.append(1) or make(*args))
    for answers in ("nat_gateway=true", "subnet=public&public_ip=true"):
        html = html_of(client.get(f"/result/?{answers}"))
        head = re.findall(r'json\+oembed" href="([^"]+)"', html.split("</head>")[0])
        panel = re.findall(r'id="embed-oembed" type="url" value="([^"]+)"', section(html, "embed"))
        assert head == panel and answers.split("&")[0].replace("=", "%3D") in unescape(head[0])
    assert len(built) == 2  # one per page, not one per include


def test_the_panels_form_loads_the_preview_without_javascript(client: Client) -> None:
    panel = section(html_of(client.get(permalink(RESULT.answers))), "embed")
    form = re.findall(r'<form class="embed-options" action="([^"]+)"[^>]*target="embed-preview"',
                      panel)
    assert form == ["/embed/result/"]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', panel)
    submitted = urlencode([*fields, ("show", "traffic"), ("show", "roles"), ("theme", "dark")])
    html = html_of(client.get(f"/embed/result/?{submitted}"))
    assert '<section id="traffic"' in html and '<section id="roles"' in html
    assert '<section id="findings"' not in html and 'data-theme="dark"' in html


# --- Copies kept in step ---------------------------------------------------------------------


def css_block(css: str, selector: str) -> dict[str, str]:
    body = css[css.index(selector + " {") + len(selector) + 2:]
    body = body[: body.index("}")]
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", body))


def test_the_forced_themes_get_the_sites_own_palettes() -> None:
    """Every colour of the site and the diagram is declared once, as light-dark(), so a forced
    theme=light or theme=dark is only color-scheme: the embed holds no palette of its own."""
    ours = (ROOT / "static/css/embed.css").read_text()
    assert re.search(r':root\[data-theme="light"\] \{ color-scheme: light; \}', ours)
    assert re.search(r':root\[data-theme="dark"\] \{ color-scheme: dark; \}', ours)
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", ours.split("/* The page in the frame */")[0])
    for path, selector in (("static/css/advisor.css", ":root"), ("static/css/diagram.css", ".dg")):
        css = (ROOT / path).read_text()
        assert "prefers-color-scheme" not in css
        colours = {name: value for name, value in css_block(css, selector).items()
                   if "#" in value}
        assert colours and all("light-dark(" in value for value in colours.values()), path


def test_the_embed_base_has_the_sites_htmx_settings() -> None:
    pattern = re.compile(r"<meta name=\"htmx-config\" content='([^']+)'>")
    site = pattern.search((ROOT / "templates/base.html").read_text())
    ours = pattern.search((ROOT / "templates/embed/base.html").read_text())
    assert site and ours
    assert json.loads(ours.group(1)) == json.loads(site.group(1))


def test_the_embedded_verdict_says_what_to_fix_first_and_links_the_finding(
    client: Client, portals: list[str]
) -> None:
    fix = report.top_fix(RESULT)
    assert fix is not None
    alone = html_of(client.get(f"/embed/result/?{QUERY}&show=verdict"))
    # Without the findings in the frame, the link opens the full report at the finding.
    assert "Fix first</strong>" in alone
    assert f'href="http://testserver{permalink(RESULT.answers).replace("&", "&amp;")}' \
        f'#finding-{fix.finding.id}"' in alone
    together = html_of(client.get(f"/embed/result/?{QUERY}&show=verdict,findings"))
    assert f'href="#finding-{fix.finding.id}"' in together


@pytest.mark.parametrize(("extra", "fixed"), [("", False), ("&theme=dark", True),
                                               ("&theme=auto", True), ("&theme=", False)])
def test_only_a_theme_in_the_address_fixes_the_embeds_theme_against_the_host_page(
    client: Client, portals: list[str], extra: str, fixed: bool
) -> None:
    html = html_of(client.get(f"/embed/result/?{QUERY}{extra}"))
    root = re.search(r"<html[^>]*>", html).group(0)
    assert ("data-theme-fixed" in root) is fixed
    assert "js/embed-theme" in html


# Until advisor/diagram.py draws the `depends` status, a result with unknown answers raises
# KeyError there (a 500); these tests pass once it does.

def test_the_embed_can_show_the_requirements_checklist(client: Client) -> None:
    query = "unknown=subnet,public_ip,nat_gateway,endpoints"
    html = html_of(client.get(f"/embed/result/?{query}&show=requirements"))
    assert '<section id="requirements"' in html
    assert "This task starts if:" in html
    # Without the findings on the page, a violated requirement links to the full report.
    alone = html_of(client.get(f"/embed/result/?{QUERY}&show=requirements"))
    assert 'href="#finding-' not in alone


def test_the_embedded_conditional_verdict_shows_its_witness(client: Client) -> None:
    query = "unknown=subnet,public_ip,nat_gateway,endpoints"
    html = html_of(client.get(f"/embed/result/?{query}&show=verdict"))
    assert 'class="verdict status-conditional"' in html and "Blocked if:" in html
