"""Pass 2, traffic: the seven rows of the AWS traffic table, the IAM roles and the endpoints.

For each row, take the ENI and role for the resolved platform column, decide whether the
configuration uses it, and if it leaves through the task ENI whether a route (pass 1) reaches
its service. Traffic on the Fargate-owned ENI (platform version 1.3.0) never needs your
network. The endpoint checks are read off the same rows (the roles: `roles.py`).
"""

from __future__ import annotations

from dataclasses import replace

from .answers import (
    OS,
    Admits,
    Answers,
    Coverage,
    Endpoint,
    ExecLogging,
    Grant,
    IPMode,
    LoadBalancer,
    Location,
    LogDriver,
    Registry,
    TargetType,
    Where,
    known,
)
from .detail import (
    Way,
    ecr_pull_allowed,
    interface_names_resolve,
    log_group_ready,
    private_names_resolve,
    registries,
    secrets_shared,
    why_not_taken,
)
from .knowledge import (
    CAPABILITY,
    ECR_AUTH_ENDPOINTS,
    ECR_REGISTRIES,
    ENDPOINT_SERVED_REGISTRIES,
    ENDPOINTS,
    EXEC_ENDPOINTS,
    IMAGE_PULL_ENDPOINTS,
    LOAD_BALANCER_NAMES,
    LOG_DRIVER_ENDPOINTS,
    REGISTRY_NAMES,
    SECRET_ENDPOINTS,
    SERVICE_NAMES,
    TRAFFIC_TABLE,
    Column,
    column_for,
    resolve,
)
from .paths import (
    APP_INSIDE_VPC,
    APP_INTERNET,
    FARGATE_ENI,
    TASK_ENI,
    Context,
    Reach,
    Row,
    _filtered,
    _ipv6,
    describe,
    endpoint_usable,
    filter_note,
    internet_path,
    reach_for,
    secret_sources,
    service_name,
    stopped_at,
)
from .requirements import (
    capability_gap,
)
from .result import (
    ENI,
    Action,
    EndpointCheck,
    Hop,
    HopKind,
    Status,
)


def uses_ecr_login(a: Answers) -> bool:
    return any(r in ECR_REGISTRIES for r in registries(a))


def uses_secrets(a: Answers) -> bool:
    return bool(a.secrets) or Registry.PRIVATE_REGISTRY in registries(a)


def ecr_endpoint_capable(a: Answers, registry: Registry) -> bool:
    """Same-Region ECR has endpoints; none is documented for IPv6-only tasks (conflict)."""
    return registry in ENDPOINT_SERVED_REGISTRIES and _ipv6_only_endpoints_ok(a)


def _secret_endpoints(a: Answers) -> tuple[Endpoint, ...]:
    return tuple(SECRET_ENDPOINTS[s] for s in secret_sources(a))


def _ipv6_only_endpoints_ok(a: Answers) -> bool:
    """No ECR endpoint is documented to serve IPv6-only tasks (conflict ecr_ipv6_endpoints)."""
    return a.ip_mode is not IPMode.IPV6_ONLY


def _fargate_owned(a: Answers, action: Action) -> Row:
    """Platform version 1.3.0 fetched this outside your VPC: your network plays no part."""
    route = (FARGATE_ENI, Hop(HopKind.SERVICE, service_name(a, action)))
    return Row(ENI.FARGATE_OWNED, Status.OK, describe(route), route)


def _not_used(eni: ENI, text: str, status: Status = Status.NOT_USED) -> Row:
    return Row(eni, status, text)


def _traffic(ctx: Context) -> None:
    a = ctx.answers
    served = any(ecr_endpoint_capable(a, r) for r in registries(a))
    for fact in TRAFFIC_TABLE:
        eni = fact.eni[ctx.column]
        action = fact.action
        row: Row | None = None
        wanted: tuple[Endpoint, ...] = ()
        capable = True
        if action is Action.ECR_AUTH:
            if not uses_ecr_login(a):
                row = _not_used(eni, "Not used: the image is not in private Amazon ECR")
            elif eni is ENI.FARGATE_OWNED:
                row = _fargate_owned(a, action)
            else:
                wanted, capable = ECR_AUTH_ENDPOINTS, served
        elif action is Action.IMAGE_PULL:
            row = _image_pull(ctx, eni)
        elif action is Action.LOG_DRIVER:
            if a.log_driver in LOG_DRIVER_ENDPOINTS:
                wanted = LOG_DRIVER_ENDPOINTS[known(a.log_driver)]
                # An endpoint serves its own Region only (SOURCES: ecs_endpoints).
                capable = bool(wanted) and not (a.log_driver is LogDriver.AWSLOGS
                                                and a.logs_region is Where.OTHER)
            else:
                row = _not_used(eni, "Not used: FireLens carries the logs"
                                if a.log_driver is LogDriver.FIRELENS
                                else "Not used: no log driver")
        elif action is Action.FIRELENS:
            if a.log_driver is not LogDriver.FIRELENS:
                row = _not_used(eni, "Not used: the log driver is not FireLens")
            elif gap := capability_gap(CAPABILITY["firelens-supported"], a):
                row = _not_used(eni, f"Unsupported: {gap.title}", Status.UNSUPPORTED)
            else:
                wanted = LOG_DRIVER_ENDPOINTS[LogDriver.AWSLOGS]
        elif action is Action.SECRETS:
            if not uses_secrets(a):
                row = _not_used(eni, "Not used: no secrets are injected")
            elif eni is ENI.FARGATE_OWNED:
                row = _fargate_owned(a, action)
            else:
                wanted = _secret_endpoints(a)
                capable = a.secrets_location is not Location.OTHER_REGION or not a.secrets
        elif action is Action.EFS:
            row = _efs(ctx, eni)
        elif action is Action.APPLICATION:
            row = _application(ctx, eni)
        if row is None:
            reach = reach_for(ctx, wanted, capable, service_name(a, action))
            ctx.reach[action] = reach
            row = Row(eni, Status.OK if reach.ok else Status.BLOCKED, reach.path, reach.route)
            _require(ctx, reach, wanted, fact.label)
        ctx.rows[action] = _refused(ctx, action, row)


def _image_pull(ctx: Context, eni: ENI) -> Row:
    """Every registry the containers pull from, the image registry first: the row gets
    through only if each of them does, and its route is the first that does not."""
    a = ctx.answers
    rows: list[tuple[Registry, Reach]] = []
    for registry in registries(a):
        wanted = IMAGE_PULL_ENDPOINTS if registry in ENDPOINT_SERVED_REGISTRIES else ()
        reach = reach_for(ctx, wanted, ecr_endpoint_capable(a, registry),
                          REGISTRY_NAMES[registry])
        _require(ctx, reach, wanted, "Image pull"
                 + ("" if registry is a.registry else f" ({REGISTRY_NAMES[registry]})"))
        ctx.registry_reach[registry] = reach
        rows.append((registry, reach))
    main = rows[0][1]
    ctx.reach[Action.IMAGE_PULL] = main
    shown = next((reach for _, reach in rows if not reach.ok), main)
    path = main.path + "".join(f"; other containers from {REGISTRY_NAMES[r]}: {reach.path}"
                               for r, reach in rows[1:])
    return Row(eni, Status.OK if all(r.ok for _, r in rows) else Status.BLOCKED, path,
               shown.route)


# Where the service itself refuses a flow that reaches it (a permission, not the network):
# the row is blocked at its last hop, with what refused it (`detail`).
def refusal(a: Answers, action: Action) -> str:
    """Why the service refuses this row's traffic, or "" when it does not."""
    if action is Action.IMAGE_PULL and ecr_pull_allowed(a) is False:
        return "the repository in the other account does not allow this account to pull"
    if action is Action.SECRETS and secrets_shared(a) is False:
        return ("the secret in the other account is not shared with this account's "
                "execution role (resource policy and customer managed key policy)")
    if action is Action.LOG_DRIVER and log_group_ready(a) is False:
        return "the log group does not exist, and awslogs-create-group is not set"
    return ""


_GRANTS = Grant.GRANTS
_FARGATE_OWNED_COLUMN = Column.LINUX_1_3_0


def _refused(ctx: Context, action: Action, row: Row) -> Row:
    if row.status is not Status.OK or not (why := refusal(ctx.answers, action)):
        return row
    route = (*row.route[:-1], replace(row.route[-1], passes=False)) if row.route else ()
    return Row(row.eni, Status.BLOCKED, f"{row.path}; refused: {why}", route)


def _efs(ctx: Context, eni: ENI) -> Row:
    a = ctx.answers
    if not a.efs:
        return _not_used(eni, "Not used: no EFS volume")
    gap = capability_gap(CAPABILITY["efs-supported"], a)
    if gap is not None:
        return _not_used(eni, f"Unsupported: {gap.title}", Status.UNSUPPORTED)
    note = efs_stop(a)
    mounts = not note
    target = Hop(HopKind.MOUNT_TARGET, "EFS mount target in the task's Availability Zone",
                 passes=mounts)
    route = _filtered(a, frozenset({Way.NFS}), (target,))
    if (stop := stopped_at(route)) is not None and stop is not target:
        note, mounts = filter_note(a, stop), False
    route = (*route, Hop(HopKind.SERVICE, SERVICE_NAMES[Action.EFS], passes=mounts))
    if not mounts:
        return Row(eni, Status.BLOCKED, describe(route, note), route)
    return Row(eni, Status.OK, describe(route), route)


def efs_stop(a: Answers) -> str:
    """Why the mount target does not answer the task, or "" (SOURCES: efs, efs_kc)."""
    if not private_names_resolve(a):
        if a.vpc_dns and a.dns_support and a.dns_hostnames:  # the DHCP options' servers
            return ("the file system's DNS name does not resolve through DNS servers that do "
                    "not forward to the Route 53 Resolver")
        return "the file system's DNS name does not resolve with the VPC's DNS attributes off"
    if a.efs_mount_targets is Coverage.MISSING_AZ:
        return "no mount target in the Availability Zone of some task subnets"
    if a.efs_sg is Admits.BLOCKS:
        return "the mount target's security group does not admit NFS (TCP 2049) from the task"
    if (a.efs_iam or a.efs_access_point) and not a.efs_transit_encryption:
        return ("IAM authorization and access points need transitEncryption ENABLED, so ECS "
                "does not accept the volume")
    return ""


def _require(ctx: Context, reach: Reach, endpoints: tuple[Endpoint, ...], why: str) -> None:
    """Endpoints are required where they are the flow's only way out (spec: `required`)."""
    if reach.endpoint_remedy and not ctx.internet:
        for endpoint in endpoints:
            ctx.required_endpoints.setdefault(endpoint, why)


def exec_unsupported(ctx: Context) -> str:
    """Why ECS Exec cannot be used in this configuration, or "" when it can."""
    a = ctx.answers
    gap = capability_gap(CAPABILITY["ecs-exec-supported"], a)
    if gap is not None:
        return gap.detail
    if a.ip_mode is IPMode.IPV6_ONLY:
        return "Amazon ECS Exec isn't supported in an IPv6-only configuration"
    return ""


def _exec(ctx: Context) -> None:
    """ECS Exec is not a row of the AWS table, but its sessions leave through the task ENI and
    need Session Manager like any other flow, so its endpoint can be required too."""
    if not ctx.answers.ecs_exec or exec_unsupported(ctx):
        return
    ctx.exec_reach = reach_for(ctx, EXEC_ENDPOINTS, True, "Session Manager")
    _require(ctx, ctx.exec_reach, EXEC_ENDPOINTS, "ECS Exec sessions")
    a = ctx.answers
    if a.exec_kms:  # the agent asks KMS for the session's data key (SOURCES: ecs_exec)
        _extra(ctx, "exec_kms", (Endpoint.KMS,), "AWS KMS", "ECS Exec session encryption")
    if a.exec_logging is ExecLogging.CLOUDWATCH:
        _extra(ctx, "exec_logging", (Endpoint.LOGS,), "CloudWatch Logs", "ECS Exec session logs")
    elif a.exec_logging is ExecLogging.S3:
        _extra(ctx, "exec_logging", (Endpoint.S3,), "Amazon S3", "ECS Exec session logs")


def _extra(ctx: Context, key: str, endpoints: tuple[Endpoint, ...], service: str,
           why: str) -> None:
    ctx.extra_reach[key] = reach = reach_for(ctx, endpoints, True, service)
    _require(ctx, reach, endpoints, why)


def _env_files(ctx: Context) -> None:
    """environmentFiles are downloaded from S3 through the task ENI before the containers
    start (SOURCES: env_files); on the Fargate-owned ENI (1.3.0) they are not supported."""
    if ctx.answers.env_files and ctx.column is not _FARGATE_OWNED_COLUMN:
        _extra(ctx, "env_files", (Endpoint.S3,), "Amazon S3 (environment files)",
               "Environment files")


def _application(ctx: Context, eni: ENI) -> Row:
    """In from the load balancer (if any), out through the internet path (if any)."""
    a = ctx.answers
    lb = a.load_balancer
    note = ""
    if lb is LoadBalancer.CLB:
        note = "a Classic Load Balancer cannot register Fargate tasks"
    elif lb is not LoadBalancer.NONE and a.target_type is TargetType.INSTANCE:
        note = "a target group of type instance cannot register Fargate tasks"
    elif lb is LoadBalancer.GWLB and gwlb_unsupported(ctx):
        return _not_used(eni, "In: unsupported: a Gateway Load Balancer needs platform version "
                              "1.4.0", Status.UNSUPPORTED)
    out: tuple[Hop, ...] = (TASK_ENI,)
    if ctx.internet_hop is not None:
        out += (ctx.internet_hop, Hop(HopKind.SERVICE, APP_INTERNET))
    else:
        out += (Hop(HopKind.SERVICE, APP_INSIDE_VPC),)
    if lb is LoadBalancer.NONE:
        return Row(eni, Status.OK, describe(out), out)
    inbound: tuple[Hop, ...] = ()
    if not note and a.lb_ingress is Admits.BLOCKS:  # (SOURCES: elb_target_health)
        note = "the task's security group does not admit the load balancer"
        inbound = (Hop(HopKind.SECURITY_GROUP, "task security group (inbound)", passes=False),)
    route = (Hop(HopKind.LOAD_BALANCER, LOAD_BALANCER_NAMES[known(lb)],
                 passes=not note or bool(inbound)), *inbound, *out)
    return Row(eni, Status.BLOCKED if note else Status.OK, describe(route, note), route)


def gwlb_unsupported(ctx: Context) -> bool:
    return capability_gap(CAPABILITY["gateway-load-balancer-supported"], ctx.answers) is not None


def and_list(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def endpoint_checks(ctx: Context) -> tuple[EndpointCheck, ...]:
    """Each relevant endpoint with a `why` that says what it serves here and how it stands:
    carrying traffic, needed, optional, unused or unusable, never two of them at once."""
    a = ctx.answers
    serves = _endpoint_uses(ctx)
    for endpoint in known(a.endpoints):
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
    if any(r in ENDPOINT_SERVED_REGISTRIES for r in registries(a)):  # any container's
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
    for endpoint in _secret_endpoints(a) if uses_secrets(a) else ():
        uses[endpoint] = (
            ("not used on 1.3.0 (secrets are fetched through the Fargate-owned ENI); needed on "
             "1.4.0 when the task has no internet path", False) if secrets_outside
            else (ENDPOINTS[endpoint].serves, True))
    if a.ecs_exec:
        supported = not exec_unsupported(ctx)
        uses[Endpoint.SSMMESSAGES] = (
            "ECS Exec sessions" if supported else "ECS Exec sessions, which cannot run here",
            supported)
        uses[Endpoint.KMS] = (
            ("ECS Exec session encryption with your KMS key", True) if a.exec_kms and supported
            else ("only if ECS Exec sessions are encrypted with your own KMS key", False))
        logged = {ExecLogging.CLOUDWATCH: Endpoint.LOGS, ExecLogging.S3: Endpoint.S3}
        if a.exec_logging in logged and supported:
            endpoint = logged[known(a.exec_logging)]
            uses[endpoint] = _also(uses.get(endpoint), "ECS Exec session logs")
    if "env_files" in ctx.extra_reach:
        uses[Endpoint.S3] = _also(uses.get(Endpoint.S3), "environment files")
    return uses


def _also(serves: tuple[str, bool] | None, what: str) -> tuple[str, bool]:
    """An endpoint that serves one more flow here, which this configuration certainly sends."""
    return (f"{serves[0]}; {what}" if serves else what, True)


# Why an endpoint that exists takes no traffic, by the finding that explains it (`detail`).
_UNUSABLE = {
    "endpoints-need-private-dns": "it needs private DNS on the endpoint and both DNS attributes "
                                  "on the VPC",
    "s3-endpoint-not-on-task-route-tables": "it is not on the task subnets' route tables",
    "custom-dns-cannot-resolve-endpoints": "the VPC's DNS servers do not forward to the Route 53 "
                                           "Resolver, so its private name does not resolve",
    "hub-endpoints-need-private-hosted-zone": "its hub's private hosted zone is not associated "
                                              "with this VPC",
    "endpoints-ipv4-only": "it has IPv4 addresses only, and the task is IPv6-only",
}


def _endpoint_state(ctx: Context, endpoint: Endpoint, used: bool, carries: bool) -> str:
    present = endpoint in ctx.answers.endpoints
    via = ctx.internet_via
    if present and not endpoint_usable(ctx, endpoint):
        return ("present but unusable: " + _UNUSABLE[why_not_taken(ctx.answers, endpoint)]
                + (f"; {via} takes this traffic instead" if used and ctx.internet else ""))
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


def context(answers: Answers) -> Context:
    """Passes 1 and 2: paths, then the traffic rows."""
    os, platform_version = known(answers.os), known(answers.platform_version)
    version = resolve(os, platform_version)
    ipv6_assigned, ipv6_missing = _ipv6(answers, version)
    ctx = Context(
        answers=answers,
        column=column_for(os, platform_version),
        version=version,
        internet_hop=internet_path(answers),
        ipv6_assigned=ipv6_assigned,
        ipv6_missing=ipv6_missing,
        interface_endpoints_usable=interface_names_resolve(answers),
    )
    _traffic(ctx)
    _exec(ctx)
    _env_files(ctx)
    return ctx
