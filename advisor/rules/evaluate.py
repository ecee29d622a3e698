"""evaluate(answers) -> Result: the one place that decides.

The model, in three passes over the data in `knowledge.py`:

1. **Paths.** From the answers, work out what the task's subnet can reach: an internet path
   (public subnet + public IP, or private subnet + NAT gateway; in an IPv6-only subnet an IPv6
   route or NAT64), and which VPC endpoints exist and are usable (interface endpoints need the
   VPC's DNS attributes and private DNS).
2. **Traffic.** For each row of the AWS traffic table, take the ENI and role for the resolved
   platform column, decide whether the configuration uses it, and if it leaves through the
   task ENI whether a path reaches its service: the internet path, or the endpoints that serve
   it. Traffic on the Fargate-owned ENI (platform version 1.3.0) never needs your network.
3. **Findings.** Each rule below looks at the answers and the computed traffic and may return
   one finding. A finding's severity decides the verdict; every finding cites its sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from . import fixes
from .answers import (
    OS,
    Answers,
    Arch,
    Endpoint,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
    Subnet,
    TargetType,
    permalink,
)
from .knowledge import (
    ARM64_IMAGE_ERROR,
    AWSLOGS_ACTIONS,
    CMK_ACTIONS,
    CONFLICTS,
    ECR_AUTH_ENDPOINTS,
    ECR_PULL_ACTIONS,
    ECR_REGISTRIES,
    ECS_EXEC_ACTIONS,
    EFS_DNS_ERROR,
    EFS_IAM_ACTIONS,
    ENDPOINT_SERVED_REGISTRIES,
    ENDPOINTS,
    EXEC_ENDPOINTS,
    EXPECTED_ERRORS,
    FIRELENS_CLOUDWATCH_ACTIONS,
    GENEVE_PORT,
    IMAGE_PULL_ENDPOINTS,
    LOAD_BALANCER_NAMES,
    LOG_DESTINATIONS,
    LOG_DRIVER_ENDPOINTS,
    MAX_SECURITY_GROUPS,
    MAX_SUBNETS,
    PRIVATE_DNS_ENDPOINT_TYPES,
    PRIVATE_REGISTRY_ACTIONS,
    PULL_THROUGH_CACHE_ACTIONS,
    PV_1_3_0_RETIRED,
    REGISTRY_NAMES,
    ROLE_NAMES,
    RULES_VERSION,
    SECRET_ACTIONS,
    SECRET_ENDPOINTS,
    SECRET_SERVICES,
    SERVICE_LINKED_ACTIONS,
    SERVICE_LINKED_LB_ACTIONS,
    SERVICE_NAMES,
    SOURCES,
    TARGET_GROUP_PROTOCOLS,
    TARGET_TYPE_ERROR,
    TRAFFIC_TABLE,
    TRUST_PRINCIPALS,
    Column,
    column_for,
    resolve,
)
from .result import (
    ENI,
    Action,
    Command,
    EndpointCheck,
    Finding,
    Hop,
    HopKind,
    Platform,
    Result,
    Role,
    RoleNeed,
    Severity,
    Source,
    Status,
    TrafficRow,
    Verdict,
    VerdictStatus,
)

# --- 1. Paths ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reach:
    """Whether one flow gets out of the task ENI, and by which route."""

    ok: bool
    route: tuple[Hop, ...]
    note: str = ""  # why it is blocked, where the route alone does not say
    missing: tuple[Endpoint, ...] = ()
    unusable: tuple[Endpoint, ...] = ()
    endpoint_remedy: bool = False  # VPC endpoints can serve this flow (they are the way)
    carried_by: tuple[Endpoint, ...] = ()  # the endpoints this flow actually goes through

    @property
    def path(self) -> str:
        return describe(self.route, self.note)


class Row(NamedTuple):
    """A traffic row while the rules run; it becomes a TrafficRow with its findings."""

    eni: ENI
    status: Status
    path: str
    route: tuple[Hop, ...] = ()


@dataclass(slots=True)
class Context:
    """Everything the rules read: the answers and what pass 1 and 2 derived from them."""

    answers: Answers
    column: Column
    version: PlatformVersion
    internet_hop: Hop | None
    ipv6_assigned: bool
    ipv6_missing: tuple[str, ...]
    interface_endpoints_usable: bool
    reach: dict[Action, Reach] = field(default_factory=dict)
    rows: dict[Action, Row] = field(default_factory=dict)
    required_endpoints: dict[Endpoint, str] = field(default_factory=dict)
    roles: tuple[RoleNeed, ...] = ()
    endpoint_checks: tuple[EndpointCheck, ...] = ()
    exec_reach: Reach | None = None  # ECS Exec's path to Session Manager, where Exec can work

    @property
    def internet(self) -> bool:
        return self.internet_hop is not None

    @property
    def internet_via(self) -> str:
        """The internet path as the sentences name it: "the NAT gateway"."""
        return f"the {self.internet_hop.name}" if self.internet_hop else ""

    @property
    def isolated(self) -> bool:
        return not self.internet

    def status(self, action: Action) -> Status:
        return self.rows[action].status

    def blocked(self) -> list[Action]:
        return [a for a, row in self.rows.items() if row.status is Status.BLOCKED]


def _internet(a: Answers) -> Hop | None:
    """The hop that takes the task's traffic to the internet, if any."""
    if a.ip_mode is IPMode.IPV6_ONLY:
        if a.ipv6_egress is IPv6Egress.IGW:
            return Hop(HopKind.INTERNET_GATEWAY, "internet gateway over IPv6")
        if a.ipv6_egress is IPv6Egress.EGRESS_ONLY_IGW:
            return Hop(HopKind.EGRESS_ONLY_IGW, "egress-only internet gateway over IPv6")
        if a.nat_gateway:
            return Hop(HopKind.NAT_GATEWAY, "NAT gateway (NAT64, with DNS64 on the subnet)")
        return None
    if a.subnet is Subnet.PUBLIC and a.public_ip:
        return Hop(HopKind.INTERNET_GATEWAY, "internet gateway (the task's public IP)")
    if a.subnet is Subnet.PRIVATE and a.nat_gateway:
        return Hop(HopKind.NAT_GATEWAY, "NAT gateway")
    return None


def _ipv6(a: Answers, version: PlatformVersion) -> tuple[bool, tuple[str, ...]]:
    """Fact 85: all four conditions must hold for a dual-stack task to get an IPv6 address."""
    if a.ip_mode is IPMode.IPV4:
        return False, ()
    if a.ip_mode is IPMode.IPV6_ONLY:
        return True, ()
    missing = []
    if not a.dualstack_account_setting:
        missing.append("the dualStackIPv6 account setting is not enabled")
    if not a.ipv6_autoassign:
        missing.append("the subnet does not auto-assign IPv6 addresses")
    if a.os is OS.LINUX and version is PlatformVersion.V1_3_0:
        missing.append("platform version 1.3.0 does not assign IPv6 addresses")
    return not missing, tuple(missing)


TASK_ENI = Hop(HopKind.TASK_ENI, "task ENI")
FARGATE_ENI = Hop(HopKind.FARGATE_ENI, "Fargate-owned ENI")
_ENDPOINT_HOPS = frozenset({HopKind.INTERFACE_ENDPOINT, HopKind.GATEWAY_ENDPOINT})
_INTERNET_HOPS = frozenset({HopKind.INTERNET_GATEWAY, HopKind.NAT_GATEWAY,
                            HopKind.EGRESS_ONLY_IGW})


def _endpoint_hop(endpoint: Endpoint) -> Hop:
    kind = (HopKind.GATEWAY_ENDPOINT if ENDPOINTS[endpoint].type == "gateway"
            else HopKind.INTERFACE_ENDPOINT)
    return Hop(kind, _short(endpoint))


def _blocked(service: str, note: str, **kwargs: object) -> Reach:
    route = (TASK_ENI, Hop(HopKind.NO_ROUTE, "no route", passes=False),
             Hop(HopKind.SERVICE, service, passes=False))
    return Reach(False, route, note, **kwargs)  # type: ignore[arg-type]


def _reach(ctx: Context, endpoints: tuple[Endpoint, ...], endpoint_capable: bool,
           service: str) -> Reach:
    """How one flow leaves the task ENI.

    A usable endpoint takes its service's traffic even when the subnet also has an internet
    path: private DNS resolves the service's name to the interface endpoint, and the S3 gateway
    endpoint's prefix-list route is more specific than the default route.
    """
    a = ctx.answers
    capable = endpoint_capable and bool(endpoints)
    usable = [e for e in endpoints if e in a.endpoints and _usable(ctx, e)] if capable else []
    end = Hop(HopKind.SERVICE, service)
    via = tuple(_endpoint_hop(e) for e in usable)
    if capable and len(usable) == len(endpoints):
        return Reach(True, (TASK_ENI, *via, end), endpoint_remedy=True,
                     carried_by=tuple(usable))
    if ctx.internet_hop is not None:
        return Reach(True, (TASK_ENI, *via, ctx.internet_hop, end),
                     endpoint_remedy=capable, carried_by=tuple(usable))
    if not capable:
        return _blocked(service, "no internet path, and no VPC endpoint can serve this")
    missing = tuple(e for e in endpoints if e not in a.endpoints)
    unusable = tuple(e for e in endpoints if e in a.endpoints and not _usable(ctx, e))
    names = " + ".join(_short(e) for e in endpoints)
    return _blocked(service, f"needs VPC endpoint{'s' if len(endpoints) > 1 else ''} {names}",
                    missing=missing, unusable=unusable, endpoint_remedy=True)


def describe(route: tuple[Hop, ...], note: str = "") -> str:
    """The traffic table's Path cell, read off the route (`note`: what the route cannot say)."""
    if not route:
        return note
    if route[0].kind is HopKind.LOAD_BALANCER or route[-1].name in _APPLICATION_ENDS:
        return _describe_application(route, note)
    service = route[-1].name
    if route[0].kind is HopKind.FARGATE_ENI:
        return f"Fargate-owned ENI → {service}, outside your VPC (not in your VPC flow logs)"
    failed = next((hop for hop in route if hop.passes is False), None)
    if failed is not None:
        stop = "no mount" if failed.kind is HopKind.MOUNT_TARGET else "no route"
        return f"Task ENI → {stop}: {note}"
    mount = next((hop for hop in route if hop.kind is HopKind.MOUNT_TARGET), None)
    if mount is not None:
        return f"Task ENI → {mount.name}, inside the VPC (NFS, TCP 2049)"
    endpoints = [hop.name for hop in route if hop.kind in _ENDPOINT_HOPS]
    internet = next((hop for hop in route if hop.kind in _INTERNET_HOPS), None)
    if not endpoints:
        way = internet.name if internet else "?"
        return f"Task ENI → the {way} → the service's public endpoint"
    text = f"Task ENI → VPC endpoint{'s' if len(endpoints) > 1 else ''} {' + '.join(endpoints)}"
    return text + (f"; the rest through the {internet.name}" if internet else " (private)")


# The application's own traffic ends on the internet, or stays in the VPC.
APP_INTERNET = "the internet"
APP_INSIDE_VPC = "resources inside the VPC"
_APPLICATION_ENDS = frozenset({APP_INTERNET, APP_INSIDE_VPC})


def _describe_application(route: tuple[Hop, ...], note: str) -> str:
    lb = route[0] if route[0].kind is HopKind.LOAD_BALANCER else None
    if lb is not None and lb.passes is False:
        return f"In: {note}"
    inbound = f"In: {lb.name} → task ENI (target type ip). " if lb else ""
    internet = next((hop for hop in route if hop.kind in _INTERNET_HOPS), None)
    if internet is None:
        return inbound + ("Out: inside the VPC only (no internet path; AWS APIs need their own "
                          "endpoints)")
    return inbound + f"Out: task ENI → the {internet.name}"


def _short(endpoint: Endpoint) -> str:
    """ecr.api for com.amazonaws.<region>.ecr.api."""
    return ENDPOINTS[endpoint].service_name.split(".", 3)[3]


def _usable(ctx: Context, endpoint: Endpoint) -> bool:
    if ENDPOINTS[endpoint].type in PRIVATE_DNS_ENDPOINT_TYPES:
        return ctx.interface_endpoints_usable
    return True


# --- 2. Traffic ----------------------------------------------------------------------------


def _uses_ecr_login(a: Answers) -> bool:
    return a.registry in ECR_REGISTRIES


def _uses_secrets(a: Answers) -> bool:
    return bool(a.secrets) or a.registry is Registry.PRIVATE_REGISTRY


def _secret_endpoints(a: Answers) -> tuple[Endpoint, ...]:
    sources = set(a.secrets)
    if a.registry is Registry.PRIVATE_REGISTRY:
        sources.add(SecretSource.SECRETSMANAGER)
    return tuple(SECRET_ENDPOINTS[s] for s in SecretSource if s in sources)


def _ipv6_only_endpoints_ok(a: Answers) -> bool:
    """No ECR endpoint is documented to serve IPv6-only tasks (conflict ecr_ipv6_endpoints)."""
    return a.ip_mode is not IPMode.IPV6_ONLY


def _service(a: Answers, action: Action) -> str:
    """The name of the place a flow ends, for its route's last hop."""
    if action is Action.IMAGE_PULL:
        return REGISTRY_NAMES[a.registry]
    if action is Action.LOG_DRIVER:
        return LOG_DESTINATIONS.get(a.log_driver, "")
    if action is Action.SECRETS:
        sources = set(a.secrets) | ({SecretSource.SECRETSMANAGER}
                                    if a.registry is Registry.PRIVATE_REGISTRY else set())
        return " / ".join(SECRET_SERVICES[s] for s in SecretSource if s in sources)
    return SERVICE_NAMES.get(action, "")


def _fargate_owned(a: Answers, action: Action) -> Row:
    """Platform version 1.3.0 fetched this outside your VPC: your network plays no part."""
    route = (FARGATE_ENI, Hop(HopKind.SERVICE, _service(a, action)))
    return Row(ENI.FARGATE_OWNED, Status.OK, describe(route), route)


def _not_used(eni: ENI, text: str, status: Status = Status.NOT_USED) -> Row:
    return Row(eni, status, text)


def _traffic(ctx: Context) -> None:
    a = ctx.answers
    windows = a.os is OS.WINDOWS
    ecr_endpoint_capable = a.registry in ENDPOINT_SERVED_REGISTRIES and _ipv6_only_endpoints_ok(a)
    for fact in TRAFFIC_TABLE:
        eni = fact.eni[ctx.column]
        action = fact.action
        row: Row | None = None
        wanted: tuple[Endpoint, ...] = ()
        capable = True
        if action is Action.ECR_AUTH:
            if not _uses_ecr_login(a):
                row = _not_used(eni, "Not used: the image is not in private Amazon ECR")
            elif eni is ENI.FARGATE_OWNED:
                row = _fargate_owned(a, action)
            else:
                wanted, capable = ECR_AUTH_ENDPOINTS, ecr_endpoint_capable
        elif action is Action.IMAGE_PULL:
            capable = ecr_endpoint_capable
            wanted = IMAGE_PULL_ENDPOINTS if a.registry in ENDPOINT_SERVED_REGISTRIES else ()
        elif action is Action.LOG_DRIVER:
            if a.log_driver in LOG_DRIVER_ENDPOINTS:
                wanted = LOG_DRIVER_ENDPOINTS[a.log_driver]
                capable = bool(wanted)
            else:
                row = _not_used(eni, "Not used: FireLens carries the logs"
                                if a.log_driver is LogDriver.FIRELENS
                                else "Not used: no log driver")
        elif action is Action.FIRELENS:
            if a.log_driver is not LogDriver.FIRELENS:
                row = _not_used(eni, "Not used: the log driver is not FireLens")
            elif windows:
                row = _not_used(eni, "Unsupported: Windows tasks cannot use FireLens",
                                Status.UNSUPPORTED)
            else:
                wanted = LOG_DRIVER_ENDPOINTS[LogDriver.AWSLOGS]
        elif action is Action.SECRETS:
            if not _uses_secrets(a):
                row = _not_used(eni, "Not used: no secrets are injected")
            elif eni is ENI.FARGATE_OWNED:
                row = _fargate_owned(a, action)
            else:
                wanted = _secret_endpoints(a)
        elif action is Action.EFS:
            row = _efs(ctx, eni)
        elif action is Action.APPLICATION:
            row = _application(ctx, eni)
        if row is None:
            reach = _reach(ctx, wanted, capable, _service(a, action))
            ctx.reach[action] = reach
            row = Row(eni, Status.OK if reach.ok else Status.BLOCKED, reach.path, reach.route)
            _require(ctx, reach, wanted, fact.label)
        ctx.rows[action] = row


def _efs(ctx: Context, eni: ENI) -> Row:
    a = ctx.answers
    if not a.efs:
        return _not_used(eni, "Not used: no EFS volume")
    if eni is ENI.NONE:
        return _not_used(eni, "Unsupported: EFS volumes need platform version 1.4.0",
                         Status.UNSUPPORTED)
    if a.os is OS.WINDOWS:
        return _not_used(eni, "Unsupported: Windows tasks cannot mount EFS", Status.UNSUPPORTED)
    mounts = a.vpc_dns
    route = (TASK_ENI,
             Hop(HopKind.MOUNT_TARGET, "EFS mount target in the task's Availability Zone",
                 passes=mounts),
             Hop(HopKind.SERVICE, SERVICE_NAMES[Action.EFS], passes=mounts))
    if not mounts:
        note = ("the file system's DNS name does not resolve with the VPC's DNS attributes off")
        return Row(eni, Status.BLOCKED, describe(route, note), route)
    return Row(eni, Status.OK, describe(route), route)


def _require(ctx: Context, reach: Reach, endpoints: tuple[Endpoint, ...], why: str) -> None:
    """Endpoints are required where they are the flow's only way out (spec: `required`)."""
    if reach.endpoint_remedy and not ctx.internet:
        for endpoint in endpoints:
            ctx.required_endpoints.setdefault(endpoint, why)


def _exec_unsupported(ctx: Context) -> str:
    """Why ECS Exec cannot be used in this configuration, or "" when it can."""
    a = ctx.answers
    if a.os is OS.LINUX and ctx.version is PlatformVersion.V1_3_0:
        return "ECS Exec needs Linux platform version 1.4.0 or later, or Windows 1.0.0"
    if a.ip_mode is IPMode.IPV6_ONLY:
        return "Amazon ECS Exec isn't supported in an IPv6-only configuration"
    return ""


def _exec(ctx: Context) -> None:
    """ECS Exec is not a row of the AWS table, but its sessions leave through the task ENI and
    need Session Manager like any other flow, so its endpoint can be required too."""
    if not ctx.answers.ecs_exec or _exec_unsupported(ctx):
        return
    ctx.exec_reach = _reach(ctx, EXEC_ENDPOINTS, True, "Session Manager")
    _require(ctx, ctx.exec_reach, EXEC_ENDPOINTS, "ECS Exec sessions")


def _application(ctx: Context, eni: ENI) -> Row:
    """In from the load balancer (if any), out through the internet path (if any)."""
    a = ctx.answers
    lb = a.load_balancer
    note = ""
    if lb is LoadBalancer.CLB:
        note = "a Classic Load Balancer cannot register Fargate tasks"
    elif lb is not LoadBalancer.NONE and a.target_type is TargetType.INSTANCE:
        note = "a target group of type instance cannot register Fargate tasks"
    elif lb is LoadBalancer.GWLB and _gwlb_unsupported(ctx):
        return _not_used(eni, "In: unsupported: a Gateway Load Balancer needs platform version "
                              "1.4.0", Status.UNSUPPORTED)
    out: tuple[Hop, ...] = (TASK_ENI,)
    if ctx.internet_hop is not None:
        out += (ctx.internet_hop, Hop(HopKind.SERVICE, APP_INTERNET))
    else:
        out += (Hop(HopKind.SERVICE, APP_INSIDE_VPC),)
    if lb is LoadBalancer.NONE:
        return Row(eni, Status.OK, describe(out), out)
    route = (Hop(HopKind.LOAD_BALANCER, LOAD_BALANCER_NAMES[lb], passes=not note), *out)
    return Row(eni, Status.BLOCKED if note else Status.OK, describe(route, note), route)


def _gwlb_unsupported(ctx: Context) -> bool:
    return ctx.answers.os is OS.LINUX and ctx.version is PlatformVersion.V1_3_0


# --- 3. Roles and endpoints ----------------------------------------------------------------


def _roles(ctx: Context) -> tuple[RoleNeed, ...]:
    a = ctx.answers
    linked = SERVICE_LINKED_ACTIONS + (
        SERVICE_LINKED_LB_ACTIONS if a.load_balancer is not LoadBalancer.NONE else ()
    )
    execution: list[str] = []
    reasons: list[str] = []
    if a.registry in ECR_REGISTRIES:
        execution += ECR_PULL_ACTIONS
        reasons.append("pull the image from private Amazon ECR")
    if a.registry is Registry.ECR_PULL_THROUGH_CACHE:
        execution += PULL_THROUGH_CACHE_ACTIONS
        reasons.append("import images through the pull-through cache")
    if a.log_driver is LogDriver.AWSLOGS:
        execution += AWSLOGS_ACTIONS
        reasons.append("send container logs to CloudWatch Logs with awslogs")
    for source in SecretSource:
        if source in a.secrets:
            execution += SECRET_ACTIONS[source]
    if a.secrets:
        reasons.append("read the secrets injected into the containers")
    if a.registry is Registry.PRIVATE_REGISTRY:
        execution += PRIVATE_REGISTRY_ACTIONS
        reasons.append("read the private registry's credentials from Secrets Manager")
    if a.cmk and _uses_secrets(a):
        execution += CMK_ACTIONS
        reasons.append("decrypt them with your customer managed KMS key")
    task: list[str] = []
    task_reasons: list[str] = []
    if a.log_driver is LogDriver.FIRELENS and a.os is OS.LINUX:
        task += FIRELENS_CLOUDWATCH_ACTIONS
        task_reasons.append(
            "let FireLens deliver logs (these are CloudWatch Logs' actions; another "
            "destination needs its own, such as firehose:PutRecordBatch)"
        )
    if a.ecs_exec and not _exec_unsupported(ctx):
        task += ECS_EXEC_ACTIONS
        task_reasons.append("open ECS Exec sessions")
    # EFS needs the task role only with IAM authorization, which the advisor does not ask
    # about: its actions are named in `why`, not granted by default (see _efs_iam_note).
    return (
        RoleNeed(
            Role.SERVICE_LINKED, ROLE_NAMES[Role.SERVICE_LINKED], True, linked,
            "Amazon ECS uses it to create and attach the task's ENI"
            + (" and to register the task with the load balancer"
               if a.load_balancer is not LoadBalancer.NONE else "")
            + ". AWS creates it with your first cluster or service.",
            TRUST_PRINCIPALS[Role.SERVICE_LINKED],
        ),
        RoleNeed(
            Role.TASK_EXECUTION, ROLE_NAMES[Role.TASK_EXECUTION], bool(execution),
            _unique(execution),
            ("Fargate uses it, not your code, to " + _sentence(reasons) + ".")
            if execution else
            "Not needed: nothing in this configuration is fetched with it (no private ECR image, "
            "no awslogs, no secrets).",
            TRUST_PRINCIPALS[Role.TASK_EXECUTION],
        ),
        RoleNeed(
            Role.TASK, ROLE_NAMES[Role.TASK], bool(task), _unique(task),
            ("Your containers get its credentials; the platform features need it to "
             + _sentence(task_reasons) + ". Add the AWS calls your own code makes."
             + _efs_iam_note(ctx))
            if task else
            "Needed only for AWS calls your own code makes; the advisor cannot know those."
            + _efs_iam_note(ctx),
            TRUST_PRINCIPALS[Role.TASK],
        ),
    )


def _efs_iam_note(ctx: Context) -> str:
    if not (ctx.answers.efs and ctx.rows[Action.EFS].status is not Status.UNSUPPORTED):
        return ""
    return (" Only if you use EFS IAM authorization, it also needs "
            + " and ".join(EFS_IAM_ACTIONS)
            + " (ClientWrite only to write); without it, EFS does not use the task role.")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _sentence(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _endpoints(ctx: Context) -> tuple[EndpointCheck, ...]:
    """Each relevant endpoint with a `why` that says what it serves here and how it stands:
    carrying traffic, needed, optional, unused or unusable, never two of them at once."""
    a = ctx.answers
    serves = _endpoint_uses(ctx)
    for endpoint in a.endpoints:
        serves.setdefault(endpoint, ("present, but nothing in this configuration uses it", False))
    carried = {e for r in (*ctx.reach.values(), ctx.exec_reach) if r and r.ok
               for e in r.carried_by}
    checks = []
    for endpoint in (e for e in Endpoint if e in serves):
        fact = ENDPOINTS[endpoint]
        text, used = serves[endpoint]
        state = _endpoint_state(ctx, endpoint, used, endpoint in carried)
        checks.append(EndpointCheck(
            endpoint.value, fact.service_name, fact.type, endpoint in ctx.required_endpoints,
            endpoint in a.endpoints, text + (f"; {state}" if state else ""),
        ))
    return tuple(checks)


def _endpoint_uses(ctx: Context) -> dict[Endpoint, tuple[str, bool]]:
    """What each endpoint would serve in this configuration, and whether this configuration
    certainly sends traffic its way (False: only on a condition the advisor cannot see)."""
    a = ctx.answers
    uses: dict[Endpoint, tuple[str, bool]] = {}
    if a.registry in ENDPOINT_SERVED_REGISTRIES:
        if ctx.rows[Action.ECR_AUTH].eni is ENI.FARGATE_OWNED:
            uses[Endpoint.ECR_API] = (
                "not used on 1.3.0 (ECR login goes through the Fargate-owned ENI); needed on "
                "1.4.0 when the task has no internet path", False)
        else:
            uses[Endpoint.ECR_API] = ("ECR login credentials", True)
        uses[Endpoint.ECR_DKR] = ("image manifests", True)
        uses[Endpoint.S3] = ("image layers (ECR stores them in S3)", True)
    if a.log_driver is LogDriver.AWSLOGS:
        uses[Endpoint.LOGS] = ("awslogs container logs", True)
    if a.log_driver is LogDriver.FIRELENS and a.os is OS.LINUX:
        uses[Endpoint.LOGS] = ("FireLens output, if it goes to CloudWatch Logs", True)
    secrets_outside = ctx.rows[Action.SECRETS].eni is ENI.FARGATE_OWNED
    for endpoint in _secret_endpoints(a) if _uses_secrets(a) else ():
        uses[endpoint] = (
            ("not used on 1.3.0 (secrets are fetched through the Fargate-owned ENI); needed on "
             "1.4.0 when the task has no internet path", False) if secrets_outside
            else (ENDPOINTS[endpoint].serves, True))
    if a.ecs_exec:
        supported = not _exec_unsupported(ctx)
        uses[Endpoint.SSMMESSAGES] = (
            "ECS Exec sessions" if supported else "ECS Exec sessions, which cannot run here",
            supported)
        uses[Endpoint.KMS] = ("only if ECS Exec sessions are encrypted with your own KMS key",
                              False)
    return uses


def _endpoint_state(ctx: Context, endpoint: Endpoint, used: bool, carries: bool) -> str:
    present = endpoint in ctx.answers.endpoints
    via = ctx.internet_via
    if present and not _usable(ctx, endpoint):
        return ("present but unusable: it needs private DNS on the endpoint and both DNS "
                "attributes on the VPC" + (f"; {via} takes this traffic instead"
                                           if used and ctx.internet else ""))
    if carries:
        return ("carries this traffic: the task has no other path" if not ctx.internet
                else f"carries this traffic ({via} would reach the service too)")
    if endpoint in ctx.required_endpoints:
        return ("needed: the task has no other path" if not present
                else "present and needed, beside the other endpoints this traffic needs")
    if not used:
        return ""
    if ctx.internet:
        return (f"optional: {via} already reaches the service" if not present
                else f"present, but this traffic goes through {via}")
    return "cannot serve this traffic in this configuration (see the findings)"


# --- 4. Findings ---------------------------------------------------------------------------

Rule = Callable[[Context], "Finding | None"]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def _sources(*keys: str) -> tuple[Source, ...]:
    return tuple(SOURCES[key] for key in keys)


def _finding(
    id: str, severity: Severity, title: str, detail: str, *,
    remediation: Iterable[str] = (), commands: Iterable[Command] = (),
    sources: Iterable[str], actions: Iterable[Action] = (),
) -> Finding:
    return Finding(
        id, severity, title, detail, tuple(remediation), tuple(commands),
        _sources(*sources), tuple(actions),
    )


def _conflict(key: str) -> tuple[str, tuple[str, ...]]:
    conflict = CONFLICTS[key]
    return conflict.summary, conflict.sources


# How the findings' sentences name each traffic row.
ACTION_PHRASES: dict[Action, str] = {
    Action.ECR_AUTH: "the ECR login",
    Action.IMAGE_PULL: "the image pull",
    Action.LOG_DRIVER: "the log driver",
    Action.FIRELENS: "FireLens",
    Action.SECRETS: "the secrets retrieval",
    Action.EFS: "EFS traffic",
    Action.APPLICATION: "application traffic",
}


def _labels(ctx: Context, actions: Iterable[Action]) -> str:
    return _sentence([ACTION_PHRASES[a] for a in actions])


def _internet_fix(ctx: Context) -> tuple[str, tuple[Command, ...]]:
    a = ctx.answers
    if a.ip_mode is IPMode.IPV6_ONLY:
        return (
            "Add an IPv6 default route (::/0) to an egress-only internet gateway on the task "
            "subnets' route table, or NAT64 through a NAT gateway with DNS64 on the subnet.",
            fixes.egress_only_igw(),
        )
    if a.subnet is Subnet.PUBLIC:
        return (
            "Turn on assignPublicIp (ENABLED) for the service or task, so the task can use the "
            "subnet's internet gateway. Running tasks keep their setting: deploy new ones.",
            fixes.assign_public_ip(True),
        )
    return (
        "Route the private subnets' 0.0.0.0/0 to a NAT gateway that sits in a public subnet.",
        fixes.nat_gateway(),
    )


def _internet_kind(ctx: Context) -> str:
    a = ctx.answers
    if a.ip_mode is IPMode.IPV6_ONLY:
        return "ipv6"
    return "public_ip" if a.subnet is Subnet.PUBLIC else "nat"


# How each kind of internet fix is named where it is one option among others.
_INTERNET_FIX_LABELS = {
    "ipv6": "an IPv6 route out (egress-only internet gateway)",
    "public_ip": "a public IP for the task",
    "nat": "a NAT gateway",
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _why_no_internet(ctx: Context) -> str:
    a = ctx.answers
    if a.ip_mode is IPMode.IPV6_ONLY:
        return ("The subnet is IPv6-only and has no IPv6 route out (no internet gateway or "
                "egress-only internet gateway) and no NAT64.")
    if a.subnet is Subnet.PUBLIC:
        return ("The subnet routes to an internet gateway, but the task has no public IP, so "
                "nothing it sends can leave through it.")
    why = "The subnet is private and has no route to a NAT gateway."
    if a.ip_mode is IPMode.DUALSTACK and a.ipv6_egress is not IPv6Egress.NONE:
        why += (" Its IPv6 route does not help at launch: Fargate reaches Amazon ECR, Secrets "
                "Manager and Systems Manager over IPv4.")
    return why


@rule
def platform_version_retired(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.os is OS.LINUX and ctx.version is PlatformVersion.V1_3_0):
        return None
    steps, commands = _migration_steps(ctx)
    return _finding(
        "platform-version-1-3-0-retired", Severity.BLOCKER,
        "Platform version 1.3.0 is retired",
        f"Fargate platform version 1.3.0 was {PV_1_3_0_RETIRED}: new tasks cannot start on it. "
        "The traffic table below still shows how 1.3.0 routed traffic, for comparison: ECR "
        "login and secrets used a Fargate-owned ENI outside your VPC.",
        remediation=steps, commands=commands,
        sources=("platform_retired", "migration", "networking"),
    )


# The rows whose ENI moves from Fargate's to the task's on 1.4.0 (the AWS traffic table).
_MOVED_TO_TASK_ENI = (Action.ECR_AUTH, Action.SECRETS)


def _migration_steps(ctx: Context) -> tuple[list[str], tuple[Command, ...]]:
    """What moving to 1.4.0 takes on this network: the flows that move to the task ENI are
    evaluated on 1.4.0, and whatever stops them (missing endpoints, endpoints unusable without
    DNS, no path at all) becomes a step."""
    after = _context(ctx.answers.replace(platform_version=PlatformVersion.V1_4_0))
    failing = [a for a in _MOVED_TO_TASK_ENI if a in after.reach and not after.reach[a].ok]
    steps = ["Set the service's or task's platform version to 1.4.0 (or LATEST, which is 1.4.0)."]
    commands = fixes.labelled("Move to platform version 1.4.0", fixes.platform_version("1.4.0"))
    if not failing:
        if any(a in after.reach for a in _MOVED_TO_TASK_ENI):
            moved = [a for a in _MOVED_TO_TASK_ENI if a in after.reach]
            steps.append(f"On 1.4.0, {_labels(after, moved)} move to the task ENI; this network "
                         "reaches them there too.")
        return steps, commands
    missing = _sorted_endpoints(e for a in failing for e in after.reach[a].missing)
    unusable = _sorted_endpoints(e for a in failing for e in after.reach[a].unusable)
    steps.append(f"On 1.4.0, {_labels(after, failing)} move from the Fargate-owned ENI to the "
                 "task ENI, and this network does not reach them there yet:")
    if missing:
        steps.append("Create " + ", ".join(ENDPOINTS[e].service_name for e in missing)
                     + " (or give the task an internet path), and allow HTTPS (443) from the "
                       "task security group to the endpoints.")
        commands += fixes.labelled("Then, for 1.4.0: the missing VPC endpoints",
                                   fixes.create_endpoints(missing))
    if unusable:
        steps.append(", ".join(ENDPOINTS[e].service_name for e in unusable) + " "
                     + ("is" if len(unusable) == 1 else "are")
                     + " present but unusable: turn on private DNS on the endpoints and both "
                       "DNS attributes on the VPC.")
        commands += fixes.labelled("Then, for 1.4.0: make the endpoints usable",
                                   _dns_commands(ctx.answers))
    if not (missing or unusable):
        steps.append("No VPC endpoint can carry them here: give the task an internet path.")
    return steps, commands


def _sorted_endpoints(endpoints: Iterable[Endpoint]) -> tuple[Endpoint, ...]:
    chosen = set(endpoints)
    return tuple(e for e in Endpoint if e in chosen)


def _dns_commands(a: Answers) -> tuple[Command, ...]:
    return ((fixes.vpc_dns() if not a.vpc_dns else ())
            + (fixes.endpoint_private_dns() if not a.endpoint_private_dns else ()))


@rule
def latest_resolves(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.platform_version is not PlatformVersion.LATEST:
        return None
    return _finding(
        "latest-platform-version", Severity.INFO,
        f"LATEST means platform version {ctx.version} on {a.os.value.title()}",
        f"LATEST resolves to {ctx.version} for {a.os.value.title()} tasks, and the advice below "
        "is for that version. A service keeps its platform version until a new deployment.",
        sources=("platform_versions",),
    )


@rule
def arm64_needs_linux(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.arch is not Arch.ARM64:
        return None
    if a.os is OS.WINDOWS:
        return _finding(
            "arm64-needs-linux", Severity.BLOCKER, "ARM64 is not available for Windows tasks",
            "Windows tasks on Fargate run on x86_64 only; ARM64 (Graviton) needs Linux.",
            remediation=["Set runtimePlatform.cpuArchitecture to X86_64, or run a Linux image."],
            sources=("windows", "arm64"),
        )
    if ctx.version is PlatformVersion.V1_3_0:
        return _finding(
            "arm64-needs-platform-1-4-0", Severity.BLOCKER,
            "ARM64 needs platform version 1.4.0",
            "Linux ARM64 tasks need Fargate platform version 1.4.0 or later.",
            remediation=["Use platform version 1.4.0 (LATEST)."],
            commands=fixes.platform_version("1.4.0"), sources=("arm64",),
        )
    return _finding(
        "arm64-image-architecture", Severity.INFO, "The image must have an arm64 variant",
        f"An image without a linux/arm64 manifest fails to pull: `{ARM64_IMAGE_ERROR}`. Some "
        "Regions and Availability Zones have had no ARM64 Fargate capacity.",
        remediation=["Build and push a multi-architecture or arm64 image "
                     "(docker buildx build --platform linux/arm64,linux/amd64 --push …)."],
        sources=("arm64", "cannot_pull"),
    )


@rule
def efs_unsupported(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not a.efs or ctx.status(Action.EFS) is not Status.UNSUPPORTED:
        return None
    if a.os is OS.WINDOWS:
        return _finding(
            "efs-unsupported-on-windows", Severity.BLOCKER, "Windows tasks cannot mount EFS",
            "Amazon EFS volumes are not supported for Windows containers on Fargate. (The AWS "
            "traffic table lists a Task ENI cell for Windows, but the Windows considerations "
            "exclude EFS.)",
            remediation=["Run the workload as a Linux task on platform version 1.4.0, or use "
                         "another storage option reachable from Windows (such as S3)."],
            sources=("windows", "efs", "networking"), actions=(Action.EFS,),
        )
    return _finding(
        "efs-needs-platform-1-4-0", Severity.BLOCKER, "EFS volumes need platform version 1.4.0",
        "On platform version 1.3.0 and earlier, EFS file system traffic is not available.",
        remediation=["Use platform version 1.4.0 (LATEST)."],
        commands=fixes.platform_version("1.4.0"),
        sources=("networking", "efs"), actions=(Action.EFS,),
    )


@rule
def efs_needs_vpc_dns(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.efs and not a.vpc_dns and ctx.status(Action.EFS) is Status.BLOCKED):
        return None
    return _finding(
        "efs-needs-vpc-dns", Severity.BLOCKER, "EFS cannot be mounted with VPC DNS off",
        "Fargate mounts an EFS volume by the file system's DNS name "
        "(fs-….efs.<region>.amazonaws.com), and that name resolves only in a VPC with both DNS "
        "resolution (enableDnsSupport) and DNS hostnames (enableDnsHostnames) on. Otherwise the "
        f"task stops before its containers start: `{EFS_DNS_ERROR}`.",
        remediation=["Turn on both enableDnsSupport and enableDnsHostnames for the VPC, then "
                     "start new tasks."],
        commands=fixes.vpc_dns(),
        sources=("efs", "efs_dns_name", "vpc_dns", "efs_kc"), actions=(Action.EFS,),
    )


@rule
def firelens_unsupported(ctx: Context) -> Finding | None:
    if ctx.status(Action.FIRELENS) is not Status.UNSUPPORTED:
        return None
    return _finding(
        "firelens-unsupported-on-windows", Severity.BLOCKER, "Windows tasks cannot use FireLens",
        "FireLens for Amazon ECS is not supported for Windows containers on Fargate.",
        remediation=["Use the awslogs log driver for Windows tasks."],
        sources=("windows", "firelens"), actions=(Action.FIRELENS,),
    )


@rule
def no_internet_path(ctx: Context) -> Finding | None:
    if ctx.internet:
        return None
    a = ctx.answers
    hard = [action for action, reach in ctx.reach.items()
            if not reach.ok and not reach.endpoint_remedy]
    internet_step, commands = _internet_fix(ctx)
    steps = [internet_step]
    sources = ["networking", "verify_connectivity", "pending_kc"]
    if Action.IMAGE_PULL in hard:
        alternative = {
            Registry.ECR_OTHER_REGION: "Or replicate the repository into the task's Region with "
            "ECR replication and pull it from there through the ECR endpoints (VPC endpoints "
            "do not serve other Regions). Replication copies only images pushed after it is "
            "configured: push the tags you run again, or start a replication backfill. And "
            "put-replication-configuration replaces the registry's existing replication "
            "configuration: include its current rules (aws ecr describe-registry).",
            Registry.ECR_PUBLIC: "Or pull it through an ECR pull-through cache rule for "
            "public.ecr.aws (the first pull of each image still needs an internet path), or copy "
            "the image into your private ECR.",
            Registry.DOCKER_HUB: "Or pull it through an ECR pull-through cache rule for Docker "
            "Hub (the first pull of each image still needs an internet path), or copy the image "
            "into your private ECR.",
            Registry.OTHER_PUBLIC: "Or pull it through an ECR pull-through cache rule (Quay, "
            "GitHub Container Registry, registry.k8s.io and others are supported; the first "
            "pull of each image still needs an internet path), or copy the image into your "
            "private ECR.",
            Registry.PRIVATE_REGISTRY: "Or reach the registry privately (VPN, Direct Connect, "
            "PrivateLink): the advisor cannot see such a route. Or copy the image into ECR.",
        }.get(a.registry)
        if alternative:
            steps.append(alternative)
        if a.registry is Registry.ECR_OTHER_REGION:
            commands = fixes.alternatives(
                (_INTERNET_FIX_LABELS[_internet_kind(ctx)], commands),
                ("replicate the image into the task's Region", fixes.ecr_replication()))
            sources += ["ecr_replication", "ecr_put_replication", "ecr_replication_backfill"]
        elif a.registry in (Registry.ECR_PUBLIC, Registry.DOCKER_HUB, Registry.OTHER_PUBLIC):
            sources.append("pull_through_cache")
        if a.registry is Registry.ECR_PUBLIC:
            summary, conflict_sources = _conflict("ecr_public_endpoints")
            steps.append(summary)
            sources += conflict_sources
        if a.ip_mode is IPMode.IPV6_ONLY and a.registry in ENDPOINT_SERVED_REGISTRIES:
            summary, conflict_sources = _conflict("ecr_ipv6_endpoints")
            steps.append(summary)
            sources += conflict_sources
    if Action.LOG_DRIVER in hard:
        steps.append("The splunk log driver sends to your Splunk HTTP Event Collector, which no "
                     "AWS endpoint serves: give the task an internet path, reach Splunk "
                     "privately, or use awslogs with the logs endpoint.")
    detail = _why_no_internet(ctx)
    if hard:
        detail += f" Nothing but an internet path can carry {_labels(ctx, hard)}."
        errors = _expected_errors(hard)
        if errors:
            detail += f" Expect: {errors}"
    else:
        detail += (" Every AWS service the task needs must be reached through VPC endpoints, "
                   "and the application itself cannot reach the internet.")
    return _finding(
        "no-internet-path", Severity.BLOCKER if hard else Severity.INFO,
        "The task has no route to the internet",
        detail, remediation=steps, commands=commands,
        sources=_dedupe(sources), actions=hard or (Action.APPLICATION,),
    )


@rule
def no_path_to_aws_services(ctx: Context) -> Finding | None:
    missing: list[Endpoint] = []
    actions: list[Action] = []
    for action, reach in ctx.reach.items():
        # FireLens failing does not stop the task: firelens_destination warns about it.
        if reach.ok or not reach.endpoint_remedy or not reach.missing or action is Action.FIRELENS:
            continue
        actions.append(action)
        missing += [e for e in reach.missing if e not in missing]
    if not missing:
        return None
    missing.sort(key=list(Endpoint).index)
    names = ", ".join(ENDPOINTS[e].service_name for e in missing)
    internet_step, internet_commands = _internet_fix(ctx)
    endpoint_steps = [
        f"Create the VPC endpoint{'s' if len(missing) > 1 else ''} {names}"
        + (" (interface endpoints with private DNS enabled, in the task subnets)"
           if any(ENDPOINTS[e].type == "interface" for e in missing) else "")
        + (", and the S3 gateway endpoint on the task subnets' route tables"
           if Endpoint.S3 in missing else "")
        + ".",
        "Let the endpoints' security group accept TCP 443 from the task security group, and "
        "let the task security group send TCP 443 to them"
        + (" and to the S3 prefix list" if Endpoint.S3 in missing else "") + ".",
    ]
    if ctx.answers.subnet is Subnet.PUBLIC and ctx.answers.ip_mode is not IPMode.IPV6_ONLY:
        steps = [internet_step, "Or keep the task without a public IP and add endpoints:",
                 *endpoint_steps]
        commands = fixes.alternatives((_INTERNET_FIX_LABELS["public_ip"], internet_commands),
                                      ("VPC endpoints", fixes.create_endpoints(tuple(missing))))
    else:
        steps = [*endpoint_steps, "Or give the task an internet path instead: "
                 + _lower_first(internet_step)]
        commands = fixes.alternatives(("VPC endpoints", fixes.create_endpoints(tuple(missing))),
                                      (_INTERNET_FIX_LABELS[_internet_kind(ctx)],
                                       internet_commands))
    errors = _expected_errors(actions)
    return _finding(
        "no-path-to-aws-services", Severity.BLOCKER,
        "No path to " + _sentence(_service_titles(missing)),
        _why_no_internet(ctx) + " Without "
        + ("these endpoints" if len(missing) > 1 else "this endpoint")
        + f", {_labels(ctx, actions)} cannot reach AWS."
        + (f" Expect: {errors}" if errors else ""),
        remediation=steps, commands=commands,
        sources=("networking", "migration", "ecr_endpoints", "ecs_endpoints",
                 "verify_connectivity"),
        actions=actions,
    )


def _service_titles(endpoints: Iterable[Endpoint]) -> list[str]:
    titles = []
    for endpoint in endpoints:
        fact = ENDPOINTS[endpoint]
        short = fact.service_name.split(".", 3)[3]
        titles.append(f"{fact.title} ({short}{' gateway' if fact.type == 'gateway' else ''})")
    return titles


def _expected_errors(actions: Iterable[Action]) -> str:
    """What the stopped reason says for these flows, quoted from knowledge.EXPECTED_ERRORS."""
    return "; ".join(f"`{text}`" for a in actions for text in EXPECTED_ERRORS.get(a, ()))


def _dedupe(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))


@rule
def endpoints_need_dns(ctx: Context) -> Finding | None:
    a = ctx.answers
    if ctx.interface_endpoints_usable:
        return None
    # FireLens is left to firelens_destination: its failure does not stop the task.
    starting = {act: r for act, r in ctx.reach.items() if act is not Action.FIRELENS}
    unusable = sorted({e for r in starting.values() for e in r.unusable},
                      key=list(Endpoint).index)
    steps, commands = [], []
    if not a.vpc_dns:
        steps.append("Turn on both enableDnsSupport and enableDnsHostnames for the VPC.")
        commands += fixes.vpc_dns()
    if not a.endpoint_private_dns:
        steps.append("Turn on private DNS for each interface endpoint.")
        commands += fixes.endpoint_private_dns()
    if unusable:
        return _finding(
            "endpoints-need-private-dns", Severity.BLOCKER,
            "The VPC endpoints cannot be used without private DNS",
            "Fargate calls the services by their usual names. Those names resolve to the "
            "interface endpoints only with private DNS on the endpoints and both DNS attributes "
            "on the VPC; otherwise they resolve to public addresses the task cannot reach. "
            f"Affected: {', '.join(ENDPOINTS[e].service_name for e in unusable)}.",
            remediation=steps, commands=commands,
            sources=("ecs_endpoints", "ecr_endpoints", "verify_connectivity", "vpc_dns"),
            actions=[act for act, r in starting.items() if r.unusable],
        )
    if a.endpoints and any(ENDPOINTS[e].type == "interface" for e in a.endpoints):
        return _finding(
            "endpoints-bypassed", Severity.WARNING,
            "Your interface endpoints are not used",
            "Without private DNS (on the endpoints and both VPC DNS attributes), the services' "
            f"names resolve to public addresses, so traffic goes through {ctx.internet_via} "
            "instead of the endpoints: it works, but you pay for both.",
            remediation=steps, commands=commands,
            sources=("ecs_endpoints", "vpc_dns"),
        )
    return None


@rule
def vpc_dns_off(ctx: Context) -> Finding | None:
    if ctx.answers.vpc_dns:
        return None
    return _finding(
        "vpc-dns-attributes-off", Severity.WARNING, "VPC DNS support or DNS hostnames is off",
        "With enableDnsSupport or enableDnsHostnames off, the task gets a random hostname "
        "instead of an Amazon-provided one, interface endpoints' private DNS cannot work, and "
        "with DNS support off the task needs your own DNS servers (DHCP options) to resolve "
        "anything. A custom DNS server must forward AWS names to the Route 53 Resolver and "
        "accept port 53 (UDP and TCP) from the tasks.",
        remediation=["Turn on both DNS attributes for the VPC."],
        commands=fixes.vpc_dns(), sources=("networking", "vpc_dns", "verify_connectivity"),
    )


@rule
def endpoint_security_groups(ctx: Context) -> Finding | None:
    carried = {e for r in ctx.reach.values() if r.ok for e in r.carried_by}
    if not carried:
        return None
    uses_s3 = Endpoint.S3 in carried
    return _finding(
        "endpoint-network-rules", Severity.INFO,
        "Check the security groups and network ACLs on the endpoint path",
        "The advisor cannot see security groups or network ACLs. Traffic to the endpoints is "
        "HTTPS: the endpoints' security group must accept TCP 443 from the tasks, and the "
        "task's security group and the subnet's network ACL must let it out and the replies "
        "back in."
        + (" Layer downloads through the S3 gateway endpoint still go to S3's public address "
           "ranges, so allow TCP 443 to the S3 managed prefix list, associate the endpoint with "
           "the task subnets' route tables, and, if you restrict its policy, allow s3:GetObject "
           "on arn:aws:s3:::prod-<region>-starport-layer-bucket/*." if uses_s3 else ""),
        remediation=[
            "Endpoint security group: inbound TCP 443 from the task security group.",
            "Task security group: outbound TCP 443 to the endpoint security group"
            + (" and to the S3 prefix list (pl-…)." if uses_s3 else "."),
        ],
        commands=fixes.endpoint_ingress(),
        sources=("ecs_endpoints", "ecr_endpoints", "verify_connectivity"),
    )


@rule
def get_authorization_token_conditions(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (_uses_ecr_login(a) and {Endpoint.ECR_API, Endpoint.ECR_DKR} & a.endpoints):
        return None
    summary, sources = _conflict("get_authorization_token_eni")
    return _finding(
        "no-vpc-conditions-on-get-authorization-token", Severity.INFO,
        "Don't restrict ecr:GetAuthorizationToken with aws:SourceVpc or aws:SourceVpce",
        "You may limit the execution role's layer and image actions to your VPC or endpoints, "
        "but not ecr:GetAuthorizationToken: the condition would deny the login. " + summary,
        remediation=["Keep aws:SourceVpc / aws:SourceVpce conditions only on "
                     "ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and "
                     "ecr:BatchCheckLayerAvailability."],
        sources=sources, actions=(Action.ECR_AUTH,),
    )


@rule
def public_ip_in_private_subnet(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.subnet is Subnet.PRIVATE and a.public_ip and a.ip_mode is not IPMode.IPV6_ONLY):
        return None
    return _finding(
        "public-ip-unused-in-private-subnet", Severity.WARNING,
        "A public IP does nothing in a private subnet",
        "The subnet's default route does not go to an internet gateway"
        + (", it goes to the NAT gateway" if a.nat_gateway else "")
        + ", so the task's public IP is never used for traffic"
        + (": the NAT gateway carries it." if a.nat_gateway else
           ", and the task still has no internet path.")
        + " It is billed all the same.",
        remediation=["Set assignPublicIp to DISABLED."],
        commands=fixes.assign_public_ip(False),
        sources=("networking", "verify_connectivity", "public_ipv4_pricing"),
    )


@rule
def nat_on_public_subnet(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.subnet is Subnet.PUBLIC and a.nat_gateway and a.ip_mode is not IPMode.IPV6_ONLY):
        return None
    return _finding(
        "nat-gateway-ignored-on-public-subnet", Severity.INFO,
        "A public subnet's default route goes to the internet gateway, not a NAT gateway",
        "A subnet has one IPv4 default route. A public subnet sends it to the internet gateway, "
        "so a NAT gateway does not serve tasks in it: only a public IP does. Put the tasks in "
        "a private subnet to use the NAT gateway.",
        sources=("networking", "verify_connectivity"),
    )


@rule
def public_ipv4_billed(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.subnet is Subnet.PUBLIC and a.public_ip and a.ip_mode is not IPMode.IPV6_ONLY):
        return None
    return _finding(
        "public-ip-exposes-task", Severity.INFO,
        "Each task gets a public IPv4 address",
        "The public IP gives the task its internet path. Each address is billed, and the "
        "task's security group is all that stands between it and the internet: allow inbound "
        "only from the load balancer or the clients that need it.",
        sources=("networking", "public_ipv4_pricing"),
    )


@rule
def dualstack_ipv6_conditions(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.ip_mode is not IPMode.DUALSTACK or ctx.ipv6_assigned:
        return None
    steps, commands = [], []
    if not a.dualstack_account_setting:
        steps.append("Enable the ECS account setting dualStackIPv6 (API or CLI only, per Region).")
        commands += fixes.dualstack_account_setting()
    if not a.ipv6_autoassign:
        steps.append("Turn on IPv6 auto-assignment for the task subnets.")
        commands += fixes.ipv6_autoassign()
    if ctx.version is PlatformVersion.V1_3_0:
        steps.append("Use platform version 1.4.0.")
    return _finding(
        "dualstack-task-gets-ipv4-only", Severity.WARNING,
        "The task will get no IPv6 address",
        "A Fargate task in a dual-stack subnet gets an IPv6 address only when every condition "
        "holds; here " + _sentence(list(ctx.ipv6_missing)) + ". It runs on IPv4 alone.",
        remediation=steps, commands=commands, sources=("networking", "account_settings"),
        actions=(Action.APPLICATION,),
    )


@rule
def ipv6_egress_not_for_launch(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.ip_mode is IPMode.DUALSTACK and a.ipv6_egress is not IPv6Egress.NONE
            and ctx.isolated and ctx.blocked()):
        return None
    return _finding(
        "ipv6-route-does-not-carry-launch-traffic", Severity.INFO,
        "The IPv6 route does not help the task start",
        "In a dual-stack subnet Fargate still reaches Amazon ECR, Secrets Manager and Systems "
        "Manager over IPv4, even with a dual-stack image URI, so "
        + ("an egress-only internet gateway" if a.ipv6_egress is IPv6Egress.EGRESS_ONLY_IGW
           else "an IPv6 route to the internet gateway")
        + " alone does not let the task start. "
        + ("Assign the task a public IPv4 address (the subnet's IPv4 default route already goes "
           "to the internet gateway) or add VPC endpoints." if a.subnet is Subnet.PUBLIC
           else "Add an IPv4 NAT gateway or VPC endpoints."),
        sources=("networking", "roadmap_2792"), actions=tuple(ctx.blocked()),
    )


@rule
def ipv6_only_constraints(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.ip_mode is not IPMode.IPV6_ONLY:
        return None
    if a.os is OS.WINDOWS:
        return _finding(
            "ipv6-only-needs-linux", Severity.BLOCKER, "IPv6-only subnets need Linux tasks",
            "Fargate supports IPv6-only subnets for Linux tasks on platform version 1.4.0 only.",
            remediation=["Use a dual-stack or IPv4 subnet for Windows tasks."],
            sources=("networking",),
        )
    if ctx.version is PlatformVersion.V1_3_0:
        return _finding(
            "ipv6-only-needs-platform-1-4-0", Severity.BLOCKER,
            "IPv6-only subnets need platform version 1.4.0",
            "Tasks get IPv6 addresses only on Linux platform version 1.4.0 or later.",
            remediation=["Use platform version 1.4.0 (LATEST)."],
            commands=fixes.platform_version("1.4.0"), sources=("networking",),
        )
    detail = (
        "The task gets only an IPv6 address. IPv6-only tasks are available only in the Regions "
        "AWS lists. Everything must be reachable over IPv6, or over DNS64 + NAT64 through a "
        "NAT gateway for IPv4-only services."
    )
    steps = ["Check that your Region supports IPv6-only Fargate tasks."]
    sources = ["networking", "nat64"]
    if a.registry in ECR_REGISTRIES:
        steps.append("Refer to ECR images by the dual-stack URI "
                     "<registry-id>.dkr-ecr.<region>.on.aws/<repository>:<tag>; the usual "
                     "<registry-id>.dkr.ecr.<region>.amazonaws.com name is IPv4-only.")
        sources.append("ecr_requests")
    if {Endpoint.ECR_API, Endpoint.ECR_DKR} & a.endpoints:
        summary, more = _conflict("ecr_ipv6_endpoints")
        detail += " " + summary
        sources += more
    if a.load_balancer is not LoadBalancer.NONE:
        steps.append("Give the load balancer a dual-stack IP address type and use IPv6 target "
                     "groups (ALB: dualstack or dualstack-without-public-ipv4).")
        sources.append("alb")
    return _finding(
        "ipv6-only-requirements", Severity.WARNING, "IPv6-only tasks need IPv6 paths throughout",
        detail, remediation=steps, sources=_dedupe(sources),
        actions=(Action.IMAGE_PULL, Action.APPLICATION),
    )


@rule
def windows_dualstack_conflict(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.os is OS.WINDOWS and a.ip_mode is IPMode.DUALSTACK):
        return None
    summary, sources = _conflict("windows_dualstack")
    return _finding(
        "windows-dualstack-unclear", Severity.WARNING,
        "Whether Windows tasks get IPv6 is unclear",
        summary + " Plan for IPv4 only and verify on a test task.",
        sources=sources, actions=(Action.APPLICATION,),
    )


@rule
def windows_foreign_layers(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.os is OS.WINDOWS and ctx.isolated and a.registry in ECR_REGISTRIES):
        return None
    return _finding(
        "windows-foreign-layers", Severity.INFO,
        "Only Windows images built on pre-mid-2023 base images have foreign layers",
        "Microsoft removed foreign (non-distributable) layers from its Windows container base "
        "images in June 2023: images built on current base images push every layer to ECR, "
        "and ECR endpoints serve them all. An image built on an older base image may still "
        "reference a base layer on Microsoft's servers, which no VPC endpoint reaches.",
        remediation=["If the image is built on a base image from before mid-2023, rebuild it "
                     "on a current one (or push it with allow-nondistributable-artifacts)."],
        sources=("windows_foreign_layers", "ecr_endpoints"), actions=(Action.IMAGE_PULL,),
    )


@rule
def pull_through_cache_first_pull(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.registry is not Registry.ECR_PULL_THROUGH_CACHE:
        return None
    if ctx.isolated:
        return _finding(
            "pull-through-cache-first-pull-needs-nat", Severity.WARNING,
            "The first pull of each image through the cache needs an internet path",
            "With ECR endpoints, pulls of images already in the cache work without internet, "
            "but the first pull of an image through a pull-through cache rule needs an internet "
            "path from the task's subnet (AWS describes a NAT gateway). The execution role also "
            "needs ecr:BatchImportUpstreamImage (and ecr:CreateRepository if the cache "
            "repository does not exist yet), which the managed execution policy lacks.",
            remediation=["Warm the cache by pulling each new image once from a network with "
                         "internet access, or give the task an internet path: "
                         + _lower_first(_internet_fix(ctx)[0])],
            commands=_internet_fix(ctx)[1],
            sources=("ecr_endpoints", "pull_through_cache"), actions=(Action.IMAGE_PULL,),
        )
    return _finding(
        "pull-through-cache-permissions", Severity.INFO,
        "Pull-through cache needs two more ECR permissions",
        "The execution role needs ecr:BatchImportUpstreamImage, and ecr:CreateRepository if the "
        "cache repository does not exist yet; the managed execution policy has neither. (Stated "
        "by ECR's pull-through cache documentation, not an ECS page.)",
        commands=fixes.execution_role(ECR_PULL_ACTIONS + PULL_THROUGH_CACHE_ACTIONS),
        sources=("pull_through_cache",), actions=(Action.IMAGE_PULL,),
    )


@rule
def docker_hub_rate_limit(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.registry is not Registry.DOCKER_HUB or ctx.isolated:
        return None
    return _finding(
        "docker-hub-rate-limit", Severity.INFO, "Docker Hub limits anonymous pulls",
        "Tasks behind one NAT gateway share its address, so anonymous pulls hit Docker Hub's "
        "rate limit together (\"toomanyrequests: You have reached your pull rate limit\").",
        remediation=["Authenticate with repositoryCredentials, or pull through an ECR "
                     "pull-through cache rule for Docker Hub."],
        commands=fixes.pull_through_cache("docker-hub", "registry-1.docker.io", credentials=True),
        sources=("cannot_pull", "pull_through_cache"), actions=(Action.IMAGE_PULL,),
    )


@rule
def firelens_destination(ctx: Context) -> Finding | None:
    if ctx.status(Action.FIRELENS) is not Status.BLOCKED:
        return None
    return _finding(
        "firelens-destination-unreachable", Severity.WARNING,
        "FireLens has no path to its destination",
        "The task starts, but FireLens cannot deliver logs: the task has no internet path and "
        "no CloudWatch Logs endpoint. The advisor does not know FireLens's destination: for "
        "CloudWatch Logs add the logs endpoint; for Firehose, Kinesis Data Streams or S3 add "
        "that service's endpoint instead; a third-party destination needs an internet path.",
        remediation=["Create the com.amazonaws.<region>.logs interface endpoint (or the "
                     "destination's), with private DNS, reachable on TCP 443 from the task."],
        commands=fixes.create_endpoints((Endpoint.LOGS,)),
        sources=("firelens", "ecs_endpoints"), actions=(Action.FIRELENS,),
    )


@rule
def firelens_notes(ctx: Context) -> Finding | None:
    if ctx.status(Action.FIRELENS) is not Status.OK:
        return None
    return _finding(
        "firelens-task-role", Severity.INFO,
        "FireLens uses the task role, and its config must be a file in the image",
        "FireLens sends logs with the task role's credentials, so the task role needs the "
        "destination's actions. On Fargate a custom Fluent Bit configuration must use "
        "config-file-type file (an S3-hosted config is not supported). Don't open port 24224 "
        "in the task security group. The FireLens container's own image is pulled like any "
        "other (AWS publishes aws-for-fluent-bit in ECR in each Region).",
        commands=fixes.role_policy("<task-role-name>", "firelens-cloudwatch",
                                   FIRELENS_CLOUDWATCH_ACTIONS),
        sources=("firelens",), actions=(Action.FIRELENS,),
    )


@rule
def efs_requirements(ctx: Context) -> Finding | None:
    if ctx.status(Action.EFS) is not Status.OK:
        return None
    return _finding(
        "efs-network-and-iam", Severity.INFO,
        "EFS needs NFS between the task and a mount target in each Availability Zone",
        "The mount target's security group must accept TCP 2049 from the task's security group, "
        "the task security group must allow it out, and a mount target must exist in the "
        "Availability Zone of every task subnet, in the same VPC. Failures read "
        "\"ResourceInitializationError: failed to invoke EFS utils commands to set up EFS "
        "volumes: stderr: …\". With IAM authorization or an access point, transitEncryption "
        "must be ENABLED. Only if you use EFS IAM authorization does the mount use the task "
        "role, which then needs elasticfilesystem:ClientMount (and ClientWrite to write).",
        remediation=[
            "Mount target security group: inbound TCP 2049 from the task security group.",
            "Create a mount target in each Availability Zone the task subnets use.",
            "Only if you use EFS IAM authorization: set transitEncryption ENABLED and grant the "
            "task role elasticfilesystem:ClientMount (and ClientWrite to write). Without it, "
            "EFS does not use the task role.",
        ],
        commands=fixes.security_group_ingress(
            "EfsNfsFromTasks", "efs-mount-target-security-group-id", 2049,
            "task-security-group-id", "NFS from the tasks to the EFS mount targets"),
        sources=("efs", "efs_kc"), actions=(Action.EFS,),
    )


@rule
def ecs_exec(ctx: Context) -> Finding | None:
    """ECS Exec failing never stops the task: both ways it can fail are warnings that say what
    does and does not work."""
    a = ctx.answers
    if not a.ecs_exec:
        return None
    unsupported = _exec_unsupported(ctx)
    if unsupported and not (a.os is OS.LINUX and ctx.version is PlatformVersion.V1_3_0):
        return _finding(
            "ecs-exec-unsupported-ipv6-only", Severity.WARNING,
            "ECS Exec is not supported in IPv6-only subnets",
            f"{unsupported}. AWS says it is not supported, not that the task fails to launch: "
            "expect the task to start and run, and execute-command sessions to it to fail.",
            remediation=["Use a dual-stack or IPv4 subnet, or turn ECS Exec off."],
            sources=("networking", "ecs_exec"),
        )
    if unsupported:
        # Graded as the requirements model grades capabilities (requirements.py): a blocker.
        return _finding(
            "ecs-exec-needs-platform-1-4-0", Severity.BLOCKER,
            "ECS Exec needs platform version 1.4.0",
            f"{unsupported}.",
            remediation=["Use platform version 1.4.0 (LATEST)."],
            commands=fixes.platform_version("1.4.0"), sources=("ecs_exec",),
        )
    reach = ctx.exec_reach
    assert reach is not None
    role_commands = fixes.role_policy("<task-role-name>", "ecs-exec", ECS_EXEC_ACTIONS)
    if not reach.ok:
        return _finding(
            "ecs-exec-no-path", Severity.WARNING, "ECS Exec sessions will fail",
            "The task starts and runs, but the SSM agent in it cannot reach Session Manager: "
            "no internet path and no usable ssmmessages endpoint, so execute-command sessions "
            "fail. If you encrypt sessions with your own KMS key, the kms endpoint is needed "
            "too.",
            remediation=["Create the com.amazonaws.<region>.ssmmessages interface endpoint with "
                         "private DNS." if reach.missing else
                         "Turn on private DNS on the ssmmessages endpoint and both DNS "
                         "attributes on the VPC.",
                         "Grant the task role the four ssmmessages actions; redeploy so new "
                         "tasks have enableExecuteCommand."],
            commands=(fixes.labelled("Step 1: the ssmmessages endpoint",
                                     fixes.create_endpoints(EXEC_ENDPOINTS))
                      if reach.missing else
                      fixes.labelled("Step 1: make the endpoint usable",
                                     _dns_commands(a)))
            + fixes.labelled("Step 2: the task role's ECS Exec permissions", role_commands),
            sources=("ecs_exec", "ecs_endpoints"),
        )
    return _finding(
        "ecs-exec-task-role", Severity.INFO, "ECS Exec uses the task role",
        "The task role needs ssmmessages:CreateControlChannel, CreateDataChannel, "
        "OpenControlChannel and OpenDataChannel; only tasks started after "
        "enableExecuteCommand was turned on can be reached.",
        commands=fixes.labelled("Step 1: the task role's ECS Exec permissions", role_commands)
        + fixes.labelled("Step 2: turn ECS Exec on and start new tasks", fixes.ecs_exec()),
        sources=("ecs_exec",),
    )


@rule
def execution_role(ctx: Context) -> Finding | None:
    role = next(r for r in ctx.roles if r.role is Role.TASK_EXECUTION)
    if not role.required:
        return None
    a = ctx.answers
    notes = []
    if a.log_driver is LogDriver.AWSLOGS:
        notes.append("With awslogs-create-group set to true the role also needs "
                     "logs:CreateLogGroup, which the managed policy lacks; otherwise create the "
                     "log group first (\"ResourceNotFoundException: The specified log group does "
                     "not exist\").")
    if a.cmk and _uses_secrets(a):
        notes.append("kms:Decrypt is needed because the secrets use a customer managed key; "
                     "also allow the role in the key policy.")
    if SecretSource.SSM in a.secrets:
        notes.append("If an SSM parameter references a Secrets Manager secret, the role also "
                     "needs secretsmanager:GetSecretValue.")
    return _finding(
        "task-execution-role-permissions", Severity.INFO,
        "The task execution role needs these permissions",
        "Missing permissions fail the same way as missing network paths, with "
        "AccessDeniedException in the stopped reason (for example \"not authorized to "
        "perform: ecr:GetAuthorizationToken\"). Required: " + ", ".join(role.permissions) + ". "
        + " ".join(notes),
        remediation=["Trust ecs-tasks.amazonaws.com, attach AmazonECSTaskExecutionRolePolicy and "
                     "add the other actions as an inline policy; set it as the task "
                     "definition's executionRoleArn."],
        commands=fixes.execution_role(role.permissions),
        sources=("execution_role", "unable_to_pull_secrets_kc"),
        actions=_execution_role_actions(ctx),
    )


def _execution_role_actions(ctx: Context) -> list[Action]:
    """The traffic rows that use the execution role in this configuration."""
    a = ctx.answers
    uses = {
        Action.ECR_AUTH: _uses_ecr_login(a),
        Action.IMAGE_PULL: a.registry in ECR_REGISTRIES or a.registry is Registry.PRIVATE_REGISTRY,
        Action.LOG_DRIVER: a.log_driver is LogDriver.AWSLOGS,
        Action.SECRETS: _uses_secrets(a),
    }
    return [action for action, used in uses.items() if used]


@rule
def kms_endpoint_for_secrets(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.cmk and _uses_secrets(a) and ctx.isolated):
        return None
    return _finding(
        "kms-endpoint-not-needed-for-secrets", Severity.INFO,
        "No KMS endpoint is needed to inject encrypted secrets",
        "Secrets Manager and Systems Manager decrypt with your key on their side, so the task "
        "needs their endpoints, not a KMS endpoint. No AWS page says so explicitly for Fargate "
        "secret injection: this is an inference.",
        sources=("execution_role", "ecs_endpoints"), actions=(Action.SECRETS,),
    )


@rule
def cmk_without_secrets(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not a.cmk or _uses_secrets(a):
        return None
    return _finding(
        "customer-managed-key-unused", Severity.INFO,
        "A customer managed key only matters for secrets",
        "You said secrets use a customer managed KMS key, but the task injects no secrets and "
        "uses no private registry credentials, so kms:Decrypt is not needed.",
        sources=("execution_role",),
    )


@rule
def secrets_on_1_3_0(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.secrets and a.os is OS.LINUX and ctx.version is PlatformVersion.V1_3_0):
        return None
    return _finding(
        "secrets-json-keys-need-platform-1-4-0", Severity.INFO,
        "Secret JSON keys and versions need platform version 1.4.0",
        "On 1.3.0 only whole secrets and parameters can be injected; a specific JSON key or "
        "version of a Secrets Manager secret needs Linux 1.4.0 or Windows 1.0.0.",
        sources=("secrets",), actions=(Action.SECRETS,),
    )


@rule
def service_linked_role(ctx: Context) -> Finding | None:
    return _finding(
        "service-linked-role", Severity.INFO,
        "Amazon ECS needs its service-linked role",
        "AWSServiceRoleForECS lets ECS create the task's ENI"
        + (" and register it with the load balancer" if ctx.answers.load_balancer
           is not LoadBalancer.NONE else "")
        + ". AWS creates it with your first cluster or service; create it yourself if an "
        "organization policy or missing permission stopped that.",
        commands=fixes.service_linked_role(),
        sources=("networking", "service_linked_role"),
    )


@rule
def classic_load_balancer(ctx: Context) -> Finding | None:
    if ctx.answers.load_balancer is not LoadBalancer.CLB:
        return None
    return _finding(
        "classic-load-balancer-unsupported", Severity.BLOCKER,
        "Fargate services cannot use a Classic Load Balancer",
        "Services with tasks on Fargate support Application and Network Load Balancers; a "
        "Classic Load Balancer cannot register tasks that use awsvpc networking.",
        remediation=["Create an Application Load Balancer (HTTP/HTTPS) or a Network Load "
                     "Balancer (TCP/UDP/TLS) with a target group of type ip, and point the "
                     "service at it."],
        commands=fixes.application_load_balancer(),
        sources=("networking", "load_balancing"), actions=(Action.APPLICATION,),
    )


@rule
def target_type_instance(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.load_balancer in (LoadBalancer.NONE, LoadBalancer.CLB):
        return None
    if a.target_type is not TargetType.INSTANCE:
        return None
    return _finding(
        "target-type-must-be-ip", Severity.BLOCKER,
        "Target groups for Fargate tasks must have target type ip",
        "Each Fargate task has its own ENI and IP address, and no instance: a target group of "
        "type instance cannot register it. Creating or updating the service fails with "
        f"`{TARGET_TYPE_ERROR}` A target group's type cannot be changed: create a new one.",
        remediation=["Create a target group with TargetType ip, move the listener to it, and "
                     "update the service's loadBalancers.",
                     _target_group_protocols(a.load_balancer)],
        commands=_target_group_fix(a.load_balancer),
        sources=("networking", "load_balancing", "elb_create_target_group"),
        actions=(Action.APPLICATION,),
    )


def _target_group_protocols(lb: LoadBalancer) -> str:
    protocols = TARGET_GROUP_PROTOCOLS[lb]
    port = f" on port {GENEVE_PORT}" if lb is LoadBalancer.GWLB else ""
    choose = "; use the protocol its listener forwards" if len(protocols) > 1 else ""
    return f"A {_LB_TITLES[lb]}'s target groups take {_or(protocols)}{port}{choose}."


def _target_group_fix(lb: LoadBalancer) -> tuple[Command, ...]:
    port = str(GENEVE_PORT) if lb is LoadBalancer.GWLB else "<container-port>"
    return fixes.target_group_ip(TARGET_GROUP_PROTOCOLS[lb][0], port)


def _or(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


_LB_TITLES: dict[LoadBalancer, str] = {
    LoadBalancer.ALB: "Application Load Balancer",
    LoadBalancer.NLB: "Network Load Balancer",
    LoadBalancer.GWLB: "Gateway Load Balancer",
}


@rule
def gateway_load_balancer(ctx: Context) -> Finding | None:
    if ctx.answers.load_balancer is not LoadBalancer.GWLB:
        return None
    summary, sources = _conflict("gwlb")
    if _gwlb_unsupported(ctx):
        return _finding(
            "gateway-load-balancer-needs-platform-1-4-0", Severity.BLOCKER,
            "Gateway Load Balancers need platform version 1.4.0",
            summary, remediation=["Use platform version 1.4.0 (LATEST)."],
            commands=fixes.platform_version("1.4.0"), sources=sources,
            actions=(Action.APPLICATION,),
        )
    return _finding(
        "gateway-load-balancer-docs-disagree", Severity.WARNING,
        "Gateway Load Balancer support: AWS pages disagree",
        summary + " Treat it as supported on recent platform versions and verify with a test "
        "service.",
        sources=sources, actions=(Action.APPLICATION,),
    )


@rule
def load_balancer_security_groups(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.load_balancer not in (LoadBalancer.ALB, LoadBalancer.NLB):
        return None
    if a.target_type is TargetType.INSTANCE:
        return None
    nlb = a.load_balancer is LoadBalancer.NLB
    return _finding(
        "load-balancer-reachability", Severity.INFO,
        "Let the load balancer reach the task",
        "The task's security group must accept the container port (and the health-check port) "
        "from the load balancer, or targets stay unhealthy and ECS replaces the tasks in a loop. "
        "The load balancer's subnets must cover every Availability Zone the tasks use, in the "
        "same VPC."
        + (" With IP targets over TCP or TLS, an NLB hides the client's address: tasks see the "
           "NLB's private IPs. Attach a security group to the NLB when you create it and "
           "reference it from the task's security group; allowing the NLB's IPs would allow "
           "every client." if nlb else "")
        + (" UDP listeners need platform version 1.4.0." if nlb and ctx.version
           is PlatformVersion.V1_3_0 else ""),
        remediation=["Task security group: inbound container port from the load balancer's "
                     "security group."],
        commands=fixes.security_group_ingress(
            "TaskFromLoadBalancer", "task-security-group-id", "<container-port>",
            "lb-security-group-id", "Container port from the load balancer"),
        sources=("alb", "nlb", "load_balancing"), actions=(Action.APPLICATION,),
    )


@rule
def awsvpc_limits(ctx: Context) -> Finding | None:
    a = ctx.answers
    problems = []
    if a.subnet_count > MAX_SUBNETS:
        problems.append(f"{a.subnet_count} subnets (at most {MAX_SUBNETS})")
    if a.security_group_count > MAX_SECURITY_GROUPS:
        problems.append(f"{a.security_group_count} security groups (at most "
                        f"{MAX_SECURITY_GROUPS})")
    if problems:
        return _finding(
            "awsvpc-configuration-limits", Severity.BLOCKER,
            "awsvpcConfiguration lists too many subnets or security groups",
            "The API rejects the service or task: it lists " + _sentence(problems)
            + ". All must also be in the same VPC.",
            remediation=[f"List at most {MAX_SUBNETS} subnets and {MAX_SECURITY_GROUPS} "
                         "security groups, all in one VPC."],
            sources=("awsvpc_configuration", "networking"),
        )
    if a.security_group_count == 0:
        return _finding(
            "default-security-group", Severity.INFO, "The VPC's default security group is used",
            "With no security groups listed, the task gets the VPC's default security group. "
            "Give it its own, so its rules say what this task needs.",
            sources=("awsvpc_configuration",),
        )
    return None


# --- Putting it together -------------------------------------------------------------------

_SEVERITY_ORDER = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _context(answers: Answers) -> Context:
    """Passes 1 and 2: paths, then the traffic rows."""
    version = resolve(answers.os, answers.platform_version)
    ipv6_assigned, ipv6_missing = _ipv6(answers, version)
    ctx = Context(
        answers=answers,
        column=column_for(answers.os, answers.platform_version),
        version=version,
        internet_hop=_internet(answers),
        ipv6_assigned=ipv6_assigned,
        ipv6_missing=ipv6_missing,
        interface_endpoints_usable=answers.vpc_dns and answers.endpoint_private_dns,
    )
    _traffic(ctx)
    _exec(ctx)
    return ctx


def evaluate(answers: Answers) -> Result:
    """Evaluate one configuration: traffic, roles, endpoints, findings and the verdict."""
    ctx = _context(answers)
    ctx.roles = _roles(ctx)
    ctx.endpoint_checks = _endpoints(ctx)
    findings = [f for f in (check(ctx) for check in RULES) if f is not None]
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    by_action: dict[Action, list[str]] = {}
    for finding in findings:
        for action in finding.actions:
            by_action.setdefault(action, []).append(finding.id)
    traffic = tuple(
        TrafficRow(fact.action, fact.label, row.eni, fact.role, row.status, row.path,
                   tuple(by_action.get(fact.action, ())), route=row.route)
        for fact, row in zip(TRAFFIC_TABLE, ctx.rows.values(), strict=True)
    )
    return Result(
        rules_version=RULES_VERSION,
        answers=answers,
        permalink=permalink(answers),
        platform=Platform(answers.os, ctx.version, answers.platform_version),
        verdict=_verdict(findings),
        traffic=traffic,
        roles=ctx.roles,
        endpoints=ctx.endpoint_checks,
        findings=tuple(findings),
    )


def _verdict(findings: list[Finding]) -> Verdict:
    blockers = [f for f in findings if f.severity is Severity.BLOCKER]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    if blockers:
        status = VerdictStatus.BLOCKED
        summary = (f"The task will not start or reach what it needs: {len(blockers)} "
                   f"blocker{'s' if len(blockers) > 1 else ''}, starting with: "
                   f"{blockers[0].title}.")
    elif warnings:
        status = VerdictStatus.WARNING
        summary = (f"The task should start, with {len(warnings)} "
                   f"warning{'s' if len(warnings) > 1 else ''} to check: {warnings[0].title}.")
    else:
        status = VerdictStatus.OK
        summary = "The task should start and reach everything it needs."
    return Verdict(status, len(blockers), len(warnings), summary)

