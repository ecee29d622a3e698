"""The documents' real IDs in the fixes, placeholders where they name none (#14 item 6)."""

from __future__ import annotations

import json

from django.test import Client

from advisor.importers import Document
from advisor.importers.ids import KnownIds, collect, collect_texts, substitute
from advisor.rules import evaluate, parse_query

SERVICE = json.dumps({
    "serviceArn": "arn:aws:ecs:eu-west-1:210987654321:service/prod/web",
    "serviceName": "web", "launchType": "FARGATE",
    "networkConfiguration": {"awsvpcConfiguration": {
        "subnets": ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"],
        "securityGroups": ["sg-0123456789abcdef1"], "assignPublicIp": "DISABLED"}},
})
NETWORK = "vpc-0fedcba9876543210 rtb-0aaaabbbbccccdddd"
NO_PATH = {"subnet": ["private"], "nat_gateway": ["false"], "endpoints": [""]}


def texts(result) -> str:
    return "\n".join(c.text for f in result.findings for c in f.commands) + "\n".join(
        c.text for r in result.requirements for c in r.check)


def test_the_documents_ids_replace_the_placeholders():
    known = collect([Document("service.json", SERVICE), Document("net.txt", NETWORK)])
    fixed = texts(substitute(evaluate(parse_query(NO_PATH)), known))
    for value in ("eu-west-1", "vpc-0fedcba9876543210", "subnet-0a1b2c3d4e5f67890",
                  "subnet-0a1b2c3d4e5f67891", "rtb-0aaaabbbbccccdddd"):
        assert value in fixed
    for placeholder in ("<region>", "<vpc-id>", "<subnet-id-1>", "<subnet-id-2>",
                        "<task-subnets-route-table-id>"):
        assert placeholder not in fixed


def test_placeholders_stay_where_the_documents_name_nothing_or_several():
    known = collect_texts(["vpc-0fedcba9876543210 vpc-0fedcba9876543211"])
    fixed = texts(substitute(evaluate(parse_query(NO_PATH)), known))
    assert "<vpc-id>" in fixed and "<region>" in fixed


def test_placeholders_and_aws_examples_in_the_documents_are_not_ids():
    known = collect_texts(['{"taskDefinitionArn": "arn:aws:ecs:us-west-2:123456789012:x", '
                           '"subnets": ["SUBNET_ID1", "subnet-12345678"], "a": "ACCOUNT_ID"}'])
    assert known.accounts == () and known.subnets == ()


def test_only_the_services_subnets_are_the_tasks():
    known = collect_texts([SERVICE, "subnet-0ffffffffffffffff"])
    assert known.subnets == ("subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891")


def test_nothing_known_leaves_the_result_as_it_is():
    result = evaluate(parse_query(NO_PATH))
    assert substitute(result, KnownIds()) is result


def test_the_api_evaluates_with_the_documents_ids():
    body = {"documents": [{"name": "service.json", "content": SERVICE}]}
    response = Client().post("/api/v1/import?evaluate=true", json.dumps(body),
                             content_type="application/json")
    commands = json.dumps(response.json()["evaluation"]["findings"])
    assert "subnet-0a1b2c3d4e5f67890" in commands or "eu-west-1" in commands
    assert "<subnet-id-1>" not in commands


def test_advise_from_prints_the_notes_and_uses_the_documents_ids(tmp_path):
    from tests.test_importers_api import run_advise

    service = json.loads(SERVICE)
    service["networkConfiguration"]["awsvpcConfiguration"]["subnets"].append("SUBNET_ID3")
    path = tmp_path / "service.json"
    path.write_text(json.dumps(service))
    _, out, err = run_advise("--from", str(path), "subnet=private", "nat_gateway=false",
                                "endpoints=", "--format", "json")
    assert "Notes (what the advisor could not follow, and why):" in err
    assert "SUBNET_ID3 (a placeholder)" in err
    commands = json.dumps([f["commands"] for f in json.loads(out)["findings"]])
    assert "eu-west-1" in commands and "<region>" not in commands
