"""Terraform source (.tf, .tf.json, .tfvars): what it states, with where it came from, and
unknown for everything that only running Terraform would tell."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.importers import Document, DocumentError, DocumentKind, Status, import_documents

FIXTURES = Path(__file__).parent / "fixtures" / "terraform"

STACK = '''
provider "aws" { region = var.region }
variable "region" { default = "eu-west-1" }
variable "nat" { default = true }
variable "image" {}
locals { name = "app" }
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.main.id }
resource "aws_subnet" "public" {
  count  = 2
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "private" {
  count  = 2
  vpc_id = aws_vpc.main.id
}
resource "aws_nat_gateway" "nat" {
  count     = var.nat ? 1 : 0
  subnet_id = aws_subnet.public[0].id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table" "private" { vpc_id = aws_vpc.main.id }
resource "aws_route" "private_nat" {
  count                  = var.nat ? 1 : 0
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.nat[0].id
}
resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}
resource "aws_secretsmanager_secret" "db" { name = "db" }
resource "aws_ecs_task_definition" "app" {
  family                   = local.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  container_definitions = jsonencode([{
    name             = local.name
    image            = "${var.image}:latest"
    logConfiguration = { logDriver = "awslogs" }
    secrets          = [{ name = "DB", valueFrom = aws_secretsmanager_secret.db.arn }]
  }])
}
resource "aws_ecs_service" "app" {
  name        = local.name
  launch_type = "FARGATE"
  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.app.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = local.name
    container_port   = 80
  }
}
resource "aws_security_group" "app" { vpc_id = aws_vpc.main.id }
resource "aws_lb" "app" { subnets = aws_subnet.public[*].id }
resource "aws_lb_target_group" "app" {
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}
resource "aws_lb_listener" "app" {
  load_balancer_arn = aws_lb.app.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}
'''


def load(*documents: tuple[str, str | bytes]):
    return import_documents([Document(name, content) for name, content in documents])


def values(result) -> dict[str, object]:
    answers = result.to_dict()["answers"]
    return {name: a["value"] for name, a in answers.items()
            if a["status"] in ("found", "inferred")}


def test_a_plain_stack_is_read_through_its_references():
    result = load(("main.tf", STACK))
    assert values(result) == {
        "os": "linux", "arch": "x86_64", "platform_version": "latest", "subnet": "private",
        "public_ip": False, "nat_gateway": True, "ip_mode": "ipv4", "ipv6_autoassign": False,
        "ipv6_egress": "none", "vpc_dns": True, "endpoints": [], "log_driver": "awslogs",
        "secrets": ["secretsmanager"], "efs": False, "ecs_exec": False,
        "load_balancer": "alb", "target_type": "ip", "subnet_count": 2,
        "security_group_count": 1, "secrets_location": "same", "env_files": False,
        "service_discovery": "none", "exec_readonly_root": False, "dns64": False,
        "dns_support": True, "dns_hostnames": True, "egress_via": "nat_gateway",
        # aws_security_group without an egress block: Terraform removes the allow-all rule.
        "task_egress": "none",
        # ... and without an ingress block it admits nothing, the load balancer included.
        "lb_ingress": "blocks",
        # No network ACL or DHCP options associated: the new VPC's defaults.
        "nacl": "default", "dns_resolver": "amazon",
    }
    assert result.field("registry").status is Status.MISSING  # image = "${var.image}:latest"
    assert [d.kind for d in result.documents] == [DocumentKind.TERRAFORM]


def test_a_value_from_a_variables_default_says_so():
    nat = load(("main.tf", STACK)).field("nat_gateway")
    assert "default of variable `nat`" in nat.claims[0].note
    assert "can override" in nat.claims[0].note


def test_tfvars_override_a_default_and_say_where():
    result = load(("main.tf", STACK), ("prod.tfvars", "nat = false\n"))
    nat = result.field("nat_gateway")
    assert (nat.status, nat.value) == (Status.FOUND, False)
    assert "value of `nat` in prod.tfvars" in nat.claims[0].note


def test_count_over_an_unknown_variable_leaves_what_it_decides_unknown():
    result = load(("main.tf", STACK.replace('variable "nat" { default = true }',
                                            'variable "nat" {}')))
    assert result.field("nat_gateway").status is Status.MISSING
    assert result.field("subnet").status is Status.MISSING
    assert any("count is not known" in n["message"] for n in result.to_dict()["notes"])


def test_a_data_source_subnet_is_unknown_with_why():
    text = STACK.replace("subnets         = aws_subnet.private[*].id",
                         "subnets         = data.aws_subnets.private.ids")
    result = load(("main.tf", text))
    assert result.field("subnet").status is Status.MISSING
    assert any("data source" in n["message"] for n in result.to_dict()["notes"])


def test_container_definitions_from_templatefile_given_beside():
    text = STACK.replace(
        'container_definitions = jsonencode([{', 'container_definitions = templatefile('
        '"${path.module}/containers.json.tpl", { image = "123456789012.dkr.ecr.eu-west-1.'
        'amazonaws.com/app:1" })\n  unused = jsonencode([{')
    template = '[{"name": "app", "image": "${image}", "essential": true}]'
    result = load(("main.tf", text), ("containers.json.tpl", template))
    assert values(result)["registry"] == "ecr"
    assert values(result)["log_driver"] == "none"


def test_file_not_among_the_documents_is_unknown_and_named():
    text = STACK.replace('container_definitions = jsonencode([{',
                         'container_definitions = file("task.json")\n  unused = jsonencode([{')
    result = load(("main.tf", text))
    assert result.field("registry").status is Status.MISSING
    assert any("task.json" in n["message"] for n in result.to_dict()["notes"])


VPC_MODULE = '''
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"
  cidr    = "10.0.0.0/16"
  private_subnets    = ["10.0.1.0/24", "10.0.2.0/24"]
  public_subnets     = ["10.0.101.0/24", "10.0.102.0/24"]
  enable_nat_gateway = var.nat
  single_nat_gateway = true
}
variable "nat" { default = false }
module "endpoints" {
  source = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  vpc_id = module.vpc.vpc_id
  endpoints = {
    s3      = { service = "s3", service_type = "Gateway",
                route_table_ids = module.vpc.private_route_table_ids }
    ecr_api = { service = "ecr.api", private_dns_enabled = true }
    ecr_dkr = { service = "ecr.dkr", private_dns_enabled = true }
  }
}
module "service" {
  source           = "terraform-aws-modules/ecs/aws//modules/service"
  subnet_ids       = module.vpc.private_subnets
  container_definitions = {
    app = { image = "public.ecr.aws/nginx/nginx:latest" }
  }
}
'''


def test_the_public_modules_are_read_by_their_inputs():
    result = load(("main.tf", VPC_MODULE))
    assert values(result) == {
        "os": "linux", "arch": "x86_64", "platform_version": "latest", "subnet": "private",
        "public_ip": False, "nat_gateway": False, "ip_mode": "ipv4", "ipv6_autoassign": False,
        "ipv6_egress": "none", "vpc_dns": True, "endpoints": ["ecr_api", "ecr_dkr", "s3"],
        "endpoint_private_dns": True, "registry": "ecr_public", "log_driver": "awslogs",
        "secrets": [], "efs": False, "ecs_exec": False, "load_balancer": "none",
        "subnet_count": 2, "security_group_count": 1, "other_registries": [],
        "env_files": False, "service_discovery": "none", "exec_readonly_root": False,
        "dns64": False, "dns_support": True, "dns_hostnames": True,
        "endpoint_policy": "full_access", "s3_endpoint_routes": "task_subnets",
        # The endpoints module names no security group (security_group_ids, and
        # create_security_group false): the VPC's default group.
        "endpoint_sg": "default_group", "endpoints_in": "this_vpc",
        "nacl": "default", "dns_resolver": "amazon",
    }
    assert "default of variable `nat`" in result.field("nat_gateway").claims[0].note


def test_an_unknown_module_is_opaque():
    result = load(("main.tf", 'module "net" {\n  source = "./modules/net"\n}\n'
                               'resource "aws_ecs_service" "s" {\n  network_configuration {\n'
                               '    subnets = module.net.private_subnets\n  }\n}\n'))
    assert result.field("subnet").status is Status.MISSING
    assert any("./modules/net" in n["message"] for n in result.to_dict()["notes"])


@pytest.mark.parametrize("name", ["main.tf", "pasted"])
def test_terraform_is_never_read_as_yaml(name):
    text = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'
    result = load((name, text))
    assert [d.kind for d in result.documents] == [DocumentKind.TERRAFORM]


def test_broken_terraform_names_the_line_not_yaml():
    with pytest.raises(DocumentError) as error:
        load(("main.tf", 'resource "aws_vpc" "main" {\n  cidr_block = \n}\n'))
    message = " ".join(error.value.errors["main.tf"])
    assert "Terraform" in message and "line" in message and "YAML" not in message


def test_tf_json_is_read_like_tf():
    text = ('{"resource": {"aws_ecs_service": {"app": {"enable_execute_command": "${var.x}",'
            ' "platform_version": "1.4.0"}}}, "variable": {"x": {"default": true}}}')
    result = load(("main.tf.json", text))
    assert values(result)["ecs_exec"] is True
    assert values(result)["platform_version"] == "1.4.0"


# Real public projects (tests/fixtures/README): what they state, and nothing else.
REAL = [
    ("fullstack-networking", {"vpc_dns": True, "endpoints": [], "dns_support": True,
                              "dns_hostnames": True, "dns_resolver": "amazon"}),
    ("fullstack-taskdef", {"os": "linux", "arch": "x86_64", "log_driver": "awslogs",
                           "secrets": [], "efs": False, "env_files": False,
                           "exec_readonly_root": False}),
    ("ecs-module-fargate", {"vpc_dns": True, "dns_support": True, "dns_hostnames": True,
                            "dns_resolver": "amazon"}),
]


@pytest.mark.parametrize(("folder", "expected"), REAL, ids=[r[0] for r in REAL])
def test_real_projects_state_only_what_they_state(folder, expected):
    files = sorted((FIXTURES / folder).iterdir())
    result = load(*[(f.name, f.read_bytes()) for f in files])
    assert values(result) == expected


def test_the_fullstack_network_describes_its_subnets_without_choosing():
    files = sorted((FIXTURES / "fullstack-networking").iterdir())
    notes = [n["message"] for n in load(*[(f.name, f.read_bytes()) for f in files])
             .to_dict()["notes"]]
    assert any("public (0.0.0.0/0 to an internet gateway)" in n and
               "private with a NAT gateway" in n for n in notes)
