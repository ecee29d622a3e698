"""CloudFormation beyond one template: task sets (blue/green), SAM, nested stacks given beside,
and parameter defaults that say where they came from (#14 item 2)."""

from __future__ import annotations

from pathlib import Path

from advisor.importers import Document, Status, import_documents

HAND = Path(__file__).parent / "fixtures" / "cloudformation" / "hand"


def load(*names: str):
    return import_documents([Document(name, (HAND / name).read_text()) for name in names])


def notes(result) -> list[str]:
    return [n.message for n in result.notices]


def test_a_task_sets_network_configuration_is_the_services():
    result = load("bluegreen-sam-parent.yaml", "network.yaml")
    assert result.field("platform_version").value == "1.4.0"
    assert result.field("subnet_count").value == 2
    assert result.field("security_group_count").value == 1
    paths = [o.path for c in result.field("subnet_count").claims for o in c.origins]
    assert paths == ["Resources.Blue.Properties.NetworkConfiguration.AwsVpcConfiguration.Subnets"]


def test_a_service_deployed_by_task_sets_keeps_its_own_settings_and_no_network_warning():
    result = load("bluegreen-sam-parent.yaml", "network.yaml")
    assert result.field("ecs_exec").value is True
    assert not any("no networkConfiguration" in m for m in notes(result))


def test_a_nested_stack_given_beside_is_followed_with_the_parents_parameters():
    result = load("bluegreen-sam-parent.yaml", "network.yaml")
    # The child's default is Nat=false (no NAT route); the parent passes "true".
    assert result.field("subnet").value == "private"
    assert result.field("nat_gateway").value is True
    assert result.field("vpc_dns").value is True
    assert any("nested stack whose template network.yaml" in m for m in notes(result))


def test_a_nested_stack_not_given_is_reported_by_the_file_to_add():
    result = load("bluegreen-sam-parent.yaml")
    assert any("Add it (as network.yaml)" in m for m in notes(result))
    assert result.field("subnet").status is Status.MISSING


def test_a_parameter_default_is_a_value_with_its_provenance():
    result = load("bluegreen-sam-parent.yaml")
    claim = result.field("public_ip").claims[0]
    assert claim.value is True
    assert "default of parameter PublicIp" in claim.origins[0].note


def test_sam_syntax_does_not_break_the_template():
    result = load("bluegreen-sam-parent.yaml")
    assert [d.kind for d in result.documents] == ["cloudformation"]
    assert result.field("registry").value == "ecr_public"
