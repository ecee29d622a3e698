"""Fuzzing the embed and oEmbed with hypothesis: the embedded wizard and result take any query
string as the pages do (a page, a local redirect, or a 400 naming each problem, and nothing sent
comes back as markup); oEmbed takes any `url` and answers JSON, its `html` built only from
what it validated."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.embed import SECTIONS, THEMES, parse_options
from tests.fuzz_inputs import (
    HOSTILE,
    MARKERS,
    answer_errors,
    assert_json_error_names_the_problem,
    assert_safe_page,
    encode_pairs,
    expected_errors,
    markup_problems,
    pairs,
    query_strings,
    values,
)
from tests.test_fuzz_pages import HTMX, wizard_queries

pytestmark = pytest.mark.usefixtures("fuzz_budget")  # tests/conftest.py

CLIENT = Client()
FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

option_values = st.one_of(st.sampled_from([*SECTIONS, *THEMES]), values,
                          st.lists(st.sampled_from(SECTIONS), max_size=4).map(",".join))


@st.composite
def embed_queries(draw: st.DrawFn) -> str:
    options = draw(st.lists(st.tuples(st.sampled_from(["show", "theme"]), option_values),
                            max_size=3))
    rest = draw(query_strings())
    return "&".join(part for part in (encode_pairs(options), rest) if part)


def embed_errors(query: str) -> dict[str, list[str]]:
    """What the embedded result should name: the answers' problems and the options'."""
    params = QueryDict(query)
    errors = parse_options(params)[2]
    return {**(answer_errors(params) or {}), **errors}


@FUZZ
@given(query=wizard_queries(), htmx=st.booleans())
def test_the_embedded_wizard_takes_any_address_like_the_wizard(query: str, htmx: bool) -> None:
    response = CLIENT.get("/embed/", QUERY_STRING=query, headers=HTMX if htmx else {})
    assert_safe_page(response, query)


@FUZZ
@given(query=query_strings())
def test_the_embedded_live_summary_names_each_problem(query: str) -> None:
    response = CLIENT.get("/embed/summary/", QUERY_STRING=query, headers=HTMX)
    assert_safe_page(response, query)


@FUZZ
@given(query=embed_queries())
def test_the_embedded_result_takes_any_answers_and_options(query: str) -> None:
    errors = embed_errors(query)
    response = CLIENT.get("/embed/result/", QUERY_STRING=query)
    assert_safe_page(response, query, errors)
    if response.status_code == 200:
        assert not errors


permalinks = st.one_of(
    st.builds(lambda q: f"http://testserver/result/?{q}", st.one_of(
        pairs.map(encode_pairs), st.sampled_from(["subnet=public&public_ip=true", ""]))),
    st.builds(lambda scheme, host, path, q: f"{scheme}://{host}{path}?{q}",
              st.sampled_from(["http", "https", "javascript", "data", "HTTP", ""]),
              st.sampled_from(["testserver", "evil.example", "testserver@evil.example",
                               "127.0.0.1", "[::1", "testserver:80", "<script>"]),
              st.sampled_from(["/result/", "/result", "/embed/result/", "//x", "/<script>"]),
              pairs.map(encode_pairs)),
    st.sampled_from(HOSTILE),
    values,
)


@FUZZ
@given(
    url=permalinks,
    extra=st.lists(st.tuples(st.sampled_from(["maxwidth", "maxheight", "format"]), values),
                   max_size=3),
)
def test_oembed_answers_json_for_any_url_and_its_html_holds_nothing_sent(
    url: str, extra: list[tuple[str, str]]
) -> None:
    query = encode_pairs([("url", url), *extra])
    response = CLIENT.get("/oembed/", QUERY_STRING=query)
    assert response.status_code in (200, 400, 404, 414, 501)
    assert response["Content-Type"] == "application/json"
    if response.status_code != 200:
        assert_json_error_names_the_problem(response)
        return
    body: dict[str, Any] = response.json()
    html = body["html"]
    assert markup_problems(html) == []
    assert not any(marker in body["title"] for marker in MARKERS)
    # The iframe and the script come from this advisor, at a canonical embed address.
    for src in re.findall(r'src="([^"]*)"', html):
        assert src.startswith(("http://testserver/", "https://testserver/")), src
        assert not any(char in src for char in "<>'\" "), src
    assert expected_errors(urlsplit(url.strip()).query) is None
