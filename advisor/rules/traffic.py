"""Pass 2, traffic: the seven rows of the AWS traffic table, the IAM roles and the endpoints.

For each row, take the ENI and role for the resolved platform column, decide whether the
configuration uses it, and if it leaves through the task ENI whether a route (pass 1) reaches
its service. Traffic on the Fargate-owned ENI (platform version 1.3.0) never needs your
network. The endpoint checks are read off the same rows (the roles: `roles.py`).
"""

from __future__ import annotations

from .answers import (
    OS,
    Answers,
    Endpoint,
    IPMode,
    LoadBalancer,
    LogDriver,
    Registry,
    TargetType,
    known,
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
    SECRET_ENDPOINTS,
    SERVICE_NAMES,
    TRAFFIC_TABLE,
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
    _ipv6,
    describe,
    endpoint_usable,
    internet_path,
    reach_for,
    secret_sources,
    service_name,
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
    return a.registry in ECR_REGISTRIES


def uses_secrets(a: Answers) -> bool:
    return bool(a.secrets) or a.registry is Registry.PRIVATE_REGISTRY


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
    ecr_endpoint_capable = a.registry in ENDPOINT_SERVED_REGISTRIES and _ipv6_only_endpoints_ok(a)
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
                wanted, capable = ECR_AUTH_ENDPOINTS, ecr_endpoint_capable
        elif action is Action.IMAGE_PULL:
            capable = ecr_endpoint_capable
            wanted = IMAGE_PULL_ENDPOINTS if a.registry in ENDPOINT_SERVED_REGISTRIES else ()
        elif action is Action.LOG_DRIVER:
            if a.log_driver in LOG_DRIVER_ENDPOINTS:
                wanted = LOG_DRIVER_ENDPOINTS[known(a.log_driver)]
                capable = bool(wanted)
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
        elif action is Action.EFS:
            row = _efs(ctx, eni)
        elif action is Action.APPLICATION:
            row = _application(ctx, eni)
        if row is None:
            reach = reach_for(ctx, wanted, capable, service_name(a, action))
            ctx.reach[action] = reach
            row = Row(eni, Status.OK if reach.ok else Status.BLOCKED, reach.path, reach.route)
            _require(ctx, reach, wanted, fact.label)
        ctx.rows[action] = row


def _efs(ctx: Context, eni: ENI) -> Row:
    a = ctx.answers
    if not a.efs:
        return _not_used(eni, "Not used: no EFS volume")
    gap = capability_gap(CAPABILITY["efs-supported"], a)
    if gap is not None:
        return _not_used(eni, f"Unsupported: {gap.title}", Status.UNSUPPORTED)
    mounts = known(a.vpc_dns)
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
    route = (Hop(HopKind.LOAD_BALANCER, LOAD_BALANCER_NAMES[known(lb)], passes=not note), *out)
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
        uses[Endpoint.KMS] = ("only if ECS Exec sessions are encrypted with your own KMS key",
                              False)
    return uses


def _endpoint_state(ctx: Context, endpoint: Endpoint, used: bool, carries: bool) -> str:
    present = endpoint in ctx.answers.endpoints
    via = ctx.internet_via
    if present and not endpoint_usable(ctx, endpoint):
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
        interface_endpoints_usable=known(answers.vpc_dns) and known(answers.endpoint_private_dns),
    )
    _traffic(ctx)
    _exec(ctx)
    return ctx
