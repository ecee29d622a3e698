"""AWS Copilot manifests (`copilot/<service>/manifest.yml`): what Copilot deploys, as answers.

Copilot turns a short manifest into a CloudFormation stack; where the manifest leaves a setting
out, Copilot's own default is what gets deployed, and the claim says so. The facts below are
from Copilot's manifest reference (https://aws.github.io/copilot-cli/docs/manifest/overview/)
and, where the reference is silent, from the templates Copilot renders
(github.com/aws/copilot-cli, internal/pkg/template/templates/workloads/partials/cf/):
- `network.vpc.placement` defaults to `public`: tasks in the environment's public subnets
  with a public IP (`AssignPublicIp: ENABLED`); `private` places them in the private subnets
  without one; a map of subnet IDs gets no public IP either (convertNetworkConfig).
- With `private` placement in a VPC Copilot creates, Copilot adds NAT gateways to the
  environment (the `network.vpc.placement` note of the reference). An imported VPC's NAT is
  not in any manifest, and without the environment manifest the VPC's origin is not known.
- The tasks get the environment's security group unless `security_groups.deny_default`, plus
  the groups listed (service-base-properties.yml).
- `platform` is `[os]/[arch]` or a map, default `linux/x86_64`; Windows tasks run on platform
  version 1.0.0, all others on LATEST (template/workload.go `Version`).
- `image.build` builds the image and pushes it to the application's Amazon ECR repository;
  `image.location` is an image name as in a task definition.
- `logging` (FireLens) sends the main container's logs through a Fluent Bit sidecar whose image
  defaults to `public.ecr.aws/aws-observability/aws-for-fluent-bit:stable`; without it the
  log driver is `awslogs` (logconfig.yml). `logging.retention` alone changes only the log group.
- `secrets`: a name is an SSM parameter, `secretsmanager:` or a Secrets Manager ARN is Secrets
  Manager, `from_cfn` is a stack export whose store is not known.
- `storage.volumes.<v>.efs` (true or a map) mounts EFS; `exec: true` turns on ECS Exec.
- A Load Balanced Web Service's `http` is an Application Load Balancer, `nlb` a Network Load
  Balancer (`http: false` turns the ALB off); a Backend Service's `http` is an internal ALB;
  Worker Services and Scheduled Jobs have none. Copilot's target groups are of type `ip`.

`environments.<env>` overrides any of these per environment. Each field is read from the base
manifest and from every environment's merged manifest; where they agree the answer stands,
where they differ the field is left unknown with a note that names the environments and their
values: which environment the user means is not the advisor's guess.

Request-Driven Web Services (App Runner) and Static Sites (S3 and CloudFront) are not ECS:
`refusal()` says so. An environment manifest (`type: Environment`) is read with the services:
it says whether the VPC is Copilot's own (and so has NAT gateways for private placement).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from advisor.rules.answers import (
    OS,
    Arch,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
    Subnet,
    TargetType,
)

from . import ecs, placeholders
from .model import Claim, Extraction, Level, Notice
from .nodes import Node, root

LBWS = "load balanced web service"
BACKEND = "backend service"
WORKER = "worker service"
JOB = "scheduled job"
ENVIRONMENT = "environment"
ECS_TYPES = frozenset({LBWS, BACKEND, WORKER, JOB})
NOT_ECS = {
    "request-driven web service": "runs on AWS App Runner, not on ECS",
    "static site": "is served from Amazon S3 through CloudFront, not run on ECS",
}
FLUENT_BIT_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
_COPILOT = "Copilot's default"


def _type(value: Any) -> str | None:
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return None
    return " ".join(value["type"].lower().split())


# Keys of a workload manifest, to recognise one whose `type` is misspelt.
_WORKLOAD_KEYS = frozenset({"image", "http", "nlb", "network", "storage", "sidecars", "exec",
                            "platform", "variables", "secrets", "environments", "logging"})
_ECS_TITLES = "Load Balanced Web Service, Backend Service, Worker Service or Scheduled Job"


def is_manifest(value: Any) -> bool:
    """A Copilot service, job or environment manifest (refused types included)."""
    kind = _type(value)
    if kind is None or not isinstance(value, dict) or "name" not in value:
        return False
    return kind in ECS_TYPES or kind in NOT_ECS or kind == ENVIRONMENT or bool(
        _WORKLOAD_KEYS & set(value))


def refusal(value: Any) -> str | None:
    """Why a Copilot manifest cannot be read: a type that does not run on ECS, or one Copilot
    does not know."""
    kind = _type(value)
    if kind in ECS_TYPES or kind == ENVIRONMENT or kind is None:
        return None
    if kind in NOT_ECS:
        return (f"This is an AWS Copilot '{value['type']}' manifest: that service type "
                f"{NOT_ECS[kind]}, so the advisor (for ECS on Fargate) has nothing to check. "
                f"Give the manifest of a {_ECS_TITLES} instead.")
    return (f"This looks like an AWS Copilot manifest, but its type '{value['type']}' is not "
            f"one Copilot knows (a {_ECS_TITLES}, or an Environment). Correct the type.")


@dataclass(frozen=True, slots=True)
class Manifest:
    name: str
    value: dict[str, Any]


def extract(manifests: list[Manifest]) -> Extraction:
    environments = [m for m in manifests if _type(m.value) == ENVIRONMENT]
    out = Extraction()
    for manifest in manifests:
        if _type(manifest.value) in ECS_TYPES:
            out += _service(manifest, environments)
    if environments and not any(_type(m.value) in ECS_TYPES for m in manifests):
        out += Extraction(notices=(Notice(
            Level.INFO, "A Copilot environment manifest is read with the manifests of the "
            "services deployed to it; add copilot/<service>/manifest.yml.",
            root(environments[0].value, environments[0].name).origin()),))
    return out


# --- One service, per environment ----------------------------------------------------------

Reader = Callable[[Node, str], Extraction]


def _service(manifest: Manifest, environments: list[Manifest]) -> Extraction:
    kind = _type(manifest.value) or ""
    base = root(manifest.value, manifest.name)
    readers: list[Reader] = [_platform, _exec, _network, _images, _logging, _secrets, _efs,
                             _load_balancer]
    overrides = base.get("environments")
    merged = [(env, node, root(_merge(manifest.value, node.value), manifest.name))
              for env, node in (overrides.entries() if overrides else ())
              if isinstance(node.value, dict)]
    out = Extraction()
    for reader in readers:
        found = reader(base, kind)
        per_env = [(env, node, reader(variant, kind)) for env, node, variant in merged]
        out += _agreed(found, per_env)
    return out + _nat(base, merged, environments)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """An environment's manifest: maps merged key by key, anything else replaced."""
    out = {k: copy.deepcopy(v) for k, v in base.items() if k != "environments"}
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _agreed(base: Extraction, per_env: list[tuple[str, Node, Extraction]]) -> Extraction:
    """The base claims of each field on which every environment agrees; a note for the
    others, which stay unknown."""
    claims: list[Claim] = []
    notices = list(base.notices)
    for field in dict.fromkeys(c.field for c in base.claims):
        mine = [c for c in base.claims if c.field == field]
        differing = [(env, node, [c for c in e.claims if c.field == field])
                     for env, node, e in per_env]
        differing = [(env, node, theirs) for env, node, theirs in differing
                     if _values(theirs) != _values(mine)]
        if not differing:
            claims += mine
            continue
        shown = "; ".join(f"environment {env}: {_show(theirs)}"
                          for env, _, theirs in differing)
        notices.append(Notice(
            Level.INFO, f"{field} differs between environments (the manifest's own value: "
            f"{_show(mine)}; {shown}), so it is left unknown. Answer it for the environment "
            "you are checking.", differing[0][1].origin()))
    return Extraction(tuple(claims), tuple(notices))


def _values(claims: list[Claim]) -> set[tuple[Any, frozenset[Any]]]:
    return {(c.value, c.includes) for c in claims}


def _show(claims: list[Claim]) -> str:
    if not claims:
        return "not known"
    values = []
    for claim in claims:
        value = claim.value if claim.value is not None else claim.includes
        if isinstance(value, frozenset):
            values.append("[" + ", ".join(sorted(str(v) for v in value)) + "]")
        else:
            values.append(str(value).lower() if isinstance(value, bool) else str(value))
    return ", ".join(dict.fromkeys(values))


# --- Readers: each returns the claims one (merged) manifest states ----------------------------

def _platform(m: Node, kind: str) -> Extraction:
    platform = m.get("platform")
    if platform is None:
        origin = m.origin("platform is not set: Copilot's default is linux/x86_64")
        return Extraction((Claim("os", OS.LINUX, (origin,)), Claim("arch", Arch.X86_64, (origin,)),
                           Claim("platform_version", PlatformVersion.LATEST, (origin,),
                                 "Copilot runs Linux tasks on platform version LATEST")))
    if isinstance(platform.value, dict):
        family = platform.get("osfamily")
        arch_node = platform.get("architecture")
        os_text = (family.text() or "") if family else ""
        arch_text = (arch_node.text() or "") if arch_node else ""
    else:
        os_text, _, arch_text = (platform.text() or "").partition("/")
    text = platform.text() or f"{os_text}/{arch_text}"
    os = OS.WINDOWS if os_text.lower().startswith("windows") else OS.LINUX
    arch = Arch.ARM64 if arch_text.lower() in ("arm64", "arm") else Arch.X86_64
    version = PlatformVersion.V1_0_0 if os is OS.WINDOWS else PlatformVersion.LATEST
    origin = platform.origin(text)
    return Extraction((Claim("os", os, (origin,)), Claim("arch", arch, (origin,)),
                       Claim("platform_version", version, (origin,),
                             f"Copilot runs {os.value.title()} tasks on platform version "
                             f"{version.value}")))


def _exec(m: Node, kind: str) -> Extraction:
    execute = m.get("exec")
    if execute is None:
        return Extraction((Claim("ecs_exec", False, (m.origin("exec is not set"),),
                                 "exec is not set, so ECS Exec is off (Copilot's default)"),))
    flag = execute.flag()
    value = flag if flag is not None else isinstance(execute.value, dict)
    return Extraction((Claim("ecs_exec", value, (execute.origin(),)),))


def _network(m: Node, kind: str) -> Extraction:
    network = m.get("network")
    vpc = network.get("vpc") if network else None
    placement = vpc.get("placement") if vpc else None
    claims: list[Claim] = []
    notices: list[Notice] = []
    text = placement.text() if placement else None
    if placement is None or (text or "").lower() == "public":
        where = placement.origin("public") if placement else m.origin(
            "network.vpc.placement is not set: Copilot places tasks in public subnets")
        claims += [Claim("subnet", Subnet.PUBLIC, (where,), "the environment's public "
                         "subnets"),
                   Claim("public_ip", True, (where,), "Copilot assigns public IPs to tasks "
                         "in public subnets")]
    elif (text or "").lower() == "private":
        where = placement.origin("private")
        claims += [Claim("subnet", Subnet.PRIVATE, (where,), "the environment's private "
                         "subnets"),
                   Claim("public_ip", False, (where,), "Copilot assigns no public IP to tasks "
                         "in private subnets")]
    else:
        subnets = placement.get("subnets")
        claims.append(Claim("public_ip", False, (placement.origin(),), "Copilot assigns no "
                            "public IP to tasks placed in subnets it is given"))
        if subnets is not None and (count := subnets.list_length()) is not None:
            claims.append(Claim("subnet_count", count, (subnets.origin(),)))
        notices.append(Notice(
            Level.INFO, "network.vpc.placement names subnets, not what their route tables do, "
            "so whether they are public or private (and have a NAT gateway) is not in the "
            "manifest. Answer those questions.", placement.origin()))
    groups = vpc.get("security_groups") if vpc else None
    deny = False
    listed = groups
    if groups is not None and isinstance(groups.value, dict):
        denied = groups.get("deny_default")
        deny = denied is not None and denied.flag() is True
        listed = groups.get("groups")
    extra = (listed.list_length() or 0) if listed else 0
    count = (0 if deny else 1) + extra
    note = ("deny_default: no environment security group" if deny else
            "the environment's security group, which Copilot adds") + \
        (f", and {extra} listed" if extra else "")
    claims.append(Claim("security_group_count", count,
                        ((groups or m).origin("security_groups" if groups else
                                              "network.vpc.security_groups is not set"),),
                        note))
    return Extraction(tuple(claims), tuple(notices))


@dataclass(frozen=True, slots=True)
class _Image:
    container: str
    node: Node
    registry: Registry | None
    why: str


def _images(m: Node, kind: str) -> Extraction:
    """The registry each container pulls from: the service's image, the sidecars', and the
    FireLens log router's."""
    found: list[_Image] = []
    notices: list[Notice] = []
    image = m.get("image")
    if image is not None:
        found.append(_image("the service's container", image, image.get("credentials")))
    sidecars = m.get("sidecars")
    for name, sidecar in sidecars.entries() if sidecars else ():
        node = sidecar.get("image")
        if node is not None:
            found.append(_image(f"sidecar {name}", node, sidecar.get("credentialsParameter",
                                                                       "credentials")))
    logging = m.get("logging")
    if logging is not None and _firelens(logging):
        router = logging.get("image")
        if router is not None:
            found.append(_image("the FireLens log router", router, None))
        else:
            found.append(_Image("the FireLens log router", logging, Registry.ECR_PUBLIC,
                                f"{FLUENT_BIT_IMAGE}, Copilot's default log router image, is "
                                "on Amazon ECR Public"))
    known = [item for item in found if item.registry is not None]
    for item in found:
        if item.registry is None:
            notices.append(Notice(Level.INFO, f"The image of {item.container}: {item.why}, so "
                                  "its registry is not known.", item.node.origin()))
    if not known:
        return Extraction(notices=tuple(notices))
    registries = [item.registry for item in known if item.registry is not None]
    chosen = ecs.hardest(registries)
    origins = tuple(i.node.origin(f"{i.container}: {i.why}") for i in known
                    if i.registry is chosen)
    note = ""
    if len(set(registries)) > 1:
        note = ("The containers pull from several registries (" + "; ".join(
            f"{i.container}: {i.why}" for i in known) + "). The question takes one, so the "
            "one hardest to reach from a private subnet is kept.")
    claims = [Claim("registry", chosen, origins, note)]
    others = {r for r in registries if r is not chosen}
    other_origins = tuple(i.node.origin(f"{i.container}: {i.why}") for i in known
                          if i.registry in others)
    if len(known) < len(found):
        if others:
            claims.append(Claim("other_registries", None, other_origins, "some containers' "
                                "images are not known", inferred=True,
                                includes=frozenset(others)))
    elif others:
        claims.append(Claim("other_registries", frozenset(others), other_origins))
    else:
        claims.append(Claim("other_registries", frozenset(), (m.origin(),),
                            "every container pulls from the image registry"))
    return Extraction(tuple(claims), tuple(notices))


def _image(container: str, image: Node, credentials: Node | None) -> _Image:
    build = image.get("build") if isinstance(image.value, dict) else None
    location = image.get("location") if isinstance(image.value, dict) else image
    if build is not None and location is None:
        return _Image(container, build, Registry.ECR, "image.build: Copilot builds it and "
                      "pushes it to the application's Amazon ECR repository")
    text = location.text() if location is not None else None
    if location is None or text is None:
        return _Image(container, image, None, "neither image.build nor image.location")
    host, repository = ecs.split_image(text.strip())
    name = host if host is not None else repository.split("@", 1)[0].split(":", 1)[0]
    why = None if host is not None and ecs.ecr_host(host) else placeholders.describe(name)
    if why is not None:
        return _Image(container, location, None, why)
    if not ecs.registry_is_fixed(text):
        return _Image(container, location, None, f"the registry in '{text}' is a variable")
    source = ecs.classify_image(text, credentials=credentials is not None, task_region=None)
    return _Image(container, location, source.registry, f"{text} is {source.reason}")


def _firelens(logging: Node) -> bool:
    """`logging` with anything besides `retention` sends the logs through FireLens."""
    return isinstance(logging.value, dict) and any(
        key.lower() != "retention" for key, _ in logging.entries())


def _logging(m: Node, kind: str) -> Extraction:
    logging = m.get("logging")
    if logging is not None and _firelens(logging):
        return Extraction((Claim("log_driver", LogDriver.FIRELENS, (logging.origin(),),
                                 "logging: the main container logs through FireLens"),))
    origin = logging.origin("retention only") if logging else m.origin("logging is not set")
    return Extraction((Claim("log_driver", LogDriver.AWSLOGS, (origin,),
                             "Copilot's default: awslogs to the service's log group"),))


def _secrets(m: Node, kind: str) -> Extraction:
    places = [("the service", m.get("secrets"))]
    logging = m.get("logging")
    if logging is not None:
        places += [("the log router", logging.get("secretOptions")),
                   ("the log router", logging.get("secrets"))]
    sidecars = m.get("sidecars")
    places += [(f"sidecar {name}", sidecar.get("secrets"))
               for name, sidecar in (sidecars.entries() if sidecars else ())]
    sources: dict[SecretSource, list[Any]] = {}
    notices: list[Notice] = []
    for owner, secrets in places:
        for name, secret in secrets.entries() if secrets else ():
            manager = secret.get("secretsmanager")
            if manager is not None:
                sources.setdefault(SecretSource.SECRETSMANAGER, []).append(
                    manager.origin("secretsmanager: a Secrets Manager secret"))
            elif (text := secret.text()) is not None:
                source, why = ecs.secret_source(text.strip().strip("'\""))
                sources.setdefault(source, []).append(secret.origin(why))
            else:
                notices.append(Notice(Level.INFO, f"The secret {name} of {owner} comes from "
                                      "a stack export (from_cfn) or a form the advisor does "
                                      "not read; where it is stored is not known.",
                                      secret.origin()))
    origins = tuple(o for group in sources.values() for o in group)
    if notices:
        if not origins:
            return Extraction(notices=tuple(notices))
        return Extraction((Claim("secrets", None, origins, "some secrets' stores are not "
                                 "known", includes=frozenset(sources)),), tuple(notices))
    if not origins:
        return Extraction((Claim("secrets", frozenset(), (m.origin("no secrets"),),
                                 "the manifest has no secrets"),))
    return Extraction((Claim("secrets", frozenset(sources), origins),))


def _efs(m: Node, kind: str) -> Extraction:
    storage = m.get("storage")
    volumes = storage.get("volumes") if storage else None
    for _, volume in volumes.entries() if volumes else ():
        efs = volume.get("efs")
        if efs is not None and (isinstance(efs.value, dict) or efs.flag() is True):
            return Extraction((Claim("efs", True, (efs.origin(),)),))
    where = volumes.origin("no volume has efs") if volumes else m.origin(
        "storage.volumes is not set")
    return Extraction((Claim("efs", False, (where,), "no EFS volume"),))


def _load_balancer(m: Node, kind: str) -> Extraction:
    http = m.get("http")
    nlb = m.get("nlb")
    alb_on = http is not None and http.flag() is not False
    if kind in (WORKER, JOB) or (kind == BACKEND and not alb_on):
        what = {WORKER: "A Worker Service", JOB: "A Scheduled Job"}.get(kind, "A Backend "
                                                                           "Service without http")
        return Extraction((Claim("load_balancer", LoadBalancer.NONE, (m.origin(kind),),
                                 f"{what} has no load balancer"),))
    if alb_on and nlb is not None:
        return Extraction(notices=(Notice(
            Level.INFO, "The service has both an Application Load Balancer (http) and a "
            "Network Load Balancer (nlb); the question takes one, so it is left open.",
            m.origin()),))
    if alb_on and http is not None:
        note = "an internal Application Load Balancer" if kind == BACKEND else \
            "an Application Load Balancer"
        chosen, where = LoadBalancer.ALB, http.origin(note)
    elif nlb is not None:
        chosen, where = LoadBalancer.NLB, nlb.origin("a Network Load Balancer")
    else:
        return Extraction(notices=(Notice(
            Level.INFO, "The Load Balanced Web Service has neither http nor nlb, so its load "
            "balancer is not known.", m.origin()),))
    return Extraction((Claim("load_balancer", chosen, (where,)),
                       Claim("target_type", TargetType.IP, (where,),
                             "Copilot's target groups are of type ip")))


# --- NAT: the environment's VPC -------------------------------------------------------------

def _nat(base: Node, merged: list[tuple[str, Node, Node]],
         environments: list[Manifest]) -> Extraction:
    """NAT gateways, where the tasks are private and an environment manifest says the VPC is
    Copilot's own; otherwise a note of what would tell."""
    variants = [("", base, base), *merged]
    private = [(env, _placement_node(m) or node) for env, node, m in variants
               if _placement(m) == "private"]
    if len(private) < len(variants):
        return Extraction()  # public or given subnets somewhere: NAT is not the question
    if not environments:
        return Extraction(notices=(Notice(
            Level.INFO, "The tasks are in private subnets. If the environment's VPC is one "
            "Copilot created, Copilot adds NAT gateways for them; an imported VPC has only the "
            "NAT it was given. Add the environment manifest "
            "(copilot/environments/<env>/manifest.yml) or answer the NAT question.",
            private[0][1].origin()),))
    imported = [e for e in environments if _imported_vpc(e)]
    own = [e for e in environments if not _imported_vpc(e)]
    if imported:
        names = ", ".join(str(e.value.get("name")) for e in imported)
        return Extraction(notices=(Notice(
            Level.INFO, f"The environment {names} imports its VPC (network.vpc.id), whose NAT "
            "gateways are not in the manifest: answer the NAT question.",
            root(imported[0].value, imported[0].name).origin("network.vpc.id")),))
    origins = tuple(root(e.value, e.name).origin(
        f"environment {e.value.get('name')}: a VPC Copilot creates") for e in own)
    return Extraction((Claim("nat_gateway", True, (private[0][1].origin("private"), *origins),
                             "private placement in a VPC Copilot creates: Copilot adds NAT "
                             "gateways to the environment"),))


def _placement_node(m: Node) -> Node | None:
    network = m.get("network")
    vpc = network.get("vpc") if network else None
    return vpc.get("placement") if vpc else None


def _placement(m: Node) -> str:
    placement = _placement_node(m)
    if placement is None:
        return "public"
    return (placement.text() or "subnets").lower()


def _imported_vpc(environment: Manifest) -> bool:
    network = environment.value.get("network")
    vpc = network.get("vpc") if isinstance(network, dict) else None
    return isinstance(vpc, dict) and "id" in vpc
