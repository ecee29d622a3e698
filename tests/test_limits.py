"""Oversized input is refused at once, with a message that names the limit: never a 500, never
a bare "Bad Request", never the input echoed back."""

from __future__ import annotations

import html
import io
import json
import re
import runpy
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from gunicorn.config import Config

from advisor.api import MAX_BODY_BYTES
from advisor.limits import MAX_QUERY_BYTES, MAX_QUERY_FIELDS, query_problem
from advisor.rules import AnswersError, parse_query, to_query
from advisor.rules.answers import FIELDS, INT_MAX, UNKNOWN, Field, Kind, Step
from tests.production import REPO, VIA_LOAD_BALANCER, Server

GUNICORN_CONF = REPO / "gunicorn.conf.py"

PAGES = ["/", "/result/", "/result.md", "/embed/", "/embed/result/"]
API = ["/api/v1/evaluate", "/api/v1/questions", "/api/v1/openapi.json", "/oembed/"]
HTMX = {"HX-Request": "true"}


def get(path: str, query: str, **headers: str) -> Any:
    return Client().get(path, QUERY_STRING=query, headers=headers)


def long_query(size: int) -> str:
    """A query string of exactly `size` bytes: one tracking parameter padded out."""
    return "utm_source=" + "x" * (size - len("utm_source="))


def many_fields(count: int) -> str:
    return "&".join(f"utm_{n}=1" for n in range(count))


def assert_page_names(response: Any, status: int, *phrases: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    for phrase in phrases:
        assert phrase in body
    assert "xxxxxxxxxx" not in body, "the oversized input is not echoed back"


def assert_json_names(response: Any, status: int, *phrases: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    messages = response.json()["errors"]["__all__"]
    for phrase in phrases:
        assert any(phrase in message for message in messages)
    assert "xxxxxxxxxx" not in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_page_refuses_a_too_long_query_string_with_414_naming_the_limit(path: str) -> None:
    response = get(path, long_query(MAX_QUERY_BYTES + 1))
    assert_page_names(
        response, 414, "The address is too long", f"too long: {MAX_QUERY_BYTES + 1} bytes",
        f"the limit is {MAX_QUERY_BYTES} bytes",
    )


@pytest.mark.parametrize("path", API)
def test_the_api_refuses_a_too_long_query_string_with_a_414_json_error(path: str) -> None:
    response = get(path, long_query(MAX_QUERY_BYTES + 1))
    assert_json_names(response, 414, f"the limit is {MAX_QUERY_BYTES} bytes")


def test_the_htmx_summary_refuses_a_too_long_query_string_too() -> None:
    response = get("/summary/", long_query(MAX_QUERY_BYTES + 1), **HTMX)
    assert_page_names(response, 414, f"the limit is {MAX_QUERY_BYTES} bytes")


@pytest.mark.parametrize("path", PAGES)
def test_a_page_refuses_too_many_fields_with_400_naming_the_limit(path: str) -> None:
    response = get(path, many_fields(MAX_QUERY_FIELDS + 1))
    assert_page_names(
        response, 400, "too many fields", f"{MAX_QUERY_FIELDS + 1};",
        f"the limit is {MAX_QUERY_FIELDS}",
    )


@pytest.mark.parametrize("path", API)
def test_the_api_refuses_too_many_fields_with_a_400_json_error(path: str) -> None:
    response = get(path, many_fields(MAX_QUERY_FIELDS + 1))
    assert_json_names(response, 400, f"the limit is {MAX_QUERY_FIELDS}")


def test_thousands_of_parameters_get_the_same_designed_answer() -> None:
    """Beyond Django's own field limit (1000), which would answer a bare 'Bad Request'."""
    query = many_fields(5000)
    assert_page_names(get("/result/", query), 400, "too many fields: 5000;")
    assert_json_names(get("/api/v1/evaluate", query), 400, "too many fields: 5000;")


@pytest.mark.parametrize("path", ["/", "/result/", "/api/v1/evaluate"])
def test_a_query_string_at_the_limits_is_read(path: str) -> None:
    at_size = get(path, long_query(MAX_QUERY_BYTES))
    at_count = get(path, many_fields(MAX_QUERY_FIELDS))
    for response in (at_size, at_count):
        assert response.status_code in (200, 302)


def test_the_longest_real_answers_are_far_inside_the_limits() -> None:
    """Every field away from its default, every list item ticked, sent as the form sends it."""
    query = (
        "step=load_balancer&os=windows&arch=x86_64&platform_version=1.0.0&subnet=public"
        "&public_ip=true&nat_gateway=true&ip_mode=dualstack&dualstack_account_setting=true"
        "&ipv6_autoassign=true&ipv6_egress=egress_only_igw&vpc_dns=false"
        + "".join(f"&endpoints={e}" for e in ("ecr_api", "ecr_dkr", "s3", "logs",
                                              "secretsmanager", "ssm", "ssmmessages", "kms"))
        + "&endpoint_private_dns=false&registry=ecr_pull_through_cache&log_driver=firelens"
        "&secrets=secretsmanager&secrets=ssm&cmk=true&efs=true&ecs_exec=true"
        "&load_balancer=none&target_type=instance&subnet_count=1000&security_group_count=1000"
    )
    assert len(query) * 3 < MAX_QUERY_BYTES
    assert (query.count("&") + 1) * 2 < MAX_QUERY_FIELDS
    assert get("/", query).status_code in (200, 302)


def test_an_oversized_json_body_is_a_400_naming_the_limit() -> None:
    body = json.dumps({"subnet": "x" * (4 * MAX_BODY_BYTES)})
    response = Client().post("/api/v1/evaluate", body, content_type="application/json")
    assert_json_names(response, 400, f"the limit is {MAX_BODY_BYTES} bytes")


def test_a_megabyte_body_is_refused_the_same_way() -> None:
    body = b"[" * 1024 * 1024
    response = Client().post("/api/v1/evaluate", body, content_type="application/json")
    assert_json_names(response, 400, "too large")


# --- The longest addresses the advisor itself writes -------------------------------------------
#
# Spec section 4: permalinks with many unknowns stay short (`unknown=a,b,c`), and the longest
# permalink an import can produce is served. Both are computed from the vocabulary, so a new
# field or value moves them.


def _texts(field: Field) -> list[str]:
    """Every value a field can travel as in a query string, as text (lists: the whole list)."""
    if field.kind is Kind.INT:
        values = [str(field.minimum or 0), str(INT_MAX)]
    elif field.kind is Kind.MULTI:
        values = [",".join(field.choices)]
    else:
        values = list(field.choices)
    return [*values, UNKNOWN.value]


def _longest(candidates: dict[str, list[str]], length: Callable[[dict[str, str]], int],
             valid: Callable[[dict[str, str]], bool]) -> dict[str, str]:
    """The valid choice of one candidate per field with the greatest `length`.

    The length of a query string is a sum over its fields plus a little shared overhead (the
    `unknown=` of a permalink), so raising one field at a time from each end (every field
    known, every field unknown) finds the longest.
    """
    best: dict[str, str] = {}
    for start in (0, -1):
        choice = {name: values[start] for name, values in candidates.items()}
        changed = True
        while changed:
            changed = False
            for name, values in candidates.items():
                for value in values:
                    trial = {**choice, name: value}
                    if valid(trial) and length(trial) > length(choice):
                        choice, changed = trial, True
        if valid(choice) and (not best or length(choice) > length(best)):
            best = choice
    return best


def _parses(texts: dict[str, str]) -> bool:
    try:
        parse_query({name: [text] for name, text in texts.items()})
    except AnswersError:
        return False
    return True


def _canonical(texts: dict[str, str]) -> str:
    return to_query(parse_query({name: [text] for name, text in texts.items()}))


@cache  # a search over the vocabulary, seconds long: once per test process
def longest_permalink_query() -> str:
    """The longest canonical query string any answers have."""
    candidates = {field.name: _texts(field) for field in FIELDS}
    return _canonical(_longest(candidates, lambda t: len(_canonical(t)), _parses))


def _navigation() -> str:
    """The wizard's own parameters at their longest (`links.Navigation`, `links.wizard_url`):
    the step shown, every other step passed over, and every question marked as read or
    inferred from the documents (each name once, split over both marks)."""
    shown = max((step.value for step in Step), key=len)
    names = [field.name for field in FIELDS]
    return urlencode({
        "step": shown,
        "skip": ",".join(step.value for step in Step if step.value != shown),
        "imported": ",".join(names[:-1]),
        "inferred": names[-1],
    }, safe=",")


@cache
def longest_wizard_query() -> str:
    """The longest canonical address of a wizard step: navigation, then the answers."""
    return f"{_navigation()}&{longest_permalink_query()}"


@cache
def longest_import_query() -> str:
    """The longest wizard address an import writes: the navigation, then every field stated
    (`ImportResult.answered_query` writes defaults too), each at its longest text, `unknown`
    included. The wizard answers it with its canonical address."""
    candidates = {field.name: sorted(_texts(field), key=len, reverse=True) for field in FIELDS}
    answers = _longest(candidates, lambda t: len(urlencode(t, safe=",")), _parses)
    return f"{_navigation()}&{urlencode(answers, safe=',')}"


# Every path a permalink or a wizard step is served at, with the longest query it can carry.
LONGEST = {
    "result": ("/result/", longest_permalink_query),
    "result_markdown": ("/result.md", longest_permalink_query),
    "embed_result": ("/embed/result/", longest_permalink_query),
    "api": ("/api/v1/evaluate", longest_permalink_query),
    "wizard_step": ("/", longest_wizard_query),
    "embed_wizard_step": ("/embed/", longest_wizard_query),
}
IMPORT_LINKS = {"wizard": "/", "embed_wizard": "/embed/"}


def test_a_permalink_with_every_field_unknown_stays_short() -> None:
    every = to_query(parse_query({"unknown": [",".join(f.name for f in FIELDS)]}))
    assert every == f"unknown={','.join(field.name for field in FIELDS)}"
    assert len(every) < len(longest_permalink_query())


def test_the_longest_permalink_leaves_no_field_at_its_default() -> None:
    answers = parse_query(longest_permalink_query())
    assert all(getattr(answers, f.name) != f.default for f in FIELDS)


def served(path: str, query: str) -> Any:
    """The response to an address, after the one redirect to its canonical form a wizard step
    may answer with."""
    response = Client().get(path, QUERY_STRING=query, follow=True)
    assert len(response.redirect_chain) <= 1
    return response


@pytest.mark.parametrize(("path", "query"), LONGEST.values(), ids=list(LONGEST))
def test_the_longest_address_the_advisor_writes_is_served(
    path: str, query: Callable[[], str]
) -> None:
    text = query()
    assert query_problem(text) is None
    assert len(text) * 2 < MAX_QUERY_BYTES, "room for tracking parameters"
    response = served(path, text)
    assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize("path", IMPORT_LINKS.values(), ids=list(IMPORT_LINKS))
def test_the_longest_link_an_import_writes_leads_to_its_step(path: str) -> None:
    text = longest_import_query()
    assert query_problem(text) is None
    assert served(path, text).status_code == 200


@pytest.mark.parametrize("query", [longest_wizard_query, longest_import_query],
                         ids=["canonical", "import"])
@pytest.mark.parametrize("path", IMPORT_LINKS.values(), ids=list(IMPORT_LINKS))
def test_the_wizard_keeps_every_answer_of_the_longest_link(
    path: str, query: Callable[[], str]
) -> None:
    response = served(path, query())
    final = response.redirect_chain[-1][0] if response.redirect_chain else f"{path}?{query()}"
    kept, given = parse_query(urlsplit(final).query), parse_query(query())
    # The wizard drops an answer to a question these answers make moot (issue 12's `when`):
    # every answer that matters is kept.
    mattering = [f.name for f in FIELDS if f.matters(given)]
    if False in (given.dns_support, given.dns_hostnames):  # an attribute off: not both on
        given = given.replace(vpc_dns=False)
    assert [getattr(kept, n) for n in mattering] == [getattr(given, n) for n in mattering]


def test_an_oembed_request_for_the_longest_permalink_is_served() -> None:
    """oEmbed carries the permalink percent-encoded inside its own query string."""
    permalink = f"http://testserver/result/?{longest_permalink_query()}"
    query = urlencode({"url": permalink, "format": "json"})
    assert query_problem(query) is None
    assert get("/oembed/", query).status_code == 200


def gunicorn_limit_request_line() -> int:
    """The request-line limit of gunicorn as gunicorn.conf.py configures it."""
    config = Config()
    for name, value in runpy.run_path(str(GUNICORN_CONF)).items():
        if name in config.settings:
            config.set(name, value)
    return config.limit_request_line


def test_gunicorn_passes_every_request_line_the_app_reads_itself() -> None:
    """A query string up to MAX_QUERY_BYTES gets the app's answer (a result, or a 414 that says
    why), never gunicorn's bare 400 for a too-long request line."""
    longest_path = max((path for path, _ in LONGEST.values()), key=len)
    request_line = f"GET {longest_path}?{'x' * (MAX_QUERY_BYTES + 1)} HTTP/1.1"
    assert len(request_line) <= gunicorn_limit_request_line()


@pytest.mark.parametrize(
    ("path", "query"),
    [*LONGEST.values(), *((path, longest_import_query) for path in IMPORT_LINKS.values())],
    ids=[*LONGEST, *(f"import_{name}" for name in IMPORT_LINKS)],
)
def test_gunicorn_serves_the_longest_address(
    server: Server, path: str, query: Callable[[], str]
) -> None:
    response = server.get(f"{path}?{query()}", headers=VIA_LOAD_BALANCER)
    if response.status == 302:  # the wizard's canonical address for an import's link
        response = server.get(response.headers["Location"],
                                         headers=VIA_LOAD_BALANCER)
    assert response.status == 200


def test_gunicorn_hands_the_app_a_query_just_over_its_limit(server: Server) -> None:
    response = server.get(f"/api/v1/evaluate?{long_query(MAX_QUERY_BYTES + 1)}",
                          headers=VIA_LOAD_BALANCER)
    assert response.status == 414
    assert f"the limit is {MAX_QUERY_BYTES} bytes" in response.body.decode()


# --- Hostile headers and numbers: a 400 that names the problem, never a 500 ------------------


@pytest.mark.parametrize("path", ["/summary/", "/embed/summary/"])
@pytest.mark.parametrize("current_url", ["http://[::1", "https://[nope/?step=image", "http://x]/?step=image"])
def test_an_htmx_current_url_that_is_not_a_url_is_a_400_naming_the_header(
    path: str, current_url: str
) -> None:
    response = Client().get(f"{path}?subnet=public", HTTP_HX_REQUEST="true",
                            HTTP_HX_CURRENT_URL=current_url)
    assert response.status_code == 400
    assert b"HX-Current-URL" in response.content


BIG = "9" * 5000  # past Python's 4,300-digit limit on converting text to int


@pytest.mark.parametrize(
    ("content_type", "document"),
    [
        pytest.param("application/json", f'{{"family": "web", "cpu": {BIG}}}', id="json"),
        pytest.param("application/json", f'{{"family": "web", "cpu": -{BIG}}}', id="json-neg"),
        pytest.param("application/yaml", f"family: web\ncpu: {BIG}\n", id="yaml"),
        pytest.param("application/yaml", f"family: web\ncpu: 0x{'f' * 5000}\n", id="yaml-hex"),
        pytest.param("application/yaml", f"family: web\ncpu: +{BIG[:2000]}_{BIG[:2000]}\n",
                     id="yaml-underscores"),
    ],
)
def test_an_imported_integer_of_thousands_of_digits_is_a_400_naming_it(
    content_type: str, document: str
) -> None:
    response = Client().post("/api/v1/import", document, content_type=content_type)
    assert response.status_code == 400
    (message,) = response.json()["errors"]["body"]
    assert "digits" in message and "at most 100" in message


def test_the_import_page_names_a_huge_integer_too() -> None:
    response = Client().post("/import/", {"text": f'{{"cpu": {BIG}}}'})
    assert response.status_code == 400
    assert b"5,000 digits" in response.content


def test_the_evaluate_api_names_a_huge_integer() -> None:
    response = Client().post("/api/v1/evaluate", f'{{"subnet_count": {BIG}}}',
                             content_type="application/json")
    assert response.status_code == 400
    assert "too long" in json.dumps(response.json())


# --- Answers too wide to decide: a 400 that names the answers to give first -------------------
# The search budget is lowered so that an ordinary wide permalink runs past it (the real
# budget is ten times the widest real document's need: see advisor/rules/unknowns.py).

WIDE = ("subnet=private&nat_gateway=false&efs=true&vpc_dns=false"
        "&unknown=endpoints,registry,ip_mode,secrets,log_driver,other_registries,endpoint_sg")


WIDE_JSON = {"subnet": "private", "nat_gateway": False, "efs": True, "vpc_dns": False,
             "unknown": WIDE.split("unknown=")[1].split(",")}


# A real permalink past the real budget (30 answers unknown, read together by the endpoint,
# registry and secrets requirements): refused in about 3 s, where the search alone took minutes.
TOO_WIDE = (
    "/result/?os=windows&dualstack_account_setting=true&endpoint_private_dns=false"
    "&load_balancer=gwlb&target_type=instance&subnet_count=40&security_group_count=16"
    "&endpoints_in=hub_no_phz&endpoint_sg=blocks&task_egress=https&dns_hostnames=false"
    "&free_addresses=short&service_discovery=cloud_map&efs_sg=blocks&efs_access_point=true"
    "&exec_logging=cloudwatch&lb_ingress=blocks&unknown=arch,subnet,public_ip,nat_gateway,"
    "ipv6_autoassign,ipv6_egress,endpoints,registry,log_driver,secrets,efs,ecs_exec,"
    "endpoint_policy,endpoint_ip_type,nacl,egress_via,dns_support,dns_resolver,"
    "other_registries,ecr_account,ecr_repository_policy,secrets_location,secrets_policy,"
    "logs_region,log_group,env_files,peer_ingress,efs_iam,efs_transit_encryption,"
    "exec_readonly_root"
)


def test_a_real_permalink_too_wide_to_decide_is_refused_naming_what_to_answer() -> None:
    path, _, query = TOO_WIDE.partition("?")
    response = get(path, query)
    assert response.status_code == 400
    named = _labelled(response.content.decode())
    # The unknown answers that the most requirements read, the endpoints among them.
    assert "endpoints" in named and set(named) <= set(parse_query(query).unknown)


@pytest.fixture
def tight_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("advisor.rules.unknowns.SEARCH_BUDGET", 20)


def _named(text: str) -> list[str]:
    """The answers the API's message asks for first (field names)."""
    assert "too much unknown to decide" in text
    named = text.split("first these: ")[1].split(".")[0].split(", ")
    assert named and set(named) <= {f.name for f in FIELDS}
    return named


def _labelled(page: str) -> list[str]:
    """The questions a page asks to answer first, by their labels."""
    assert "Too much is unknown to decide" in page
    after = html.unescape(page).split("Answer some of these first: ")[1]
    labels = re.split(r"\.(?:\s|<)", after)[0]
    by_label = {f.label: f.name for f in FIELDS}
    named = [by_label[label] for label in labels.split(", ")]
    assert named
    return named


@pytest.mark.usefixtures("tight_budget")
@pytest.mark.parametrize("path", ["/result/", "/result.md"])
def test_a_result_too_wide_to_decide_is_the_wizard_at_the_first_answer_to_give(
        path: str) -> None:
    query = to_query(parse_query(WIDE))
    response = get(path, query)
    assert response.status_code == 400
    page = response.content.decode()
    named = _labelled(page)
    first = next(f for f in FIELDS if f.name == named[0])
    assert f"({first.label}" not in page  # no field is marked invalid: it is only unknown
    assert f'id="div_id_{first.name}"' in page or f"step={first.step.value}" in page
    assert 'value="private"' in page or "subnet=private" in page  # the answers are kept


@pytest.mark.usefixtures("tight_budget")
def test_the_api_answers_too_wide_to_decide_with_a_400_naming_unknown() -> None:
    for response in (get("/api/v1/evaluate", WIDE),
                     Client().post("/api/v1/evaluate", json.dumps(WIDE_JSON),
                                   content_type="application/json")):
        assert response.status_code == 400
        (message,) = response.json()["errors"]["unknown"]
        _named(message)


@pytest.mark.usefixtures("tight_budget")
@pytest.mark.parametrize("path", ["/summary/", "/embed/summary/", "/"])
def test_the_live_summary_says_why_nothing_was_decided(path: str) -> None:
    if path == "/":
        response = Client().get(path, QUERY_STRING="step=network&" + WIDE, follow=True)
    else:
        response = get(path, "step=network&" + WIDE, HX_Request="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not evaluated" in page
    _labelled(page)


@pytest.mark.usefixtures("tight_budget")
def test_an_embed_too_wide_to_decide_is_its_400_page_and_oembed_a_json_400() -> None:
    response = get("/embed/result/", WIDE)
    assert response.status_code == 400
    _named(response.content.decode())
    url = "http://testserver/result/?" + to_query(parse_query(WIDE))
    response = get("/oembed/", urlencode({"url": url}))
    assert response.status_code == 400
    _named(response.json()["errors"]["url"][0])


TASK_DEFINITION = json.dumps({
    "family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
    "cpu": "256", "memory": "512",
    "containerDefinitions": [{"name": "web", "image": "nginx:latest"}],
})


@pytest.mark.usefixtures("tight_budget")
def test_an_import_too_wide_to_decide_keeps_its_answers_and_says_so() -> None:
    response = Client().post("/api/v1/import?evaluate=true", TASK_DEFINITION,
                             content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert "evaluation" not in body and body["permalink"]
    _named(body["evaluation_errors"]["unknown"][0])
    response = Client().post("/import/", {"text": TASK_DEFINITION})
    assert response.status_code == 200
    page = response.content.decode()
    _labelled(page)
    assert "Continue with the open questions" in page


@pytest.mark.usefixtures("tight_budget")
def test_the_command_line_exits_2_naming_the_answers_to_give() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as raised:
        call_command("advise", *WIDE.split("&"), stdout=io.StringIO())
    assert raised.value.returncode == 2
    _named(str(raised.value))
