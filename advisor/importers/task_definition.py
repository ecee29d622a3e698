"""An ECS task definition: platform, images, log drivers, secrets, EFS, and what Fargate refuses.

One reader for every spelling: the `register-task-definition` input, the
`describe-task-definition` output (`{"taskDefinition": {...}}`), a CloudFormation
`AWS::ECS::TaskDefinition`'s properties, a Terraform `aws_ecs_task_definition` (whose container
definitions are a JSON string, parsed by the caller), and a bare list of container definitions.

Where the task definition leaves out a setting it owns, ECS's default applies (no
`runtimePlatform` means Linux on x86_64) and the claim says so; what that means for each field
is in `authority.AUTHORITY`. What a task definition does not own (subnets, endpoints, the
service's settings) it does not answer at all: those fields stay unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from advisor.rules.answers import OS, Arch, LogDriver, Registry, SecretSource

from . import ecs, placeholders, review, task_detail
from .authority import AUTHORITY_BY_FIELD, omitted
from .model import Claim, Extraction, Level, Notice, Origin
from .nodes import Node, ResourceRef, Unresolved

# A CloudFormation Ref to a resource in the template: what kind of secret store it is.
SecretRefKind = Callable[[ResourceRef], SecretSource | None]


@dataclass(frozen=True, slots=True)
class TaskRegion:
    region: str
    where: str  # "from taskDefinitionArn", "the stack's Region", ...


def extract(
    td: Node,
    *,
    containers: list[Node] | None = None,
    volumes: list[Node] | None = None,
    region: TaskRegion | None = None,
    secret_ref_kind: SecretRefKind | None = None,
    fragment: bool = False,
    account: tuple[str, str] | None = None,
    log_group: task_detail.LogGroupLookup | None = None,
) -> Extraction:
    """Claims from a task definition. `fragment` is a bare list of container definitions,
    which says nothing about the task-level settings. `region` and `account` (the value and
    where it comes from) are what the documents state about where the task runs; `log_group`
    finds a log group the same documents create."""
    if containers is None:
        found = td.get("containerDefinitions")
        containers = list(found.items()) if found else []
    if volumes is None:
        found = td.get("volumes", "volume")
        volumes = list(found.items()) if found else []
    stated = region or _arn_region(td)
    context = task_detail.Context(
        stated.region if stated else None, stated.where if stated else "",
        account[0] if account else None, account[1] if account else "", log_group)
    region = region or _region(td, containers)
    out = task_detail.extract(td, containers, volumes, context, fragment=fragment)
    if not fragment:
        out += _platform(td)
        out += _compatibility(td)
        out += _efs(td, volumes)
    out += _registry(td, containers, region)
    out += _log_driver(td, containers)
    out += _secrets(td, containers, secret_ref_kind)
    return out + review.task_definition(td, containers, volumes, fragment=fragment)


def _arn_region(td: Node) -> TaskRegion | None:
    arn = td.get("taskDefinitionArn")
    if arn and arn.text() and (found := ecs.region_of_arn(arn.text() or "")) and \
            not placeholders.is_placeholder(found):
        return TaskRegion(found, "its taskDefinitionArn")
    return None


def _region(td: Node, containers: list[Node]) -> TaskRegion | None:
    if (found := _arn_region(td)) is not None:
        return found
    for container in containers:
        log = container.get("logConfiguration")
        option = log.get("options") if log else None
        value = option.get("awslogs-region") if option else None
        text = value.text() if value else None
        if text and _looks_like_region(text):
            return TaskRegion(text, f"awslogs-region of container {_name(container)}")
    return None


def _looks_like_region(text: str) -> bool:
    parts = text.split("-")
    return len(parts) >= 3 and parts[-1].isdigit() and text.islower() and \
        not placeholders.is_placeholder(text)


def _name(container: Node) -> str:
    name = container.get("name")
    text = name.text() if name else None
    return f"'{text}'" if text else container.path


def _platform(td: Node) -> Extraction:
    platform = td.block("runtimePlatform")
    claims: list[Claim] = []
    if platform is None:
        origin = td.origin("runtimePlatform is not set")
        note = "not set, so ECS's default applies: Linux on x86_64"
        return Extraction((omitted("os", origin, note), omitted("arch", origin, note)))
    family = platform.get("operatingSystemFamily")
    if family is None:
        claims.append(omitted("os", platform.origin(), "operatingSystemFamily is not set, so "
                              "ECS's default applies: Linux"))
    elif (text := family.text()) is not None:
        os = OS.WINDOWS if text.upper().startswith("WINDOWS") else OS.LINUX
        claims.append(Claim("os", os, (family.origin(text),)))
    arch = platform.get("cpuArchitecture")
    if arch is None:
        claims.append(omitted("arch", platform.origin(), "cpuArchitecture is not set, so "
                              "ECS's default applies: x86_64"))
    elif (text := arch.text()) is not None:
        value = Arch.ARM64 if text.upper() == "ARM64" else Arch.X86_64
        claims.append(Claim("arch", value, (arch.origin(text),)))
    return Extraction(tuple(claims))


def _compatibility(td: Node) -> Extraction:
    notices: list[Notice] = []
    mode = td.get("networkMode")
    text = mode.text() if mode else None
    if mode is None:
        notices.append(Notice(
            Level.WARNING,
            "networkMode is not set, so it defaults to bridge; Fargate runs only tasks with "
            "networkMode awsvpc.",
            td.origin(),
        ))
    elif text is not None and text.lower() != "awsvpc":
        notices.append(Notice(
            Level.WARNING,
            f"networkMode is {text}; Fargate runs only tasks with networkMode awsvpc.",
            mode.origin(text),
        ))
    for key in ("requiresCompatibilities", "compatibilities"):
        listed = td.get(key)
        if listed is None or not isinstance(listed.value, list):
            continue
        values = [item.text() or "" for item in listed.items()]
        if all(isinstance(v, str) for v in values) and "FARGATE" not in [
            v.upper() for v in values
        ]:
            notices.append(Notice(
                Level.WARNING,
                f"{key} is {', '.join(values) or 'empty'} without FARGATE, so this task "
                "definition cannot run on Fargate.",
                listed.origin(),
            ))
    return Extraction(notices=tuple(notices))


def _efs(td: Node, volumes: list[Node]) -> Extraction:
    for volume in volumes:
        config = volume.block("efsVolumeConfiguration")
        if config is not None:
            return Extraction((Claim("efs", True, (config.origin(),)),))
    container = td.get("volumes", "volume")
    origin = container.origin() if container else td.origin("no volumes")
    return Extraction((omitted("efs", origin),))


def _registry(td: Node, containers: list[Node], region: TaskRegion | None) -> Extraction:
    found: list[tuple[Registry, Node, str]] = []
    notices: list[Notice] = []
    for container in containers:
        image = container.get("image")
        if image is None:
            continue
        text = image.text()
        placeholder = _image_placeholder(text) if text is not None else None
        if placeholder:
            notices.append(Notice(
                Level.INFO,
                f"The image of container {_name(container)}: {placeholder}, so its registry "
                "is not known.", image.origin(text or ""),
            ))
            continue
        if text is None or image.unresolved or not (
                ecs.registry_is_fixed(text) or _tag_only_varies(text)):
            notices.append(Notice(
                Level.INFO,
                f"The image of container {_name(container)} is not fixed in the document "
                f"({_why(image.value)}), so its registry is not known.",
                image.origin(),
            ))
            continue
        credentials = container.get("repositoryCredentials") is not None
        source = ecs.classify_image(
            text, credentials=credentials, task_region=region.region if region else None
        )
        reason = source.reason
        named_region = _ecr_region(text)
        if named_region and placeholders.is_placeholder(named_region):
            source = ecs.classify_image(text, credentials=credentials, task_region=None)
            reason = (f"private ECR; the Region in its name ({named_region}) is a placeholder, "
                      "so the task's own Region is assumed")
        if source.registry is Registry.ECR_OTHER_REGION and region:
            reason += f" (from {region.where})"
        found.append((source.registry, image, f"{_name(container)}: {text} is {reason}"))
    if not found:
        return Extraction(notices=tuple(notices))
    chosen = ecs.hardest([registry for registry, _, _ in found])
    others = _other_registries(td, found, chosen, bool(notices))
    origins = tuple(image.origin(why) for registry, image, why in found if registry is chosen)
    note = ""
    if len({registry for registry, _, _ in found}) > 1:
        note = (
            "The containers pull from several registries ("
            + "; ".join(why for _, _, why in found)
            + "). The question takes one, so the one hardest to reach from a private subnet "
            "is kept."
        )
    return Extraction((Claim("registry", chosen, origins, note), *others), tuple(notices))


def _other_registries(td: Node, found: list[tuple[Registry, Node, str]], chosen: Registry,
                      partial: bool) -> tuple[Claim, ...]:
    """The registries of the containers that do not pull from the one `registry` keeps; only
    part of the list when some images are not known."""
    others = {registry for registry, _, _ in found if registry is not chosen}
    origins = tuple(image.origin(why) for registry, image, why in found if registry in others)
    if partial:
        if not others:
            return ()
        return (Claim("other_registries", None, origins, "some containers' images are not "
                      "known", inferred=True, includes=frozenset(others)),)
    if not others:
        where = td.get("containerDefinitions")
        return (omitted("other_registries", where.origin() if where else td.origin()),)
    return (Claim("other_registries", frozenset(others), origins),)


def _image_placeholder(image: str) -> str | None:
    """Why an image name's registry part is a placeholder (`your ECR url`, `${IMAGE}`,
    `<registry>/app`); the account of an ECR host and the tag do not decide the registry."""
    host, repository = ecs.split_image(image.strip())
    if host is None:
        name = repository.split("@", 1)[0].split(":", 1)[0]  # a Docker Hub name has no port
        return placeholders.describe(name)
    if ecs.ecr_host(host):
        return None
    return placeholders.describe(host)


def _ecr_region(image: str) -> str | None:
    match = re.match(r"^[^./]+\.dkr[.-]ecr\.([^./]+)\.", image.strip())
    return match.group(1) if match else None


def _tag_only_varies(image: str) -> bool:
    """`nginx:${TAG}`: a Docker Hub name whose tag is filled in later is still Docker Hub."""
    host, repository = ecs.split_image(image.strip())
    return host is None and "${" not in repository.split("@", 1)[0].split(":", 1)[0]


def _why(value: Any) -> str:
    return str(value) if isinstance(value, Unresolved) else "not a plain string"


def _log_driver(td: Node, containers: list[Node]) -> Extraction:
    found: list[tuple[LogDriver, Origin]] = []
    notices: list[Notice] = []
    for container in containers:
        log = container.get("logConfiguration")
        driver = log.get("logDriver") if log else None
        if driver is None:
            found.append((AUTHORITY_BY_FIELD["log_driver"].omitted, container.origin(
                f"container {_name(container)} has no logConfiguration")))
            continue
        text = (driver.text() or "").strip()
        value = ecs.FARGATE_LOG_DRIVERS.get(text.lower())
        if value is None:
            notices.append(Notice(
                Level.WARNING,
                f"Container {_name(container)} uses the log driver '{text}', which Fargate "
                f"does not support (Fargate supports: {', '.join(ecs.FARGATE_LOG_DRIVERS)}).",
                driver.origin(text),
            ))
            continue
        found.append((value, driver.origin(f"container {_name(container)}: {text}")))
    if not found:
        return Extraction(notices=tuple(notices))
    chosen = ecs.strongest_log_driver([driver for driver, _ in found])
    origins = tuple(origin for driver, origin in found if driver is chosen)
    drivers = {driver for driver, _ in found}
    note = ""
    if len(drivers) > 1:
        note = (
            "The containers use several log drivers ("
            + "; ".join(origin.note for _, origin in found)
            + f"). The question takes one: {chosen.value} is kept, "
            + ("because FireLens routes the application's logs."
               if chosen is LogDriver.FIRELENS else "because it needs a network path.")
        )
    return Extraction((Claim("log_driver", chosen, origins, note),), tuple(notices))


def _secrets(td: Node, containers: list[Node], ref_kind: SecretRefKind | None) -> Extraction:
    sources: dict[SecretSource, list[Origin]] = {}
    notices: list[Notice] = []
    for container in containers:
        lists = [container.get("secrets")]
        log = container.get("logConfiguration")
        if log is not None:
            lists.append(log.get("secretOptions"))
        for listed in lists:
            for secret in listed.items() if listed else ():
                value_from = secret.get("valueFrom")
                if value_from is None:
                    continue
                source, why = _secret_source(value_from, ref_kind)
                if source is None:
                    notices.append(Notice(
                        Level.INFO,
                        f"A secret of container {_name(container)} comes from "
                        f"{_why(value_from.value)}; where it is stored is not known.",
                        value_from.origin(),
                    ))
                    continue
                sources.setdefault(source, []).append(value_from.origin(why))
    origins = tuple(origin for group in sources.values() for origin in group)
    if notices:  # a secret whose store is not known: the list is known only in part
        if not origins:
            return Extraction(notices=tuple(notices))
        return Extraction((Claim("secrets", None, origins, "some secrets' stores are not "
                                 "known", includes=frozenset(sources)),), tuple(notices))
    if not origins:
        where = td.get("containerDefinitions")
        origin = where.origin() if where else td.origin()
        return Extraction((omitted("secrets", origin),), tuple(notices))
    return Extraction((Claim("secrets", frozenset(sources), origins),), tuple(notices))


def _secret_source(node: Node, ref_kind: SecretRefKind | None) -> tuple[SecretSource | None, str]:
    if isinstance(node.value, ResourceRef) and ref_kind is not None:
        kind = ref_kind(node.value)
        if kind is not None:
            return kind, f"the template's {node.value.type} {node.value.logical_id}"
        return None, ""
    text = node.text()
    if text is None or node.unresolved:
        return None, ""
    return ecs.secret_source(text)
