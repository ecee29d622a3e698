"""CloudFormation parameter files given beside a template: their values replace the defaults,
say which file they came from, and a placeholder stays a placeholder (#14 item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.importers import Document, DocumentKind, Status, import_documents

PARAMS = Path(__file__).parent / "fixtures" / "cloudformation" / "params"


def load(*names: str):
    return import_documents([Document(name, (PARAMS / name).read_text()) for name in names])


def notes(result) -> list[str]:
    return [n.message for n in result.notices]


@pytest.mark.parametrize("name", ["create-stack-parameters.json", "deploy-overrides.json",
                                  "codepipeline-configuration.json", "samconfig.toml"])
def test_each_parameter_file_shape_is_recognised_and_its_value_replaces_the_default(name):
    result = load("service.yaml", name)
    assert [d.kind for d in result.documents] == [DocumentKind.CLOUDFORMATION,
                                                  DocumentKind.CLOUDFORMATION_PARAMETERS]
    claim = result.field("public_ip").claims[0]
    assert claim.value is False  # the default is ENABLED
    assert f"parameter AssignPublicIp from parameter file {name}" in claim.origins[0].note


def test_without_a_parameter_file_the_default_is_read_and_says_so():
    claim = load("service.yaml").field("public_ip").claims[0]
    assert claim.value is True
    assert "default of parameter AssignPublicIp" in claim.origins[0].note


def test_a_list_parameter_is_split_and_a_condition_reads_the_files_value():
    result = load("service.yaml", "create-stack-parameters.json")
    assert result.field("subnet_count").value == 2
    assert result.field("ecs_exec").value is True
    assert result.field("registry").value == "ecr"
    assert "create-stack-parameters.json" in result.field("registry").claims[0].origins[0].note


def test_a_placeholder_value_is_not_a_value():
    result = load("service.yaml", "deploy-overrides.json")
    assert result.field("registry").status is Status.MISSING  # not nginx's Docker Hub default
    assert any("<your ECR image URI>" in m and "placeholder" in m for m in notes(result))


def test_use_previous_value_is_unknown():
    result = load("service.yaml", "use-previous.json")
    assert result.field("public_ip").status is Status.MISSING


def test_a_parameter_no_template_declares_is_reported():
    result = load("service.yaml", "codepipeline-configuration.json")
    assert any(m.startswith("Parameter Unknown is not declared") for m in notes(result))


def test_samconfig_environments_that_disagree_give_no_value():
    result = load("service.yaml", "samconfig.toml")
    assert result.field("ecs_exec").status is Status.MISSING
    assert any("EnableExec differs between the samconfig environments" in m
               for m in notes(result))


def test_a_parameter_file_alone_asks_for_its_template():
    result = load("create-stack-parameters.json")
    assert any("add the template" in m for m in notes(result))
    assert result.answered == ()
