"""Findings about EFS volumes."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    DEFAULT_ANSWERS,
    Answers,
    DnsResolver,
)
from ..knowledge import (
    EFS_DNS_ERROR,
)
from ..paths import (
    Context,
)
from ..requirements import (
    violated,
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
    """Fires exactly when the requirement efs-resolves is violated; the text names the cause
    the answers give: the VPC's DNS attributes, or DNS servers that do not forward to the
    Route 53 Resolver."""
    a = ctx.answers
    if not violated(a, "efs-resolves"):
        return None
    attributes_off = not (a.vpc_dns and a.dns_support and a.dns_hostnames)
    custom = a.dns_resolver is DnsResolver.CUSTOM
    causes = ([_attributes_off(a)] if attributes_off else []) + (
        ["the VPC's DHCP options set names DNS servers that do not forward AWS names to the "
         "Route 53 Resolver (the Amazon-provided server at the VPC's base address plus two)"]
        if custom else [])
    steps = ([
        "Turn on both enableDnsSupport and enableDnsHostnames for the VPC, then start new "
        "tasks."] if attributes_off else []) + ([
        "Make your DNS servers forward the file system's name (efs.<region>.amazonaws.com) to "
        "the Route 53 Resolver (conditional forwarding), or use AmazonProvidedDNS in the DHCP "
        "options set."] if custom else [])
    return finding(
        "efs-needs-vpc-dns", Severity.BLOCKER,
        "EFS cannot be mounted: the file system's name does not resolve",
        "Fargate mounts an EFS volume by the file system's DNS name "
        "(fs-….efs.<region>.amazonaws.com), and that name resolves only in a VPC with both DNS "
        "resolution (enableDnsSupport) and DNS hostnames (enableDnsHostnames) on, through the "
        "Amazon-provided DNS server. Here " + " and ".join(causes) + ", so the task stops "
        f"before its containers start: `{EFS_DNS_ERROR}`.",
        remediation=steps,
        commands=fixes.vpc_dns() if attributes_off else (),
        sources=("efs", "efs_dns_name", "vpc_dns", "efs_kc")
        + (("dhcp_options", "r53_phz_considerations") if custom else ()),
        actions=(Action.EFS,),
    )


def _attributes_off(a: Answers) -> str:
    off = [name for name, on in (("enableDnsSupport", a.dns_support),
                                 ("enableDnsHostnames", a.dns_hostnames)) if not on]
    if not a.vpc_dns and not off:
        return "the VPC's DNS attributes are not both on"
    return " and ".join(off) + (" is" if len(off) == 1 else " are") + " off on the VPC"


def efs_network_and_iam(ctx: Context) -> Finding | None:
    """What the mount rests on, while the answers that settle it are left at their defaults
    (assumed, not stated): the mount target's security group, a mount target per zone, and
    no IAM authorization."""
    a = ctx.answers
    if ctx.status(Action.EFS) is not Status.OK:
        return None
    assumed = [field for field in ("efs_sg", "efs_mount_targets", "efs_iam")
               if getattr(a, field) == getattr(DEFAULT_ANSWERS, field)]
    if not assumed:
        return None
    parts, steps = [], []
    if "efs_sg" in assumed:
        parts.append("the mount targets' security group admits NFS (TCP 2049) from the task's "
                     "security group")
        steps.append("Mount target security group: inbound TCP 2049 from the task security "
                     "group.")
    if "efs_mount_targets" in assumed:
        parts.append("a mount target exists in the Availability Zone of every task subnet, "
                     "in the same VPC")
        steps.append("Create a mount target in each Availability Zone the task subnets use.")
    if "efs_iam" in assumed:
        parts.append("the volume does not use EFS IAM authorization, so EFS does not use the "
                     "task role")
        steps.append("Only if you use EFS IAM authorization: set transitEncryption ENABLED "
                     "and grant the task role elasticfilesystem:ClientMount (and ClientWrite "
                     "to write).")
    return finding(
        "efs-network-and-iam", Severity.INFO,
        "EFS: what the mount was assumed to have",
        "Assumed, since the answers leave it at the default: " + "; ".join(parts) + ". If "
        "that is not so, the task stops before its containers start with "
        "\"ResourceInitializationError: failed to invoke EFS utils commands to set up EFS "
        "volumes: stderr: …\".",
        remediation=steps,
        commands=fixes.security_group_ingress(
            "EfsNfsFromTasks", "efs-mount-target-security-group-id", 2049,
            "task-security-group-id", "NFS from the tasks to the EFS mount targets")
        if "efs_sg" in assumed else (),
        sources=("efs", "efs_kc", "efs_dns_name"), actions=(Action.EFS,),
    )
