"""Findings about EFS volumes."""

from __future__ import annotations

from .. import fixes
from ..knowledge import (
    EFS_DNS_ERROR,
)
from ..paths import (
    Context,
)
from ..result import (
    Action,
    Finding,
    Severity,
    Status,
)
from .common import (
    finding,
)


def efs_needs_vpc_dns(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.efs and not a.vpc_dns and ctx.status(Action.EFS) is Status.BLOCKED):
        return None
    return finding(
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


def efs_network_and_iam(ctx: Context) -> Finding | None:
    if ctx.status(Action.EFS) is not Status.OK:
        return None
    return finding(
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
