"""Pass 3, findings: each rule looks at the answers and the computed traffic and may return
one finding. A finding's severity decides the verdict; every finding cites its sources.

RULES is the order the rules run in, which is the order of findings of equal severity.
"""

from __future__ import annotations

from collections.abc import Callable

from ..paths import Context
from ..result import Finding
from .endpoints import (
    endpoint_security_groups,
    endpoints_need_dns,
)
from .exec import (
    ecs_exec,
)
from .iam import (
    cmk_without_secrets,
    execution_role,
    kms_endpoint_for_secrets,
    secrets_on_1_3_0,
    service_linked_role,
)
from .ipv6 import (
    dualstack_ipv6_conditions,
    ipv6_egress_not_for_launch,
    ipv6_only_constraints,
    windows_dualstack_conflict,
)
from .load_balancer import (
    classic_load_balancer,
    gateway_load_balancer,
    load_balancer_security_groups,
    target_type_instance,
)
from .logs import (
    firelens_destination,
    firelens_notes,
    firelens_unsupported,
)
from .network import (
    awsvpc_limits,
    nat_on_public_subnet,
    no_internet_path,
    no_path_to_aws_services,
    public_ip_in_private_subnet,
    public_ipv4_billed,
    vpc_dns_off,
)
from .platform import (
    arm64_needs_linux,
    latest_resolves,
    platform_version_retired,
)
from .registry import (
    docker_hub_rate_limit,
    get_authorization_token_conditions,
    pull_through_cache_first_pull,
    windows_foreign_layers,
)
from .storage import (
    efs_needs_vpc_dns,
    efs_requirements,
    efs_unsupported,
)

Rule = Callable[[Context], "Finding | None"]
RULES: tuple[Rule, ...] = (
    platform_version_retired,
    latest_resolves,
    arm64_needs_linux,
    efs_unsupported,
    efs_needs_vpc_dns,
    firelens_unsupported,
    no_internet_path,
    no_path_to_aws_services,
    endpoints_need_dns,
    vpc_dns_off,
    endpoint_security_groups,
    get_authorization_token_conditions,
    public_ip_in_private_subnet,
    nat_on_public_subnet,
    public_ipv4_billed,
    dualstack_ipv6_conditions,
    ipv6_egress_not_for_launch,
    ipv6_only_constraints,
    windows_dualstack_conflict,
    windows_foreign_layers,
    pull_through_cache_first_pull,
    docker_hub_rate_limit,
    firelens_destination,
    firelens_notes,
    efs_requirements,
    ecs_exec,
    execution_role,
    kms_endpoint_for_secrets,
    cmk_without_secrets,
    secrets_on_1_3_0,
    service_linked_role,
    classic_load_balancer,
    target_type_instance,
    gateway_load_balancer,
    load_balancer_security_groups,
    awsvpc_limits,
)
