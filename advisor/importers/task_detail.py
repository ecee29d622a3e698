"""A task definition's network details (issue 12): where its images, secrets and logs live,
its log group, environment files, EFS options and read-only root file systems.

Where a resource lives is a comparison: an ECR image's account with the account the task
runs in, a secret ARN's Region and account with the task's, `awslogs-region` with the task's
Region. The task's account and Region come from what the documents state about the task
itself (its `taskDefinitionArn`, its roles' ARNs, the stack or the provider it is deployed
with), never from the resource being compared, so a comparison with nothing on one side is
unknown, and a notice says why. A bare secret name is looked up in the task's own account and
Region (ECS takes a parameter name only there; another Region needs the full ARN).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from advisor.rules.answers import Location, LogGroup, Where

from . import ecs, placeholders
from .authority import omitted
from .model import Claim, Extraction, Level, Notice, Origin
from .nodes import Node, ResourceRef, Unresolved

# The CloudFormation pseudo parameter as the template reader renders it: "the stack's account".
STACK_ACCOUNT = "${AWS::AccountId}"

# A log group the same documents create, found from an awslogs-group value: its description.
LogGroupLookup = Callable[[Node], str | None]

_ARN = re.compile(r"^arn:[^:]*:(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):")
_ECR_ACCOUNT = re.compile(r"^(?P<account>[^./]+)\.dkr[.-]ecr[.-]")
# Terraform's data sources for the provider's own Region and account.
_PROVIDER_REGION = "${data.aws_region."
_PROVIDER_ACCOUNT = "${data.aws_caller_identity."


@dataclass(frozen=True, slots=True)
class Context:
    """What the documents state about where the task runs, and how to find a log group."""

    region: str | None = None
    region_where: str = ""
    account: str | None = None
    account_where: str = ""
    log_group: LogGroupLookup | None = None


def extract(td: Node, containers: list[Node], volumes: list[Node], context: Context,
            *, fragment: bool = False) -> Extraction:
    context = _own_account(td, context)
    out = _ecr_account(containers, context)
    out += _secrets_location(containers, context)
    out += _logs(containers, context)
    out += _env_files(td, containers)
    out += _readonly_root(td, containers)
    if not fragment:
        out += _efs_options(volumes)
    return out


def name(container: Node) -> str:
    found = container.get("name")
    text = found.text() if found else None
    return f"'{text}'" if text else container.path


def _own_account(td: Node, context: Context) -> Context:
    if context.account is not None:
        return context
    for key in ("taskDefinitionArn", "executionRoleArn", "taskRoleArn"):
        node = td.get(key)
        text = node.text() if node else None
        match = _ARN.match(text or "")
        if match and match.group("account").isdigit() and \
                not placeholders.is_placeholder(match.group("account")):
            return Context(context.region, context.region_where, match.group("account"),
                           f"the account in its {key}", context.log_group)
    return context


def _same_account(account: str, context: Context) -> bool | None:
    # An image host reaches here lowercased ("${aws::accountid}"): compare without case.
    if account.lower() == STACK_ACCOUNT.lower() and context.account == STACK_ACCOUNT:
        return True
    if not account.isdigit() or placeholders.is_placeholder(account) or \
            context.account is None or not context.account.isdigit():
        return None
    return account == context.account


def _same_region(region: str, context: Context) -> bool | None:
    if context.region is None:
        return None
    if region == context.region:
        return True
    if ecs.STACK_REGION in (region, context.region) or placeholders.is_placeholder(region):
        return None
    return False


# --- ECR account -----------------------------------------------------------------------------


def _ecr_account(containers: list[Node], context: Context) -> Extraction:
    found: list[tuple[Where, Origin]] = []
    unknown: list[str] = []
    origin = None
    for container in containers:
        image = container.get("image")
        text = image.text() if image else None
        if image is None or text is None:
            continue
        host, _ = ecs.split_image(text.strip())
        if host is None or not ecs.ecr_host(host):
            continue
        account = _ECR_ACCOUNT.match(host)
        value = account.group("account") if account else ""
        same = _same_account(value, context)
        if same is None:
            unknown.append(f"{name(container)} ({value})")
            origin = image.origin(text)
            continue
        where = Where.SAME if same else Where.OTHER
        found.append((where, image.origin(
            f"container {name(container)}: account {value} vs the task's "
            f"{context.account} ({context.account_where})")))
    if unknown:
        assert origin is not None
        why = "the task's account is not in the documents" if context.account is None \
            else "the account in the image name is not a fixed account number"
        return Extraction(notices=(Notice(
            Level.INFO, f"Whose ECR repositories the images of {', '.join(unknown)} are in is "
            f"not known: {why}.", origin),))
    if not found:
        return Extraction()
    value = Where.OTHER if any(w is Where.OTHER for w, _ in found) else Where.SAME
    return Extraction((Claim("ecr_account", value, tuple(o for w, o in found if w is value)),))


# --- Secrets ---------------------------------------------------------------------------------


def _secrets_location(containers: list[Node], context: Context) -> Extraction:
    found: list[tuple[Location, Origin]] = []
    unknown: list[tuple[str, Origin]] = []
    for container in containers:
        lists = [container.get("secrets")]
        log = container.get("logConfiguration")
        lists.append(log.get("secretOptions") if log else None)
        credentials = container.get("repositoryCredentials")
        for listed in lists:
            for secret in listed.items() if listed else ():
                value_from = secret.get("valueFrom")
                if value_from is not None:
                    _locate(value_from, container, context, found, unknown)
        if credentials is not None and (arn := credentials.get("credentialsParameter")):
            _locate(arn, container, context, found, unknown)
    if unknown:
        return Extraction(notices=tuple(Notice(
            Level.INFO, f"Where the secret of container {why} is stored (account and Region) "
            "is not known, so whether all secrets are in the task's account and Region is "
            "not known.", origin) for why, origin in unknown))
    if not found:
        return Extraction()
    worst = next(loc for loc in (Location.OTHER_ACCOUNT, Location.OTHER_REGION, Location.SAME)
                 if any(w is loc for w, _ in found))
    return Extraction((Claim("secrets_location", worst,
                             tuple(o for w, o in found if w is worst)),))


def _locate(node: Node, container: Node, context: Context,
            found: list[tuple[Location, Origin]], unknown: list[tuple[str, Origin]]) -> None:
    label = name(container)
    if isinstance(node.value, ResourceRef):
        found.append((Location.SAME, node.origin(
            f"container {label}: the secret is created by the same template or configuration, "
            "in the task's account and Region")))
        return
    text = node.text()
    if text is None or isinstance(node.value, Unresolved) or placeholders.is_placeholder(text):
        unknown.append((f"{label} ({_shown(node.value)})", node.origin()))
        return
    match = _ARN.match(text)
    if match is None:
        found.append((Location.SAME, node.origin(
            f"container {label}: {text} is a name, not an ARN, so ECS looks it up in the "
            "task's own account and Region")))
        return
    account, region = match.group("account"), match.group("region")
    same_account = _same_account(account, context)
    same_region = _same_region(region, context)
    if same_account is False:
        found.append((Location.OTHER_ACCOUNT, node.origin(
            f"container {label}: account {account}, the task's is {context.account} "
            f"({context.account_where})")))
    elif same_region is False:
        found.append((Location.OTHER_REGION, node.origin(
            f"container {label}: Region {region}, the task's is {context.region} "
            f"({context.region_where})")))
    elif same_account and same_region:
        found.append((Location.SAME, node.origin(
            f"container {label}: the task's account ({context.account_where}) and Region "
            f"({context.region_where})")))
    else:
        missing = "account" if same_account is None else "Region"
        unknown.append((f"{label} ({text}: the task's {missing} is not in the documents)",
                        node.origin()))


def _shown(value: Any) -> str:
    return str(value) if isinstance(value, Unresolved) else repr(value)


# --- CloudWatch Logs -------------------------------------------------------------------------


def _logs(containers: list[Node], context: Context) -> Extraction:
    regions: list[tuple[Where, Origin]] = []
    groups: list[tuple[LogGroup, Origin]] = []
    notices: list[Notice] = []
    region_unknown = group_unknown = False
    for container in containers:
        log = container.get("logConfiguration")
        driver = log.get("logDriver") if log else None
        if log is None or driver is None or (driver.text() or "").lower() != "awslogs":
            continue
        options = log.get("options")
        label = name(container)
        region = options.get("awslogs-region") if options else None
        where = _log_region(region, context)
        if region is not None and where is not None:
            regions.append((where, region.origin(
                f"container {label}: {region.text() or region.value} vs the task's Region "
                f"({context.region_where})")))
        else:
            region_unknown = True
            why = "awslogs-region is not set" if region is None else (
                "the task's Region is not in the documents" if context.region is None
                else f"awslogs-region is not fixed ({_shown(region.value)})")
            notices.append(Notice(Level.INFO, f"Whether container {label} logs to the task's "
                                  f"Region is not known: {why}.",
                                  (region or options or log).origin()))
        group = _log_group(log, options, label, context)
        if isinstance(group, Notice):
            group_unknown = True
            notices.append(group)
        else:
            groups.append(group)
    claims: list[Claim] = []
    if regions and not region_unknown:
        where = Where.OTHER if any(w is Where.OTHER for w, _ in regions) else Where.SAME
        claims.append(Claim("logs_region", where, tuple(o for w, o in regions if w is where)))
    if groups and not group_unknown:
        kind = LogGroup.CREATE_GROUP if any(g is LogGroup.CREATE_GROUP for g, _ in groups) \
            else LogGroup.EXISTS
        claims.append(Claim("log_group", kind, tuple(o for g, o in groups if g is kind)))
    return Extraction(tuple(claims), tuple(notices))


_PROVIDER = "the aws provider's region"


def _log_region(region: Node | None, context: Context) -> Where | None:
    if region is None:
        return None
    value = region.value
    if isinstance(value, Unresolved) and value.text.startswith(_PROVIDER_REGION) and \
            context.region is not None and context.region_where == _PROVIDER:
        return Where.SAME  # data.aws_region.current.name: the provider's own Region
    text = region.text()
    if text is None or region.unresolved:
        return None
    same = _same_region(text, context)
    return None if same is None else (Where.SAME if same else Where.OTHER)


def _log_group(log: Node, options: Node | None, label: str,
               context: Context) -> tuple[LogGroup, Origin] | Notice:
    create = options.get("awslogs-create-group") if options else None
    if create is not None and create.flag() is True:
        return LogGroup.CREATE_GROUP, create.origin(
            f"container {label}: awslogs-create-group is true, so the driver creates the "
            "log group (the execution role needs logs:CreateLogGroup)")
    group = options.get("awslogs-group") if options else None
    created = context.log_group(group) if group is not None and context.log_group else None
    if group is not None and created:
        return LogGroup.EXISTS, group.origin(f"container {label}: {created}")
    why = "awslogs-group is not set." if group is None else \
        "the documents do not create it, and awslogs-create-group is not true."
    return Notice(Level.INFO, f"Whether the log group of container {label} exists is not "
                  f"known: {why}", (group or options or log).origin())


# --- Environment files, read-only root, EFS ----------------------------------------------------


def _env_files(td: Node, containers: list[Node]) -> Extraction:
    with_files = [(c, files) for c in containers
                  if (files := c.get("environmentFiles")) is not None and files.list_length()]
    if with_files:
        return Extraction((Claim("env_files", True, tuple(
            files.origin(f"container {name(c)} has environmentFiles")
            for c, files in with_files)),))
    where = td.get("containerDefinitions")
    return Extraction((omitted("env_files", where.origin() if where else td.origin()),))


def _readonly_root(td: Node, containers: list[Node]) -> Extraction:
    flagged = [(c, flag) for c in containers
               if (flag := c.get("readonlyRootFilesystem")) is not None and flag.flag()]
    if flagged:
        return Extraction((Claim("exec_readonly_root", True, tuple(
            flag.origin(f"container {name(c)}: readonlyRootFilesystem is true")
            for c, flag in flagged)),))
    where = td.get("containerDefinitions")
    return Extraction((omitted("exec_readonly_root",
                               where.origin() if where else td.origin()),))


_EFS_OPTIONS: tuple[tuple[str, tuple[str, ...], Callable[[Node], bool | None]], ...] = (
    ("efs_iam", ("authorizationConfig", "iam"), lambda node: node.flag()),
    ("efs_access_point", ("authorizationConfig", "accessPointId"),
     lambda node: bool(node.text()) if not node.unresolved else True),
    ("efs_transit_encryption", ("transitEncryption",), lambda node: node.flag()),
)


def _efs_options(volumes: list[Node]) -> Extraction:
    """Each option is on when any EFS volume has it on; only tasks with EFS volumes say."""
    configs = [c for v in volumes if (c := v.block("efsVolumeConfiguration")) is not None]
    claims: list[Claim] = []
    for field_name, path, read in _EFS_OPTIONS:
        on: list[Origin] = []
        off: list[Origin] = []
        unknown = False
        for config in configs:
            node: Node | None = config
            for key in path:
                node = node.block(key) if node is not None else None
            value = read(node) if node is not None else False
            if node is None or value is False:
                off.append(node.origin(node.text() or "") if node is not None else
                           config.origin(f"{'.'.join(path)} is not set"))
            elif value is None:
                unknown = True
            else:
                on.append(node.origin(node.text() or ""))
        if not configs or unknown:
            continue
        if on:
            claims.append(Claim(field_name, True, tuple(on)))
        elif all(o.note.endswith("is not set") for o in off):
            claims.append(omitted(field_name, off[0]))
        else:
            claims.append(Claim(field_name, False, tuple(off)))
    return Extraction(tuple(claims))
