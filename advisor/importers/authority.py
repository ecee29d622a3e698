"""Which document states each answer, and what that document's silence means.

An import answers a field only from a document that states it; every other field is
`UNKNOWN` (spec section 4), never the vocabulary's default. A document can state a field by
leaving a setting out, but only where it *owns* that setting and AWS documents what leaving
it out means: a task definition without `runtimePlatform` runs Linux on x86_64, a service
without `assignPublicIp` gets no public IP. A task definition says nothing about subnets,
NAT or endpoints, so its silence about them is no statement at all.

`AUTHORITY` is that decision, one row per field: who owns the setting, what its absence means
(`UNKNOWN` where absence means nothing) and why. The importers read it through `omitted()`,
so what an absent setting means is written here once, not in each reader. (A Terraform plan
leaves out what is known only after apply, so there absence is no statement either: its
readers pass `absent_is_default=False` and never call `omitted()` for those settings.)

Note that the value of an absent setting is AWS's default, which is not always the advisor's
default for the question: an interface endpoint without `PrivateDnsEnabled` has private DNS
off in CloudFormation, while the wizard assumes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advisor.rules.answers import (
    FIELDS_BY_NAME,
    OS,
    UNKNOWN,
    Arch,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    TargetType,
)

from .model import Claim, Origin


@dataclass(frozen=True, slots=True)
class Authority:
    field: str
    owner: str  # the document, and the setting in it, that states the field
    omitted: Any  # what the owner's silence states; UNKNOWN when it states nothing
    reason: str  # the provenance note of a claim read from silence, or why there is none


_TASK_DEFINITION = "the task definition"
_SERVICE = "the service (or run-task call)"
_NETWORK = "a template or plan that creates the task's subnets, VPC or endpoints"

AUTHORITY: tuple[Authority, ...] = (
    Authority("os", f"{_TASK_DEFINITION}: runtimePlatform.operatingSystemFamily", OS.LINUX,
              "not set, so ECS's default applies: Linux"),
    Authority("arch", f"{_TASK_DEFINITION}: runtimePlatform.cpuArchitecture", Arch.X86_64,
              "not set, so ECS's default applies: x86_64"),
    Authority("platform_version", f"{_SERVICE}: platformVersion", PlatformVersion.LATEST,
              "platformVersion is not set, so ECS uses LATEST"),
    Authority("subnet", f"{_NETWORK}: the route table of the service's subnets", UNKNOWN,
              "a subnet ID does not say where its route table sends traffic"),
    Authority("public_ip", f"{_SERVICE}: awsvpcConfiguration.assignPublicIp", False,
              "assignPublicIp is not set, so it is DISABLED"),
    Authority("nat_gateway", f"{_NETWORK}: the route table of the service's subnets", UNKNOWN,
              "a subnet ID does not say where its route table sends traffic"),
    Authority("ip_mode", f"{_NETWORK}: the subnet's Ipv6CidrBlock and Ipv6Native", IPMode.IPV4,
              "the subnet has no IPv6 CIDR block"),
    Authority("dualstack_account_setting", "a template or plan that sets the ECS account "
              "setting dualStackIPv6", UNKNOWN,
              "an account setting is usually set outside the documents that use it"),
    Authority("ipv6_autoassign", f"{_NETWORK}: the subnet's AssignIpv6AddressOnCreation",
              False, "AssignIpv6AddressOnCreation is not set (false)"),
    Authority("ipv6_egress", f"{_NETWORK}: the route table's ::/0 route", IPv6Egress.NONE,
              "the route table has no IPv6 default route"),
    Authority("vpc_dns", f"{_NETWORK}: the VPC's EnableDnsSupport and EnableDnsHostnames",
              False, "a new VPC has DNS support on and DNS hostnames off"),
    Authority("endpoints", f"{_NETWORK}: the VPC endpoints of a VPC the documents create",
              frozenset(), "no VPC endpoint the advisor tracks is created in the VPC"),
    Authority("endpoint_private_dns", f"{_NETWORK}: the interface endpoints' "
              "PrivateDnsEnabled", False, "PrivateDnsEnabled is not set, and it defaults to "
              "false on interface endpoints; Fargate calls the services' usual names"),
    Authority("registry", f"{_TASK_DEFINITION}: the containers' image names", UNKNOWN,
              "a container without a fixed image name does not say where it is pulled from"),
    Authority("log_driver", f"{_TASK_DEFINITION}: the containers' logConfiguration",
              LogDriver.NONE, "no logConfiguration, so the container's logs go nowhere"),
    Authority("secrets", f"{_TASK_DEFINITION}: the containers' secrets and secretOptions",
              frozenset(), "no container has secrets or secretOptions"),
    Authority("cmk", "a template or plan that creates the secrets, with their KmsKeyId",
              UNKNOWN, "a task definition names its secrets, not the keys that encrypt them"),
    Authority("efs", f"{_TASK_DEFINITION}: volumes[].efsVolumeConfiguration", False,
              "no volume has an EFS configuration"),
    Authority("ecs_exec", f"{_SERVICE}: enableExecuteCommand", False,
              "enableExecuteCommand is not set, so ECS Exec is off"),
    Authority("load_balancer", f"{_SERVICE}: loadBalancers, and the load balancer behind its "
              "target groups", LoadBalancer.NONE, "the service registers with no load balancer"),
    Authority("target_type", f"{_NETWORK}: the target group's TargetType", TargetType.INSTANCE,
              "TargetType is not set, and the default is instance"),
    Authority("subnet_count", f"{_SERVICE}: awsvpcConfiguration.subnets", UNKNOWN,
              "subnets is required, so it has no default"),
    Authority("security_group_count", f"{_SERVICE}: awsvpcConfiguration.securityGroups", 0,
              "no security groups: the VPC's default security group applies"),
)

AUTHORITY_BY_FIELD: dict[str, Authority] = {row.field: row for row in AUTHORITY}
assert list(AUTHORITY_BY_FIELD) == list(FIELDS_BY_NAME), "one row per field, in FIELDS order"


def omitted(field: str, origin: Origin, note: str = "") -> Claim:
    """The claim an owning document makes by leaving the field's setting out."""
    row = AUTHORITY_BY_FIELD[field]
    assert row.omitted is not UNKNOWN, f"leaving {field} out states nothing"
    return Claim(field, row.omitted, (origin,), note or row.reason)
