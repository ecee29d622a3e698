"""AWS Copilot manifests: what the manifest states and what Copilot does where it is silent,
with provenance; environments that disagree leave the field unknown (#14 item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.importers import Document, DocumentError, DocumentKind, Status, import_documents

COPILOT = Path(__file__).parent / "fixtures" / "copilot"


def load(*names: str):
    return import_documents([Document(name, (COPILOT / name).read_text()) for name in names])


def notes(result) -> list[str]:
    return [n.message for n in result.notices]


def paths(result, field: str) -> list[str]:
    return [o.path for c in result.field(field).claims for o in c.origins]


def test_a_manifest_is_recognised_as_copilot():
    result = load("open-assistant-api-manifest.yml")
    assert [d.kind for d in result.documents] == [DocumentKind.COPILOT]


def test_no_placement_means_public_subnets_with_a_public_ip():
    result = load("open-assistant-api-manifest.yml")
    assert result.field("subnet").value == "public"
    assert result.field("public_ip").value is True
    assert "placement is not set" in result.field("subnet").claims[0].origins[0].note


@pytest.mark.parametrize(("field", "value", "path"), [
    ("subnet", "private", "network.vpc.placement"),
    ("public_ip", False, "network.vpc.placement"),
    ("ecs_exec", True, "exec"),
    ("load_balancer", "alb", "http"),
    ("target_type", "ip", "http"),
    ("secrets", frozenset({"ssm"}), "secrets.RDS_POSTGRES_CREDENTIALS"),
    ("log_driver", "awslogs", "(document)"),
    ("efs", False, "(document)"),
    ("security_group_count", 1, "(document)"),
])
def test_a_real_load_balanced_web_service(field, value, path):
    result = load("opss-par-api-manifest.yml")
    assert result.field(field).value == value
    assert path in paths(result, field)


def test_sidecar_images_count_as_other_registries():
    result = load("opss-par-api-manifest.yml")
    # The sidecars pull from ECR Public, the service's image from private ECR (its tag is a
    # variable, its registry is not).
    assert result.field("registry").value == "ecr_public"
    assert result.field("other_registries").value == frozenset({"ecr"})
    assert "image.location" in paths(result, "other_registries")


def test_image_build_is_private_ecr():
    result = load("copilot-docs-backend-internal-alb-manifest.yml")
    assert result.field("registry").value == "ecr"
    assert paths(result, "registry") == ["image.build"]


def test_a_backend_services_http_is_an_internal_alb_and_secretsmanager_keys_are_read():
    result = load("copilot-docs-backend-internal-alb-manifest.yml")
    assert result.field("load_balancer").value == "alb"
    assert result.field("secrets").value == frozenset({"ssm", "secretsmanager"})


def test_nlb_with_http_false_is_an_nlb():
    result = load("copilot-docs-nlb-manifest.yml")
    assert result.field("load_balancer").value == "nlb"


def test_private_placement_in_copilots_own_vpc_has_nat_gateways():
    result = load("copilot-docs-nlb-manifest.yml", "copilot-docs-configured-vpc-environment.yml")
    assert result.field("nat_gateway").value is True
    assert "a VPC Copilot creates" in result.field("nat_gateway").claims[0].origins[1].note


def test_private_placement_without_the_environment_leaves_nat_unknown():
    result = load("copilot-docs-nlb-manifest.yml")
    assert result.field("nat_gateway").status is Status.MISSING
    assert any("Add the environment manifest" in m for m in notes(result))


def test_an_imported_vpc_leaves_nat_unknown():
    result = load("opss-par-api-manifest.yml", "opss-par-prod-environment.yml")
    assert result.field("nat_gateway").status is Status.MISSING
    assert any("imports its VPC" in m for m in notes(result))


def test_platform_firelens_and_the_default_log_router_image():
    result = load("hand-worker-by-environment.yml")
    assert result.field("arch").value == "arm64"
    assert result.field("os").value == "linux"
    assert result.field("log_driver").value == "firelens"
    assert result.field("load_balancer").value == "none"
    # The datadog sidecar is on Docker Hub; the app and Fluent Bit on ECR Public.
    assert result.field("registry").value == "docker_hub"
    assert result.field("other_registries").value == frozenset({"ecr_public"})
    assert result.field("secrets").value == frozenset({"secretsmanager"})


@pytest.mark.parametrize("field", ["subnet", "public_ip", "ecs_exec"])
def test_fields_environments_disagree_on_are_unknown_with_a_note(field):
    result = load("hand-worker-by-environment.yml")
    assert result.field(field).status is Status.MISSING
    note = next(m for m in notes(result) if m.startswith(f"{field} differs"))
    assert "environment prod" in note


def test_an_environment_override_that_changes_nothing_keeps_the_answer():
    # The dev environment imports its own ALB: still an ALB.
    assert load("opss-par-api-manifest.yml").field("load_balancer").status is Status.FOUND


def test_a_windows_platform_runs_on_platform_version_1_0_0():
    text = (COPILOT / "copilot-docs-backend-internal-alb-manifest.yml").read_text()
    result = import_documents([Document("m.yml", text + "\nplatform: windows/x86_64\n")])
    assert result.field("os").value == "windows"
    assert result.field("platform_version").value == "1.0.0"


@pytest.mark.parametrize(("type_", "words"), [
    ("Request-Driven Web Service", "App Runner"),
    ("Static Site", "S3"),
])
def test_manifests_that_are_not_ecs_are_refused_with_what_to_give(type_, words):
    with pytest.raises(DocumentError) as error:
        import_documents([Document("m.yml", f"name: web\ntype: {type_}\nimage:\n  build: D\n")])
    message = error.value.errors["m.yml"][0]
    assert words in message and "Backend Service" in message


def test_a_misspelt_type_is_refused_by_name():
    # Copilot's own documentation sample, as published ("Backend Serivce").
    with pytest.raises(DocumentError) as error:
        load("copilot-docs-backend-efs-manifest.yml")
    assert "'Backend Serivce' is not one Copilot knows" in str(error.value)


def test_efs_volume():
    text = (COPILOT / "copilot-docs-backend-efs-manifest.yml").read_text()
    result = import_documents([Document("m.yml", text.replace("Serivce", "Service"))])
    assert result.field("efs").value is True
    assert paths(result, "efs") == ["storage.volumes.userdata.efs"]
