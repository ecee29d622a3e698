"""Error messages from stopped tasks and service events, matched against known patterns.

The patterns are the wording collected in section A12 of the fact base (ResourceInitializationError,
CannotPullContainerError and their variants). Each pattern names the traffic row it concerns,
the likely causes, the answers worth checking, and what the message *implies* about the
configuration. Implications are claims marked `inferred`, with the pattern that produced them.

Only what the message proves becomes an answer; every field it does not prove stays unknown:
- a timeout on the way to a service (i/o timeout, context deadline exceeded, request canceled)
  means the task had no working path to it: the likeliest reading is no NAT gateway route, no
  public IP and no working VPC endpoint for that service. A security group or network ACL that
  blocks outbound 443 gives the same message, so these are only *suggested*: shown on the
  review page, never answers;
- an AccessDenied or a 4xx from the registry means the request *arrived*: no network inference;
- a message about a Secrets Manager secret means the task uses Secrets Manager; about a
  platform 'linux/arm64', that the task runs on Linux ARM64.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from advisor.rules.answers import OS, Arch, Endpoint, LogDriver, Registry, SecretSource
from advisor.rules.knowledge import SOURCES
from advisor.rules.result import Action

from .model import Claim, Diagnosis, Extraction, Origin

NETWORK = re.compile(
    r"i/o timeout|context deadline exceeded|RequestCanceled|request canceled|context canceled"
    r"|Client\.Timeout|connection issue|connection timed out|signal: killed|send request failed"
    r"|no such host|network is unreachable",
    re.IGNORECASE,
)
DENIED = re.compile(r"AccessDenied|not authorized to perform|403 Forbidden|pull access denied",
                    re.IGNORECASE)

_NO_PATH = (
    "The task had no network path to the service: a private subnet without a NAT gateway "
    "route, a public subnet without a public IP, or no VPC endpoint for the service (or one "
    "whose private DNS is off, in a VPC without DNS support and DNS hostnames)."
)
_EGRESS = (
    "The task's security group or the subnet's network ACL blocks outbound TCP 443 (or the "
    "replies), or the endpoint's security group does not allow 443 from the tasks."
)
_NETWORK_FIELDS = ("subnet", "public_ip", "nat_gateway", "endpoints", "endpoint_private_dns",
                   "vpc_dns")


@dataclass(frozen=True, slots=True)
class Implication:
    field: str
    value: object = None
    includes: frozenset[object] = frozenset()
    excludes: frozenset[object] = frozenset()
    note: str = ""
    proven: bool = True  # False: the likeliest reading only, shown but never an answer


Imply = Callable[[str], list[Implication]]


def _no_path(endpoint: Endpoint | None) -> Imply:
    def imply(text: str) -> list[Implication]:
        if not NETWORK.search(text) or DENIED.search(text):
            return []
        note = ("the request timed out, so the task had no working path to the service; a "
                "security group or network ACL that blocks outbound 443 gives the same message")
        out = [Implication("nat_gateway", False, note=note, proven=False),
               Implication("public_ip", False, note=note, proven=False)]
        if endpoint is not None:
            out.append(Implication("endpoints", excludes=frozenset({endpoint}),
                                   note=f"no working {endpoint.value} endpoint: {note}",
                                   proven=False))
        return out
    return imply


def _always(*implications: Implication) -> Imply:
    return lambda text: list(implications)


def _both(*imply: Imply) -> Imply:
    return lambda text: [i for function in imply for i in function(text)]


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str
    title: str
    match: re.Pattern[str]
    action: Action
    causes: tuple[tuple[re.Pattern[str] | None, str], ...]
    check: tuple[str, ...]
    sources: tuple[str, ...]
    imply: Imply = field(default=lambda text: [])
    generic: bool = False  # left out when a more specific pattern matches
    when: Callable[[str], bool] = field(default=lambda text: True)


def _when(pattern: str | None, cause: str) -> tuple[re.Pattern[str] | None, str]:
    return (re.compile(pattern, re.IGNORECASE) if pattern else None, cause)


_IMAGE_HOSTS: tuple[tuple[re.Pattern[str], Registry | None, Endpoint | None, str], ...] = (
    (re.compile(r"starport-layer-bucket"), None, Endpoint.S3,
     "image layers, which ECR serves from S3"),
    (re.compile(r"\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com"), None, Endpoint.ECR_DKR,
     "the ECR registry (dkr.ecr)"),
    (re.compile(r"public\.ecr\.aws"), Registry.ECR_PUBLIC, None, "ECR Public"),
    (re.compile(r"registry-1\.docker\.io|docker\.io/|index\.docker\.io"), Registry.DOCKER_HUB,
     None, "Docker Hub"),
    (re.compile(r"(?:quay\.io|ghcr\.io|gcr\.io|registry\.k8s\.io|mcr\.microsoft\.com"
                r"|registry\.gitlab\.com)"), Registry.OTHER_PUBLIC, None,
     "a registry outside AWS"),
)


def _image_host(text: str) -> list[Implication]:
    for pattern, registry, endpoint, what in _IMAGE_HOSTS:
        if not pattern.search(text):
            continue
        out: list[Implication] = []
        if registry is not None:
            out.append(Implication("registry", registry,
                                   note=f"the message names {what} as the host it pulled from"))
        timed_out = NETWORK.search(text) and not DENIED.search(text)
        if timed_out:
            out += _no_path(endpoint)(text)
        return out
    return _no_path(None)(text)


_PLATFORM = re.compile(
    r"(?:descriptor matching platform|descriptor for platform|no matching manifest for"
    r"|no match for platform)\s*'?\{?(?P<os>linux|windows)/(?P<arch>amd64|arm64|x86_64)",
    re.IGNORECASE,
)


def _platform(text: str) -> list[Implication]:
    match = _PLATFORM.search(text)
    if match is None:
        return []
    note = f"the task asked the registry for {match.group('os')}/{match.group('arch')}"
    arch = Arch.ARM64 if match.group("arch").lower() == "arm64" else Arch.X86_64
    os = OS.WINDOWS if match.group("os").lower() == "windows" else OS.LINUX
    return [Implication("os", os, note=note), Implication("arch", arch, note=note)]


def _rate_limit(text: str) -> list[Implication]:
    if re.search(r"docker\.(?:io|com)|pull rate limit", text, re.IGNORECASE):
        return [Implication("registry", Registry.DOCKER_HUB,
                            note="Docker Hub's pull rate limit answered the pull")]
    return []


def _logs(text: str) -> list[Implication]:
    out: list[Implication] = []
    if re.search(r"cloudwatch|log stream|log group|awslogs", text, re.IGNORECASE):
        out.append(Implication("log_driver", LogDriver.AWSLOGS,
                               note="the message is about CloudWatch Logs streams or groups"))
    return out + _no_path(Endpoint.LOGS)(text)


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "ecr-auth-access-denied", "The execution role may not fetch ECR login credentials",
        re.compile(r"not authorized to perform:?\s*ecr:GetAuthorizationToken", re.IGNORECASE),
        Action.ECR_AUTH,
        (
            _when(None, "The task execution role is missing, or lacks ecr:GetAuthorizationToken "
                  "(attach AmazonECSTaskExecutionRolePolicy). The request reached ECR, so the "
                  "network path works."),
            _when(None, "A policy condition on aws:SourceVpc or aws:SourceVpce applies to "
                  "ecr:GetAuthorizationToken, which Fargate may call outside the VPC."),
            _when(None, "A restrictive ECR endpoint policy denies the execution role."),
        ),
        ("registry",), ("execution_role", "unable_to_pull_secrets_kc"),
    ),
    Pattern(
        "ecr-auth-no-path", "No network path to the Amazon ECR API (login credentials)",
        re.compile(r"registry auth from Amazon ECR|unable to retrieve ecr registry auth"
                   r"|api\.ecr\.[a-z0-9-]+\.amazonaws\.com", re.IGNORECASE),
        Action.ECR_AUTH,
        (_when(None, _NO_PATH.replace("the service", "the ECR API (api.ecr)")),
         _when(None, _EGRESS),
         _when(r"no such host", "The name did not resolve: VPC DNS support or the endpoint's "
               "private DNS is off, or a custom DNS server does not forward to Route 53.")),
        _NETWORK_FIELDS, ("resource_init", "unable_to_pull_secrets_kc", "ecr_endpoints"),
        _no_path(Endpoint.ECR_API),
        when=lambda text: bool(NETWORK.search(text)) and not DENIED.search(text),
    ),
    Pattern(
        "registry-credentials-secret", "Private registry credentials could not be read from "
        "Secrets Manager",
        re.compile(r"unable to get registry auth from asm", re.IGNORECASE),
        Action.SECRETS,
        (_when(None, "repositoryCredentials names a Secrets Manager secret the task could not "
               "read."),
         _when(None, _NO_PATH.replace("the service", "Secrets Manager")),
         _when(None, "The execution role lacks secretsmanager:GetSecretValue on the secret (and "
               "kms:Decrypt for a customer managed key), or the secret does not exist.")),
        ("registry", "secrets", *_NETWORK_FIELDS), ("private_auth", "unable_to_pull_secrets_kc"),
        _both(_always(Implication("registry", Registry.PRIVATE_REGISTRY,
                                  note="registry credentials come from Secrets Manager only "
                                  "for images with repositoryCredentials")),
              _no_path(Endpoint.SECRETSMANAGER)),
    ),
    Pattern(
        "secrets-manager", "A Secrets Manager secret could not be retrieved",
        re.compile(r"unable to retrieve secrets? from asm|failed to fetch secret "
                   r"arn:aws[a-z-]*:secretsmanager", re.IGNORECASE),
        Action.SECRETS,
        (_when("timeout|deadline|cancel|send request failed|killed",
               _NO_PATH.replace("the service", "Secrets Manager")),
         _when("timeout|deadline|cancel|send request failed|killed", _EGRESS),
         _when(None, "The execution role lacks secretsmanager:GetSecretValue on the secret (and "
               "kms:Decrypt for a customer managed key)."),
         _when(None, "The secret does not exist, or is in another Region and is not named by "
               "its full ARN.")),
        ("secrets", "cmk", *_NETWORK_FIELDS), ("unable_to_pull_secrets_kc", "secrets"),
        _both(_always(Implication("secrets", includes=frozenset({SecretSource.SECRETSMANAGER}),
                                  note="the task injects a Secrets Manager secret")),
              _no_path(Endpoint.SECRETSMANAGER)),
    ),
    Pattern(
        "ssm-parameters", "SSM Parameter Store parameters could not be retrieved",
        re.compile(r"unable to retrieve secrets? from ssm", re.IGNORECASE),
        Action.SECRETS,
        (_when("timeout|deadline|cancel|send request failed|killed",
               _NO_PATH.replace("the service", "Systems Manager (ssm)")),
         _when("timeout|deadline|cancel|send request failed|killed", _EGRESS),
         _when(None, "The execution role lacks ssm:GetParameters (and kms:Decrypt for a "
               "customer managed key)."),
         _when(None, "The parameter does not exist, or is in another Region and is not named by "
               "its full ARN.")),
        ("secrets", "cmk", *_NETWORK_FIELDS), ("unable_to_pull_secrets_kc", "secrets"),
        _both(_always(Implication("secrets", includes=frozenset({SecretSource.SSM}),
                                  note="the task injects an SSM parameter")),
              _no_path(Endpoint.SSM)),
    ),
    Pattern(
        "log-driver", "The log driver could not be set up",
        re.compile(r"failed to validate logger args|failed to create Cloudwatch log stream"
                   r"|failed to initialize logging driver", re.IGNORECASE),
        Action.LOG_DRIVER,
        (_when("AccessDenied", "The execution role lacks logs:CreateLogStream (and "
               "logs:CreateLogGroup when awslogs-create-group is true)."),
         _when("ResourceNotFound|does not exist", "The log group does not exist: create it, or "
               "set awslogs-create-group (with logs:CreateLogGroup), and check awslogs-region."),
         _when("timeout|deadline|cancel|killed", _NO_PATH.replace(
             "the service", "CloudWatch Logs (logs)")),
         _when("timeout|deadline|cancel|killed", _EGRESS)),
        ("log_driver", *_NETWORK_FIELDS), ("awslogs", "ecs_endpoints"),
        _logs,
    ),
    Pattern(
        "efs-mount", "The EFS volume could not be mounted",
        re.compile(r"failed to invoke EFS utils commands", re.IGNORECASE),
        Action.EFS,
        (_when("Failed to resolve", "The file system's DNS name did not resolve: VPC DNS support "
               "or DNS hostnames is off, or there is no mount target in the task's Availability "
               "Zone."),
         _when("Connection reset|timed out|timeout", "The mount target's security group does "
               "not allow TCP 2049 from the task's security group, or the task's security group "
               "blocks outbound 2049."),
         _when("access denied|No such file", "The access point or root directory does not "
               "exist, or IAM authorization denies the task role."),
         _when(None, "The file system, its mount targets and the tasks must be in the same VPC, "
               "with a mount target in every Availability Zone the tasks use.")),
        ("efs", "vpc_dns", "platform_version", "os"), ("efs", "efs_kc"),
        _always(Implication("efs", True, note="the task mounts an EFS volume")),
    ),
    Pattern(
        "image-platform", "The image has no variant for the task's OS and architecture",
        _PLATFORM, Action.IMAGE_PULL,
        (_when(None, "The image was built for another CPU architecture or OS than "
               "runtimePlatform asks for. Build a multi-architecture image (docker buildx "
               "--platform linux/amd64,linux/arm64) or change cpuArchitecture."),),
        ("arch", "os"), ("cannot_pull", "arm64"),
        _platform,
    ),
    Pattern(
        "image-rate-limit", "The registry refused the pull: too many requests",
        re.compile(r"toomanyrequests|pull rate limit|429 Too Many Requests", re.IGNORECASE),
        Action.IMAGE_PULL,
        (_when("docker", "Docker Hub limits anonymous pulls per source IP, and every task behind "
               "one NAT gateway shares its IP. Authenticate (repositoryCredentials) or pull "
               "through an ECR pull-through cache."),
         _when(None, "The registry throttles this client: authenticate, or copy the image to "
               "private ECR.")),
        ("registry",), ("cannot_pull", "pull_through_cache"),
        _rate_limit,
    ),
    Pattern(
        "image-access-denied", "The registry refused the image",
        re.compile(r"pull access denied|repository does not exist|manifest unknown"
                   r"|403 Forbidden|: not found", re.IGNORECASE),
        Action.IMAGE_PULL,
        (_when(None, "The image name or tag is wrong, or the repository is private and the task "
               "has no credentials for it (repositoryCredentials, or an ECR repository policy "
               "that allows the execution role). The registry answered, so the network path "
               "works."),),
        ("registry",), ("cannot_pull", "private_auth"),
    ),
    Pattern(
        "image-layers-s3", "Image layers could not be downloaded from S3",
        re.compile(r"starport-layer-bucket|httpReade?r?Seeker: failed open: unexpected status "
                   r"code https://[^ ]*amazonaws", re.IGNORECASE),
        Action.IMAGE_PULL,
        (_when(None, "ECR serves image layers from S3. Without internet access the task needs "
               "the S3 gateway endpoint on its subnets' route tables, an endpoint policy that "
               "allows s3:GetObject on prod-<region>-starport-layer-bucket, and security group "
               "egress to the S3 prefix list."),),
        ("endpoints", "subnet", "nat_gateway"), ("ecr_endpoints", "cannot_pull"),
        _image_host,
    ),
    Pattern(
        "image-pull-no-path", "No network path to the image registry",
        re.compile(r"CannotPullContainerError.*(?:i/o timeout|context canceled|request canceled"
                   r"|Client\.Timeout|dial tcp|deadline exceeded)", re.IGNORECASE | re.DOTALL),
        Action.IMAGE_PULL,
        (_when(r"dkr\.ecr", _NO_PATH.replace("the service", "the ECR registry") + " Private ECR "
               "needs the ecr.dkr endpoint and the S3 gateway endpoint."),
         _when(r"docker\.io|quay\.io|ghcr\.io|gcr\.io|public\.ecr\.aws|registry\.k8s\.io",
               "No VPC endpoint serves this registry: the task needs a NAT gateway, or a public "
               "IP in a public subnet, or an ECR pull-through cache."),
         _when(None, _EGRESS)),
        ("registry", *_NETWORK_FIELDS), ("cannot_pull", "ecr_endpoints"),
        _image_host,
    ),
    Pattern(
        "start-timeout", "The task timed out while starting",
        re.compile(r"DockerTimeoutError|Could not transition to started", re.IGNORECASE),
        Action.IMAGE_PULL,
        (_when(None, "The task could not reach ECR, S3, Secrets Manager or CloudWatch Logs in "
               "time; check the network path for each."),),
        _NETWORK_FIELDS, ("pending_kc",), generic=True,
    ),
    Pattern(
        "secrets-or-registry-auth", "Secrets or registry credentials could not be retrieved",
        re.compile(r"unable to pull secrets or registry auth", re.IGNORECASE),
        Action.ECR_AUTH,
        (_when(None, "Either the task has no network path to ECR, Secrets Manager or Systems "
               "Manager, or the execution role lacks a permission; the rest of the message "
               "says which."),),
        ("secrets", "registry", *_NETWORK_FIELDS), ("unable_to_pull_secrets_kc",
                                                    "resource_init"),
        generic=True,
    ),
    Pattern(
        "cannot-pull-container", "The image could not be pulled",
        re.compile(r"CannotPullContainerError|CannotPullECRContainerError", re.IGNORECASE),
        Action.IMAGE_PULL,
        (_when(None, "See the rest of the message: a timeout means no network path to the "
               "registry; 'not found' or 'access denied' means the name, tag or permissions."),),
        ("registry", *_NETWORK_FIELDS), ("cannot_pull",), generic=True,
    ),
)

KNOWN = ", ".join(
    ("ResourceInitializationError (ECR, Secrets Manager, SSM, logs, EFS)",
     "CannotPullContainerError", "toomanyrequests", "Manifest does not contain descriptor "
     "matching platform", "DockerTimeoutError")
)


def diagnose(text: str, origin: Origin) -> Extraction:
    """Claims and diagnoses for one message; empty when no pattern matches."""
    matched = [(p, m) for p in PATTERNS if (m := p.match.search(text)) and p.when(text)]
    if any(not p.generic for p, _ in matched):
        matched = [(p, m) for p, m in matched if not p.generic]
    claims: list[Claim] = []
    diagnoses: list[Diagnosis] = []
    for pattern, match in matched:
        causes = tuple(cause for condition, cause in pattern.causes
                       if condition is None or condition.search(text))
        diagnoses.append(Diagnosis(
            pattern.id, pattern.title, _excerpt(text, match), causes, pattern.action,
            pattern.check, tuple(SOURCES[key] for key in pattern.sources), origin,
        ))
        for implication in pattern.imply(text):
            claims.append(Claim(
                implication.field, implication.value, (origin,), implication.note,
                inferred=True, pattern=pattern.id,
                includes=implication.includes, excludes=implication.excludes,
                suggested=not implication.proven,
            ))
    return Extraction(tuple(claims), diagnoses=tuple(diagnoses))


def _excerpt(text: str, match: re.Match[str], width: int = 160) -> str:
    start = max(0, match.start() - 40)
    end = min(len(text), max(match.end(), start + width))
    excerpt = " ".join(text[start:end].split())
    return ("…" if start else "") + excerpt + ("…" if end < len(text) else "")


def looks_like_error(text: str) -> bool:
    return any(p.match.search(text) and p.when(text) for p in PATTERNS)
