"""Hostile input for the fuzz tests (tests/test_fuzz_*.py), and what every answer must be.

The strategies mix the vocabulary (so that requests get past the first check and reach the
rules) with what attackers and accidents send: markup and script in names and values, quotes,
`javascript:` URLs, template syntax, control characters, huge values, repeated and unknown
parameters, percent-encoded and raw bytes that are not UTF-8, JSON of the wrong types and deep
nesting.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

from django.http import QueryDict
from django.utils.html import escape
from hypothesis import strategies as st

from advisor.limits import query_problem
from advisor.presentation import too_wide_words
from advisor.rules import AnswersError, TooManyUnknowns, evaluate, parse_query
from advisor.rules.answers import FIELDS, Kind

FIELD_NAMES = [field.name for field in FIELDS]

# Each payload would do something if it came back unescaped in HTML, in an attribute or in a
# URL. Their markers below are what an escaped copy can never contain.
HOSTILE = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "' autofocus onfocus='alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    " javascript:alert(1)//",
    "data:text/html,<script>alert(1)</script>",
    "</textarea></title></script><script>alert(1)</script>",
    "<!--",
    "]]>",
    "{{ request.META }}{% debug %}",
    "${7*7}",
    "\x00",
    "\u202e\u2066",
    "%00%0d%0aSet-Cookie:x=1",
    "\r\nX-Injected: 1",
    "ecr_api,<b>bold</b>",
    "'",
    '"',
    "&amp;",
    "../../../../etc/passwd",
]
MARKERS = ["<script>alert", "<svg onload", "<img src=x", "<b>bold</b>"]

VALID_VALUES = sorted(
    {value for field in FIELDS for value in field.choices}
    | {"true", "false", "0", "1", "2", "1000", ""}
)

# Percent-encodings that do not decode to UTF-8: lone continuation and lead bytes, overlong
# forms, an encoded surrogate, a truncated sequence, and broken escapes.
BAD_PERCENT = ["%ff", "%fe%ff", "%c3%28", "%c0%af", "%ed%a0%80", "%e2%82", "%80", "%", "%zz",
               "%0", "%%", "%00"]


def _text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(st.characters(codec="utf-8"), max_size=max_size)


names = st.one_of(
    st.sampled_from([*FIELD_NAMES, "step"]),
    st.sampled_from(HOSTILE),
    _text(20),
    st.sampled_from(FIELD_NAMES).map(lambda n: n.upper()),
)

values = st.one_of(
    st.sampled_from(VALID_VALUES),
    st.sampled_from(HOSTILE),
    _text(30),
    st.lists(st.sampled_from(VALID_VALUES + HOSTILE), max_size=6).map(",".join),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=200, max_value=1900).map(lambda n: "a" * n),  # long but in bounds
)

pairs = st.lists(st.tuples(names, values), max_size=25)


def encode_pairs(items: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(name, safe='')}={quote(value, safe=',')}" for name, value in items)


@st.composite
def query_strings(draw: st.DrawFn) -> str:
    """A query string as a WSGI server hands it over (a latin-1 str of the raw bytes)."""
    kind = draw(st.sampled_from(["pairs", "bad_percent", "raw_bytes", "raw_text"]))
    if kind == "pairs":
        return encode_pairs(draw(pairs))
    if kind == "bad_percent":
        items = draw(pairs)
        name = draw(st.sampled_from([*FIELD_NAMES, "x"]))
        bad = "".join(draw(st.lists(st.sampled_from(BAD_PERCENT), min_size=1, max_size=4)))
        position = draw(st.sampled_from(["value", "name"]))
        extra = f"{name}={bad}" if position == "value" else f"{bad}={name}"
        return "&".join(part for part in (encode_pairs(items), extra) if part)
    if kind == "raw_bytes":
        raw = draw(st.binary(max_size=200))
        return raw.decode("latin-1")
    return draw(_text(200)).encode("utf-8").decode("latin-1")


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False), _text(30), st.sampled_from(HOSTILE),
    st.sampled_from(VALID_VALUES),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(names, children, max_size=4),
    ),
    max_leaves=20,
)


def _answers_like() -> st.SearchStrategy[dict[str, Any]]:
    """Objects whose keys are mostly real fields, with values of every JSON type."""
    good = {
        Kind.BOOL: st.booleans(),
        Kind.INT: st.integers(min_value=0, max_value=1000),
        Kind.CHOICE: st.sampled_from(VALID_VALUES),
        Kind.MULTI: st.lists(st.sampled_from(VALID_VALUES), max_size=4),
    }
    known = st.fixed_dictionaries(
        {}, optional={field.name: st.one_of(good[field.kind], json_values) for field in FIELDS}
    )
    unknown = st.dictionaries(names, json_values, max_size=3)
    return st.builds(lambda extra, fields: {**extra, **fields}, unknown, known)


answers_objects = _answers_like()


@st.composite
def json_bodies(draw: st.DrawFn) -> bytes:
    """POST bodies: answers of the wrong types, any JSON at all, deep nesting, bad bytes."""
    kind = draw(st.sampled_from(["answers", "any_json", "deep", "bytes", "broken_utf8"]))
    if kind == "answers":
        return json.dumps(draw(answers_objects)).encode()
    if kind == "any_json":
        return json.dumps(draw(json_values)).encode()
    if kind == "deep":
        depth = draw(st.integers(min_value=9, max_value=5000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        return (opener * depth + "1" + closer * depth).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    body = json.dumps(draw(answers_objects)).encode()
    cut = draw(st.integers(min_value=0, max_value=len(body)))
    bad = draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"]))
    return body[:cut] + bad + body[cut:]


content_types = st.sampled_from([
    "application/json", "application/json; charset=utf-8", "application/json; charset=latin-1",
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "",
    "application/json<script>", "application/json; charset=\"<script>\"",
])


# --- What every answer must be -------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "hx-get", "hx-post", "hx-push-url"}
DANGEROUS_SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


class _Markup(HTMLParser):
    """Collects what injected markup would add: scripts, handlers, dangerous URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not attributes.get("src"):
                self.problems.append("an inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an event handler attribute {name}=")
            if name == "style":
                self.problems.append("a style attribute")
            cleaned = re.sub(r"[\x00-\x20]", "", value or "")
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEMES.match(cleaned):
                self.problems.append(f"a {cleaned.split(':')[0].lower()}: URL in {name}=")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("script content")


def markup_problems(html: str) -> list[str]:
    """What in this HTML could run script: inline scripts, handlers, javascript: URLs."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    problems = parser.problems
    problems += [f"the raw payload {marker!r}" for marker in MARKERS if marker in html]
    return problems


def assert_json_error_names_the_problem(response: Any) -> dict[str, list[str]]:
    """A designed JSON 4xx: only `errors`, each field (bounded) with non-empty messages."""
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["errors"]
    errors = body["errors"]
    assert errors, "a 4xx names at least one problem"
    for name, messages in errors.items():
        assert len(name) <= 100, "an echoed field name is bounded"
        assert messages and all(isinstance(m, str) and m.strip() for m in messages)
        assert all(len(m) <= 1000 for m in messages), "a message quotes a bounded excerpt"
    return errors


REDIRECT_HEADERS = ("Location", "HX-Redirect", "HX-Location", "HX-Push-Url", "HX-Replace-Url")


def expected_errors(query: str) -> dict[str, list[str]] | None:
    """What a page names as wrong with these answers (the wizard and the result page word a
    refusal of answers too wide to decide with the questions' labels)."""
    return answer_errors(QueryDict(query), words=True)


def answer_errors(params: Any, words: bool = False) -> dict[str, list[str]] | None:
    """What is wrong with these answers (None when nothing is): the vocabulary's problems, or,
    for valid answers with unknowns, that they are too wide to decide within the search budget
    (`TooManyUnknowns`, an AnswersError like the others; in a page's `words`, or the API's)."""
    try:
        answers = parse_query(params)
        if answers.unknown:
            evaluate(answers)
    except TooManyUnknowns as error:
        return {"unknown": [too_wide_words(error)]} if words else error.errors
    except AnswersError as error:
        return error.errors
    return None


def assert_local(url: str) -> None:
    """A redirect stays on this site: a path, never another host or a script URL."""
    parts = urlsplit(url)
    assert not parts.scheme or parts.netloc == "testserver", url
    assert parts.path.startswith("/") and not parts.path.startswith(("//", "/\\")), url
    assert not any(char in url for char in "<>\"' \r\n"), url


def assert_safe_page(
    response: Any, query: str, errors: dict[str, list[str]] | None = None
) -> str:
    """The checks every page answer passes; returns the HTML (empty for a redirect).

    A 400 must name each problem: `errors` when given, else what the vocabulary finds.
    """
    assert response.status_code in (200, 302, 400, 414), response.status_code
    for header in REDIRECT_HEADERS:
        if header in response:
            assert_local(response[header])
    if response.status_code == 302:
        return ""
    content_type = response["Content-Type"]
    if content_type.startswith("text/markdown"):
        assert response.status_code == 200
        return ""
    assert content_type.startswith("text/html")
    html = response.content.decode()
    assert markup_problems(html) == []
    if response.status_code >= 400:
        problem = query_problem(query)
        if problem:
            assert problem[2] in html
        else:
            assert_names_each_problem(html, query, errors)
    return html


def assert_names_each_problem(
    html: str, query: str, errors: dict[str, list[str]] | None = None
) -> None:
    errors = errors or expected_errors(query)
    assert errors, "a 400 page is for answers that have a problem"
    for messages in errors.values():
        for message in messages:
            assert escape(message) in html, message
