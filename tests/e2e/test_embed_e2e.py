"""The embed in a real browser: a docs page on one origin frames the advisor from another.

The live server answers on two origins: http://127.0.0.1:<port> serves a "docs page" (a view
defined here, with its own strict CSP), and http://localhost:<port> is the advisor. The docs
page includes the advisor's host script and frames its embed; the main result page, and the
embed for a portal that is not configured, must refuse to be framed there.

Set ADVISOR_SCREENSHOTS=<directory> to keep the screenshots the layout tests take.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.html import escape, format_html
from playwright.sync_api import expect

from advisor.rules import evaluate, parse_query, to_query

pytestmark = pytest.mark.e2e

QUERY = "platform_version=1.3.0&secrets=ssm&log_driver=firelens&load_balancer=alb"
RESULT = evaluate(parse_query(QUERY))
CANONICAL = to_query(RESULT.answers)
INITIAL_HEIGHT = 600  # the snippet's height attribute, before the host script fits it

DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Runbook: the payments task</title>
  <link rel="icon" href="data:,">
</head>
<body{body_attrs}>
  <h1>Runbook: the payments task</h1>
  <p>The advisor's verdict on the task's network, kept beside the runbook.</p>
  <iframe id="advisor" src="{src}" title="Fargate networking advice" width="100%"
          height="{height}" allow="clipboard-write"></iframe>
  {rogue}
  <p id="after">The rest of the runbook.</p>
  <script src="{advisor}/static/js/embed-host.js"{script_attrs} async></script>
</body>
</html>
"""


def docs_page(request: HttpRequest) -> HttpResponse:
    """A portal's page: frames `src` from the advisor and includes its host script."""
    advisor = request.GET["advisor"]
    rogue = '<iframe id="rogue" src="/docs/rogue/" title="Another frame" height="150"></iframe>'
    html = DOCS_PAGE.format(
        src=escape(request.GET["src"]), advisor=escape(advisor), height=INITIAL_HEIGHT,
        rogue=rogue if "rogue" in request.GET else "",
        # The portal's theme, as MkDocs Material marks it, or as the snippet's author gives it.
        body_attrs=format_html(' data-md-color-scheme="{}"', request.GET["scheme"])
        if "scheme" in request.GET else "",
        script_attrs=format_html(' data-theme="{}"', request.GET["script_theme"])
        if "script_theme" in request.GET else "",
    )
    # The portal's own strict policy: scripts and frames from the advisor only.
    policy = csp_replace({"script-src": [advisor], "frame-src": [advisor, "'self'"]})
    return policy(lambda: HttpResponse(html))()


def rogue_frame(request: HttpRequest) -> HttpResponse:
    """A frame of the portal's own origin, which is not the advisor."""
    response = HttpResponse("<!doctype html><title>Rogue</title><p>Not the advisor.</p>")
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    return csp_replace({"frame-ancestors": ["'self'"]})(lambda: response)()


# This module is the live server's URLconf in these tests: the advisor, plus the docs page.
urlpatterns = [
    path("docs/", docs_page),
    path("docs/rogue/", rogue_frame),
    path("", include("advisor.urls")),
]


@dataclass
class Origins:
    portal: str  # http://127.0.0.1:<port>, the docs page
    advisor: str  # http://localhost:<port>, the advisor

    def docs(self, framed: str, **extra: str) -> str:
        """The docs page's address, framing the advisor's `framed` path."""
        query = {"src": self.advisor + framed, "advisor": self.advisor, **extra}
        return f"{self.portal}/docs/?{urlencode(query)}"


@pytest.fixture
def origins(settings: Any, live_server: Any) -> Origins:
    port = urlsplit(live_server.url).port
    found = Origins(portal=f"http://127.0.0.1:{port}", advisor=f"http://localhost:{port}")
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    settings.EMBED_ALLOWED_ORIGINS = [found.portal]
    settings.ROOT_URLCONF = __name__
    return found


def frame_of(p: Any) -> Any:
    return p.locator("#advisor").element_handle().content_frame()


def iframe_height(p: Any) -> int:
    return p.evaluate("document.getElementById('advisor').clientHeight")


def content_height(frame: Any) -> int:
    return frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")


def wait_until_fitted(p: Any) -> int:
    """Wait until the iframe is exactly as tall as the page inside it; return that height."""
    frame = frame_of(p)
    frame.wait_for_load_state("load")
    while True:  # the content may still settle (fonts, a resize): until both agree
        height = content_height(frame)
        p.wait_for_function(
            "h => document.getElementById('advisor').clientHeight === h", arg=height
        )
        if content_height(frame) == height:
            return height


def stub_aws(context: Any) -> None:
    """No network here: the AWS pages the advice links to answer from a stub."""
    context.route("https://docs.aws.amazon.com/**", lambda route: route.fulfill(
        body="<!doctype html><title>AWS documentation</title><h1>AWS documentation</h1>",
        content_type="text/html",
    ))


# --- It renders and fits -------------------------------------------------------------------


def test_a_docs_page_on_another_origin_shows_the_embed_at_its_content_height(
    make_page: Any, origins: Origins
) -> None:
    page = make_page()
    p = page.page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=verdict,traffic"))
    embedded = p.frame_locator("#advisor")
    expect(embedded.get_by_role("heading", level=1)).to_contain_text("Blocked")
    expect(embedded.get_by_role("table", name=re.compile("Traffic flows"))).to_be_visible()
    assert embedded.locator("#roles").count() == 0

    fitted = wait_until_fitted(p)
    assert fitted != INITIAL_HEIGHT
    frame = frame_of(p)
    assert frame.evaluate("document.documentElement.scrollHeight <= window.innerHeight")

    # It follows its content: opening the comparison makes it taller, closing it shorter.
    embedded.get_by_text("Compare all platform versions").click()
    opened = wait_until_fitted(p)
    assert opened > fitted
    embedded.get_by_text("Compare all platform versions").click()
    assert wait_until_fitted(p) == fitted

    # And its width: on a phone the same content is taller.
    p.set_viewport_size({"width": 390, "height": 800})
    assert wait_until_fitted(p) > fitted


def test_an_embed_that_loaded_before_the_host_script_is_still_fitted(
    make_page: Any, origins: Origins
) -> None:
    page = make_page()
    p = page.page
    # Hold the host script back until the embed has loaded and posted its height to no one.
    held: list[Any] = []
    p.route("**/static/js/embed-host.js", lambda route: held.append(route))
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=verdict"), wait_until="commit")
    p.wait_for_selector("#advisor", state="attached")
    frame = frame_of(p)
    frame.wait_for_load_state("load")
    assert frame.evaluate("document.readyState") == "complete"
    assert iframe_height(p) == INITIAL_HEIGHT
    assert held, "the host script is held back"
    held[0].continue_()
    assert wait_until_fitted(p) < INITIAL_HEIGHT


# --- The host script believes only the advisor, and clamps -----------------------------------


def test_the_host_script_ignores_heights_from_other_origins(
    make_page: Any, origins: Origins
) -> None:
    page = make_page()
    p = page.page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=verdict", rogue="1"))
    fitted = wait_until_fitted(p)
    rogue = p.locator("#rogue").element_handle().content_frame()
    rogue.wait_for_load_state("load")
    # A frame of another origin claims to be the advisor; the page itself does too.
    rogue.evaluate("parent.postMessage({type: 'fargate-advisor:height', height: 3000}, '*')")
    p.evaluate("window.postMessage({type: 'fargate-advisor:height', height: 3000}, '*')")
    # A message the advisor frame does send afterwards still arrives, so the others were read.
    frame_of(p).evaluate(
        "parent.postMessage({type: 'fargate-advisor:height', height: 321}, '*')"
    )
    p.wait_for_function("() => document.getElementById('advisor').clientHeight === 321")
    assert p.evaluate("document.getElementById('rogue').clientHeight") == 150
    assert fitted != 321


@pytest.mark.parametrize(
    ("sent", "expected"),
    [("1e9", 40000), ("-50", 80), ("12.4", 80), ("456.6", 457)],
    ids=["huge", "negative", "tiny", "fraction"],
)
def test_the_host_script_clamps_the_height(
    make_page: Any, origins: Origins, sent: str, expected: int
) -> None:
    page = make_page()
    p = page.page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=verdict"))
    wait_until_fitted(p)
    frame = frame_of(p)
    # Not numbers: ignored.
    frame.evaluate("parent.postMessage({type: 'fargate-advisor:height', height: '900'}, '*')")
    frame.evaluate("parent.postMessage({type: 'fargate-advisor:height', height: NaN}, '*')")
    frame.evaluate(f"parent.postMessage({{type: 'fargate-advisor:height', height: {sent}}}, '*')")
    p.wait_for_function(f"() => document.getElementById('advisor').clientHeight === {expected}")


# --- The links work ---------------------------------------------------------------------------


def test_open_the_full_report_opens_the_permalink_in_a_new_tab(
    make_page: Any, origins: Origins
) -> None:
    page = make_page()
    p = page.page
    docs = origins.docs(f"/embed/result/?{CANONICAL}&show=traffic")
    p.goto(docs)
    with p.context.expect_page() as opened:
        p.frame_locator("#advisor").get_by_role("link", name="Open the full report").click()
    report = opened.value
    report.wait_for_load_state()
    assert report.url == origins.advisor + RESULT.permalink
    expect(report.get_by_role("heading", level=1)).to_contain_text("Blocked")
    assert p.url == docs


def test_a_link_to_aws_opens_in_a_new_tab_and_the_docs_page_stays(
    make_page: Any, origins: Origins
) -> None:
    page = make_page()
    p = page.page
    stub_aws(p.context)
    docs = origins.docs(f"/embed/result/?{CANONICAL}&show=traffic")
    p.goto(docs)
    with p.context.expect_page() as opened:
        p.frame_locator("#advisor").get_by_role(
            "link", name="Task networking for tasks on Fargate").click()
    opened.value.wait_for_load_state()
    assert opened.value.url.startswith("https://docs.aws.amazon.com/")
    assert p.url == docs
    assert frame_of(p).url.startswith(origins.advisor + "/embed/result/")


def test_a_traffic_row_links_to_its_finding_inside_the_embed(
    make_page: Any, origins: Origins
) -> None:
    page = make_page()
    p = page.page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=traffic,findings"))
    embedded = p.frame_locator("#advisor")
    link = embedded.get_by_role("link", name=re.compile(r"^finding \d+$")).first
    target = link.get_attribute("href")
    pages = len(p.context.pages)
    link.click()
    frame_of(p).wait_for_url(re.compile(re.escape(target) + "$"))
    assert len(p.context.pages) == pages


def test_a_finding_link_in_a_fitted_embed_scrolls_the_docs_page_to_the_finding(
    make_page: Any, origins: Origins
) -> None:
    # The frame is as tall as its content, so it cannot scroll: the docs page has to.
    page = make_page(reduced_motion="reduce")
    p = page.page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=verdict,traffic,findings"))
    wait_until_fitted(p)
    assert p.evaluate("window.scrollY") == 0
    for name in (r"^finding \d+$", r"^finding 1 ?: "):  # a traffic row's link, then "Fix first"
        link = p.frame_locator("#advisor").get_by_role("link", name=re.compile(name)).first
        target = link.get_attribute("href").removeprefix("#")
        p.evaluate("window.scrollTo(0, 0)")
        link.click()
        p.wait_for_function("() => window.scrollY > 0")
        inside = frame_of(p).evaluate(
            "id => document.getElementById(id).getBoundingClientRect().top", target
        )
        frame_top = p.evaluate(
            "(f => f.getBoundingClientRect().top + f.clientTop)(document.getElementById('advisor'))"
        )
        assert abs(frame_top + inside) <= 1, (frame_top, inside)


def test_a_message_from_another_origin_does_not_scroll_the_docs_page(
    make_page: Any, origins: Origins
) -> None:
    page = make_page(reduced_motion="reduce")
    p = page.page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=traffic,findings", rogue="1"))
    wait_until_fitted(p)
    rogue = p.locator("#rogue").element_handle().content_frame()
    rogue.evaluate("window.parent.postMessage({type: 'fargate-advisor:scroll', top: 2000}, '*')")
    p.evaluate("() => new Promise(r => setTimeout(r, 200))")
    assert p.evaluate("window.scrollY") == 0


BACKGROUNDS = {"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}


def embed_theme(p: Any) -> str:
    frame = frame_of(p)
    frame.wait_for_load_state("load")
    background = frame.evaluate("getComputedStyle(document.body).backgroundColor")
    return next(name for name, colour in BACKGROUNDS.items() if colour == background)


@pytest.mark.parametrize(("os_scheme", "docs", "shown"), [
    ("light", {"scheme": "slate"}, "dark"),
    ("dark", {"scheme": "default"}, "light"),
    ("light", {"script_theme": "dark"}, "dark"),
    ("dark", {"script_theme": "light", "scheme": "slate"}, "light"),  # the tag wins
    ("dark", {}, "dark"),  # the page says nothing: the reader's setting
])
def test_the_embed_follows_the_docs_pages_own_theme(
    make_page: Any, origins: Origins, os_scheme: str, docs: dict[str, str], shown: str
) -> None:
    p = make_page(scheme=os_scheme).page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=verdict", **docs))
    frame_of(p).wait_for_function(
        "want => getComputedStyle(document.body).backgroundColor === want",
        arg=BACKGROUNDS[shown],
    )
    assert embed_theme(p) == shown


def test_the_embed_follows_the_portals_switch_as_it_flips(
    make_page: Any, origins: Origins
) -> None:
    p = make_page(scheme="light").page
    p.goto(origins.docs(f"/embed/?{CANONICAL}", scheme="default"))
    wait_until_fitted(p)
    assert embed_theme(p) == "light"
    p.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    frame_of(p).wait_for_function(
        "() => document.documentElement.getAttribute('data-theme') === 'dark'"
    )
    assert embed_theme(p) == "dark"


def test_theme_in_the_embeds_address_wins_over_the_docs_page(
    make_page: Any, origins: Origins
) -> None:
    p = make_page(scheme="light").page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=verdict&theme=light", scheme="slate"))
    wait_until_fitted(p)
    p.evaluate("() => new Promise(r => setTimeout(r, 200))")
    assert embed_theme(p) == "light"
    assert frame_of(p).evaluate("document.documentElement.getAttribute('data-theme')") == "light"


def walk_to_the_result(p: Any, embedded: Any, origins: Origins) -> None:
    """Answer a question on each step of the embedded wizard, then see the result."""
    expect(embedded.get_by_role("heading", name=re.compile("Step 1 of 6"))).to_be_visible()
    steps = ["Network", "VPC endpoints", "Image", "Task features", "Load balancer"]
    for number, title in enumerate(steps, start=2):
        embedded.get_by_role("button", name=f"Next: {title}").click()
        heading = embedded.get_by_role("heading", name=re.compile(f"Step {number} of 6"))
        expect(heading).to_be_visible()
        assert frame_of(p).url.startswith(origins.advisor + "/embed/?step=")
        wait_until_fitted(p)
        if title == "Network":
            embedded.get_by_role("group", name="Subnet type", exact=True).get_by_label(
                "Public").check()
    embedded.get_by_role("button", name="See the result").click()
    expect(embedded.get_by_role("heading", level=1)).to_be_visible()


def test_the_embedded_wizard_stays_in_the_frame_through_every_step_into_the_result(
    make_page: Any, origins: Origins
) -> None:
    page = make_page()
    p = page.page
    docs = origins.docs("/embed/")
    p.goto(docs)
    embedded = p.frame_locator("#advisor")
    walk_to_the_result(p, embedded, origins)
    frame = frame_of(p)
    frame.wait_for_url(re.compile(r"/embed/result/\?"))
    assert frame.url == origins.advisor + "/embed/result/?subnet=public"
    expect(embedded.get_by_role("heading", name=re.compile("Traffic"))).to_be_visible()
    assert embedded.locator(".site-header").count() == 0
    assert p.url == docs
    wait_until_fitted(p)

    # "Change answers" goes back into the embedded wizard, with the answers kept.
    embedded.get_by_role("link", name="Change answers").click()
    frame.wait_for_url(re.compile(r"/embed/\?"))
    assert frame.url == origins.advisor + "/embed/?subnet=public"
    assert p.url == docs


def test_the_embedded_wizard_works_without_javascript_in_the_frame(
    make_page: Any, origins: Origins
) -> None:
    page = make_page(javascript=False)
    p = page.page
    docs = origins.docs("/embed/?step=load_balancer")
    p.goto(docs)
    embedded = p.frame_locator("#advisor")
    embedded.get_by_role("button", name="See the result").click()
    frame_of(p).wait_for_url(re.compile(r"/embed/result/"))
    expect(embedded.get_by_role("heading", level=1)).to_be_visible()
    assert len(p.context.pages) == 1
    assert p.url == docs


# --- What refuses to be framed ----------------------------------------------------------------


@pytest.mark.parametrize("framed", [RESULT.permalink, "/", "/?step=network"],
                         ids=["result", "wizard", "wizard-step"])
def test_the_main_pages_refuse_to_be_framed_by_the_docs_page(
    make_page: Any, origins: Origins, framed: str
) -> None:
    page = make_page()
    page.expect_console_error("frame-ancestors")
    p = page.page
    with p.expect_console_message(lambda m: "frame-ancestors 'none'" in m.text):
        p.goto(origins.docs(framed))
    frame = frame_of(p)
    assert not frame.url.startswith(origins.advisor)
    assert p.frame_locator("#advisor").get_by_role("heading").count() == 0


def test_a_portal_not_configured_cannot_frame_the_embed(
    make_page: Any, origins: Origins, settings: Any
) -> None:
    settings.EMBED_ALLOWED_ORIGINS = ["https://docs.example.com"]
    page = make_page()
    page.expect_console_error("frame-ancestors")
    p = page.page
    with p.expect_console_message(lambda m: "frame-ancestors" in m.text):
        p.goto(origins.docs(f"/embed/result/?{CANONICAL}"))
    assert not frame_of(p).url.startswith(origins.advisor)


# --- How it looks ---------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("scheme", "theme"), [("light", "light"), ("dark", "dark"), ("dark", "auto")],
    ids=["light", "dark", "auto-in-dark"],
)
def test_the_embed_fits_a_desktop_and_a_phone_in_each_theme(
    make_page: Any, origins: Origins, width: int, scheme: str, theme: str
) -> None:
    page = make_page(width=width, scheme=scheme)
    p = page.page
    p.goto(origins.docs(f"/embed/result/?{CANONICAL}&show=verdict,traffic,diagram&theme={theme}"))
    wait_until_fitted(p)
    frame = frame_of(p)
    assert frame.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert p.evaluate("document.documentElement.scrollWidth") <= width
    background = frame.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = scheme == "dark"
    assert (background == "rgb(13, 17, 23)") == dark, background
    if directory := os.environ.get("ADVISOR_SCREENSHOTS"):
        # Chromium paints a cross-origin frame only inside the viewport: make it the page.
        p.set_viewport_size({"width": width, "height": p.evaluate(
            "document.documentElement.scrollHeight")})
        wait_until_fitted(p)
        Path(directory).mkdir(parents=True, exist_ok=True)
        p.screenshot(path=f"{directory}/embed-{theme}-{width}-{scheme}.png")


# --- Accessible on its own -------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "url",
    [f"/embed/result/?{CANONICAL}", f"/embed/result/?{CANONICAL}&show=traffic&theme=dark",
     f"/embed/result/?{CANONICAL}&show=endpoints&theme=light", "/embed/?step=network",
     "/embed/result/?show=tables"],
    ids=["all-sections", "traffic-dark", "endpoints-light", "wizard-step", "bad-address-400"],
)
def test_axe_finds_nothing_serious_in_the_embed(make_page: Any, url: str, scheme: str) -> None:
    page = make_page(scheme=scheme)
    page.expect_console_error("400 (Bad Request)")
    page.open(url)
    results = Axe().run(page.page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
