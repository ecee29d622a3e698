"""Fuzzing the pages with hypothesis: every wizard step (whole page and htmx swap), the live
summary, the result page and its Markdown download. Whatever the query string, the answer is a
page, a redirect to a local address, or a 400/414 page that names each problem; and nothing the
user sent comes back as markup, script, an event handler or a `javascript:` URL."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.limits import query_problem
from advisor.rules.answers import Step
from tests.fuzz_inputs import (
    assert_names_each_problem,
    assert_safe_page,
    encode_pairs,
    expected_errors,
    markup_problems,
    pairs,
    query_strings,
)

pytestmark = pytest.mark.usefixtures("fuzz_budget")  # tests/conftest.py

CLIENT = Client()
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/?step=network"}
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

steps = st.sampled_from([step.value for step in Step] + ["result", "<script>", ""])


@st.composite
def wizard_queries(draw: st.DrawFn) -> str:
    """A step to show or `result`, then anything at all."""
    step = draw(steps)
    rest = draw(query_strings())
    return "&".join(part for part in (encode_pairs([("step", step)]), rest) if part)


@FUZZ
@given(query=wizard_queries(), htmx=st.booleans())
def test_any_wizard_address_gets_a_step_a_redirect_or_a_400_naming_each_problem(
    query: str, htmx: bool
) -> None:
    response = CLIENT.get("/", QUERY_STRING=query, headers=HTMX if htmx else {})
    html = assert_safe_page(response, query)
    if response.status_code == 200 and not query_problem(query) and expected_errors(query):
        assert_names_each_problem(html, query)


@FUZZ
@given(query=query_strings())
def test_the_live_summary_names_each_problem_in_any_answers(query: str) -> None:
    response = CLIENT.get("/summary/", QUERY_STRING=query, headers=HTMX)
    html = assert_safe_page(response, query)
    if response.status_code == 200 and expected_errors(query):
        assert_names_each_problem(html, query)


@FUZZ
@given(query=query_strings(), path=st.sampled_from(["/result/", "/result.md"]))
def test_any_result_address_gets_the_result_its_permalink_or_a_400(query: str, path: str) -> None:
    response = CLIENT.get(path, QUERY_STRING=query)
    assert_safe_page(response, query)
    if response.status_code == 200:
        assert expected_errors(query) is None


@FUZZ
@given(items=pairs)
def test_hostile_names_and_values_never_come_back_as_markup(items: list[tuple[str, str]]) -> None:
    query = encode_pairs(items)
    for path, headers in [("/", {}), ("/", HTMX), ("/result/", {}), ("/summary/", HTMX)]:
        assert_safe_page(CLIENT.get(path, QUERY_STRING=query, headers=headers), query)


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<p><script>alert(1)</script></p>", "inline <script>"),
        ('<p><script src="/static/x.js">alert(1)</script></p>', "script content"),
        ("<img src=x onerror=alert(1)>", "event handler"),
        ('<input value="" onmouseover="alert(1)" x="">', "event handler"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "javascript: URL"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "javascript: URL"),
        ('<iframe src="data:text/html,x"></iframe>', "data: URL"),
        ('<p style="color:red">x</p>', "style attribute"),
        ("<p>&lt;svg onload=alert(1)&gt; <svg onload=alert(1)></p>", "raw payload"),
    ],
    ids=["inline_script", "script_body", "img_onerror", "attribute_breakout",
         "javascript_url", "javascript_url_with_tab", "data_url", "style", "raw_svg"],
)
def test_the_markup_check_catches_what_an_injection_would_add(html: str, problem: str) -> None:
    assert any(problem in found for found in markup_problems(html))


def test_the_markup_check_passes_escaped_input() -> None:
    payloads = "".join(escape(text) for text in ('<script>alert(1)</script>',
                                                 '" onmouseover="alert(1)', "javascript:x"))
    html = f'<p>{payloads}</p><input value="{payloads}"><script src="/static/a.js"></script>'
    assert markup_problems(html) == []
