"""Findings about EFS and ECS Exec options and the load balancer's path into the task
(issue 12).

Each rule is named after the finding it writes (hyphens as underscores) and returns it or
None; `INBOUND_RULES` is the order they run in. Each fires exactly when its requirement
(`requirements.DETAIL_NEEDS` or `PATH_NEEDS`) is violated, so the verdict and the findings
read the same statement.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import fixes
from ..answers import (
    Endpoint,
    ExecLogging,
    LoadBalancer,
    known,
)
from ..knowledge import ENDPOINTS
from ..knowledge.conflicts import GENEVE_PORT
from ..knowledge.errors import (
    EFS_DNS_ERROR,
    EFS_MOUNT_TIMEOUT_FRAGMENT,
    ELB_HEALTH_CHECK_STOPPED_REASON,
    ELB_UNHEALTHY_EVENT,
    TARGET_NOT_CONNECTED_ERROR_CODE,
    TARGET_NOT_IN_USE_REASON,
)
from ..paths import (
    Context,
    Reach,
    filter_note,
    stopped_at,
)
from ..requirements import (
    violated,
)
from ..result import (
    Action,
    Command,
    Finding,
    HopKind,
    Severity,
)
from ..roles import (
    EXEC_KMS_ACTIONS,
    EXEC_LOGGING_ACTIONS,
    EXEC_LOGGING_NAMES,
)
from .common import (
    dns_commands,
    finding,
)

# --- EFS ------------------------------------------------------------------------------------


def efs_mount_target_missing_az(ctx: Context) -> Finding | None:
    if not violated(ctx.answers, "efs-mount-target-per-az"):
        return None
    return finding(
        "efs-mount-target-missing-az", Severity.BLOCKER,
        "No EFS mount target in some of the task subnets' Availability Zones",
        "The file system's DNS name resolves only to the mount target in the client's own "
        "Availability Zone: AWS says DNS resolution of the name \"requires that the Amazon "
        "EFS file system has a mount target in the same Availability Zone as the client\". "
        "A task placed in a zone without one stops before its containers start, with "
        f"`{EFS_DNS_ERROR}` (newer EFS utils add \"ensure that the VPC has an EFS mount "
        "target for this file system ID\"). Tasks in the other zones mount it, so the failure "
        "comes and goes with placement.",
        remediation=[
            "Create a mount target in each Availability Zone of the task subnets, in the same "
            "VPC, with the security group that admits NFS (TCP 2049) from the tasks.",
            "Or run the service only in subnets of zones that have a mount target.",
        ],
        commands=fixes.inbound.efs_mount_target(),
        sources=("efs_dns_name", "efs", "efs_utils_90", "efs_create_mount_target"),
        actions=(Action.EFS,),
    )


def efs_mount_target_sg_blocks(ctx: Context) -> Finding | None:
    if not violated(ctx.answers, "efs-mount-target-admits-nfs"):
        return None
    return finding(
        "efs-mount-target-sg-blocks", Severity.BLOCKER,
        "The EFS mount target's security group does not admit NFS from the tasks",
        "The task reaches the mount target's address, but its security group drops NFS (TCP "
        "2049) from the task, so the mount hangs until it times out and the task stops "
        "before its containers start: \"ResourceInitializationError: failed to invoke EFS "
        f"utils commands to set up EFS volumes: stderr: …\", with `{EFS_MOUNT_TIMEOUT_FRAGMENT}` "
        "as the usual NFS text. AWS: add an inbound rule on the mount target security group "
        "allowing NFS on port 2049 from the client's security group.",
        remediation=[
            "Mount target security group: inbound TCP 2049 from the task security group.",
            "Then let the service start new tasks; they mount once the rule is in place.",
        ],
        commands=fixes.security_group_ingress(
            "EfsNfsFromTasks", "efs-mount-target-security-group-id", 2049,
            "task-security-group-id", "NFS from the tasks to the EFS mount targets"),
        sources=("efs_dns_name", "efs", "efs_kc"), actions=(Action.EFS,),
    )


def efs_needs_transit_encryption(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not violated(a, "efs-transit-encryption"):
        return None
    uses = " and ".join(name for name, on in (("IAM authorization", a.efs_iam),
                                               ("an access point", a.efs_access_point)) if on)
    return finding(
        "efs-needs-transit-encryption", Severity.BLOCKER,
        "EFS IAM authorization and access points need transit encryption",
        f"The volume uses {uses} with transitEncryption DISABLED. ECS's API reference: for "
        "IAM authorization, \"If it is turned on, transit encryption must be turned on in the "
        "EFSVolumeConfiguration\"; for an access point, \"If an access point is used, transit "
        "encryption must be on in the EFSVolumeConfiguration\". Set it ENABLED in the task "
        "definition's efsVolumeConfiguration and register a new revision.",
        remediation=[
            "In the task definition's efsVolumeConfiguration set transitEncryption to ENABLED "
            "(keep authorizationConfig), register the revision and deploy it.",
            "With IAM authorization, the task role needs elasticfilesystem:ClientMount (and "
            "ClientWrite to write).",
        ],
        commands=fixes.inbound.efs_transit_encryption(bool(a.efs_iam), bool(a.efs_access_point)),
        sources=("efs_authorization_config", "efs"), actions=(Action.EFS,),
    )


# --- The load balancer's way in ---------------------------------------------------------------


def load_balancer_not_admitted(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not violated(a, "load-balancer-admitted"):
        return None
    lb = known(a.load_balancer)
    source, commands = _admit_load_balancer(lb)
    return finding(
        "load-balancer-not-admitted", Severity.BLOCKER,
        "The task's security group does not admit the load balancer",
        "The load balancer's health checks and requests never reach the task, so its target "
        "stays unhealthy and ECS replaces the task in a loop. The service events read "
        f"`{ELB_UNHEALTHY_EVENT}` and the stopped tasks `{ELB_HEALTH_CHECK_STOPPED_REASON}`. "
        f"{source}",
        remediation=[
            "Task security group: inbound on the container port and on the health-check port "
            "(when it differs) " + _admit_from(lb) + ".",
            "Give slow-starting tasks a health-check grace period "
            "(healthCheckGracePeriodSeconds): ECS ignores failing load balancer health checks "
            "for that long after a task starts. It does not help while the security group "
            "drops the checks.",
        ],
        commands=commands + fixes.labelled("Then: a health-check grace period",
                                           fixes.inbound.health_check_grace_period()),
        sources=("elb_target_health", "load_balancing", "alb", "nlb", "gwlb",
                 "nlb_security_groups", "kc_load_balancer_security_group",
                 "ecs_api_update_service"),
        actions=(Action.APPLICATION,),
    )


def _admit_from(lb: LoadBalancer) -> str:
    if lb is LoadBalancer.ALB:
        return "from the load balancer's security group"
    if lb is LoadBalancer.NLB:
        return ("from the Network Load Balancer's security group, or, if it has none, from "
                "its subnets' IPv4 ranges (or the clients' addresses where it preserves them)")
    return f"from the Gateway Load Balancer's subnets (GENEVE, UDP {GENEVE_PORT})"


def _admit_load_balancer(lb: LoadBalancer) -> tuple[str, tuple[Command, ...]]:
    """What the task must admit from this kind of load balancer, and the rules that do it."""
    by_group = (fixes.security_group_ingress(
        "TaskFromLoadBalancer", "task-security-group-id", "<container-port>",
        "lb-security-group-id", "Container port from the load balancer")
        + fixes.security_group_ingress(
        "TaskHealthCheckFromLoadBalancer", "task-security-group-id", "<health-check-port>",
        "lb-security-group-id", "Health checks from the load balancer"))
    if lb is LoadBalancer.ALB:
        return ("Allow the load balancer's security group on the container port and the "
                "health-check port.", fixes.labelled("The load balancer's security group",
                                                     by_group))
    by_cidr = (fixes.inbound.security_group_ingress_cidr(
        "TaskFromLoadBalancerSubnet", "task-security-group-id", "<container-port>",
        "lb-subnet-ipv4-cidr", "Container port from the load balancer's subnet")
        + fixes.inbound.security_group_ingress_cidr(
        "TaskHealthCheckFromLoadBalancerSubnet", "task-security-group-id",
        "<health-check-port>", "lb-subnet-ipv4-cidr",
        "Health checks from the load balancer's subnet"))
    if lb is LoadBalancer.NLB:
        return ("A Network Load Balancer takes security groups only when it is created "
                "(AWS: if you create it without any, you can't associate them later). With "
                "one, allow it on the container port and the health-check port. Without one, "
                "an IP target sees the load balancer's private addresses for health checks "
                "and (without client IP preservation) for requests: allow the IPv4 ranges of "
                "its subnets, one rule per subnet, or the clients' addresses where client IP "
                "preservation is on. Allowing its addresses lets every client in.",
                fixes.alternatives(("the NLB's security group", by_group),
                                   ("no security group on the NLB: each of its subnets' "
                                    "ranges", by_cidr)))
    geneve = fixes.inbound.security_group_ingress_cidr(
        "TaskGeneveFromLoadBalancerSubnet", "task-security-group-id", GENEVE_PORT,
        "lb-subnet-ipv4-cidr", "GENEVE from the load balancer's subnet", "udp")
    return (f"A Gateway Load Balancer sends GENEVE on UDP {GENEVE_PORT} and its health checks "
            "to the health-check port: allow both from its subnets' IPv4 ranges, one rule "
            "per subnet.",
            fixes.labelled("Each of the Gateway Load Balancer's subnets",
                           geneve + by_cidr[3:]))


def load_balancer_az_missing(ctx: Context) -> Finding | None:
    if not violated(ctx.answers, "load-balancer-in-task-azs"):
        return None
    return finding(
        "load-balancer-az-missing", Severity.WARNING,
        "The load balancer is not enabled in every task Availability Zone",
        "Tasks placed in a zone the load balancer does not have get no traffic: their "
        f"targets stay \"unused\" with `{TARGET_NOT_IN_USE_REASON}` The task keeps running, "
        "so the service looks healthy while part of its capacity serves nothing.",
        remediation=[
            "Add a subnet in each task Availability Zone to the load balancer (SetSubnets "
            "replaces the list: name the subnets it has too).",
            "Or place the service's tasks only in subnets of the load balancer's zones.",
        ],
        commands=fixes.inbound.load_balancer_subnets(),
        sources=("elb_target_health", "alb_check_target_health", "elb_set_subnets"),
        actions=(Action.APPLICATION,),
    )


# --- ECS Exec's options -------------------------------------------------------------------------


def ecs_exec_read_only_root(ctx: Context) -> Finding | None:
    if not violated(ctx.answers, "ecs-exec-writable-root"):
        return None
    return finding(
        "ecs-exec-read-only-root", Severity.WARNING,
        "ECS Exec does not work with a read-only root file system",
        "AWS's ECS Exec considerations: \"The SSM agent requires that the container file "
        "system is able to be written to in order to create the required directories and "
        "files. Therefore, making the root file system read-only using the "
        "readonlyRootFilesystem task definition parameter, or any other method, isn't "
        "supported.\" The task runs; execute-command sessions to it fail. Users report "
        "mounting writable volumes at /managed-agents, /var/lib/amazon/ssm and "
        "/var/log/amazon/ssm as a workaround (containers-roadmap #1359); AWS does not support "
        "it.",
        remediation=["Set readonlyRootFilesystem to false on the containers you exec into, "
                     "or turn ECS Exec off for this service."],
        commands=fixes.inbound.writable_root_filesystem(),
        sources=("ecs_exec", "roadmap_1359", "ecs_exec_checker_21"),
    )


def ecs_exec_kms_no_path(ctx: Context) -> Finding | None:
    if not violated(ctx.answers, "reach-kms-exec"):
        return None
    why, commands = _exec_path(ctx, "exec_kms", Endpoint.KMS)
    return finding(
        "ecs-exec-kms-no-path", Severity.WARNING,
        "ECS Exec sessions encrypted with your KMS key cannot reach AWS KMS",
        "With a KMS key in the cluster's executeCommandConfiguration the agent in the task "
        f"calls AWS KMS to decrypt the session data, and {why}. The task runs; "
        "execute-command fails (AWS's ExecuteCommand reference names "
        f"{TARGET_NOT_CONNECTED_ERROR_CODE} for missing permissions or endpoints). AWS: with "
        "interface VPC endpoints and a KMS key, create the kms interface endpoint.",
        remediation=[
            "Give the task a way to AWS KMS: the com.amazonaws.<region>.kms interface endpoint "
            "with private DNS, or an internet path.",
            "Grant the task role kms:Decrypt on the key; the users who run execute-command "
            "need kms:GenerateDataKey on it.",
        ],
        commands=commands + fixes.labelled(
            "The task role's permission on the key",
            fixes.role_policy("<task-role-name>", "ecs-exec-kms", EXEC_KMS_ACTIONS)),
        sources=("ecs_exec", "ecs_endpoints", "ecs_api_execute_command"),
    )


def ecs_exec_logging_no_path(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (violated(a, "reach-exec-logs-cloudwatch") or violated(a, "reach-exec-logs-s3")):
        return None
    logging = known(a.exec_logging)
    endpoint = Endpoint.LOGS if logging is ExecLogging.CLOUDWATCH else Endpoint.S3
    name = EXEC_LOGGING_NAMES[logging]
    why, commands = _exec_path(ctx, "exec_logging", endpoint)
    return finding(
        "ecs-exec-logging-no-path", Severity.WARNING,
        f"ECS Exec session logs cannot reach {name}",
        f"The cluster's executeCommandConfiguration sends session logs to {name}, which the "
        f"agent in the task writes itself, and {why}. The task runs; sessions are not "
        f"logged and execute-command can fail ({TARGET_NOT_CONNECTED_ERROR_CODE} is what "
        "AWS's ExecuteCommand reference names for missing permissions or endpoints).",
        remediation=[
            f"Give the task a way to {name}: "
            + ("the logs interface endpoint with private DNS" if endpoint is Endpoint.LOGS
               else "the S3 gateway endpoint on the task subnets' route tables")
            + ", or an internet path.",
            "Grant the task role " + ", ".join(EXEC_LOGGING_ACTIONS[logging]) + ".",
        ],
        commands=commands + fixes.labelled(
            "The task role's session-logging permissions",
            fixes.role_policy("<task-role-name>", "ecs-exec-logging",
                              EXEC_LOGGING_ACTIONS[logging])),
        sources=("ecs_exec", "ecs_endpoints", "ecs_api_execute_command"),
    )


def _exec_path(ctx: Context, key: str, endpoint: Endpoint) -> tuple[str, tuple[Command, ...]]:
    """Why an ECS Exec option's flow does not get out (read off its route), and the commands
    that open the way: an endpoint only where the task needs it (no other path)."""
    short = ENDPOINTS[endpoint].service_name.split(".", 3)[3]
    reach: Reach | None = ctx.extra_reach.get(key)
    if reach is None:  # ECS Exec itself cannot run here (ecs-exec-unsupported-…)
        return "ECS Exec cannot run in this configuration at all", ()
    stop = stopped_at(reach.route)
    if stop is not None and stop.kind is not HopKind.NO_ROUTE:
        return f"{filter_note(ctx.answers, stop)} (see the route)", ()
    if endpoint in reach.unusable:
        return (f"the {short} endpoint does not take the traffic (private DNS, or the route "
                "tables it is on)", fixes.labelled("Make the endpoint usable",
                                                   dns_commands(ctx.answers))
                if endpoint is not Endpoint.S3 else ())
    commands: tuple[Command, ...] = ()
    if endpoint in ctx.required_endpoints:
        commands = fixes.labelled(f"The {short} endpoint", fixes.create_endpoints((endpoint,)))
    return f"the task has no internet path and no {short} endpoint", commands


INBOUND_RULES: tuple[Callable[[Context], Finding | None], ...] = (
    efs_mount_target_missing_az,
    efs_mount_target_sg_blocks,
    efs_needs_transit_encryption,
    load_balancer_not_admitted,
    load_balancer_az_missing,
    ecs_exec_read_only_root,
    ecs_exec_kms_no_path,
    ecs_exec_logging_no_path,
)
