"""The documents' real IDs in the fixes' commands.

The rules write their commands with placeholders (`<region>`, `<vpc-id>`, `<subnet-id-1>`,
...), since answers hold no IDs. When imported documents name the Region, the account, the
VPC, the subnets, the route table or the security group, `substitute()` puts them into the
commands of a `Result` before it is shown: the rules stay free of IDs, and the placeholder
stays wherever the documents do not name exactly one value for it (two VPCs, say), so no
command ever points at a guess. Placeholders in the documents themselves (`ACCOUNT_ID`, AWS's
example account) are not IDs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from advisor.rules.result import Command, Result

from .loading import DocumentError, decode
from .model import Document
from .placeholders import EXAMPLE_ACCOUNTS, is_placeholder

_REGION = re.compile(
    r"(?<![a-z0-9-])((?:us-gov|us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:north|south|east|west|"
    r"central|northeast|southeast|northwest|southwest)-\d)(?![a-z0-9-])"
)
_ACCOUNT = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):|(?<!\d)(\d{12})\.dkr[.-]ecr")
_RESOURCE = re.compile(r"(?<![A-Za-z0-9-])(vpc|subnet|rtb|sg)-([0-9a-f]{8}|[0-9a-f]{17})"
                       r"(?![A-Za-z0-9-])")
# The task's own subnets and security groups: the lists a service's awsvpcConfiguration (or a
# Terraform network_configuration) gives, in JSON, YAML or HCL.
_TASK_LIST = re.compile(r"(?i)[\"']?(subnets|security_?groups)[\"']?\s*[:=]\s*\[([^\]]*)\]")
_ECS_SERVICE = re.compile(r"arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service/([\w-]+)/([\w-]+)")


@dataclass(frozen=True, slots=True)
class KnownIds:
    """The distinct IDs of each kind that the documents name."""

    regions: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    vpcs: tuple[str, ...] = ()
    subnets: tuple[str, ...] = ()
    route_tables: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()
    services: tuple[tuple[str, str], ...] = ()  # (cluster, service)

    def replacements(self) -> dict[str, str]:
        """Placeholder -> value, only where the documents name exactly one value (or, for the
        numbered subnets, exactly that many)."""
        out: dict[str, str] = {}
        for placeholders, values in (
            (("<region>", "<task-region>"), self.regions),
            (("<account-id>",), self.accounts),
            (("<vpc-id>",), self.vpcs),
            (("<task-subnets-route-table-id>", "<route-table-id>"), self.route_tables),
            (("<security-group-id>", "<task-security-group-id>"), self.security_groups),
        ):
            if len(values) == 1:
                out |= dict.fromkeys(placeholders, values[0])
        if len(self.subnets) == 1:
            out |= {"<subnet-id>": self.subnets[0], "<subnet-id-1>": self.subnets[0]}
        elif len(self.subnets) == 2:
            out |= {"<subnet-id-1>": self.subnets[0], "<subnet-id-2>": self.subnets[1]}
        if len(self.services) == 1:
            out |= {"<cluster>": self.services[0][0], "<service>": self.services[0][1]}
        return out


def collect(documents: Sequence[Document]) -> KnownIds:
    """The IDs the documents' texts name (placeholders and AWS's examples left out)."""
    texts = []
    for document in documents:
        try:
            texts.append(decode(document.name, document.content))
        except DocumentError:
            continue
    return collect_texts(texts)


def collect_texts(texts: Iterable[str]) -> KnownIds:
    regions: list[str] = []
    accounts: list[str] = []
    resources: dict[str, list[str]] = {"vpc": [], "subnet": [], "rtb": [], "sg": []}
    services: list[tuple[str, str]] = []
    listed: dict[str, list[str]] = {"subnet": [], "sg": []}
    for text in texts:
        for key, items in _TASK_LIST.findall(text):
            kind = "subnet" if key.lower() == "subnets" else "sg"
            listed[kind] += [f"{k}-{v}" for k, v in _RESOURCE.findall(items) if k == kind]
        regions += _REGION.findall(text)
        for arn_account, ecr_account in _ACCOUNT.findall(text):
            accounts.append(arn_account or ecr_account)
        for kind, suffix in _RESOURCE.findall(text):
            resources[kind].append(f"{kind}-{suffix}")
        services += _ECS_SERVICE.findall(text)
    return KnownIds(
        regions=_distinct(regions),
        accounts=_distinct(a for a in accounts if a not in EXAMPLE_ACCOUNTS),
        vpcs=_distinct(resources["vpc"]),
        subnets=_task(listed["subnet"], resources["subnet"]),
        route_tables=_distinct(resources["rtb"]),
        security_groups=_task(listed["sg"], resources["sg"]),
        services=tuple(dict.fromkeys(services)),
    )


def _task(listed: list[str], anywhere: list[str]) -> tuple[str, ...]:
    """The task's subnets (or groups): those a service lists; else the only one named."""
    if _distinct(listed):
        return _distinct(listed)
    found = _distinct(anywhere)
    return found if len(found) == 1 else ()


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v for v in dict.fromkeys(values) if not is_placeholder(v))


def substitute(result: Result, ids: KnownIds) -> Result:
    """The result with the documents' IDs in its commands (and the remediation texts that
    name the same placeholders); everything else unchanged."""
    table = ids.replacements()
    if not table:
        return result
    pattern = re.compile("|".join(re.escape(key) for key in sorted(table, key=len,
                                                                    reverse=True)))

    def text(value: str) -> str:
        return pattern.sub(lambda match: table[match.group(0)], value)

    def commands(items: tuple[Command, ...]) -> tuple[Command, ...]:
        return tuple(dataclasses.replace(c, text=text(c.text)) for c in items)

    return dataclasses.replace(
        result,
        findings=tuple(dataclasses.replace(f, commands=commands(f.commands),
                                           remediation=tuple(map(text, f.remediation)))
                       for f in result.findings),
        requirements=tuple(dataclasses.replace(r, check=commands(r.check))
                           for r in result.requirements),
    )
