"""What the failures say: real stoppedReason and API error texts."""

from __future__ import annotations

from ..result import Action

# --- What the failures say -----------------------------------------------------------------

# Real stoppedReason and API error texts (SOURCES: cannot_pull, resource_init), each checked
# against reports of the message, quoted as AWS writes them. "…" stands for what varies: ARNs,
# addresses, retry counts, resource names.
EXPECTED_ERRORS: dict[Action, tuple[str, ...]] = {
    Action.ECR_AUTH: (
        "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot "
        "pull registry auth from Amazon ECR: There is a connection issue between the task and "
        "Amazon ECR. Check your task network configuration. … dial tcp …:443: i/o timeout",
    ),
    Action.IMAGE_PULL: (
        "CannotPullContainerError: pull image manifest has been retried … time(s): failed to "
        "resolve ref …: dial tcp …:443: i/o timeout",
    ),
    Action.LOG_DRIVER: (
        "ResourceInitializationError: failed to validate logger args: : signal: killed",
    ),
    Action.SECRETS: (
        "ResourceInitializationError: unable to pull secrets or registry auth: execution "
        "resource retrieval failed: unable to retrieve secret from asm: service call has been "
        "retried … time(s): failed to fetch secret … from secrets manager: RequestCanceled: "
        "request context canceled caused by: context deadline exceeded",
        "… unable to retrieve secrets from ssm: service call has been retried … time(s): "
        "RequestCanceled: request context canceled caused by: context deadline exceeded",
    ),
}
TARGET_TYPE_ERROR = (
    "InvalidParameterException: The provided target group … has target type instance, which "
    "is incompatible with the awsvpc network mode specified in the task definition."
)
EFS_DNS_ERROR = (
    "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: "
    "stderr: Failed to resolve \"fs-….efs.<region>.amazonaws.com\""
)
ARM64_IMAGE_ERROR = (
    "CannotPullContainerError: pull image manifest has been retried … time(s): image Manifest "
    "does not contain descriptor matching platform 'linux/arm64'"
)

# --- Network-detail texts (facts12; each seen as quoted, "…" for what varies) ---------------

# SSM parameter blocked by an interface endpoint policy. Seen verbatim in a public ECS
# troubleshooting lab ("Why my ECS task Stopped?", GitHub) as the task's Stopped reason.
SSM_ENDPOINT_POLICY_ERROR = (
    "Fetching secret data from SSM Parameter Store in …: AccessDeniedException: User: "
    "arn:aws:sts::…:assumed-role/…/… is not authorized to perform: ssm:GetParameters on resource: "
    "arn:aws:ssm:…:parameter/… because no VPC endpoint policy allows the ssm:GetParameters action "
    "status code: 400, request id: …"
)
# IAM's general form of the same denial, from "Troubleshoot access denied error messages" (IAM
# User Guide, SOURCES: iam_access_denied); explicit denies read "with an explicit deny in a VPC
# endpoint policy".
ENDPOINT_POLICY_DENY_FRAGMENT = "because no VPC endpoint policy allows the … action"
# ECR layer download blocked by a restricted S3 gateway endpoint policy (report on GitHub about
# allowing prod-us-west-2-starport-layer-bucket in the S3 endpoint policy).
ECR_LAYER_ENDPOINT_POLICY_ERROR = (
    "is not authorized to perform: s3:GetObject on resource: "
    '"arn:aws:s3:::prod-…-starport-layer-bucket/…" because no VPC endpoint policy allows the '
    "s3:GetObject action"
)
# ECR layer download with egress locked down and no S3 path (7thzero.com, "Lock down AWS Fargate
# networking when using ECR as an image repository").
ECR_LAYER_S3_ERROR = (
    "CannotPullContainerError: error pulling image configuration: Get "
    "https://prod-…-starport-layer-bucket.s3.amazonaws.com/…"
)
# Docker Hub unreachable from a Fargate task (aws/amazon-ecs-agent #2061 and #1128).
DOCKER_HUB_TIMEOUT_ERROR = (
    "CannotPullContainerError: Error response from daemon: Get https://registry-1.docker.io/v2/: "
    "net/http: request canceled while waiting for connection (Client.Timeout exceeded while "
    "awaiting headers)"
)
# awslogs group missing (or in another Region than awslogs-region names). Fargate form seen in
# several public task definitions and notes; EC2/older form in cn-terraform/terraform-aws-nexus #35.
LOG_GROUP_MISSING_ERROR = (
    "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 "
    "times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log "
    "group does not exist. : exit status 1"
)
LOG_GROUP_MISSING_ERROR_EC2 = (
    "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: "
    "failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group "
    "does not exist."
)
# awslogs-create-group without logs:CreateLogGroup on the execution role
# (terraform-aws-modules/terraform-aws-ecs #112 and #313, SOURCES: tf_ecs_pr_313).
LOG_GROUP_CREATE_DENIED_ERROR = (
    "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 "
    "times: failed to create Cloudwatch log group: AccessDeniedException: User: "
    "arn:aws:sts::…:assumed-role/…/… is not authorized to perform: logs:CreateLogGroup on "
    "resource: arn:aws:logs:…:log-group:…:log-stream: because no identity-based policy allows the "
    "logs:CreateLogGroup action … : exit status 1"
)
# Load balancer health checks: the task's stopped reason and the service event (many public
# reports, e.g. hackforla/CivicTechJobs #436 for the event).
ELB_HEALTH_CHECK_STOPPED_REASON = "Task failed ELB health checks in (target-group …)"
ELB_UNHEALTHY_EVENT = (
    "(service …) (port …) is unhealthy in (target-group …) due to (reason Health checks failed)."
)
# Target health reason when the task's AZ is not enabled on the load balancer (ELB API Reference,
# TargetHealth, SOURCES: elb_target_health); state "unused".
TARGET_NOT_IN_USE_REASON = (
    "Target.NotInUse - The target group is not used by any load balancer or the target is in an "
    "Availability Zone that is not enabled for its load balancer."
)
# Subnet out of addresses: only the EC2 error code is confirmed for Fargate (paradisec-archive/
# nabu #1259: tasks reach PROVISIONING, then stop with it); the full stoppedReason was not seen.
SUBNET_FULL_ERROR_CODE = "InsufficientFreeAddressesInSubnet"
# NFS mount timing out (mount target security group without TCP 2049); the generic mount.nfs4 text,
# seen in many EFS troubleshooting notes. Fragment only: its Fargate wrapper was not confirmed.
EFS_MOUNT_TIMEOUT_FRAGMENT = "mount.nfs4: Connection timed out"
# ECS Exec cannot reach the task's SSM agent (ECS API, ExecuteCommand errors,
# SOURCES: ecs_api_execute_command). Name only; the CLI's wording was not confirmed.
TARGET_NOT_CONNECTED_ERROR_CODE = "TargetNotConnectedException"
# environmentFiles from S3: no network path (note in a public ECS best-practice repository, citing
# aws/aws-cdk #12720) and access denied / missing object (public deployment note).
ENV_FILES_TIMEOUT_ERROR = (
    "ResourceInitializationError: failed to download env files: file download command: non-empty "
    "error stream: RequestCanceled: request context cancelled caused by: context deadline exceeded"
)
ENV_FILES_FORBIDDEN_ERROR = (
    "ResourceInitializationError: failed to download env files: service call has been retried 1 "
    "time(s): operation error S3: HeadObject, https response error StatusCode: 403, api error "
    "Forbidden: Forbidden."
)
