"""The questions (spec section 1): `FIELDS` describes every field of `Answers` once: its kind,
allowed values, default, question text, wizard step and AWS source. The parsers, the wizard's
forms, `/api/v1/questions` and the OpenAPI document all read it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .answers import (
    _FIELD_NAMES,
    OS,
    Admits,
    Allowlist,
    Answers,
    Arch,
    Capacity,
    Coverage,
    DnsResolver,
    EgressVia,
    Endpoint,
    EndpointIPType,
    EndpointPolicy,
    EndpointSG,
    EndpointsIn,
    ExecLogging,
    Grant,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    Location,
    LogDriver,
    LogGroup,
    NetworkAcl,
    PlatformVersion,
    Registry,
    S3Routes,
    SecretSource,
    ServiceDiscovery,
    Subnet,
    TargetType,
    TaskEgress,
    Unknown,
    Where,
)

UNKNOWN = Unknown.UNKNOWN


class Kind(StrEnum):
    CHOICE = "choice"
    MULTI = "multi"
    BOOL = "bool"
    INT = "int"


class Step(StrEnum):
    """The wizard's steps, in order; every field belongs to one."""

    PLATFORM = "platform"
    NETWORK = "network"
    ENDPOINTS = "endpoints"
    SECURITY = "security"
    IMAGE = "image"
    FEATURES = "features"
    RESOURCES = "resources"
    LOAD_BALANCER = "load_balancer"


STEP_TITLES: dict[Step, str] = {
    Step.PLATFORM: "Platform",
    Step.NETWORK: "Network",
    Step.ENDPOINTS: "VPC endpoints",
    Step.SECURITY: "Security and DNS",
    Step.IMAGE: "Image",
    Step.FEATURES: "Task features",
    Step.RESOURCES: "Registries, secrets and logs",
    Step.LOAD_BALANCER: "Load balancer",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One question: how it is parsed, asked and explained."""

    name: str
    kind: Kind
    step: Step
    label: str
    help: str
    source_url: str
    enum: type[StrEnum] | None = None
    minimum: int | None = None
    choice_labels: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # Where the question matters, given the answers so far (unknown ones may make it matter):
    # the wizard shows it only there. None: always.
    when: Callable[[Any], bool] | None = None
    # Asked only on request: its step comes into the wizard's flow for the other questions on
    # it, or when the user asks for the optional checks. Its default is AWS's default.
    optional: bool = False

    def matters(self, answers: Any) -> bool:
        return self.when is None or bool(self.when(answers))

    @property
    def default(self) -> Any:
        return _DEFAULTS[self.name]

    @property
    def choices(self) -> tuple[str, ...]:
        """Allowed values, in vocabulary order (empty for booleans and integers)."""
        return _CHOICES[self.name]

    def label_for(self, value: str) -> str:
        return self.choice_labels.get(value, value)


_NETWORKING = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html"
_PLATFORMS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-fargate.html"
_AWSVPC = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html"
_RUNTIME = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html"
_ECS_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html"
_ECR_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html"
_PULL_ERRORS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html"
_EXEC_ROLE = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"
_LOAD_BALANCING = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html"
_SECURITY_GROUPS = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html"
_NACLS = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html"
_VPC_DNS = "https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html"
_DHCP = "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html"
_PRIVATELINK = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html"
_ENDPOINT_POLICIES = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html"
_S3_GATEWAY = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html"
_SUBNET_SIZING = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html"
_ECR_POLICIES = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html"
_SECRETS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data-secrets.html"
_AWSLOGS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html"
_ENV_FILES = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/use-environment-file.html"
_EFS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html"
_EXEC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"
_HEALTH = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html"
_SERVICE_CONNECT = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect.html"


# The image registry and the other containers' registries are asked in the same words.
_REGISTRY_LABELS = {
    "ecr": "Amazon ECR, same Region",
    "ecr_other_region": "Amazon ECR, another Region",
    "ecr_public": "Amazon ECR Public (public.ecr.aws)",
    "ecr_pull_through_cache": "Amazon ECR pull-through cache",
    "docker_hub": "Docker Hub",
    "other_public": "Another public registry (Quay, GHCR, ...)",
    "private_registry": "A private registry with repositoryCredentials",
}


def _may(value: Any, *wanted: Any) -> bool:
    """The answer is one of these, or not known yet (so the question may matter)."""
    return value is UNKNOWN or value in wanted


def _may_be_true(value: Any) -> bool:
    return value is UNKNOWN or bool(value)


def _interface_endpoints(a: Any) -> bool:
    return a.endpoints is UNKNOWN or any(e is not Endpoint.S3 for e in a.endpoints)


def _any_endpoint(a: Any) -> bool:
    return a.endpoints is UNKNOWN or bool(a.endpoints)


def _nat_route(a: Any) -> bool:
    return _may(a.subnet, Subnet.PRIVATE) and _may_be_true(a.nat_gateway)


def _ecr(a: Any) -> bool:
    return _may(a.registry, Registry.ECR, Registry.ECR_PULL_THROUGH_CACHE,
                Registry.ECR_OTHER_REGION)


def _load_balanced(a: Any) -> bool:
    return _may(a.load_balancer, LoadBalancer.ALB, LoadBalancer.NLB, LoadBalancer.GWLB)


def _awslogs(a: Any) -> bool:
    return _may(a.log_driver, LogDriver.AWSLOGS)

FIELDS: tuple[Field, ...] = (
    Field(
        "os", Kind.CHOICE, Step.PLATFORM, "Operating system",
        "The task definition's runtimePlatform.operatingSystemFamily. All Windows Server "
        "editions count as Windows here.",
        _RUNTIME, enum=OS, choice_labels={"linux": "Linux", "windows": "Windows"},
    ),
    Field(
        "arch", Kind.CHOICE, Step.PLATFORM, "CPU architecture",
        "runtimePlatform.cpuArchitecture. ARM64 (Graviton) needs Linux.",
        _RUNTIME, enum=Arch, choice_labels={"x86_64": "x86_64", "arm64": "ARM64 (Graviton)"},
    ),
    Field(
        "platform_version", Kind.CHOICE, Step.PLATFORM, "Fargate platform version",
        "The platformVersion of the service or run-task call. LATEST means 1.4.0 on Linux and "
        "1.0.0 on Windows.",
        _PLATFORMS, enum=PlatformVersion,
        choice_labels={"latest": "LATEST", "1.4.0": "1.4.0", "1.3.0": "1.3.0 (retired)",
                       "1.0.0": "1.0.0"},
    ),
    Field(
        "subnet", Kind.CHOICE, Step.NETWORK, "Subnet type",
        "Public means the subnet's route table sends 0.0.0.0/0 to an internet gateway; private "
        "means it does not.",
        _NETWORKING, enum=Subnet, choice_labels={"public": "Public", "private": "Private"},
    ),
    Field(
        "public_ip", Kind.BOOL, Step.NETWORK, "Public IP assigned to the task",
        "assignPublicIp in awsvpcConfiguration. Only useful in a public subnet.",
        _AWSVPC,
    ),
    Field(
        "nat_gateway", Kind.BOOL, Step.NETWORK, "NAT gateway route",
        "The private subnet's route table sends 0.0.0.0/0 to a NAT gateway.",
        _NETWORKING,
    ),
    Field(
        "ip_mode", Kind.CHOICE, Step.NETWORK, "IP addressing",
        "How the VPC and the task's subnets are addressed.",
        _NETWORKING, enum=IPMode,
        choice_labels={"ipv4": "IPv4 only", "dualstack": "Dual-stack (IPv4 and IPv6)",
                       "ipv6_only": "IPv6 only"},
    ),
    Field(
        "dualstack_account_setting", Kind.BOOL, Step.NETWORK, "dualStackIPv6 account setting",
        "The ECS account setting dualStackIPv6 is enabled for the principal that launches the "
        "tasks, in this Region.",
        _NETWORKING,
    ),
    Field(
        "ipv6_autoassign", Kind.BOOL, Step.NETWORK, "Subnet auto-assigns IPv6 addresses",
        "The subnet's 'auto-assign IPv6 address' attribute is on.",
        _NETWORKING,
    ),
    Field(
        "ipv6_egress", Kind.CHOICE, Step.NETWORK, "IPv6 default route",
        "Where the subnet's route table sends ::/0.",
        _NETWORKING, enum=IPv6Egress,
        choice_labels={"none": "No IPv6 default route", "igw": "Internet gateway",
                       "egress_only_igw": "Egress-only internet gateway"},
    ),
    Field(
        "vpc_dns", Kind.BOOL, Step.NETWORK, "VPC DNS support and DNS hostnames",
        "Both enableDnsSupport and enableDnsHostnames are on for the VPC. Endpoint private DNS "
        "needs both.",
        _ECS_ENDPOINTS,
    ),
    Field(
        "endpoints", Kind.MULTI, Step.ENDPOINTS, "VPC endpoints in the task's VPC",
        "Interface endpoints, and the S3 gateway endpoint on the task subnets' route tables.",
        _ECS_ENDPOINTS, enum=Endpoint,
        choice_labels={
            "ecr_api": "ecr.api (Amazon ECR API)",
            "ecr_dkr": "ecr.dkr (Amazon ECR Docker registry)",
            "s3": "s3 (gateway endpoint)",
            "logs": "logs (CloudWatch Logs)",
            "secretsmanager": "secretsmanager (Secrets Manager)",
            "ssm": "ssm (Systems Manager)",
            "ssmmessages": "ssmmessages (Session Manager, for ECS Exec)",
            "kms": "kms (AWS KMS)",
        },
    ),
    Field(
        "endpoint_private_dns", Kind.BOOL, Step.ENDPOINTS, "Private DNS on the interface endpoints",
        "Private DNS makes the services' usual names resolve to the endpoints. Fargate calls the "
        "usual names, so it must be on.",
        _ECR_ENDPOINTS,
    ),
    Field(
        "registry", Kind.CHOICE, Step.IMAGE, "Image registry",
        "Where the container images come from.",
        _PULL_ERRORS, enum=Registry,
        choice_labels=_REGISTRY_LABELS,
    ),
    Field(
        "log_driver", Kind.CHOICE, Step.FEATURES, "Log driver",
        "The containers' logConfiguration.logDriver.",
        _EXEC_ROLE, enum=LogDriver,
        choice_labels={"none": "None", "awslogs": "awslogs (CloudWatch Logs)",
                       "firelens": "awsfirelens (FireLens)", "splunk": "splunk"},
    ),
    Field(
        "secrets", Kind.MULTI, Step.FEATURES, "Secrets injected into containers",
        "secrets or secretOptions in the task definition, by where they are stored.",
        _EXEC_ROLE, enum=SecretSource,
        choice_labels={"secretsmanager": "AWS Secrets Manager",
                       "ssm": "Systems Manager Parameter Store"},
    ),
    Field(
        "cmk", Kind.BOOL, Step.FEATURES, "Secrets encrypted with a customer managed KMS key",
        "The secrets or parameters use your own KMS key rather than the AWS managed key.",
        _EXEC_ROLE,
    ),
    Field(
        "efs", Kind.BOOL, Step.FEATURES, "Amazon EFS volume",
        "The task mounts an EFS file system.",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html",
    ),
    Field(
        "ecs_exec", Kind.BOOL, Step.FEATURES, "ECS Exec",
        "enableExecuteCommand is on, so you can open a shell in the containers.",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html",
    ),
    Field(
        "load_balancer", Kind.CHOICE, Step.LOAD_BALANCER, "Load balancer",
        "The load balancer the service registers its tasks with.",
        _LOAD_BALANCING, enum=LoadBalancer,
        choice_labels={"none": "None", "alb": "Application Load Balancer",
                       "nlb": "Network Load Balancer", "clb": "Classic Load Balancer",
                       "gwlb": "Gateway Load Balancer"},
    ),
    Field(
        "target_type", Kind.CHOICE, Step.LOAD_BALANCER, "Target group target type",
        "The TargetType of the service's target groups.",
        _LOAD_BALANCING, enum=TargetType, choice_labels={"ip": "ip", "instance": "instance"},
    ),
    Field(
        "subnet_count", Kind.INT, Step.LOAD_BALANCER, "Subnets in awsvpcConfiguration",
        "How many subnets the service or task lists.",
        _AWSVPC, minimum=1,
    ),
    Field(
        "security_group_count", Kind.INT, Step.LOAD_BALANCER,
        "Security groups in awsvpcConfiguration",
        "How many security groups the service or task lists (none means the VPC's default "
        "security group).",
        _AWSVPC, minimum=0,
    ),
    # --- Network detail (issue 12) -------------------------------------------------------
    Field(
        "dns64", Kind.BOOL, Step.NETWORK, "DNS64 on the IPv6-only subnet",
        "The subnet's enableDns64 attribute: DNS answers IPv4-only names with synthesised IPv6 "
        "addresses, which the NAT gateway translates (NAT64) through a 64:ff9b::/96 route.",
        _NETWORKING, when=lambda a: _may(a.ip_mode, IPMode.IPV6_ONLY),
    ),
    Field(
        "endpoints_in", Kind.CHOICE, Step.SECURITY, "Where the interface endpoints are",
        "In this VPC, or centralised in a hub VPC and shared through Route 53 private hosted "
        "zones associated with this VPC.",
        _PRIVATELINK, enum=EndpointsIn, when=_interface_endpoints,
        choice_labels={"this_vpc": "In this VPC",
                       "hub_phz": "In a hub VPC, names shared by private hosted zones on this VPC",
                       "hub_no_phz": "In a hub VPC, with no private hosted zone on this VPC"},
    ),
    Field(
        "endpoint_sg", Kind.CHOICE, Step.SECURITY, "Interface endpoints' security group",
        "What the security group of the interface endpoints admits. An endpoint created "
        "without one gets the VPC's default security group, which admits only its own members.",
        _PRIVATELINK, enum=EndpointSG, when=_interface_endpoints,
        choice_labels={"allows_tasks": "Allows HTTPS (443) from the tasks",
                       "default_group": "The VPC's default security group (none was named)",
                       "blocks": "Does not allow HTTPS from the tasks"},
    ),
    Field(
        "endpoint_policy", Kind.CHOICE, Step.SECURITY, "Endpoint policies",
        "The policies on the VPC endpoints the task uses. The default policy allows full "
        "access; a restricted one must allow the task's repositories, the ECR layer bucket, "
        "its secrets and its log groups.",
        _ENDPOINT_POLICIES, enum=EndpointPolicy, when=_any_endpoint,
        choice_labels={"full_access": "Default (full access)",
                       "allows_needed": "Restricted, and allows what the task needs",
                       "denies_needed": "Restricted, and leaves out something the task needs"},
    ),
    Field(
        "s3_endpoint_routes", Kind.CHOICE, Step.SECURITY, "S3 gateway endpoint's route tables",
        "A gateway endpoint works only for subnets whose route tables it is associated with.",
        _S3_GATEWAY, enum=S3Routes,
        when=lambda a: a.endpoints is UNKNOWN or Endpoint.S3 in a.endpoints,
        choice_labels={"task_subnets": "Associated with the task subnets' route tables",
                       "other": "Only with other route tables"},
    ),
    Field(
        "endpoint_ip_type", Kind.CHOICE, Step.SECURITY, "Interface endpoints' IP address type",
        "The endpoints' IpAddressType: IPv4 only, dual-stack, or IPv6 only.",
        _PRIVATELINK, enum=EndpointIPType,
        when=lambda a: _may(a.ip_mode, IPMode.IPV6_ONLY) and _interface_endpoints(a),
        choice_labels={"ipv4": "IPv4", "dualstack": "Dual-stack", "ipv6": "IPv6"},
    ),
    Field(
        "task_egress", Kind.CHOICE, Step.SECURITY, "Task security groups: outbound rules",
        "The outbound rules of the task's security groups together. A new security group "
        "allows all outbound traffic until you remove that rule.",
        _SECURITY_GROUPS, enum=TaskEgress, optional=True,
        choice_labels={"all": "All traffic (the default rule)",
                       "https": "HTTPS (443) to anywhere only",
                       "https_nfs": "HTTPS (443) to anywhere and NFS (2049) to EFS",
                       "endpoints_only": "HTTPS only to the endpoints' group and the S3 prefix "
                                         "list",
                       "none": "No outbound rule"},
    ),
    Field(
        "nacl", Kind.CHOICE, Step.SECURITY, "Network ACL of the task subnets",
        "Network ACLs are stateless: a custom one must allow HTTPS out and the return ports "
        "1024-65535 back in (and NFS 2049 for EFS, the container port from a load balancer).",
        _NACLS, enum=NetworkAcl, optional=True,
        choice_labels={"default": "The default ACL (allows all traffic)",
                       "allows": "Custom, allowing what the task needs",
                       "blocks": "Custom, blocking HTTPS out or the return ports"},
    ),
    Field(
        "egress_via", Kind.CHOICE, Step.SECURITY, "What the default route reaches",
        "Where the private subnet's 0.0.0.0/0 route goes on its way to the internet.",
        _NETWORKING, enum=EgressVia, optional=True, when=_nat_route,
        choice_labels={"nat_gateway": "A NAT gateway", "nat_instance": "A NAT instance",
                       "transit_gateway": "A transit gateway to an egress VPC",
                       "firewall": "A firewall or proxy that allow-lists domain names"},
    ),
    Field(
        "egress_allowlist", Kind.CHOICE, Step.SECURITY, "The firewall's allow-list",
        "Whether it allows every name the task calls at launch, the ECR layer bucket "
        "included (the result lists them).",
        _NETWORKING, enum=Allowlist, optional=True,
        when=lambda a: _nat_route(a) and _may(a.egress_via, EgressVia.FIREWALL),
        choice_labels={"allows_needed": "Allows every name the task needs",
                       "missing": "Leaves some out"},
    ),
    Field(
        "dns_support", Kind.BOOL, Step.SECURITY, "VPC DNS resolution (enableDnsSupport)",
        "Whether the Amazon-provided DNS server answers in this VPC. Refines \"VPC DNS support "
        "and DNS hostnames\".",
        _VPC_DNS, optional=True,
    ),
    Field(
        "dns_hostnames", Kind.BOOL, Step.SECURITY, "VPC DNS hostnames (enableDnsHostnames)",
        "Needed, with DNS resolution, for endpoint private DNS, private hosted zones and EFS "
        "names. Refines \"VPC DNS support and DNS hostnames\".",
        _VPC_DNS, optional=True,
    ),
    Field(
        "dns_resolver", Kind.CHOICE, Step.SECURITY, "DNS servers (DHCP options)",
        "The domain-name-servers of the VPC's DHCP options set.",
        _DHCP, enum=DnsResolver, optional=True,
        choice_labels={"amazon": "AmazonProvidedDNS",
                       "custom_forwards": "Own servers that forward AWS names to the Route 53 "
                                          "Resolver",
                       "custom": "Own servers that do not forward to the Route 53 Resolver"},
    ),
    Field(
        "free_addresses", Kind.CHOICE, Step.SECURITY, "Free addresses in the task subnets",
        "Every Fargate task takes one IP address in its subnet; a deployment starts new tasks "
        "before it stops old ones.",
        _SUBNET_SIZING, enum=Capacity, optional=True,
        choice_labels={"enough": "Enough for every task, deployments included",
                       "short": "Fewer than the tasks to place"},
    ),
    Field(
        "other_registries", Kind.MULTI, Step.RESOURCES, "Other containers' registries",
        "Where the task's other containers (sidecars: FireLens router, agents) pull from, "
        "where that differs from the image registry.",
        _PULL_ERRORS, enum=Registry, optional=True,
        choice_labels=_REGISTRY_LABELS,
    ),
    Field(
        "ecr_account", Kind.CHOICE, Step.RESOURCES, "Account of the ECR repositories",
        "The account that owns the image repositories.",
        _ECR_POLICIES, enum=Where, optional=True, when=_ecr,
        choice_labels={"same": "This account", "other": "Another account"},
    ),
    Field(
        "ecr_repository_policy", Kind.CHOICE, Step.RESOURCES, "Repository policy",
        "A repository in another account must allow this account's execution role to pull.",
        _ECR_POLICIES, enum=Grant, optional=True,
        when=lambda a: _ecr(a) and _may(a.ecr_account, Where.OTHER),
        choice_labels={"grants": "Allows this account to pull", "missing": "Does not"},
    ),
    Field(
        "secrets_location", Kind.CHOICE, Step.RESOURCES, "Where the secrets are",
        "The account and Region of the secrets and parameters the task injects.",
        _SECRETS, enum=Location, optional=True,
        when=lambda a: a.secrets is UNKNOWN or bool(a.secrets),
        choice_labels={"same": "This account and Region", "other_region": "Another Region",
                       "other_account": "Another account"},
    ),
    Field(
        "secrets_policy", Kind.CHOICE, Step.RESOURCES, "Secrets' resource and key policies",
        "A secret in another account needs a resource policy and a customer managed KMS key "
        "whose key policy both allow this account's execution role.",
        _SECRETS, enum=Grant, optional=True,
        when=lambda a: (a.secrets is UNKNOWN or bool(a.secrets))
        and _may(a.secrets_location, Location.OTHER_ACCOUNT),
        choice_labels={"grants": "Both allow this account", "missing": "Not both"},
    ),
    Field(
        "logs_region", Kind.CHOICE, Step.RESOURCES, "awslogs-region",
        "The Region of the log group the awslogs driver writes to.",
        _AWSLOGS, enum=Where, optional=True, when=_awslogs,
        choice_labels={"same": "The task's Region", "other": "Another Region"},
    ),
    Field(
        "log_group", Kind.CHOICE, Step.RESOURCES, "The awslogs log group",
        "awslogs-group must exist, or awslogs-create-group must be true (which needs "
        "logs:CreateLogGroup on the execution role).",
        _AWSLOGS, enum=LogGroup, optional=True, when=_awslogs,
        choice_labels={"exists": "Exists", "create_group": "Created by the driver "
                       "(awslogs-create-group)", "missing": "Does not exist"},
    ),
    Field(
        "env_files", Kind.BOOL, Step.RESOURCES, "Environment files from S3",
        "environmentFiles in a container definition: .env files the task downloads from S3.",
        _ENV_FILES, optional=True,
    ),
    Field(
        "service_discovery", Kind.CHOICE, Step.RESOURCES, "Traffic between services",
        "How the service's tasks find the services they call.",
        _SERVICE_CONNECT, enum=ServiceDiscovery, optional=True,
        choice_labels={"none": "Neither", "service_connect": "ECS Service Connect",
                       "cloud_map": "Cloud Map service discovery (DNS)"},
    ),
    Field(
        "peer_ingress", Kind.CHOICE, Step.RESOURCES, "Security groups between services",
        "Whether the called services' security groups admit these tasks on their ports.",
        _SERVICE_CONNECT, enum=Admits, optional=True,
        when=lambda a: _may(a.service_discovery, ServiceDiscovery.SERVICE_CONNECT,
                            ServiceDiscovery.CLOUD_MAP),
        choice_labels={"allows": "They admit these tasks", "blocks": "They do not"},
    ),
    Field(
        "efs_sg", Kind.CHOICE, Step.FEATURES, "EFS mount targets' security group",
        "Whether it admits NFS (TCP 2049) from the task's security group.",
        _EFS, enum=Admits, when=lambda a: _may_be_true(a.efs),
        choice_labels={"allows": "Allows NFS from the tasks", "blocks": "Does not"},
    ),
    Field(
        "efs_mount_targets", Kind.CHOICE, Step.FEATURES, "EFS mount targets",
        "A mount target in the Availability Zone of every task subnet.",
        _EFS, enum=Coverage, when=lambda a: _may_be_true(a.efs),
        choice_labels={"every_az": "In every task subnet's Availability Zone",
                       "missing_az": "Missing in some"},
    ),
    Field(
        "efs_iam", Kind.BOOL, Step.FEATURES, "EFS IAM authorization",
        "The volume's authorizationConfig.iam is ENABLED: the mount uses the task role.",
        _EFS, when=lambda a: _may_be_true(a.efs),
    ),
    Field(
        "efs_access_point", Kind.BOOL, Step.FEATURES, "EFS access point",
        "The volume names an access point (authorizationConfig.accessPointId).",
        _EFS, when=lambda a: _may_be_true(a.efs),
    ),
    Field(
        "efs_transit_encryption", Kind.BOOL, Step.FEATURES, "EFS transit encryption",
        "The volume's transitEncryption is ENABLED.",
        _EFS, when=lambda a: _may_be_true(a.efs),
    ),
    Field(
        "exec_readonly_root", Kind.BOOL, Step.FEATURES, "Read-only root file system",
        "A container has readonlyRootFilesystem set, with ECS Exec on.",
        _EXEC, when=lambda a: _may_be_true(a.ecs_exec),
    ),
    Field(
        "exec_kms", Kind.BOOL, Step.FEATURES, "ECS Exec sessions encrypted with your KMS key",
        "The cluster's executeCommandConfiguration names a kmsKeyId.",
        _EXEC, when=lambda a: _may_be_true(a.ecs_exec),
    ),
    Field(
        "exec_logging", Kind.CHOICE, Step.FEATURES, "ECS Exec session logging",
        "Where the cluster's executeCommandConfiguration sends session logs of its own "
        "(logging OVERRIDE).",
        _EXEC, enum=ExecLogging, when=lambda a: _may_be_true(a.ecs_exec),
        choice_labels={"none": "Not to a destination of its own", "cloudwatch":
                       "CloudWatch Logs", "s3": "Amazon S3"},
    ),
    Field(
        "lb_ingress", Kind.CHOICE, Step.LOAD_BALANCER, "Task security group: inbound from the "
        "load balancer",
        "Whether the task's security group admits the load balancer (its security group, or "
        "its addresses) on the container port and the health-check port.",
        _HEALTH, enum=Admits, when=_load_balanced,
        choice_labels={"allows": "Admits the load balancer", "blocks": "Does not"},
    ),
    Field(
        "lb_azs", Kind.CHOICE, Step.LOAD_BALANCER, "Load balancer's Availability Zones",
        "Whether the load balancer is enabled in the Availability Zone of every task subnet.",
        _LOAD_BALANCING, enum=Coverage, when=_load_balanced,
        choice_labels={"every_az": "Every task subnet's Availability Zone",
                       "missing_az": "Not all of them"},
    ),
)

FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
_CHOICES: dict[str, tuple[str, ...]] = {
    f.name: ("true", "false") if f.kind is Kind.BOOL
    else tuple(member.value for member in f.enum) if f.enum else ()
    for f in FIELDS
}
_DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Answers)}
assert tuple(FIELDS_BY_NAME) == _FIELD_NAMES, "FIELDS and Answers must describe the same fields"
