"""The network diagram: its structure (parsed as XML), its words, and how it renders."""

from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.diagram import DASHES, branches, endpoint_short, render_diagram
from advisor.rules import evaluate, parse_query
from advisor.rules.answers import (
    UNKNOWN,
    Answers,
    Endpoint,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
    Subnet,
)
from advisor.rules.result import Action, HopKind, Result, Status
from tests.strategies import valid_answers

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "diagram.css"

SCENARIOS = {
    "public_subnet_with_public_ip": "subnet=public&public_ip=true",
    "private_subnet_with_nat": "nat_gateway=true&secrets=secretsmanager,ssm&load_balancer=alb",
    "isolated_with_endpoints": "endpoints=ecr_api,ecr_dkr,s3,logs,secretsmanager&"
    "secrets=secretsmanager&efs=true",
    "isolated_missing_endpoints": "endpoints=ecr_dkr,logs&secrets=ssm",
    "platform_1_3_0_with_fargate_owned_eni": "platform_version=1.3.0&nat_gateway=true&"
    "secrets=secretsmanager&efs=true",
    "windows": "os=windows&subnet=public&public_ip=true&log_driver=firelens&efs=true",
    "ipv6_only_with_egress_only_igw": "ip_mode=ipv6_only&ipv6_egress=egress_only_igw&"
    "registry=docker_hub&load_balancer=clb",
}


def draw(query: str) -> tuple[Result, ET.Element]:
    result = evaluate(parse_query(query))
    return result, ET.fromstring(render_diagram(result))


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def flow_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(SVG + "g") if "dg-flow" in classes(g)]


def flow(root: ET.Element, action: Action) -> ET.Element:
    (group,) = [g for g in flow_groups(root) if g.get("data-action") == action.value]
    return group


def words(element: ET.Element) -> str:
    """The visible text of an element, without its <title>."""
    return " ".join(
        "".join(t.itertext()) for t in element.iter(SVG + "text")
    )


def box_labels(root: ET.Element, kind: str) -> list[str]:
    return [words(g) for g in root.iter(SVG + "g") if f"dg-node--{kind}" in classes(g)]


def used_rows(result: Result):
    return [row for row in result.traffic if row.status is not Status.NOT_USED]


def branch_groups(group: ET.Element) -> list[ET.Element]:
    return [g for g in group.iter(SVG + "g") if "dg-branch" in classes(g)]


def state_of(branch: ET.Element) -> Status:
    (state,) = [Status(c.removeprefix("dg-flow--")) for c in classes(branch)
                if c.startswith("dg-flow--")]
    return state


def hop_nodes(root: ET.Element) -> dict[tuple[str, str], list[ET.Element]]:
    """Every element that draws a hop, by (kind, name)."""
    out: dict[tuple[str, str], list[ET.Element]] = {}
    for element in root.iter(SVG + "g"):
        if element.get("data-hop"):
            out.setdefault((element.get("data-hop"), element.get("data-name")), []).append(element)
    return out


# --- One flow per used row, styled by its status -------------------------------------------


@pytest.mark.parametrize("query", SCENARIOS.values(), ids=list(SCENARIOS))
def test_each_used_traffic_row_is_one_flow_with_its_status(query):
    result, root = draw(query)
    groups = flow_groups(root)
    assert [g.get("data-action") for g in groups] == [r.action.value for r in used_rows(result)]
    for group, row in zip(groups, used_rows(result), strict=True):
        assert f"dg-flow--{row.status.value}" in classes(group)
        states = set()
        for branch in branch_groups(group):
            lines = [p for p in branch.iter(SVG + "path") if "dg-line" in classes(p)]
            assert lines, f"{row.action} has a branch with no line"
            assert {line.get("stroke-dasharray") for line in lines} == {DASHES[state_of(branch)]}
            states.add(state_of(branch))
        # A blocked row may have branches that pass (out of the task) beside the one that
        # stops (in from the load balancer); otherwise every branch has the row's status.
        assert row.status in states
        assert states == {row.status} or row.status is Status.BLOCKED
        status_word = {"ok": "OK", "blocked": "Blocked", "unsupported": "Unsupported"}
        assert status_word[row.status.value] in words(group)
        assert row.label in group.find(SVG + "title").text


def test_rows_not_used_are_not_drawn():
    result, root = draw("log_driver=none&registry=docker_hub&nat_gateway=true")
    drawn = {g.get("data-action") for g in flow_groups(root)}
    assert drawn == {"image_pull", "application"}
    assert {r.action.value for r in result.traffic if r.status is Status.NOT_USED} == {
        "ecr_auth", "log_driver", "firelens", "secrets", "efs",
    }


def test_blocked_flows_are_dashed_and_say_blocked_in_words():
    result, root = draw(SCENARIOS["isolated_missing_endpoints"])
    blocked = [r for r in result.traffic if r.status is Status.BLOCKED]
    assert {r.action for r in blocked} == {Action.ECR_AUTH, Action.IMAGE_PULL, Action.SECRETS}
    for row in blocked:
        group = flow(root, row.action)
        assert "dg-flow--blocked" in classes(group)
        assert "Blocked" in words(group)
        assert all(p.get("stroke-dasharray") == "8 5"
                   for p in group.iter(SVG + "path") if "dg-line" in classes(p))
    assert "no route" in words(root)
    assert "OK" in words(flow(root, Action.LOG_DRIVER))


def test_unsupported_flows_on_windows_are_dotted_and_say_unsupported():
    _, root = draw(SCENARIOS["windows"])
    for action in (Action.FIRELENS, Action.EFS):
        group = flow(root, action)
        assert "dg-flow--unsupported" in classes(group)
        assert "Unsupported" in words(group)
        assert {p.get("stroke-dasharray") for p in group.iter(SVG + "path")
                if "dg-line" in classes(p)} == {DASHES[Status.UNSUPPORTED]}
    assert "not on Windows" in words(root)


# --- Which way each flow goes: one line per hop its route leaves the ENI by ---------------

ROUTES = [
    ("public_ip_goes_through_the_internet_gateway", "subnet=public&public_ip=true",
     Action.IMAGE_PULL, ["internet_gateway"]),
    ("private_subnet_goes_through_nat", "nat_gateway=true", Action.LOG_DRIVER, ["nat_gateway"]),
    ("isolated_image_pull_uses_ecr_dkr_and_s3_endpoints", "endpoints=ecr_api,ecr_dkr,s3",
     Action.IMAGE_PULL, ["interface_endpoint", "gateway_endpoint"]),
    ("endpoints_and_nat_for_the_rest", "endpoints=s3&nat_gateway=true",
     Action.IMAGE_PULL, ["gateway_endpoint", "nat_gateway"]),
    ("missing_s3_endpoint_leaves_the_pull_without_route", "endpoints=ecr_dkr",
     Action.IMAGE_PULL, ["no_route"]),
    ("endpoint_without_private_dns_is_no_route", "endpoints=logs&endpoint_private_dns=false",
     Action.LOG_DRIVER, ["no_route"]),
    ("ecr_login_on_1_3_0_uses_the_fargate_owned_eni", "platform_version=1.3.0",
     Action.ECR_AUTH, [None]),
    ("efs_goes_through_its_mount_target", "efs=true&nat_gateway=true", Action.EFS,
     ["mount_target"]),
    ("application_without_internet_stays_inside_the_vpc", "", Action.APPLICATION, [None]),
    ("ipv6_only_goes_through_the_egress_only_igw",
     "ip_mode=ipv6_only&ipv6_egress=egress_only_igw", Action.LOG_DRIVER, ["egress_only_igw"]),
    ("secrets_from_both_stores_are_one_route", "secrets=secretsmanager,ssm&nat_gateway=true",
     Action.SECRETS, ["nat_gateway"]),
]


@pytest.mark.parametrize(("query", "action", "ways"), [r[1:] for r in ROUTES],
                         ids=[r[0] for r in ROUTES])
def test_flow_has_a_line_for_each_hop_its_route_leaves_by(query, action, ways):
    _, root = draw(query)
    lines = [p for p in flow(root, action).iter(SVG + "path")
             if "dg-line" in classes(p) and "dg-line--inbound" not in classes(p)]
    assert [p.get("data-way") for p in lines] == ways


def test_secrets_lines_end_at_the_service_the_route_names():
    result, root = draw("secrets=secretsmanager,ssm&nat_gateway=true")
    (row,) = [r for r in result.traffic if r.action is Action.SECRETS]
    text = words(flow(root, Action.SECRETS))
    assert row.route[-1].name == "Secrets Manager / Systems Manager"
    assert "Secrets Manager" in text
    assert "Systems Manager" in text


def test_a_blocked_line_ends_at_the_hop_that_stops_it():
    _, root = draw("endpoints=ecr_dkr,logs&efs=true&vpc_dns=false")
    for action in (Action.IMAGE_PULL, Action.EFS):
        (branch,) = branch_groups(flow(root, action))
        (line,) = [p for p in branch.iter(SVG + "path") if "dg-line" in classes(p)]
        end_x = float(line.get("d").split()[-2].lstrip("L"))
        service = next(g for g in branch.iter(SVG + "g") if g.get("data-hop") == "service")
        assert end_x < float(service.find(SVG + "rect").get("x")) - 20
    no_route = next(g for g in flow(root, Action.IMAGE_PULL).iter(SVG + "g")
                    if g.get("data-hop") == "no_route")
    assert "no route" in words(no_route)
    mount = box_labels(root, "mount")
    assert mount == ["Mount target EFS"]
    assert [g for g in root.iter(SVG + "g") if "dg-node--mount" in classes(g)
            and "dg-node--blocked" in classes(g)]


def test_load_balancer_sits_in_front_of_the_task_eni_on_the_application_flow():
    _, root = draw("load_balancer=nlb&nat_gateway=true")
    assert box_labels(root, "lb") == ["Load balancer NLB · target type ip"]
    inbound = [p for p in flow(root, Action.APPLICATION).iter(SVG + "path")
               if "dg-line--inbound" in classes(p)]
    assert len(inbound) == 1


def test_classic_load_balancer_link_is_drawn_blocked():
    _, root = draw("load_balancer=clb&nat_gateway=true")
    group = flow(root, Action.APPLICATION)
    assert "dg-flow--blocked" in classes(group)
    (inbound,) = [p for p in group.iter(SVG + "path") if "dg-line--inbound" in classes(p)]
    assert inbound.get("stroke-dasharray") == DASHES[Status.BLOCKED]


def test_no_load_balancer_box_without_a_load_balancer():
    _, root = draw("nat_gateway=true")
    assert box_labels(root, "lb") == []


# --- What exists in the network ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("platform_version=1.3.0&nat_gateway=true", True),
        ("platform_version=1.3.0&registry=docker_hub&nat_gateway=true", True),
        ("platform_version=1.4.0&nat_gateway=true", False),
        ("platform_version=latest&nat_gateway=true", False),
        ("os=windows&nat_gateway=true", False),
    ],
    ids=["1.3.0", "1.3.0_without_fargate_owned_traffic", "1.4.0", "latest", "windows"],
)
def test_fargate_owned_eni_appears_only_on_linux_1_3_0(query, expected):
    _, root = draw(query)
    eni_boxes = box_labels(root, "eni")
    assert any("Fargate-owned ENI" in label for label in eni_boxes) is expected
    assert ("Outside your VPC" in words(root)) is expected
    assert any("Task ENI" in label for label in eni_boxes)


@pytest.mark.parametrize(
    ("query", "nat", "igw", "eigw"),
    [
        ("subnet=public&public_ip=true", False, True, False),
        ("subnet=public&public_ip=false", False, True, False),
        ("subnet=private&nat_gateway=true", True, True, False),
        ("subnet=private", False, False, False),
        ("ip_mode=dualstack&ipv6_egress=egress_only_igw", False, False, True),
        ("ip_mode=ipv4&ipv6_egress=egress_only_igw", False, False, False),
    ],
    ids=["public_ip", "public_without_ip", "nat", "isolated", "dualstack_eigw",
         "ipv4_ignores_ipv6_route"],
)
def test_gateways_are_drawn_when_they_exist(query, nat, igw, eigw):
    _, root = draw(query)
    labels = " | ".join(box_labels(root, "nat") + box_labels(root, "gateway")
                        + box_labels(root, "idle"))
    assert ("NAT gateway" in labels) is nat
    assert ("IGW" in labels.replace("EIGW", "")) is igw
    assert ("EIGW" in labels) is eigw


def test_public_subnet_without_public_ip_says_why_its_gateway_is_idle():
    _, root = draw("subnet=public&public_ip=false")
    assert box_labels(root, "idle") == ["IGW"]
    assert "Task has no public IP" in words(root)


def test_endpoints_that_exist_but_carry_nothing_are_drawn_with_a_note():
    _, root = draw("endpoints=ecr_api,ecr_dkr,s3,ssmmessages,kms")
    assert box_labels(root, "endpoint") == [
        "ecr.api endpoint", "ecr.dkr endpoint", "s3 gateway endpoint",
    ]
    assert box_labels(root, "idle") == ["ssmmessages endpoint", "kms endpoint"]
    assert "Not on these paths" in words(root)


def test_endpoints_without_private_dns_are_marked_unusable():
    _, root = draw("endpoints=ecr_api,ecr_dkr,s3&endpoint_private_dns=false")
    # The image pull has no route, so the s3 gateway endpoint carries nothing either.
    assert box_labels(root, "idle") == ["ecr.api endpoint", "ecr.dkr endpoint",
                                        "s3 gateway endpoint"]
    assert words(root).count("Not used: private DNS off") == 2
    assert "Not on these paths" in words(root)


# --- Accessibility, safety, determinism ----------------------------------------------------


def test_svg_is_an_image_named_and_described_in_words():
    result, root = draw(SCENARIOS["isolated_missing_endpoints"])
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title[@id='{title_id}']")
    desc = root.find(f"{SVG}desc[@id='{desc_id}']")
    assert title.text == "Network diagram: 5 traffic flows, 2 ok, 3 blocked"
    for row in used_rows(result):
        assert f"{row.label}: {row.status.value}" in desc.text
    assert "to Systems Manager with no route" in desc.text
    assert "through the logs VPC endpoint" in desc.text
    assert "VPC endpoints ecr.dkr, logs" in desc.text


def test_id_prefix_keeps_two_diagrams_on_one_page_apart():
    result = evaluate(parse_query("nat_gateway=true"))
    root = ET.fromstring(render_diagram(result, id_prefix="embed-dg"))
    assert root.get("aria-labelledby") == "embed-dg-title embed-dg-desc"


def test_every_text_is_escaped():
    result = evaluate(parse_query("nat_gateway=true"))
    evil = '<script>alert("x")</script> & \'quoted\''
    rows = tuple(dataclasses.replace(row, label=evil, path=evil) for row in result.traffic)
    svg = str(render_diagram(dataclasses.replace(result, traffic=rows)))
    assert "<script" not in svg
    root = ET.fromstring(svg)
    assert evil in root.find(SVG + "desc").text
    assert all(evil in g.find(SVG + "title").text for g in flow_groups(root))


def test_render_is_deterministic_and_safe_string():
    query = SCENARIOS["isolated_with_endpoints"]
    first = render_diagram(evaluate(parse_query(query)))
    again = render_diagram(evaluate(parse_query("&".join(reversed(query.split("&"))))))
    assert first == again
    assert hasattr(first, "__html__")


# --- Invariants over the answer space ------------------------------------------------------


def answers() -> st.SearchStrategy[Answers]:
    return valid_answers(max_int=20)


def rects(root: ET.Element, cls: str) -> list[tuple[float, float, float, float]]:
    return [
        (float(r.get("x")), float(r.get("y")),
         float(r.get("x")) + float(r.get("width")), float(r.get("y")) + float(r.get("height")))
        for r in root.iter(SVG + "rect") if cls in classes(r)
    ]


@settings(max_examples=150, deadline=None)
@given(answers())
def test_any_answers_draw_a_sound_diagram(a):
    result = evaluate(a)
    svg = str(render_diagram(result))
    root = ET.fromstring(svg)
    # Strict CSP: no style attributes and no <style> element anywhere.
    assert "style=" not in svg.replace("font-style", "")
    assert root.find(f".//{SVG}style") is None
    assert all("style" not in el.attrib for el in root.iter())
    # One flow per used row, each with a hover title.
    groups = flow_groups(root)
    assert [g.get("data-action") for g in groups] == [r.action.value for r in used_rows(result)]
    assert all(g.find(SVG + "title") is not None for g in groups)
    # Everything stays inside the viewBox, and no two boxes overlap.
    _, _, width, height = map(float, root.get("viewBox").split())
    boxes = rects(root, "dg-box")
    for x0, y0, x1, y1 in boxes + rects(root, "dg-area"):
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    for (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) in itertools.combinations(boxes, 2):
        assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, "boxes overlap"
    # Every endpoint that exists is drawn.
    endpoint_text = " | ".join(box_labels(root, "endpoint") + box_labels(root, "idle"))
    for endpoint in a.endpoints:
        assert endpoint_short(endpoint) in endpoint_text
    # The Fargate-owned ENI only where the rules route traffic through it, or could (1.3.0).
    on_1_3_0 = result.platform.platform_version is PlatformVersion.V1_3_0
    assert ("Fargate-owned ENI" in words(root)) is on_1_3_0


# The diagram draws the rules' routes (advisor/rules/paths.py) and decides nothing itself: the
# grid covers every network shape the rules distinguish, and every hop of every route must be
# in the picture, a hop that does not pass drawn as stopping the traffic.
def _network_grid() -> list[Answers]:
    grid = []
    endpoint_sets = [frozenset(), frozenset({Endpoint.ECR_DKR, Endpoint.LOGS}), frozenset(Endpoint)]
    for (subnet, public_ip, nat), ip_mode, egress, endpoints, dns, version, registry in (
        itertools.product(
            [(Subnet.PUBLIC, True, False), (Subnet.PUBLIC, False, False),
             (Subnet.PRIVATE, False, True), (Subnet.PRIVATE, False, False)],
            list(IPMode), list(IPv6Egress), endpoint_sets, [True, False],
            [PlatformVersion.V1_4_0, PlatformVersion.V1_3_0],
            [Registry.ECR, Registry.ECR_OTHER_REGION, Registry.PRIVATE_REGISTRY],
        )
    ):
        grid.append(Answers(
            subnet=subnet, public_ip=public_ip, nat_gateway=nat, ip_mode=ip_mode,
            ipv6_egress=egress, endpoints=endpoints, endpoint_private_dns=dns,
            platform_version=version, registry=registry, efs=True,
            log_driver=LogDriver.FIRELENS if dns else LogDriver.AWSLOGS,
            secrets=frozenset({SecretSource.SSM}), load_balancer=LoadBalancer.ALB,
        ))
    return grid


def assert_draws_every_route(result: Result, root: ET.Element) -> None:
    nodes = hop_nodes(root)
    for row in used_rows(result):
        for hop in row.route:
            drawn = nodes.get((hop.kind.value, hop.name))
            assert drawn, (row.action, hop)
            assert all(g.find(SVG + "title") is not None or "no route" in words(g)
                       for g in drawn), hop
            if hop.passes is False:
                assert any({"dg-node--blocked", "dg-stop"} & classes(g) for g in drawn), hop
        group = flow(root, row.action)
        if any(hop.passes is False for hop in row.route):
            assert any(state_of(b) is Status.BLOCKED for b in branch_groups(group))
        if row.status is Status.DEPENDS or any(hop.passes is None for hop in row.route):
            assert all(state_of(b) is Status.DEPENDS for b in branch_groups(group))


def test_every_hop_of_every_route_is_drawn_and_a_blocked_hop_drawn_blocked():
    for a in _network_grid():
        result = evaluate(a)
        assert_draws_every_route(result, ET.fromstring(render_diagram(result)))


def test_gateways_and_endpoints_come_from_the_routes():
    result = evaluate(parse_query("endpoints=ecr_api,ecr_dkr,s3&nat_gateway=true"))
    on_routes = {(hop.kind, hop.name) for row in used_rows(result) for hop in row.route}
    drawn = {(b.way.kind, b.way.name) for b in branches(result) if b.way is not None}
    assert drawn == {hop for hop in on_routes
                     if hop[0] not in (HopKind.TASK_ENI, HopKind.SERVICE,
                                       HopKind.LOAD_BALANCER, HopKind.FARGATE_ENI)}


# --- Unknown answers: depends rows keep one completion's route, drawn as depends ----------


def test_depends_rows_are_drawn_distinctly_with_their_hops_as_maybe():
    result, root = draw("unknown=subnet,nat_gateway,public_ip,endpoints")
    depends = [r for r in used_rows(result) if r.status is Status.DEPENDS]
    assert depends
    for row in depends:
        group = flow(root, row.action)
        assert "dg-flow--depends" in classes(group)
        assert "Depends" in words(group)
        assert {p.get("stroke-dasharray") for p in group.iter(SVG + "path")
                if "dg-line" in classes(p)} == {DASHES[Status.DEPENDS]}
        for hop in row.route[1:]:
            nodes = hop_nodes(root)[(hop.kind.value, hop.name)]
            assert all("dg-node--maybe" in classes(g) for g in nodes), hop
    assert "Depends on the unknown answers" in words(root.find(SVG + "g[@class='dg-legend']"))
    desc = root.find(SVG + "desc").text
    assert "one way it could go" in desc
    assert "no gateways" not in desc
    assert_draws_every_route(result, root)


def test_legend_has_depends_only_when_a_row_depends():
    _, root = draw("nat_gateway=true")
    assert "Depends" not in words(root)


NETWORK_FIELDS = ["subnet", "public_ip", "nat_gateway", "endpoints", "ip_mode", "ipv6_egress",
                  "vpc_dns", "endpoint_private_dns", "load_balancer", "target_type"]


@settings(max_examples=25, deadline=None)
@given(valid_answers(max_int=20), st.sets(st.sampled_from(NETWORK_FIELDS), min_size=1,
                                          max_size=4))
def test_any_unknown_answers_draw_every_route(a, unknown):
    result = evaluate(dataclasses.replace(a, **dict.fromkeys(unknown, UNKNOWN)))
    svg = str(render_diagram(result))
    assert "style=" not in svg.replace("font-style", "")
    assert_draws_every_route(result, ET.fromstring(svg))


def test_rows_with_a_path_have_a_line_for_every_service_the_rules_name():
    result = evaluate(parse_query("endpoints=ecr_api,ecr_dkr,s3,logs"))
    drawn = {b.row.action: b for b in branches(result)}
    assert set(drawn) == {r.action for r in used_rows(result)}


# --- In a real browser ---------------------------------------------------------------------

MEASURE = """() => {
  const svg = document.querySelector('svg.dg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * scale);
  const overflow = [];
  for (const g of svg.querySelectorAll('g.dg-node')) {
    const r = g.querySelector('rect').getBBox();
    for (const t of g.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < r.x - 0.5 || b.x + b.width > r.x + r.width + 0.5) overflow.push(t.textContent);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, smallest: Math.min(...sizes),
          overflow};
}"""


STRICT_CSP = "default-src 'none'; style-src 'self'; img-src 'self'"
ORIGIN = "http://diagram.test"


@pytest.mark.e2e
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("query", [SCENARIOS["isolated_missing_endpoints"],
                                   SCENARIOS["platform_1_3_0_with_fargate_owned_eni"],
                                   SCENARIOS["windows"],
                                   "nat_gateway=true&task_egress=https&nacl=blocks&"
                                   "load_balancer=alb&lb_ingress=blocks"])
def test_on_a_phone_text_is_readable_fits_its_boxes_and_nothing_scrolls(browser, query, scheme):
    svg = render_diagram(evaluate(parse_query(query)))
    page_html = (f"<!doctype html><html lang=en><meta name=viewport content='width=device-width'>"
                 f"<link rel=stylesheet href=/diagram.css><title>diagram</title>"
                 f"<body>{svg}</body></html>")
    bodies = {f"{ORIGIN}/": ("text/html", page_html),
              f"{ORIGIN}/diagram.css": ("text/css", CSS.read_text() + PAGE_CSS)}
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    context.route("**/*", lambda route: route.fulfill(
        status=200, content_type=bodies[route.request.url][0], body=bodies[route.request.url][1],
        headers={"Content-Security-Policy": STRICT_CSP},
    ))
    page = context.new_page()
    page.add_init_script("window.violations = [];"
                         "document.addEventListener('securitypolicyviolation',"
                         " e => window.violations.push(e.violatedDirective));")
    page.goto(f"{ORIGIN}/")
    measured = page.evaluate(MEASURE)
    violations = page.evaluate("window.violations")
    stroke = page.evaluate("getComputedStyle(document.querySelector('.dg-line')).strokeWidth")
    context.close()
    assert violations == []
    assert stroke == "2.5px", "diagram.css did not apply"
    assert measured["scrollWidth"] <= 390
    assert measured["smallest"] >= 11.9
    assert measured["overflow"] == []


# A page's usual gutter on a phone.
PAGE_CSS = "body { margin: 0; padding: 0 16px; }"


REPEATED_PHRASE = re.compile(r"\b((?:\w+ ){1,4}\w+) \1\b", re.IGNORECASE)


def test_the_text_alternative_says_inside_the_vpc_once():
    _, root = draw("subnet=private&endpoints=ecr_api,ecr_dkr,s3,logs")
    desc = root.find(f"{SVG}desc").text
    assert "to resources inside the VPC." in desc
    assert "inside the VPC inside the VPC" not in desc


@settings(max_examples=150, deadline=None)
@given(valid_answers(max_int=20))
def test_no_text_alternative_repeats_a_phrase(answers):
    root = ET.fromstring(render_diagram(evaluate(answers)))
    for text in root.itertext():
        assert not REPEATED_PHRASE.search(text), text


# --- Filters on the way (issue 12): drawn on the branch where they sit, crossed where they stop

FILTERS = {
    HopKind.SECURITY_GROUP: "nat_gateway=true&task_egress=none",
    HopKind.NETWORK_ACL: "nat_gateway=true&nacl=blocks",
    HopKind.FIREWALL: "nat_gateway=true&egress_via=firewall&egress_allowlist=missing",
    HopKind.DNS: "nat_gateway=true&dns_support=false",
}


def filter_hop(result: Result, action: Action, kind: HopKind):
    """The one hop of `kind` on the row's route."""
    (row,) = [r for r in result.traffic if r.action is action]
    (hop,) = [h for h in row.route if h.kind is kind]
    return hop


@pytest.mark.parametrize("kind", FILTERS, ids=[k.value for k in FILTERS])
def test_a_blocking_filter_is_a_gate_with_the_cross_on_it(kind):
    result, root = draw(FILTERS[kind])
    hop = filter_hop(result, Action.IMAGE_PULL, kind)
    assert hop.passes is False
    (gate,) = [g for g in root.iter(SVG + "g") if "dg-filter" in classes(g)
               and g.get("data-hop") == kind.value]
    assert "dg-node--blocked" in classes(gate)
    bars = [r for r in gate.iter(SVG + "rect") if "dg-gate--blocked" in classes(r)]
    assert bars, "the gate is drawn on the branches it stops"
    gate_x = float(bars[0].get("x")) + float(bars[0].get("width")) / 2
    (branch,) = branch_groups(flow(root, Action.IMAGE_PULL))
    assert state_of(branch) is Status.BLOCKED
    (stop,) = [g for g in branch.iter(SVG + "g") if "dg-stop" in classes(g)]
    assert stop.get("data-hop") == kind.value
    cross = next(g for g in stop.iter(SVG + "g") if "dg-icon" in classes(g))
    assert cross.get("transform").startswith(f"translate({gate_x:g} ")
    (line,) = [p for p in branch.iter(SVG + "path") if "dg-line" in classes(p)]
    assert float(line.get("d").split()[-2].lstrip("L")) < gate_x
    desc = root.find(SVG + "desc").text
    assert f"stopped at {hop.name if kind is HopKind.DNS else 'the ' + hop.name}" in desc


def test_filters_that_let_the_traffic_past_are_gates_it_crosses_and_say_so():
    result, root = draw("nat_gateway=true&task_egress=https&nacl=allows")
    gates = {g.get("data-hop"): g for g in root.iter(SVG + "g") if "dg-filter" in classes(g)}
    assert set(gates) == {"security_group", "network_acl"}
    assert all(not {"dg-node--blocked"} & classes(g) for g in gates.values())
    assert words(gates["security_group"]) == "Security group"
    assert "lets ECR login, Image pull and Log driver past" in gates["network_acl"].find(
        SVG + "title").text
    for branch in branch_groups(flow(root, Action.IMAGE_PULL)):
        assert state_of(branch) is Status.OK
        assert not [g for g in branch.iter(SVG + "g") if "dg-stop" in classes(g)]
    # Only the rows whose routes cross a gate get a bar on it.
    assert len(list(gates["network_acl"].iter(SVG + "rect"))) == 3
    desc = root.find(SVG + "desc").text
    assert ("to Amazon ECR past the task security group (outbound) and the subnet network ACL, "
            "then through the NAT gateway") in desc
    assert_draws_every_route(result, root)


def test_gates_sit_between_the_trunk_and_the_hops_and_push_the_hops_right():
    _, plain = draw("nat_gateway=true")
    _, gated = draw("nat_gateway=true&task_egress=https&nacl=allows")
    nat_x = [float(g.find(SVG + "rect").get("x")) for g in gated.iter(SVG + "g")
             if "dg-node--nat" in classes(g)]
    bars_x = [float(r.get("x")) for r in gated.iter(SVG + "rect") if "dg-gate" in classes(r)]
    plain_nat_x = [float(g.find(SVG + "rect").get("x")) for g in plain.iter(SVG + "g")
                   if "dg-node--nat" in classes(g)]
    assert max(bars_x) < nat_x[0]
    assert nat_x[0] > plain_nat_x[0]


def test_a_load_balancer_the_task_security_group_does_not_admit_stops_at_its_gate():
    result, root = draw("nat_gateway=true&load_balancer=alb&lb_ingress=blocks")
    group = flow(root, Action.APPLICATION)
    assert "dg-flow--blocked" in classes(group)
    (gate,) = [g for g in root.iter(SVG + "g") if "dg-filter" in classes(g)]
    assert gate.get("data-name") == "task security group (inbound)"
    assert words(gate) == "Security group Blocked"
    (bar,) = gate.iter(SVG + "rect")
    bar_y = float(bar.get("y")) + float(bar.get("height")) / 2
    (inbound,) = [p for p in group.iter(SVG + "path") if "dg-line--inbound" in classes(p)]
    assert float(inbound.get("d").split()[-1]) < bar_y
    assert "in from the Application Load Balancer, stopped at the task security group " \
           "(inbound)" in root.find(SVG + "desc").text
    assert_draws_every_route(result, root)


@pytest.mark.parametrize("query, action, kind", [
    ("endpoints=ecr_api,ecr_dkr,s3,logs&endpoint_sg=blocks", Action.ECR_AUTH,
     HopKind.INTERFACE_ENDPOINT),
    ("nat_gateway=true&log_group=missing", Action.LOG_DRIVER, HopKind.SERVICE),
])
def test_an_endpoint_or_a_service_that_refuses_is_drawn_blocked_where_it_stops(query, action,
                                                                               kind):
    result, root = draw(query)
    (branch,) = branch_groups(flow(root, action))
    assert state_of(branch) is Status.BLOCKED
    hop = filter_hop(result, action, kind)
    assert hop.passes is False
    nodes = hop_nodes(root)[(kind.value, hop.name)]
    assert any("dg-node--blocked" in classes(g) for g in nodes)
    desc = root.find(SVG + "desc").text
    said = "which it does not get past" if kind is HopKind.INTERFACE_ENDPOINT else \
        "and the service refuses it"
    assert said in desc
    assert_draws_every_route(result, root)
