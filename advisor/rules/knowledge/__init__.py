"""What AWS says, as data. Each fact lives here once, with the page it comes from.

The evaluator in `evaluate.py` reads these tables; it holds no AWS facts of its own. Sections:

- `SOURCES`: the AWS pages cited, by short key. Every finding cites at least one.
- `TRAFFIC_TABLE`: the table of *Task networking for tasks on Fargate*, cell for cell: for
  each action, which ENI carries it on each platform column, and which IAM role it uses.
- `ENDPOINTS`: the VPC endpoints a Fargate task may need, and what each serves.
- `PERMISSIONS`: the IAM actions each role needs, by the feature that needs them.
- `CAPABILITIES`: which features Windows and Linux 1.3.0 tasks cannot use, and the finding.
- Platform limits, and `CONFLICTS`.

The facts live in the modules of this package, by subject; this module re-exports them.

Confidence: facts marked [H] in `shared/reference/fargate-networking-facts.md` are stated by a
current AWS page; where that fact base marks a CONFLICT between AWS pages, the finding that
uses it says so and cites both pages (see `CONFLICTS`).
"""

from __future__ import annotations

from .capabilities import (
    CAPABILITIES,
    CAPABILITY,
    Capability,
    Unsupported,
)
from .conflicts import (
    CONFLICTS,
    GENEVE_PORT,
    MAX_SECURITY_GROUPS,
    MAX_SUBNETS,
    PV_1_3_0_RETIRED,
    TARGET_GROUP_PROTOCOLS,
    Conflict,
)
from .endpoints import (
    ECR_AUTH_ENDPOINTS,
    ECR_REGISTRIES,
    ENDPOINT_SERVED_REGISTRIES,
    ENDPOINTS,
    EXEC_ENDPOINTS,
    IMAGE_PULL_ENDPOINTS,
    LOG_DRIVER_ENDPOINTS,
    PRIVATE_DNS_ENDPOINT_TYPES,
    REGISTRY_ALTERNATIVES,
    SECRET_ENDPOINTS,
    EndpointFact,
)
from .errors import (
    ARM64_IMAGE_ERROR,
    EFS_DNS_ERROR,
    EXPECTED_ERRORS,
    TARGET_TYPE_ERROR,
)
from .iam import (
    AWSLOGS_ACTIONS,
    CMK_ACTIONS,
    ECR_PULL_ACTIONS,
    ECS_EXEC_ACTIONS,
    EFS_IAM_ACTIONS,
    EXECUTION_ROLE_MANAGED_POLICY,
    FIRELENS_CLOUDWATCH_ACTIONS,
    PRIVATE_REGISTRY_ACTIONS,
    PULL_THROUGH_CACHE_ACTIONS,
    ROLE_NAMES,
    SECRET_ACTIONS,
    SERVICE_LINKED_ACTIONS,
    SERVICE_LINKED_LB_ACTIONS,
    TRUST_PRINCIPALS,
)
from .sources import (
    SOURCES,
)
from .traffic import (
    COLUMN_TITLES,
    ENI_TITLES,
    LATEST,
    LOAD_BALANCER_NAMES,
    LOG_DESTINATIONS,
    REGISTRY_NAMES,
    ROLE_TITLES,
    SECRET_SERVICES,
    SERVICE_NAMES,
    TRAFFIC_BY_ACTION,
    TRAFFIC_TABLE,
    Column,
    TrafficFact,
    column_for,
    resolve,
)

RULES_VERSION = "2026.12.02"
"""Bumped with every change to a fact or a rule; see RULES_CHANGELOG.md."""

__all__ = [
    "ARM64_IMAGE_ERROR",
    "AWSLOGS_ACTIONS",
    "CAPABILITIES",
    "CAPABILITY",
    "CMK_ACTIONS",
    "COLUMN_TITLES",
    "CONFLICTS",
    "ECR_AUTH_ENDPOINTS",
    "ECR_PULL_ACTIONS",
    "ECR_REGISTRIES",
    "ECS_EXEC_ACTIONS",
    "EFS_DNS_ERROR",
    "EFS_IAM_ACTIONS",
    "ENDPOINTS",
    "ENDPOINT_SERVED_REGISTRIES",
    "ENI_TITLES",
    "EXECUTION_ROLE_MANAGED_POLICY",
    "EXEC_ENDPOINTS",
    "EXPECTED_ERRORS",
    "FIRELENS_CLOUDWATCH_ACTIONS",
    "GENEVE_PORT",
    "IMAGE_PULL_ENDPOINTS",
    "LATEST",
    "LOAD_BALANCER_NAMES",
    "LOG_DESTINATIONS",
    "LOG_DRIVER_ENDPOINTS",
    "MAX_SECURITY_GROUPS",
    "MAX_SUBNETS",
    "PRIVATE_DNS_ENDPOINT_TYPES",
    "PRIVATE_REGISTRY_ACTIONS",
    "PULL_THROUGH_CACHE_ACTIONS",
    "PV_1_3_0_RETIRED",
    "REGISTRY_ALTERNATIVES",
    "REGISTRY_NAMES",
    "ROLE_NAMES",
    "ROLE_TITLES",
    "RULES_VERSION",
    "SECRET_ACTIONS",
    "SECRET_ENDPOINTS",
    "SECRET_SERVICES",
    "SERVICE_LINKED_ACTIONS",
    "SERVICE_LINKED_LB_ACTIONS",
    "SERVICE_NAMES",
    "SOURCES",
    "TARGET_GROUP_PROTOCOLS",
    "TARGET_TYPE_ERROR",
    "TRAFFIC_BY_ACTION",
    "TRAFFIC_TABLE",
    "TRUST_PRINCIPALS",
    "Capability",
    "Column",
    "Conflict",
    "EndpointFact",
    "TrafficFact",
    "Unsupported",
    "column_for",
    "resolve",
]
