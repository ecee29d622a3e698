"""POST /api/v1/import (advisor/import_views.py) and `advise --from FILE`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory

from advisor.import_views import MAX_REQUEST_BYTES, import_view
from advisor.importers import MAX_BYTES

FIXTURES = Path(__file__).parent / "fixtures"
VPC = FIXTURES / "cloudformation" / "fargate-private-vpc.yaml"
SERVICE = FIXTURES / "cloudformation" / "fargate-private-subnet-public-service.json"
TASK = FIXTURES / "ecs" / "bluegreen-frontend-taskdef.json"

factory = RequestFactory()


def post(body, content_type="application/json", query="", **extra):
    request = factory.post(f"/api/v1/import{query}", data=body, content_type=content_type,
                           **extra)
    response = import_view(request)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def envelope(*paths: Path) -> str:
    return json.dumps({"documents": [{"name": p.name, "content": p.read_text()}
                                     for p in paths]})


def test_an_envelope_of_documents_is_imported_with_provenance():
    status, body = post(envelope(VPC, SERVICE))
    assert status == 200
    assert [d["kind"] for d in body["documents"]] == ["cloudformation", "cloudformation"]
    assert body["answers"]["nat_gateway"]["status"] == "found"
    origins = body["answers"]["nat_gateway"]["claims"][0]["from"]
    assert origins[1] == {
        "document": "fargate-private-vpc.yaml",
        "path": "Resources.PrivateRouteOne.Properties.NatGatewayId",
        "note": "0.0.0.0/0 → NatGatewayOne",
    }
    assert body["permalink"].startswith("/result/?")
    assert body["api_version"] == "1"
    assert "evaluation" not in body


def test_a_raw_document_is_one_document_named_by_the_query():
    status, body = post(TASK.read_bytes(), query="?name=taskdef.json")
    assert status == 200
    assert body["documents"] == [{"name": "taskdef.json", "kind": "task_definition",
                                  "title": "ECS task definition"}]
    assert body["answers"]["registry"]["value"] == "ecr_public"


def test_yaml_and_error_text_bodies():
    status, body = post(VPC.read_bytes(), content_type="application/yaml")
    assert (status, body["documents"][0]["name"]) == (200, "body")
    message = (FIXTURES / "errors" / "ecr-api-timeout.txt").read_text()
    status, body = post(message, content_type="text/plain", query="?evaluate=true")
    assert status == 200
    assert body["diagnoses"][0]["pattern"] == "ecr-auth-timeout"
    # A timeout suggests no NAT gateway but does not prove it: unknown, and the verdict says
    # what it hangs on rather than a confident blocked.
    assert body["answers"]["nat_gateway"]["status"] == "missing"  # a time-out proves no hop
    assert body["values"]["nat_gateway"] == "unknown"
    assert body["evaluation"]["answers"]["nat_gateway"] == "unknown"
    assert body["evaluation"]["verdict"]["status"] == "conditional"
    assert "witness" in body["evaluation"]["verdict"]
    assert "nat_gateway" in body["permalink"].partition("unknown=")[2]


def test_a_task_definition_alone_answers_only_what_it_owns():
    task = FIXTURES / "ecs" / "bluegreen-lifecycle-taskdef.json"
    status, body = post(task.read_bytes(), content_type="application/json",
                        query="?evaluate=true")
    assert status == 200
    values = body["values"]
    assert (values["registry"], values["log_driver"], values["os"]) == (
        "ecr_public", "awslogs", "linux")
    for field in ("subnet", "public_ip", "nat_gateway", "endpoints", "vpc_dns", "ip_mode",
                  "load_balancer", "platform_version", "ecs_exec", "subnet_count"):
        assert values[field] == "unknown", field
        assert body["answers"][field]["note"] == "not in the document"
    assert body["evaluation"]["verdict"]["status"] == "conditional"


def test_uploads_and_pasted_text_from_a_form():
    request = factory.post("/api/v1/import", data={
        "file": [SimpleUploadedFile("vpc.yaml", VPC.read_bytes()),
                 SimpleUploadedFile("service.json", SERVICE.read_bytes())],
        "text": (FIXTURES / "errors" / "quay-pull-timeout.txt").read_text(),
    })
    body = json.loads(import_view(request).content)
    assert [d["name"] for d in body["documents"]] == ["vpc.yaml", "service.json", "pasted text"]
    assert body["answers"]["registry"]["status"] == "conflict"  # nginx vs quay.io


@pytest.mark.parametrize(
    ("body", "content_type", "key", "expected"),
    [
        ("", "application/json", "__all__", "The body is empty"),
        ('{"documents": "task.json"}', "application/json", "__all__",
         '"documents" must be an array'),
        ('{"documents": [{"name": "a"}]}', "application/json", "__all__",
         'documents[0] must be an object with "content"'),
        ('{"family": "x"', "application/json", "body", "Invalid JSON at line 1, column 15"),
        ('{"documents": [{"name": "p.json", "content": "{\\"Version\\": 1}"}]}',
         "application/json", "p.json", "Unrecognised document"),
        ("Resources:\n  A: [\n", "application/yaml", "body", "Invalid YAML at line 3"),
    ],
    ids=["empty", "documents-not-a-list", "no-content", "bad-json", "unrecognised", "bad-yaml"],
)
def test_bad_input_is_a_400_that_names_the_problem(body, content_type, key, expected):
    status, data = post(body, content_type=content_type)
    assert status == 400
    assert expected in " ".join(data["errors"][key])


def test_size_limits_name_the_limit():
    status, data = post(b"x", content_type="text/plain",
                        CONTENT_LENGTH=str(MAX_REQUEST_BYTES + 1))
    assert status == 400
    assert f"the limit is {MAX_REQUEST_BYTES:,} bytes per request and 1 MB" in \
        data["errors"]["__all__"][0]
    request = factory.post("/api/v1/import", data={
        "file": SimpleUploadedFile("huge.json", b"{" + b" " * MAX_BYTES + b"}")})
    data = json.loads(import_view(request).content)
    assert "the limit is 1 MB (1,048,576 bytes)" in data["errors"]["huge.json"][0]


@pytest.mark.parametrize("path", ["/api/v1/import", "/import/"])
def test_a_broken_multipart_body_is_a_400_naming_it(client, path):
    response = client.post(path, data=b"--xx\r\nbroken",
                           content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert "multipart/form-data body cannot be read" in response.content.decode()


def test_only_post():
    response = import_view(factory.get("/api/v1/import"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def run_advise(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("advise", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = int(exit.code)
    return code, out.getvalue(), err.getvalue()


def test_advise_from_files_imports_and_evaluates():
    code, out, err = run_advise("--from", str(VPC), "--from", str(SERVICE), "--format", "json")
    result = json.loads(out)
    assert (result["answers"]["subnet"], result["answers"]["nat_gateway"]) == ("private", True)
    assert "nat_gateway = true" in err
    assert "Resources.PrivateRouteOne.Properties.NatGatewayId" in err
    # No template states a subnet's free addresses, and this one places its subnets and load
    # balancer with Fn::GetAZs, which only the deployed stack resolves: the verdict is
    # conditional (spec section 4) and names the read-only checks.
    unknown = {r["id"] for r in result["requirements"] if r["state"] == "unknown"}
    assert (code, result["verdict"]["status"]) == (3, "conditional")
    assert {"subnet-has-free-addresses", "load-balancer-in-task-azs"} <= unknown


def test_advise_from_files_with_what_no_template_states_is_the_documents_verdict():
    code, out, _ = run_advise("--from", str(VPC), "--from", str(SERVICE),
                              "free_addresses=enough", "lb_azs=every_az", "--format", "json")
    assert (code, json.loads(out)["verdict"]["status"]) == (0, "warning")  # exit 0: not blocked


def test_advise_key_value_answers_override_the_files():
    code, out, _ = run_advise("--from", str(VPC), "--from", str(SERVICE), "nat_gateway=false",
                              "public_ip=false", "--format", "json")
    result = json.loads(out)
    assert (result["answers"]["nat_gateway"], result["verdict"]["status"], code) == (
        False, "blocked", 1)


def test_advise_from_a_task_definition_says_what_is_unknown():
    _, _, err = run_advise("--from", str(FIXTURES / "ecs" / "bluegreen-lifecycle-taskdef.json"))
    assert "Not in the documents, so unknown (and who would state it):" in err
    assert "subnet = unknown  (stated by a template or plan that creates the task's subnets" in err
    assert "defaults used" not in err


def test_advise_from_a_task_definition_evaluates_with_unknowns():
    task = FIXTURES / "ecs" / "bluegreen-lifecycle-taskdef.json"
    code, out, _ = run_advise("--from", str(task), "--format", "json")
    result = json.loads(out)
    assert result["answers"]["subnet"] == "unknown"
    assert (result["verdict"]["status"], code) == ("conditional", 3)  # spec section 4


def test_advise_from_a_blocked_configuration_exits_1():
    code, _, err = run_advise("--from", str(FIXTURES / "cloudformation" /
                                            "ecs-refarch-website-service.yaml"))
    assert code == 1  # target type instance
    assert "Warning: networkMode is not set" in err


def test_advise_from_a_bad_file_exits_2():
    with pytest.raises(Exception) as raised:
        call_command("advise", "--from", "/nonexistent/template.yaml")
    assert raised.value.returncode == 2
    assert "/nonexistent/template.yaml: Cannot read the file" in str(raised.value)


def import_validator():
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    from advisor.openapi import document

    uri = "https://advisor.test/openapi.json"
    registry = Registry().with_resource(uri, Resource(contents=document(),
                                                      specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"{uri}#/components/schemas/ImportResult"},
                                registry=registry, format_checker=FormatChecker())


@pytest.mark.parametrize(
    "paths",
    [[VPC, SERVICE], [TASK], [FIXTURES / "errors" / "secrets-manager-timeout.txt"],
     [FIXTURES / "terraform" / "fullstack-plan-first-apply.json"]],
    ids=["templates", "task-definition", "error-message", "terraform-plan"],
)
def test_import_responses_match_the_documented_schema(client, paths):
    response = client.post("/api/v1/import?evaluate=true", data=envelope(*paths),
                           content_type="application/json")
    assert response.status_code == 200
    errors = list(import_validator().iter_errors(response.json()))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
