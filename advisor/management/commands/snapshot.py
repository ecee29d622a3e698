"""`python manage.py snapshot --region R --cluster C --service S` (or `--task-arn ARN`).

A read-only snapshot of the live account around one ECS service or task, written as JSON that
`advise --from` and the import page read (`advisor.importers.snapshot`). It uses boto3 with the
caller's own credentials and only the read-only operations in `POLICY`, which the README
publishes as the least-privilege IAM policy to run it with. It never calls an operation that
returns a secret (`FORBIDDEN`), and every `environment` value of the task definition is
replaced by `REDACTED` before anything is written.

boto3 is an optional extra (`pip install '.[snapshot]'`): it is imported inside `handle`, so
the web app never needs it. Missing credentials, a denied call or a missing resource end with a
message that names the cause (a denied call names the permission to add) and exit code 2,
never a traceback.

The snapshot format (version 1) is the AWS API's own output, gathered in one object:

    kind, version, taken_at, region, account, source {cluster, service, task}, calls [...]
    service            describe-services, one item (events: the 20 newest)
    task               describe-tasks, one item (with --task-arn)
    taskDefinition     describe-task-definition's taskDefinition, environment values redacted
    vpcs               describe-vpcs items, each with EnableDnsSupport and EnableDnsHostnames
                       (booleans, from describe-vpc-attribute)
    dhcpOptions subnets routeTables natGateways internetGateways vpcEndpoints
    securityGroups networkAcls                       describe-* items of the task's VPC
    accountSettings    list-account-settings (dualStackIPv6, effective)
    targetGroups loadBalancers listeners             elbv2 describe-* items
    roles              [{Role, AttachedPolicies: [{PolicyArn, PolicyName, Document}],
                         InlinePolicies: [{PolicyName, PolicyDocument}]}]
    logGroups          [{logGroupName, region, exists, ...describe-log-groups item}]
    secrets            [{valueFrom, store, region, exists, ...describe-secret or
                         describe-parameters metadata}]
    efsMountTargets    describe-mount-targets items, each with SecurityGroups (from
                       describe-mount-target-security-groups)
    ecrRepositories    [{registryId, repositoryName, region, exists, policyText}]
"""

from __future__ import annotations

import json
import re
from argparse import ArgumentParser
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

KIND = "fargate-advisor-snapshot"
VERSION = 1
REDACTED = "(redacted by the snapshot)"
EXIT_ERROR = 2

# Every operation the snapshot may call, as IAM actions. The README shows this policy; a test
# runs the snapshot against moto and checks that each call it makes is in this list.
ACTIONS = (
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcs",
    "ecr:GetRepositoryPolicy",
    "ecs:DescribeServices",
    "ecs:DescribeTaskDefinition",
    "ecs:DescribeTasks",
    "ecs:ListAccountSettings",
    "elasticfilesystem:DescribeMountTargets",
    "elasticfilesystem:DescribeMountTargetSecurityGroups",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTargetGroups",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListRolePolicies",
    "logs:DescribeLogGroups",
    "secretsmanager:DescribeSecret",
    "ssm:DescribeParameters",
)
POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "FargateAdvisorSnapshotReadOnly",
        "Effect": "Allow",
        "Action": list(ACTIONS),
        "Resource": "*",
    }],
}
# Operations that return a secret, a credential or application data: never called.
FORBIDDEN = (
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
    "ecr:GetAuthorizationToken",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "kms:Decrypt",
)

_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
           "UnauthorizedAccess", "AuthorizationError", "NotAuthorized"}
_NOT_FOUND = {"ResourceNotFoundException", "NoSuchEntity", "NoSuchEntityException",
              "RepositoryNotFoundException", "RepositoryPolicyNotFoundException",
              "ParameterNotFound", "FileSystemNotFound"}
_TASK_ARN = re.compile(r"^arn:[^:]+:ecs:(?P<region>[^:]+):(?P<account>\d+):task/"
                       r"(?P<cluster>[^/]+)/(?P<id>[^/]+)$")
_ECR_IMAGE = re.compile(r"^(?P<account>\d+)\.dkr\.ecr\.(?P<region>[^.]+)\.amazonaws\.com(?:\.cn)?"
                        r"/(?P<repository>[^:@]+)")
_MAX_EVENTS = 20


class SnapshotError(Exception):
    """Something the user can fix: the message says what."""


@dataclass(frozen=True, slots=True)
class NotFound:
    """What `Collector.call(..., missing=NotFound)` returns for a resource that is not there."""

    code: str


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Write a read-only JSON snapshot of a live ECS service (or task) and its network, "
        "for `advise --from`. Uses your AWS credentials and only the read-only calls of the "
        "IAM policy in README.md; never reads a secret's value. Exit 2 on missing "
        "credentials, a denied call or a missing resource."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--region", help="The AWS Region (default: your AWS config's).")
        parser.add_argument("--cluster", help="The ECS cluster name or ARN.")
        parser.add_argument("--service", help="The ECS service name or ARN.")
        parser.add_argument("--task-arn", help="An ECS task ARN, instead of --service.")
        parser.add_argument("--profile", help="The AWS CLI profile to use.")
        parser.add_argument("--output", "-o", default="-", metavar="FILE",
                            help="Where to write the snapshot (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["service"]) == bool(options["task_arn"]):
            raise CommandError("Give --cluster C --service S, or --task-arn ARN.",
                               returncode=EXIT_ERROR)
        if options["service"] and not options["cluster"]:
            raise CommandError("--service needs --cluster.", returncode=EXIT_ERROR)
        try:
            import boto3  # an optional extra: only this command needs it
            import botocore.exceptions
        except ImportError:
            raise CommandError(
                "The snapshot needs boto3: pip install '.[snapshot]' (or pip install boto3).",
                returncode=EXIT_ERROR,
            ) from None
        try:
            region = options["region"]
            task_arn = options["task_arn"]
            if task_arn and not region and (match := _TASK_ARN.match(task_arn)):
                region = match.group("region")
            session = boto3.session.Session(profile_name=options["profile"],
                                            region_name=region)
            if not session.region_name:
                raise SnapshotError("No AWS Region: pass --region (or set AWS_REGION).")
            collector = Collector(session)
            snapshot = collector.collect(options["cluster"], options["service"], task_arn)
        except SnapshotError as error:
            raise CommandError(str(error), returncode=EXIT_ERROR) from None
        except botocore.exceptions.ProfileNotFound as error:
            raise CommandError(f"{error}.", returncode=EXIT_ERROR) from None
        except (botocore.exceptions.NoCredentialsError,
                botocore.exceptions.PartialCredentialsError):
            raise CommandError(
                "No AWS credentials were found. Sign in as you do for the AWS CLI (aws sso "
                "login, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) with a "
                "role that has the read-only policy in README.md, then run this again.",
                returncode=EXIT_ERROR,
            ) from None
        except botocore.exceptions.BotoCoreError as error:
            raise CommandError(f"AWS could not be reached: {error}", returncode=EXIT_ERROR
                               ) from None
        text = json.dumps(snapshot, indent=2, default=_json_default) + "\n"
        if options["output"] == "-":
            self.stdout.write(text, ending="")
        else:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}: {len(snapshot['calls'])} read-only "
                              f"calls. Next: manage.py advise --from {options['output']}")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


class Collector:
    """Gathers the snapshot with read-only calls; each call goes through `call`, which turns
    a denied call into a `SnapshotError` that names the permission."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.region: str = session.region_name
        self.clients: dict[tuple[str, str], Any] = {}
        self.calls: list[str] = []

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.region)
        if key not in self.clients:
            self.clients[key] = self.session.client(service, region_name=key[1])
        return self.clients[key]

    def call(self, service: str, operation: str, *, region: str | None = None,
             missing: Any = ..., **params: Any) -> Any:
        """One read-only call. `missing`: what a not-found error returns (else it is fatal)."""
        from botocore.exceptions import ClientError

        client = self.client(service, region)
        model = client.meta.service_model
        name = model.operation_model(operation).name
        permission = f"{model.signing_name}:{name}"
        assert permission in ACTIONS, f"{permission} is not in the published policy"
        if permission not in self.calls:
            self.calls.append(permission)
        try:
            method = {api: method for method, api in client.meta.method_to_api_mapping.items()}
            return getattr(client, method[name])(**params)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in _DENIED or error.response.get("ResponseMetadata", {}).get(
                    "HTTPStatusCode") == 403:
                raise SnapshotError(
                    f"{permission} was denied: add it to the policy in README.md (\"Snapshot of "
                    f"a live account\") and run this again. AWS said: {_message(error)}"
                ) from None
            if code in _NOT_FOUND and missing is NotFound:
                return NotFound(code)
            if code in _NOT_FOUND and missing is not ...:
                return missing
            raise SnapshotError(f"{permission} failed: {code}: {_message(error)}") from None

    def paged(self, service: str, operation: str, key: str, **params: Any) -> list[Any]:
        """Every item of a paginated describe call (NextToken / Marker followed by hand, so
        that each page goes through `call`)."""
        items: list[Any] = []
        token_in, token_out = _TOKENS.get(service, ("NextToken", "NextToken"))
        for _ in range(100):
            page = self.call(service, operation, **params)
            items += page.get(key, [])
            token = page.get(token_out)
            if not token:
                break
            params = {**params, token_in: token}
        return items

    # --- what to collect -------------------------------------------------------------------

    def collect(self, cluster: str | None, service: str | None, task_arn: str | None
                ) -> dict[str, Any]:
        snapshot: dict[str, Any] = {
            "kind": KIND, "version": VERSION,
            "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "region": self.region, "account": None,
            "source": {"cluster": cluster, "service": service, "task": task_arn},
            "calls": self.calls,
        }
        task = None
        if task_arn:
            match = _TASK_ARN.match(task_arn)
            cluster = cluster or (match.group("cluster") if match else None)
            if not cluster:
                raise SnapshotError("The task ARN names no cluster (an old-format ARN): pass "
                                    "--cluster too.")
            described = self.call("ecs", "DescribeTasks", cluster=cluster, tasks=[task_arn])
            if not described.get("tasks"):
                raise SnapshotError(_failures(described, f"task {task_arn} in cluster "
                                                         f"{cluster}"))
            task = described["tasks"][0]
            snapshot["task"] = task
            group = task.get("group") or ""
            service = group.removeprefix("service:") if group.startswith("service:") else None
        svc = None
        if service:
            described = self.call("ecs", "DescribeServices", cluster=cluster, services=[service])
            if not described.get("services"):
                raise SnapshotError(_failures(described, f"service {service} in cluster "
                                                         f"{cluster}"))
            svc = described["services"][0]
            svc["events"] = svc.get("events", [])[:_MAX_EVENTS]
            snapshot["service"] = svc
        arn = (svc or task or {}).get("serviceArn") or (task or {}).get("taskArn") or ""
        snapshot["account"] = arn.split(":")[4] if arn.count(":") >= 5 else None
        td_arn = (task or svc or {}).get("taskDefinition") or (task or {}).get(
            "taskDefinitionArn")
        td = self.call("ecs", "DescribeTaskDefinition", taskDefinition=td_arn)["taskDefinition"]
        snapshot["taskDefinition"] = redact(td)
        subnets = _subnets_of(svc, task)
        snapshot |= self.network(subnets)
        snapshot["accountSettings"] = self.call(
            "ecs", "ListAccountSettings", name="dualStackIPv6", effectiveSettings=True,
        ).get("settings", [])
        snapshot |= self.load_balancing(svc)
        snapshot["roles"] = [self.role(a) for a in (td.get("executionRoleArn"),
                                                    td.get("taskRoleArn")) if a]
        containers = td.get("containerDefinitions", [])
        snapshot["logGroups"] = self.log_groups(containers)
        snapshot["secrets"] = self.secrets(containers)
        snapshot["efsMountTargets"] = self.efs(td.get("volumes", []))
        snapshot["ecrRepositories"] = self.ecr(containers)
        return snapshot

    def network(self, subnet_ids: list[str]) -> dict[str, Any]:
        if not subnet_ids:
            raise SnapshotError("The service or task names no subnets (awsvpcConfiguration): "
                                "a Fargate task always has them.")
        subnets = self.paged("ec2", "DescribeSubnets", "Subnets", SubnetIds=subnet_ids)
        vpc_ids = sorted({s["VpcId"] for s in subnets})
        by_vpc = [{"Name": "vpc-id", "Values": vpc_ids}]
        vpcs = self.paged("ec2", "DescribeVpcs", "Vpcs", VpcIds=vpc_ids)
        for vpc in vpcs:
            for attribute, key in (("enableDnsSupport", "EnableDnsSupport"),
                                   ("enableDnsHostnames", "EnableDnsHostnames")):
                answer = self.call("ec2", "DescribeVpcAttribute", VpcId=vpc["VpcId"],
                                   Attribute=attribute)
                vpc[key] = answer.get(key, {}).get("Value")
        dhcp_ids = sorted({v["DhcpOptionsId"] for v in vpcs if v.get("DhcpOptionsId")
                           and v["DhcpOptionsId"] != "default"})
        return {
            "vpcs": vpcs,
            "dhcpOptions": self.paged("ec2", "DescribeDhcpOptions", "DhcpOptions",
                                      DhcpOptionsIds=dhcp_ids) if dhcp_ids else [],
            "subnets": subnets,
            "routeTables": self.paged("ec2", "DescribeRouteTables", "RouteTables",
                                      Filters=by_vpc),
            "natGateways": self.paged("ec2", "DescribeNatGateways", "NatGateways",
                                      Filters=by_vpc),
            "internetGateways": self.paged(
                "ec2", "DescribeInternetGateways", "InternetGateways",
                Filters=[{"Name": "attachment.vpc-id", "Values": vpc_ids}]),
            "vpcEndpoints": self.paged("ec2", "DescribeVpcEndpoints", "VpcEndpoints",
                                       Filters=by_vpc),
            "securityGroups": self.paged("ec2", "DescribeSecurityGroups", "SecurityGroups",
                                         Filters=by_vpc),
            "networkAcls": self.paged("ec2", "DescribeNetworkAcls", "NetworkAcls",
                                      Filters=by_vpc),
        }

    def load_balancing(self, svc: dict[str, Any] | None) -> dict[str, Any]:
        arns = [lb["targetGroupArn"] for lb in (svc or {}).get("loadBalancers", [])
                if lb.get("targetGroupArn")]
        out: dict[str, Any] = {"targetGroups": [], "loadBalancers": [], "listeners": []}
        if not arns:
            return out
        groups = self.paged("elbv2", "DescribeTargetGroups", "TargetGroups",
                            TargetGroupArns=arns)
        balancer_arns = sorted({arn for g in groups for arn in g.get("LoadBalancerArns", [])})
        out["targetGroups"] = groups
        if balancer_arns:
            out["loadBalancers"] = self.paged("elbv2", "DescribeLoadBalancers", "LoadBalancers",
                                              LoadBalancerArns=balancer_arns)
            for arn in balancer_arns:
                out["listeners"] += self.paged("elbv2", "DescribeListeners", "Listeners",
                                               LoadBalancerArn=arn)
        return out

    def role(self, arn: str) -> dict[str, Any]:
        name = arn.rsplit("/", 1)[-1]
        found = self.call("iam", "GetRole", RoleName=name, missing=None)
        if found is None:
            return {"RoleArn": arn, "exists": False}
        attached = []
        for policy in self.paged("iam", "ListAttachedRolePolicies", "AttachedPolicies",
                                 RoleName=name):
            meta = self.call("iam", "GetPolicy", PolicyArn=policy["PolicyArn"], missing=None)
            version = (meta or {}).get("Policy", {}).get("DefaultVersionId")
            document = self.call("iam", "GetPolicyVersion", PolicyArn=policy["PolicyArn"],
                                 VersionId=version, missing=None) if version else None
            attached.append({**policy, "Document": (document or {}).get(
                "PolicyVersion", {}).get("Document")})
        inline = [
            {"PolicyName": policy_name, "PolicyDocument": self.call(
                "iam", "GetRolePolicy", RoleName=name, PolicyName=policy_name,
                missing={}).get("PolicyDocument")}
            for policy_name in self.paged("iam", "ListRolePolicies", "PolicyNames",
                                          RoleName=name)
        ]
        return {"RoleArn": arn, "exists": True, "Role": found["Role"],
                "AttachedPolicies": attached, "InlinePolicies": inline}

    def log_groups(self, containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for container in containers:
            log = container.get("logConfiguration") or {}
            options = log.get("options") or {}
            name = options.get("awslogs-group")
            if log.get("logDriver") != "awslogs" or not name:
                continue
            region = options.get("awslogs-region") or self.region
            if (name, region) in seen:
                continue
            seen.add((name, region))
            groups = self.call("logs", "DescribeLogGroups", region=region,
                               logGroupNamePrefix=name).get("logGroups", [])
            group = next((g for g in groups if g.get("logGroupName") == name), None)
            out.append({"logGroupName": name, "region": region, "exists": group is not None,
                        "container": container.get("name"), **(group or {})})
        return out

    def secrets(self, containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for container in containers:
            listed = list(container.get("secrets") or [])
            listed += (container.get("logConfiguration") or {}).get("secretOptions") or []
            credentials = (container.get("repositoryCredentials") or {}).get(
                "credentialsParameter")
            listed += [{"valueFrom": credentials}] if credentials else []
            for secret in listed:
                value_from = secret.get("valueFrom")
                if value_from and value_from not in seen:
                    seen.add(value_from)
                    out.append({"container": container.get("name"), **self.secret(value_from)})
        return out

    def secret(self, value_from: str) -> dict[str, Any]:
        """A secret's or parameter's metadata: whether it exists, its Region and key. Never
        its value."""
        parts = value_from.split(":")
        if value_from.startswith("arn:") and len(parts) >= 7 and parts[2] == "secretsmanager":
            region, secret_id = parts[3], ":".join(parts[:7])
            found = self.call("secretsmanager", "DescribeSecret", region=region,
                              SecretId=secret_id, missing=None)
            meta = {k: v for k, v in (found or {}).items() if k != "ResponseMetadata"}
            return {"valueFrom": value_from, "store": "secretsmanager", "region": region,
                    "exists": found is not None, **meta}
        if value_from.startswith("arn:") and len(parts) >= 6 and parts[2] == "ssm":
            region = parts[3]
            name = parts[5].removeprefix("parameter")
            name = name if name.startswith("/") and name.count("/") > 1 else name.lstrip("/")
        else:
            region, name = self.region, value_from
        found = self.paged("ssm", "DescribeParameters", "Parameters", region=region,
                           ParameterFilters=[{"Key": "Name", "Values": [name]}])
        meta = found[0] if found else {}
        return {"valueFrom": value_from, "store": "ssm", "region": region,
                "exists": bool(found), **meta}

    def efs(self, volumes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for volume in volumes:
            system = (volume.get("efsVolumeConfiguration") or {}).get("fileSystemId")
            if not system:
                continue
            for target in self.call("elasticfilesystem", "DescribeMountTargets",
                                    FileSystemId=system, missing={}).get("MountTargets", []):
                groups = self.call("elasticfilesystem", "DescribeMountTargetSecurityGroups",
                                   MountTargetId=target["MountTargetId"], missing={})
                out.append({**target, "SecurityGroups": groups.get("SecurityGroups", [])})
        return out

    def ecr(self, containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        seen: set[tuple[str, str, str]] = set()
        for container in containers:
            match = _ECR_IMAGE.match(container.get("image") or "")
            if match is None:
                continue
            key = (match.group("account"), match.group("region"), match.group("repository"))
            if key in seen:
                continue
            seen.add(key)
            account, region, repository = key
            found = self.call("ecr", "GetRepositoryPolicy", region=region, missing=NotFound,
                              registryId=account, repositoryName=repository)
            out.append({
                "registryId": account, "region": region, "repositoryName": repository,
                "exists": not (isinstance(found, NotFound)
                               and found.code == "RepositoryNotFoundException"),
                "policyText": None if isinstance(found, NotFound) else found.get("policyText"),
            })
        return out


_TOKENS = {"elbv2": ("Marker", "NextMarker"), "iam": ("Marker", "Marker"),
           "logs": ("nextToken", "nextToken")}


def redact(task_definition: dict[str, Any]) -> dict[str, Any]:
    """The task definition with every `environment` value replaced: names stay (they say what
    is configured), values may be secrets put in the wrong place."""
    out: dict[str, Any] = json.loads(json.dumps(task_definition, default=_json_default))
    for container in out.get("containerDefinitions", []):
        for variable in container.get("environment") or []:
            if "value" in variable:
                variable["value"] = REDACTED
    return out


def _subnets_of(svc: dict[str, Any] | None, task: dict[str, Any] | None) -> list[str]:
    config = ((svc or {}).get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    if config.get("subnets"):
        return list(config["subnets"])
    for attachment in (task or {}).get("attachments", []):
        for detail in attachment.get("details", []):
            if detail.get("name") == "subnetId":
                return [detail["value"]]
    return []


def _failures(described: dict[str, Any], what: str) -> str:
    reasons = ", ".join(f.get("reason", "?") for f in described.get("failures", []))
    return f"ECS did not find the {what}" + (f" ({reasons})." if reasons else ".")


def _message(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Message", "")) or str(error)
