"""Invariants over the answer space: an exhaustive grid of the network dimensions, and
hypothesis over every field."""

from __future__ import annotations

import itertools
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.rules import evaluate, parse_json, parse_query, permalink, to_query
from advisor.rules.answers import (
    FIELDS,
    OS,
    PLATFORM_VERSIONS,
    Answers,
    Endpoint,
    Field,
    IPMode,
    IPv6Egress,
    Kind,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
    Subnet,
    TargetType,
    to_dict,
)
from advisor.rules.detail import interface_names_resolve
from advisor.rules.result import (
    Action,
    CommandKind,
    EndpointCheck,
    Finding,
    Result,
    Role,
    Severity,
    Status,
)
from tests.strategies import valid_answers

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _valid_answers() -> st.SearchStrategy[Answers]:
    return valid_answers(max_int=40)


def network_grid() -> list[Answers]:
    """Every combination of the network dimensions, with features switched on alongside."""
    return _grid()


def feature_grid() -> list[Answers]:
    """The features and load balancers over a few networks, then the network-detail grid."""
    return _feature_grid() + detail_grid()


def detail_grid() -> list[Answers]:
    """Every value of every network-detail field (issue 12), one field at a time, over four
    networks (endpoints only, NAT, public IP, IPv6-only with NAT64) with the features that
    the fields refine switched on: EFS, ECS Exec, an ALB, secrets, awslogs."""
    features = dict(efs=True, ecs_exec=True, load_balancer=LoadBalancer.ALB,
                    secrets=frozenset({SecretSource.SECRETSMANAGER}))
    networks = [
        Answers(endpoints=frozenset({Endpoint.ECR_API, Endpoint.ECR_DKR, Endpoint.S3,
                                     Endpoint.LOGS, Endpoint.SECRETSMANAGER}), **features),
        Answers(nat_gateway=True, **features),
        Answers(subnet=Subnet.PUBLIC, public_ip=True, **features),
        Answers(ip_mode=IPMode.IPV6_ONLY, nat_gateway=True,
                endpoints=frozenset({Endpoint.LOGS, Endpoint.SECRETSMANAGER}), **features),
    ]
    grid = []
    for network in networks:
        for field in FIELDS[_BASE_FIELD_COUNT:]:
            for value in _values(field):
                if field.name == "egress_via" and not network.nat_gateway:
                    continue
                grid.append(network.replace(**{field.name: value}))
    return grid


_BASE_FIELD_COUNT = 23  # the fields of spec section 1; the network-detail fields follow


def _values(field: Field) -> list[object]:
    if field.kind is Kind.BOOL:
        return [False, True]
    if field.kind is Kind.MULTI:
        assert field.enum is not None
        return [frozenset(), *(frozenset({member}) for member in field.enum)]
    assert field.enum is not None
    return list(field.enum)


def _feature_grid() -> list[Answers]:
    """The features and load balancers over a few networks: isolated, NAT, public IP, IPv6."""
    networks = [
        Answers(), Answers(nat_gateway=True), Answers(subnet=Subnet.PUBLIC, public_ip=True),
        Answers(subnet=Subnet.PUBLIC),
        Answers(endpoints=frozenset({Endpoint.ECR_API, Endpoint.ECR_DKR, Endpoint.S3,
                                     Endpoint.LOGS})),
        Answers(ip_mode=IPMode.IPV6_ONLY, ipv6_egress=IPv6Egress.EGRESS_ONLY_IGW),
        Answers(ip_mode=IPMode.DUALSTACK, ipv6_egress=IPv6Egress.IGW),
    ]
    grid = []
    drivers = list(LogDriver)
    for index, (network, (os, version), lb, target, efs, exec_, dns) in enumerate(
        itertools.product(
            networks,
            [(os, v) for os, versions in PLATFORM_VERSIONS.items() for v in versions
             if v is not PlatformVersion.LATEST],
            LoadBalancer, TargetType, (False, True), (False, True), (False, True),
        )
    ):
        grid.append(network.replace(
            os=os, platform_version=version, load_balancer=lb, target_type=target, efs=efs,
            ecs_exec=exec_, vpc_dns=dns, log_driver=drivers[index % len(drivers)],
        ))
    return grid


def _grid() -> list[Answers]:
    endpoint_sets = [
        frozenset(),
        frozenset({Endpoint.ECR_DKR, Endpoint.S3, Endpoint.LOGS}),
        frozenset({Endpoint.ECR_API, Endpoint.ECR_DKR, Endpoint.S3, Endpoint.LOGS,
                   Endpoint.SECRETSMANAGER, Endpoint.SSM, Endpoint.SSMMESSAGES}),
    ]
    platforms = [(os, v) for os, versions in PLATFORM_VERSIONS.items() for v in versions
                 if v is not PlatformVersion.LATEST]
    grid = []
    for (os, version), subnet, public_ip, nat, ip_mode, dns, endpoints, registry in (
        itertools.product(platforms, Subnet, (False, True), (False, True), IPMode,
                          (False, True), endpoint_sets, Registry)
    ):
        grid.append(Answers(
            os=os, platform_version=version, subnet=subnet, public_ip=public_ip,
            nat_gateway=nat, ip_mode=ip_mode, vpc_dns=dns, endpoints=endpoints,
            registry=registry, secrets=frozenset(endpoints and {"secretsmanager"}),
            ecs_exec=nat, efs=public_ip,
        ))
    return grid


def check_invariants(answers: Answers) -> Result:
    result = evaluate(answers)
    findings = {f.id: f for f in result.findings}
    assert len(findings) == len(result.findings), "finding ids are unique"

    severities = [f.severity for f in result.findings]
    expected = ("blocked" if Severity.BLOCKER in severities
                else "warning" if Severity.WARNING in severities else "ok")
    assert result.verdict.status == expected
    assert result.verdict.blockers == severities.count(Severity.BLOCKER)
    assert result.verdict.warnings == severities.count(Severity.WARNING)

    for finding in result.findings:
        assert KEBAB.match(finding.id)
        assert finding.sources and all(s.url.startswith("https://") for s in finding.sources)
        assert finding.title and finding.detail
        if finding.severity is Severity.BLOCKER:
            assert finding.remediation
        assert all(isinstance(a, Action) for a in finding.actions)

    assert [row.action for row in result.traffic] == list(Action)
    for row in result.traffic:
        for finding_id in row.findings:
            assert row.action in findings[finding_id].actions
        if row.status in (Status.BLOCKED, Status.UNSUPPORTED):
            assert row.findings, f"{row.action} is {row.status} without a finding"
            assert any(findings[i].severity is not Severity.INFO for i in row.findings)

    assert [r.role for r in result.roles] == list(Role)
    execution = result.roles[1]
    assert execution.required == bool(execution.permissions)

    for endpoint in result.endpoints:
        assert not endpoint_why_contradictions(answers, endpoint), (endpoint, answers)

    blocked_rows = {a for f in result.findings if f.severity is Severity.BLOCKER
                    for a in f.actions}
    for row in result.traffic:
        assert row.action not in blocked_rows or row.status is not Status.OK, (row, answers)

    required = {e.name for e in result.endpoints if e.required}
    for finding in result.findings:
        if finding.id != "platform-version-1-3-0-retired":  # its endpoints are for 1.4.0
            assert endpoints_to_create(finding) <= required, (finding.id, answers)

    json.dumps(result.to_dict())
    assert result.permalink == permalink(answers)
    return result


def endpoints_to_create(finding: Finding) -> set[str]:
    """The endpoints a finding's AWS CLI commands create."""
    return {name for command in finding.commands if command.kind is CommandKind.AWS_CLI
            for name in re.findall(r"create-vpc-endpoint .*?--service-name (\S+)",
                                   command.text.replace("\\\n", " "))}


def endpoint_why_contradictions(answers: Answers, endpoint: EndpointCheck) -> list[str]:
    """What an endpoint's `why` says that its own fields, or another part of it, deny."""
    why = endpoint.why
    unused = "nothing in this configuration uses it" in why or why.startswith("not used")
    carries = "carries this traffic" in why
    unusable = (endpoint.present and endpoint.type == "interface"
                and not interface_names_resolve(answers))
    checks = {
        "carries traffic and is unused": carries and (unused or "not needed" in why),
        "carries traffic and is optional or unusable": carries and (
            "optional" in why or "unusable" in why),
        "carries traffic but is absent": carries and not endpoint.present,
        "is present per why but absent": not endpoint.present and "present" in why,
        "is unusable but why does not say so": unusable and "unusable" not in why,
        "is required but optional or unused": endpoint.required and (
            "optional" in why or unused),
    }
    return [name for name, broken in checks.items() if broken]


def test_every_grid_configuration_satisfies_the_invariants() -> None:
    grid = _grid()
    assert len(grid) == 3 * 2 * 2 * 2 * 3 * 2 * 3 * 7
    for answers in grid:
        check_invariants(answers)


def test_every_feature_grid_configuration_satisfies_the_invariants() -> None:
    for answers in feature_grid():
        check_invariants(answers)


@settings(max_examples=400, deadline=None)
@given(_valid_answers())
def test_every_answer_set_satisfies_the_invariants(answers: Answers) -> None:
    check_invariants(answers)


@settings(max_examples=400, deadline=None)
@given(_valid_answers())
def test_permalinks_and_json_round_trip(answers: Answers) -> None:
    assert parse_query(to_query(answers)) == answers
    assert parse_query(permalink(answers).partition("?")[2]) == answers
    assert parse_json(json.loads(json.dumps(to_dict(answers)))) == answers


def test_a_task_with_an_internet_path_never_requires_an_endpoint() -> None:
    for answers in _grid():
        result = evaluate(answers)
        internet = (answers.ip_mode is not IPMode.IPV6_ONLY and (
            (answers.subnet is Subnet.PUBLIC and answers.public_ip)
            or (answers.subnet is Subnet.PRIVATE and answers.nat_gateway)))
        if internet:
            assert not any(e.required for e in result.endpoints), answers


def test_1_3_0_never_needs_the_ecr_api_endpoint() -> None:
    for answers in _grid():
        if answers.os is OS.LINUX and answers.platform_version is PlatformVersion.V1_3_0:
            result = evaluate(answers)
            assert not any(e.required for e in result.endpoints if e.service == "ecr_api")
