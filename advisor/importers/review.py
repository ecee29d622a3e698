"""What a reviewer would flag that is not an answer: secrets in plain sight, a task definition
Fargate refuses, a load balancer nobody registers with.

Each check reads a document and returns warnings (`Notice`s) that say where, what, and what
to do; none of them changes an answer. The facts are tables: which task definition
parameters Fargate refuses (`FARGATE_INVALID`), which task CPU and memory combinations it
offers (`FARGATE_SIZES`), which variable names hold secrets (`SECRET_NAME`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Extraction, Level, Notice
from .nodes import Node

FARGATE_PARAMETERS_URL = (
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html"
)
FARGATE_SIZES_URL = (
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html"
)

# Container definition parameters that are not valid in Fargate tasks (FARGATE_PARAMETERS_URL,
# "Task definition parameters"), with what a set value means there.
FARGATE_INVALID: tuple[tuple[str, str], ...] = (
    ("privileged", "privileged containers"),
    ("links", "links between containers (in awsvpc mode containers reach each other on "
     "localhost)"),
    ("disableNetworking", "disableNetworking"),
    ("dnsSearchDomains", "dnsSearchDomains"),
    ("dnsServers", "dnsServers"),
    ("dockerSecurityOptions", "dockerSecurityOptions"),
    ("extraHosts", "extraHosts"),
    ("gpu", "GPUs"),
    ("maxSwap", "maxSwap"),
    ("swappiness", "swappiness"),
)
# linuxParameters that Fargate does not support (same page).
FARGATE_INVALID_LINUX: tuple[str, ...] = ("devices", "sharedMemorySize", "tmpfs")
FARGATE_CAPABILITIES = frozenset({"SYS_PTRACE", "CAP_SYS_PTRACE"})

# Task CPU units -> the memory (MiB) Fargate offers with it (FARGATE_SIZES_URL).
FARGATE_SIZES: dict[int, frozenset[int]] = {
    256: frozenset({512, 1024, 2048}),
    512: frozenset(range(1024, 4097, 1024)),
    1024: frozenset(range(2048, 8193, 1024)),
    2048: frozenset(range(4096, 16385, 1024)),
    4096: frozenset(range(8192, 30721, 1024)),
    8192: frozenset(range(16384, 61441, 4096)),
    16384: frozenset(range(32768, 122881, 8192)),
}

SECRET_NAME = re.compile(
    r"(?i)(password|passwd|passphrase|secret|token|api[_-]?key|apikey|private[_-]?key|"
    r"access[_-]?key|credential|auth[_-]?key|client[_-]?secret|connection[_-]?string)"
)
_SIZE = re.compile(r"(?i)^\s*(\d+(?:\.\d+)?)\s*(vcpu|gb|mib|mb)?\s*$")


def task_definition(td: Node, containers: list[Node], volumes: list[Node], *,
                    fragment: bool) -> Extraction:
    """Warnings about a task definition: secrets in its environment, and what Fargate
    refuses in it."""
    notices: list[Notice] = []
    for container in containers:
        notices += _environment_secrets(container)
        notices += _container_limits(container)
    if not fragment:
        notices += _task_size(td)
        notices += _task_level(td, volumes)
    return Extraction(notices=tuple(notices))


def _name(container: Node) -> str:
    name = container.get("name")
    text = name.text() if name else None
    return f"'{text}'" if text else container.path


def _warning(message: str, node: Node, note: str = "") -> Notice:
    return Notice(Level.WARNING, message, node.origin(note))


def _environment_secrets(container: Node) -> list[Notice]:
    environment = container.get("environment")
    out = []
    for variable in environment.items() if environment else ():
        name, value = variable.get("name"), variable.get("value")
        name_text = name.text() if name else None
        if not name_text or value is None or not SECRET_NAME.search(name_text):
            continue
        if value.text() == "":
            continue
        kind = "a value written in the document" if value.text() is not None else \
            "a value filled in at deployment"
        out.append(_warning(
            f"Container {_name(container)} has {name_text} in its environment, with {kind}. "
            "Environment values are plain text to anyone who can describe the task definition "
            "(and in the template or plan): move it to secrets (valueFrom a Secrets Manager "
            "secret or an SSM SecureString parameter).", variable, name_text,
        ))
    return out


def _container_limits(container: Node) -> list[Notice]:
    out = []
    for key, what in FARGATE_INVALID:
        node = container.get(key)
        if node is None or node.flag() is False or node.value in ([], {}, "", 0):
            continue
        out.append(_warning(f"Container {_name(container)} sets {key}: Fargate does not "
                            f"support {what}, so the task definition cannot run on Fargate.",
                            node))
    linux = container.get("linuxParameters")
    if linux is None:
        return out
    for key in FARGATE_INVALID_LINUX:
        node = linux.get(key)
        if node is not None and node.value not in ([], {}, 0):
            out.append(_warning(f"Container {_name(container)} sets linuxParameters.{key}, "
                                "which Fargate does not support.", node))
    capabilities = linux.get("capabilities")
    added = capabilities.get("add") if capabilities else None
    texts = [item.text() for item in added.items()] if added else []
    extra = [c for c in texts if c and c.upper() not in FARGATE_CAPABILITIES]
    if extra and added is not None:
        out.append(_warning(f"Container {_name(container)} adds the capabilities "
                            f"{', '.join(extra)}; on Fargate the only one that can be added is "
                            "SYS_PTRACE.", added))
    return out


def _task_level(td: Node, volumes: list[Node]) -> list[Notice]:
    out = []
    constraints = td.get("placementConstraints", "placementConstraint")
    if constraints is not None and constraints.value not in ([], {}):
        out.append(_warning("The task definition has placementConstraints, which Fargate "
                            "does not support (Fargate places tasks itself).", constraints))
    for key, what in (("ipcMode", "ipcMode"), ("pidMode", "pidMode host")):
        node = td.get(key)
        text = (node.text() or "").lower() if node else ""
        if node is not None and text and (key == "ipcMode" or text == "host"):
            out.append(_warning(f"The task definition sets {key} {text}; Fargate does not "
                                f"support {what}.", node, text))
    for volume in volumes:
        docker = volume.block("dockerVolumeConfiguration")
        if docker is not None:
            out.append(_warning("A volume has a dockerVolumeConfiguration; Fargate supports "
                                "bind mounts, EFS and ephemeral storage, not Docker volumes.",
                                docker))
        host = volume.block("host")
        source = host.get("sourcePath") if host else None
        if source is not None and source.text():
            out.append(_warning(f"A volume mounts the host path {source.text()}; a Fargate "
                                "task has no host to mount from (leave host.sourcePath out).",
                                source))
    return out


def _task_size(td: Node) -> list[Notice]:
    cpu_node, memory_node = td.get("cpu"), td.get("memory")
    if cpu_node is None and memory_node is None:
        compatibilities = td.get("requiresCompatibilities")
        names = [i.text() or "" for i in compatibilities.items()] if compatibilities else []
        if "FARGATE" in [n.upper() for n in names]:
            return [_warning("The task definition sets no task-level cpu and memory; Fargate "
                             "requires both.", td)]
        return []
    cpu = _units(cpu_node, "vcpu")
    memory = _units(memory_node, "gb")
    if cpu is None or memory is None:
        return []  # not fixed in the document (a parameter, a placeholder): nothing to say
    allowed = FARGATE_SIZES.get(cpu)
    assert memory_node is not None and cpu_node is not None
    if allowed is None:
        return [_warning(f"Task cpu {cpu} is not a size Fargate offers "
                         f"({', '.join(str(c) for c in FARGATE_SIZES)} CPU units).", cpu_node)]
    if memory not in allowed:
        return [_warning(f"Task memory {memory} MiB does not go with cpu {cpu} on Fargate "
                         f"(with {cpu} CPU units: {_ranges(sorted(allowed))} MiB).",
                         memory_node)]
    return []


def _units(node: Node | None, big: str) -> int | None:
    """CPU units or MiB, from 1024, "1024", "1 vCPU", "0.25 vcpu", "2GB" or "2 GB"."""
    text = node.text() if node is not None and not node.unresolved else None
    match = _SIZE.match(text or "")
    if not match:
        return None
    number, unit = float(match.group(1)), (match.group(2) or "").lower()
    return int(number * 1024) if unit == big else int(number)


def _ranges(values: Iterable[int]) -> str:
    values = list(values)
    if len(values) <= 4:
        return ", ".join(str(v) for v in values)
    step = values[1] - values[0]
    return f"{values[0]} to {values[-1]} in steps of {step}"
