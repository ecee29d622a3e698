"""Routes as data (spec section 4): every row's route agrees with its status, and the Path
text is read off it."""

from __future__ import annotations

import json

from advisor.rules import evaluate, parse_query
from advisor.rules.result import HopKind, Status
from tests.rules.test_invariants import feature_grid, network_grid


def _rows():
    for answers in network_grid() + feature_grid():
        for row in evaluate(answers).traffic:
            yield answers, row


def test_every_row_that_gets_through_has_a_route_of_passing_hops_that_ends_in_a_service():
    for answers, row in _rows():
        if row.status is Status.OK:
            assert row.route, (answers, row)
            assert all(hop.passes for hop in row.route), (answers, row)
            assert row.route[-1].kind is HopKind.SERVICE, (answers, row)


def test_every_blocked_row_has_a_hop_that_stops_the_traffic():
    for answers, row in _rows():
        if row.status is Status.BLOCKED:
            assert any(hop.passes is False for hop in row.route), (answers, row)


def test_rows_not_used_or_unsupported_have_no_route():
    for answers, row in _rows():
        if row.status in (Status.NOT_USED, Status.UNSUPPORTED):
            assert row.route == (), (answers, row)


def test_ecr_login_through_its_endpoint_passes_the_endpoint_then_reaches_ecr():
    row = evaluate(parse_query("endpoints=ecr_api,ecr_dkr,s3,logs")).traffic[0]
    assert [(h.kind, h.name) for h in row.route] == [
        (HopKind.TASK_ENI, "task ENI"), (HopKind.INTERFACE_ENDPOINT, "ecr.api"),
        (HopKind.SERVICE, "Amazon ECR")]


def test_a_split_flow_passes_its_endpoints_then_the_nat_gateway():
    result = evaluate(parse_query("nat_gateway=true&endpoints=ecr_dkr"))
    pull = next(r for r in result.traffic if r.action == "image_pull")
    assert [h.kind for h in pull.route] == [HopKind.TASK_ENI, HopKind.INTERFACE_ENDPOINT,
                                            HopKind.NAT_GATEWAY, HopKind.SERVICE]


def test_platform_1_3_0_ecr_login_leaves_through_the_fargate_owned_eni():
    row = evaluate(parse_query("platform_version=1.3.0")).traffic[0]
    assert [h.kind for h in row.route] == [HopKind.FARGATE_ENI, HopKind.SERVICE]


def test_a_classic_load_balancer_stops_application_traffic_at_the_load_balancer():
    result = evaluate(parse_query("load_balancer=clb&nat_gateway=true"))
    app = next(r for r in result.traffic if r.action == "application")
    assert app.route[0].kind is HopKind.LOAD_BALANCER and app.route[0].passes is False


def test_the_route_is_in_the_json():
    data = json.loads(json.dumps(evaluate(parse_query("nat_gateway=true")).to_dict()))
    row = data["traffic"][0]
    assert row["route"] == [
        {"kind": "task_eni", "name": "task ENI", "passes": True},
        {"kind": "nat_gateway", "name": "NAT gateway", "passes": True},
        {"kind": "service", "name": "Amazon ECR", "passes": True},
    ]
