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
    DnsResolver,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    LogDriver,
    NetworkAcl,
    PlatformVersion,
    ServiceDiscovery,
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
    # Network detail (issue 12). Most are stated only by a document that creates the resource
    # (a security group, an ACL, a DHCP options set); the importers that read them claim them.
    Authority("dns64", f"{_NETWORK}: the subnet's EnableDns64", False,
              "EnableDns64 is not set (false)"),
    Authority("endpoints_in", f"{_NETWORK}: where the interface endpoints are created",
              UNKNOWN, "endpoints the documents do not create may live in another VPC"),
    Authority("endpoint_sg", f"{_NETWORK}: the interface endpoints' SecurityGroupIds and "
              "their ingress rules", UNKNOWN,
              "a security group's rules are stated only where it is created"),
    Authority("endpoint_policy", f"{_NETWORK}: the endpoints' PolicyDocument", UNKNOWN,
              "an endpoint's policy is stated only where it is created"),
    Authority("s3_endpoint_routes", f"{_NETWORK}: the S3 gateway endpoint's RouteTableIds",
              UNKNOWN, "the route tables are stated only where the endpoint is created"),
    Authority("endpoint_ip_type", f"{_NETWORK}: the interface endpoints' IpAddressType",
              UNKNOWN, "the address type is stated only where the endpoint is created"),
    Authority("task_egress", f"{_NETWORK}: the egress rules of the task's security groups",
              UNKNOWN, "a security group's rules are stated only where it is created"),
    Authority("nacl", f"{_NETWORK}: the network ACLs associated with the task subnets",
              NetworkAcl.DEFAULT, "a subnet associated with no network ACL has its VPC's "
              "default ACL, which allows all traffic in a VPC the documents create"),
    Authority("egress_via", f"{_NETWORK}: the target of the private subnets' default route",
              UNKNOWN, "a subnet ID does not say where its route table sends traffic"),
    Authority("egress_allowlist", "a firewall policy in the documents", UNKNOWN,
              "a firewall's rules are stated only where they are created"),
    Authority("dns_support", f"{_NETWORK}: the VPC's EnableDnsSupport", True,
              "EnableDnsSupport is not set, and it defaults to true"),
    Authority("dns_hostnames", f"{_NETWORK}: the VPC's EnableDnsHostnames", False,
              "EnableDnsHostnames is not set, and it defaults to false for a VPC you create"),
    Authority("dns_resolver", f"{_NETWORK}: the VPC's DHCP options set", DnsResolver.AMAZON,
              "a VPC associated with no DHCP options set has the default set, whose "
              "domain-name-servers is AmazonProvidedDNS"),
    Authority("free_addresses", f"{_NETWORK}: the task subnets' CIDR blocks", UNKNOWN,
              "free addresses depend on what else runs in the subnets"),
    Authority("other_registries", f"{_TASK_DEFINITION}: the other containers' image names",
              frozenset(), "every container pulls from the image registry"),
    Authority("ecr_account", f"{_TASK_DEFINITION}: the account in the ECR image URIs",
              UNKNOWN, "an image name without an account does not say whose repository it is"),
    Authority("ecr_repository_policy", "a template or plan that creates the repositories",
              UNKNOWN, "a repository policy is stated only where it is created"),
    Authority("secrets_location", f"{_TASK_DEFINITION}: the secrets' valueFrom ARNs", UNKNOWN,
              "a secret's name alone does not say where it is"),
    Authority("secrets_policy", "a template or plan that creates the secrets", UNKNOWN,
              "a secret's policies are stated only where it is created"),
    Authority("logs_region", f"{_TASK_DEFINITION}: the awslogs-region option", UNKNOWN,
              "awslogs-region is required by the awslogs driver"),
    Authority("log_group", f"{_TASK_DEFINITION}: awslogs-group and awslogs-create-group",
              UNKNOWN, "a log group's existence is stated only where it is created"),
    Authority("env_files", f"{_TASK_DEFINITION}: the containers' environmentFiles", False,
              "no container has environmentFiles"),
    Authority("service_discovery", f"{_SERVICE}: serviceConnectConfiguration and "
              "serviceRegistries", ServiceDiscovery.NONE,
              "the service has neither Service Connect nor service registries"),
    Authority("peer_ingress", f"{_NETWORK}: the called services' security groups", UNKNOWN,
              "a security group's rules are stated only where it is created"),
    Authority("efs_sg", f"{_NETWORK}: the EFS mount targets' security groups", UNKNOWN,
              "a security group's rules are stated only where it is created"),
    Authority("efs_mount_targets", f"{_NETWORK}: the EFS mount targets", UNKNOWN,
              "mount targets are stated only where they are created"),
    Authority("efs_iam", f"{_TASK_DEFINITION}: efsVolumeConfiguration.authorizationConfig.iam",
              False, "authorizationConfig.iam is not set, so it is DISABLED"),
    Authority("efs_access_point", f"{_TASK_DEFINITION}: authorizationConfig.accessPointId",
              False, "no access point is named"),
    Authority("efs_transit_encryption", f"{_TASK_DEFINITION}: "
              "efsVolumeConfiguration.transitEncryption", False,
              "transitEncryption is not set, so it is DISABLED"),
    Authority("exec_readonly_root", f"{_TASK_DEFINITION}: readonlyRootFilesystem", False,
              "readonlyRootFilesystem is not set (false)"),
    Authority("exec_kms", "the cluster: executeCommandConfiguration.kmsKeyId", UNKNOWN,
              "the cluster's configuration is stated only where the cluster is created"),
    Authority("exec_logging", "the cluster: executeCommandConfiguration.logging", UNKNOWN,
              "the cluster's configuration is stated only where the cluster is created"),
    Authority("lb_ingress", f"{_NETWORK}: the task security group's ingress rules", UNKNOWN,
              "a security group's rules are stated only where it is created"),
    Authority("lb_azs", f"{_NETWORK}: the load balancer's subnets", UNKNOWN,
              "the load balancer's subnets are stated only where it is created"),
)

AUTHORITY_BY_FIELD: dict[str, Authority] = {row.field: row for row in AUTHORITY}
assert list(AUTHORITY_BY_FIELD) == list(FIELDS_BY_NAME), "one row per field, in FIELDS order"


def omitted(field: str, origin: Origin, note: str = "") -> Claim:
    """The claim an owning document makes by leaving the field's setting out."""
    row = AUTHORITY_BY_FIELD[field]
    assert row.omitted is not UNKNOWN, f"leaving {field} out states nothing"
    return Claim(field, row.omitted, (origin,), note or row.reason)
