"""Pass 3, findings: each rule looks at the answers and the computed traffic and may return
one finding. A finding's severity decides the verdict; every finding cites its sources.

RULES is the order the rules run in, which is the order of findings of equal severity.
"""

from __future__ import annotations

from collections.abc import Callable

from ..knowledge.capabilities import CAPABILITIES
from ..paths import Context
from ..result import Finding
from .endpoints import (
    endpoint_network_rules,
    endpoint_private_dns,
)
from .exec import (
    ecs_exec,
)
from .iam import (
    customer_managed_key_unused,
    kms_endpoint_not_needed_for_secrets,
    secrets_json_keys_need_platform_1_4_0,
    service_linked_role,
    task_execution_role_permissions,
)
from .inbound import INBOUND_RULES
from .ipv6 import (
    dualstack_task_gets_ipv4_only,
    ipv6_only_requirements,
    ipv6_route_does_not_carry_launch_traffic,
    windows_dualstack_unclear,
)
from .load_balancer import (
    classic_load_balancer_unsupported,
    gateway_load_balancer_docs_disagree,
    load_balancer_reachability,
    target_type_must_be_ip,
)
from .logs import (
    firelens_destination_unreachable,
    firelens_task_role,
)
from .network import (
    awsvpc_configuration,
    nat_gateway_ignored_on_public_subnet,
    no_internet_path,
    no_path_to_aws_services,
    public_ip_exposes_task,
    public_ip_unused_in_private_subnet,
    vpc_dns_attributes_off,
)
from .platform import (
    arm64_image_architecture,
    capability_unsupported,
    latest_platform_version,
    platform_version_1_3_0_retired,
)
from .registry import (
    docker_hub_rate_limit,
    no_vpc_conditions_on_get_authorization_token,
    pull_through_cache,
    windows_foreign_layers,
)
from .resources import RESOURCES_RULES
from .security import SECURITY_RULES
from .storage import (
    efs_needs_vpc_dns,
    efs_network_and_iam,
)

# A rule returns its finding or None; `capability_unsupported` returns one per table row.
Rule = Callable[[Context], "Finding | tuple[Finding, ...] | None"]
RULES: tuple[Rule, ...] = (
    platform_version_1_3_0_retired,
    latest_platform_version,
    capability_unsupported,
    arm64_image_architecture,
    efs_needs_vpc_dns,
    no_internet_path,
    no_path_to_aws_services,
    endpoint_private_dns,
    vpc_dns_attributes_off,
    endpoint_network_rules,
    no_vpc_conditions_on_get_authorization_token,
    public_ip_unused_in_private_subnet,
    nat_gateway_ignored_on_public_subnet,
    public_ip_exposes_task,
    dualstack_task_gets_ipv4_only,
    ipv6_route_does_not_carry_launch_traffic,
    ipv6_only_requirements,
    windows_dualstack_unclear,
    windows_foreign_layers,
    pull_through_cache,
    docker_hub_rate_limit,
    firelens_destination_unreachable,
    firelens_task_role,
    efs_network_and_iam,
    ecs_exec,
    task_execution_role_permissions,
    kms_endpoint_not_needed_for_secrets,
    customer_managed_key_unused,
    secrets_json_keys_need_platform_1_4_0,
    service_linked_role,
    classic_load_balancer_unsupported,
    target_type_must_be_ip,
    gateway_load_balancer_docs_disagree,
    load_balancer_reachability,
    awsvpc_configuration,
    *SECURITY_RULES,
    *RESOURCES_RULES,
    *INBOUND_RULES,
)


def rule_for(finding_id: str) -> Rule | None:
    """The rule that writes this finding, for rendering one finding without running them all
    (`unknowns` renders the blocker each open requirement would raise). None: not one rule."""
    if finding_id in _CAPABILITY_IDS:
        return capability_unsupported
    return _SHARED.get(finding_id) or _BY_NAME.get(finding_id.replace("-", "_"))


_BY_NAME: dict[str, Rule] = {rule.__name__: rule for rule in RULES}
# Rules named after their subject, by the ids they write that requirements point to.
_SHARED: dict[str, Rule] = {
    "endpoints-need-private-dns": endpoint_private_dns,
    "awsvpc-configuration-limits": awsvpc_configuration,
    "ecs-exec-no-path": ecs_exec,
    "ecs-exec-unsupported-ipv6-only": ecs_exec,
}
_CAPABILITY_IDS = frozenset(
    gap.id for cap in CAPABILITIES for gap in (cap.windows, cap.linux_1_3_0) if gap is not None
)


def findings_of(result: Finding | tuple[Finding, ...] | None) -> tuple[Finding, ...]:
    """What one rule returned, as findings."""
    if result is None:
        return ()
    return (result,) if isinstance(result, Finding) else result
