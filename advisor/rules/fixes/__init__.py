"""Copyable fixes: AWS CLI, CloudFormation and Terraform for each kind of remedy.

Each function returns the commands for one remedy, in the order aws-cli, cloudformation,
terraform. They are pure functions of hashable arguments, so each text is built once per
process (`functools.cache`): evaluate() runs on every request. Placeholders look like
placeholders (`<vpc-id>`, `<region>`) so nobody mistakes them for values the advisor knows;
the advisor never sees an account.
"""

from __future__ import annotations

from . import inbound as inbound  # EFS and Exec options, the way in (issue 12)
from . import resources as resources  # where resources live (issue 12)
from .common import (
    alternatives,
    labelled,
)
from .iam import (
    execution_role,
    policy_document,
    role_policy,
    service_linked_role,
    trust_policy,
)
from .network import (
    assign_public_ip,
    create_endpoints,
    dualstack_account_setting,
    egress_only_igw,
    endpoint_ingress,
    endpoint_private_dns,
    ipv6_autoassign,
    nat_gateway,
    security_group_ingress,
    vpc_dns,
)
from .security import (
    amazon_provided_dns,
    endpoint_dualstack,
    endpoint_policies,
    endpoint_security_groups,
    firewall_allowlist,
    hosted_zone_association,
    more_subnet_addresses,
    network_acl_entries,
    s3_endpoint_route_tables,
    security_group_egress,
)
from .services import (
    application_load_balancer,
    ecr_replication,
    ecs_exec,
    platform_version,
    pull_through_cache,
    target_group_ip,
)

__all__ = [
    "alternatives",
    "amazon_provided_dns",
    "application_load_balancer",
    "assign_public_ip",
    "create_endpoints",
    "dualstack_account_setting",
    "ecr_replication",
    "ecs_exec",
    "egress_only_igw",
    "endpoint_dualstack",
    "endpoint_ingress",
    "endpoint_policies",
    "endpoint_private_dns",
    "endpoint_security_groups",
    "execution_role",
    "firewall_allowlist",
    "hosted_zone_association",
    "ipv6_autoassign",
    "labelled",
    "more_subnet_addresses",
    "nat_gateway",
    "network_acl_entries",
    "platform_version",
    "policy_document",
    "pull_through_cache",
    "role_policy",
    "s3_endpoint_route_tables",
    "security_group_egress",
    "security_group_ingress",
    "service_linked_role",
    "target_group_ip",
    "trust_policy",
    "vpc_dns",
]
