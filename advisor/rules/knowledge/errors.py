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
