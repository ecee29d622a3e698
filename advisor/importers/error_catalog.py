# ruff: noqa: E501  (a data file: patterns and commands read better unbroken)
"""What Fargate's error messages mean: families of messages, their causes, checks and fixes.

Data only; `error_message.py` reads it. One `Family` per kind of message, over a task's whole
life (image pull, registry auth and secrets, log driver, EFS, load balancer, network
configuration, ECS Exec, and what is not networking or not Fargate at all), each with:

- `match`: a pattern for its wording (every registry's and every platform version's), and
  optionally `also` (must match too) and `unless` (must not match);
- `rank`: when several families match one message the highest rank explains it (a KMS denial
  inside a Secrets Manager message is about KMS);
- `causes`: at most six, each `(cause id, weight, boost pattern, boost)`: the base order is
  how often the cause is the answer for this family; a boost pattern that the message
  matches moves a cause up (a 'no such host' makes DNS the first suspect of a time-out);
- `source`: the AWS page that documents the family.

A cause says what is wrong, the read-only AWS CLI command that shows it, and how to fix it.
A time-out's causes are the hops a request crosses (route and public IP or NAT gateway, VPC
endpoint and its private DNS, security groups, network ACL, DNS), never a guess at one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from advisor.rules.result import Action

_ECS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
_KC = "https://repost.aws/knowledge-center/"
STOPPED_TASKS_URL = _ECS + "stopped-task-errors.html"
STOPPED_TASKS_TITLE = "Amazon ECS stopped task errors"


class Stage(StrEnum):
    PLACEMENT = "placement and network configuration"
    IMAGE_PULL = "image pull"
    SECRETS = "registry auth and secrets"
    LOGS = "log driver"
    STORAGE = "storage (EFS)"
    LOAD_BALANCER = "load balancer"
    RUNNING = "running container"
    EXEC = "ECS Exec"


class Nature(StrEnum):
    NETWORK = "networking"  # a request found no path: the hops are the causes
    PERMISSION = "permissions"  # the request arrived and was refused: the path works
    CONFIGURATION = "configuration"  # a setting is missing or wrong
    NOT_NETWORKING = "not networking"
    NOT_FARGATE = "not Fargate"


@dataclass(frozen=True, slots=True)
class Cause:
    id: str
    text: str
    check: tuple[str, ...]  # read-only AWS CLI commands that show it
    fix: str


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    title: str
    stage: Stage
    nature: Nature
    match: str
    causes: tuple[tuple[str, float, str | None, float], ...]
    source: str
    meaning: str
    action: Action | None = None
    also: str | None = None
    unless: str | None = None
    rank: int = 50
    service: str = ""  # for network families: what the task tried to reach
    where: str = ""  # where to look next


TIMEOUT = (
    r"i/o timeout|context deadline exceeded|RequestCanceled|request canceled|context canceled"
    r"|Client\.Timeout|timed out|timeout|connection issue|send request failed|signal: killed"
    r"|network is unreachable|no such host|connection reset|dial tcp|EOF\b"
)
DENIED = (
    r"AccessDenied|not authorized to perform|403|Forbidden|pull access denied|access denied"
    r"|unauthorized|denied:"
)
DNS = r"no such host|lookup [^ ]+ on [0-9.]+:53|server misbehaving|Failed to resolve (?!ref)|name resolution"

_ENI = "aws ecs describe-tasks --cluster <cluster> --tasks <task-id> --query \"tasks[].attachments[].details\""
_ROUTES = "aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=<subnet-id>"
_NAT = "aws ec2 describe-nat-gateways --filter Name=vpc-id,Values=<vpc-id> --query \"NatGateways[].[NatGatewayId,SubnetId,State]\""
_PUBLIC_IP = "aws ec2 describe-network-interfaces --network-interface-ids <eni-id> --query \"NetworkInterfaces[].Association.PublicIp\""
_ENDPOINTS = "aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=<vpc-id> --query \"VpcEndpoints[].[ServiceName,VpcEndpointType,PrivateDnsEnabled,State]\""
_SG = "aws ec2 describe-security-groups --group-ids <task-sg-id> <endpoint-sg-id> --query \"SecurityGroups[].[GroupId,IpPermissions,IpPermissionsEgress]\""
_NACL = "aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=<subnet-id>"
_DNS_SUPPORT = "aws ec2 describe-vpc-attribute --vpc-id <vpc-id> --attribute enableDnsSupport"
_DNS_HOSTNAMES = "aws ec2 describe-vpc-attribute --vpc-id <vpc-id> --attribute enableDnsHostnames"
_DHCP = "aws ec2 describe-dhcp-options --dhcp-options-ids <dhcp-options-id>"
_EXEC_ROLE = "aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.[executionRoleArn,taskRoleArn]\""
_ROLE_POLICIES = "aws iam list-attached-role-policies --role-name <execution-role>"
_SIMULATE = "aws iam simulate-principal-policy --policy-source-arn <execution-role-arn> --action-names {actions}"
_IMAGES = "aws ecr describe-images --repository-name <repository> --image-ids imageTag=<tag>"
_REPO_POLICY = "aws ecr get-repository-policy --repository-name <repository>"
_CONTAINERS = "aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.containerDefinitions[].[name,image,repositoryCredentials,secrets,environmentFiles,logConfiguration]\""
_STOPPED = "aws ecs describe-tasks --cluster <cluster> --tasks <task-id> --query \"tasks[].[stoppedReason,containers[].[name,reason,exitCode]]\""
_SERVICE = "aws ecs describe-services --cluster <cluster> --services <service> --query \"services[].[networkConfiguration,loadBalancers,events[:5]]\""
_TARGET_HEALTH = "aws elbv2 describe-target-health --target-group-arn <target-group-arn>"
_TARGET_GROUP = "aws elbv2 describe-target-groups --target-group-arns <target-group-arn> --query \"TargetGroups[].[TargetType,Protocol,Port,HealthCheckPath,HealthCheckPort,Matcher,LoadBalancerArns]\""
_SUBNETS = "aws ec2 describe-subnets --subnet-ids <subnet-id> --query \"Subnets[].[SubnetId,AvailabilityZone,AvailableIpAddressCount,MapPublicIpOnLaunch]\""
_LOG_GROUP = "aws logs describe-log-groups --log-group-name-prefix <awslogs-group> --region <awslogs-region>"
_SECRET = "aws secretsmanager describe-secret --secret-id <secret-arn>"
_PARAMETER = "aws ssm get-parameters --names <parameter-name> --query \"InvalidParameters\""
_KMS = "aws kms describe-key --key-id <key-id> && aws kms get-key-policy --key-id <key-id> --policy-name default"
_EFS = "aws efs describe-mount-targets --file-system-id <fs-id>"
_EFS_SG = "aws efs describe-mount-target-security-groups --mount-target-id <mount-target-id>"
_EFS_AP = "aws efs describe-access-points --file-system-id <fs-id>"
_EFS_POLICY = "aws efs describe-file-system-policy --file-system-id <fs-id>"
_QUOTAS = "aws service-quotas list-service-quotas --service-code fargate"
_MANIFEST = "docker manifest inspect <image> (or: aws ecr batch-get-image --repository-name <repository> --image-ids imageTag=<tag> --query \"images[].imageManifestMediaType\")"

C = Cause
CAUSES: dict[str, Cause] = {c.id: c for c in (
    # --- the hops of a request that timed out ---------------------------------------------
    C("internet-path", "No way out to {service}: in a private subnet, no 0.0.0.0/0 route to a "
      "working NAT gateway (itself in a public subnet); in a public subnet, no route to an "
      "internet gateway, or no public IP on the task (assignPublicIp DISABLED).",
      (_ROUTES, _PUBLIC_IP, _NAT),
      "Private subnet: route 0.0.0.0/0 to a NAT gateway that sits in a public subnet. Public "
      "subnet: set assignPublicIp to ENABLED and route 0.0.0.0/0 to the internet gateway."),
    C("endpoint", "No VPC endpoint for {service} in the task's VPC ({endpoints}), or it is not "
      "in the task's subnets, or its private DNS is off so the public name does not reach it.",
      (_ENDPOINTS,),
      "Create the interface endpoint(s) {endpoints} in the task's subnets with private DNS "
      "enabled, or give the task a way to the internet."),
    C("security-group", "A security group blocks the request: the task's security group has "
      "no outbound rule for TCP {port}, or the endpoint's (or target's) security group does not "
      "allow TCP {port} in from the task's security group.",
      (_SG,),
      "Allow outbound TCP {port} from the task's security group, and inbound TCP {port} from "
      "it on the endpoint's security group."),
    C("network-acl", "The subnet's network ACL denies outbound TCP {port} or the inbound "
      "replies on ephemeral ports 1024-65535 (network ACLs are stateless).",
      (_NACL,),
      "Allow outbound TCP {port} and inbound TCP 1024-65535 in the subnet's network ACL."),
    C("dns", "The name did not resolve: the VPC has enableDnsSupport or enableDnsHostnames off "
      "(both needed for an endpoint's private DNS), or its DHCP options name a DNS server that "
      "cannot resolve AWS names.",
      (_DNS_SUPPORT, _DNS_HOSTNAMES, _DHCP),
      "Turn on DNS support and DNS hostnames for the VPC; with a custom DNS server, forward "
      "AWS names to the Route 53 Resolver (VPC CIDR base + 2)."),
    C("s3-gateway", "ECR serves image layers from S3 (prod-<region>-starport-layer-bucket): "
      "without a way to the internet the task needs the S3 gateway endpoint on its subnets' "
      "route tables, an endpoint policy that allows that bucket, and security group egress to "
      "the S3 prefix list.",
      (_ENDPOINTS, _ROUTES, _SG),
      "Add the com.amazonaws.<region>.s3 gateway endpoint to the task subnets' route tables; "
      "allow arn:aws:s3:::prod-<region>-starport-layer-bucket/* in its policy; allow egress "
      "443 to the S3 prefix list."),
    C("no-endpoint-exists", "No VPC endpoint serves {service}: it is only reachable over the "
      "internet, so a task without a public IP or a NAT gateway cannot pull from it.",
      (_ROUTES, _PUBLIC_IP),
      "Give the task internet access (NAT gateway, or public IP in a public subnet), or copy "
      "the image to private ECR or pull it through an ECR pull-through cache rule."),
    C("transient", "A short outage or throttling on the AWS side: the same configuration worked "
      "before and works again on retry.",
      (_STOPPED,),
      "Retry; if it recurs, check the AWS Health Dashboard for the Region."),
    # --- image pull: the registry answered ----------------------------------------------
    C("image-tag-missing", "The image or tag does not exist in the repository: a typo, a tag "
      "not pushed yet, a tag removed by a lifecycle policy, or 'latest' where none is pushed.",
      (_IMAGES, _CONTAINERS),
      "Push the image with that tag, or point the task definition at a tag that exists."),
    C("wrong-registry-or-region", "The image URI names another account or Region than the one "
      "that holds the repository, or the repository name is wrong.",
      (_CONTAINERS, "aws ecr describe-repositories --repository-names <repository> --region <region>"),
      "Use the full URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> of the "
      "repository that holds the image."),
    C("private-no-credentials", "The repository is private and the task has no credentials for "
      "it: no repositoryCredentials for a private registry, or for Docker Hub a private image "
      "pulled anonymously.",
      (_CONTAINERS,),
      "Store the registry's credentials in Secrets Manager and name the secret in "
      "repositoryCredentials (the execution role needs secretsmanager:GetSecretValue)."),
    C("execution-role-ecr", "The task execution role is missing or lacks the ECR pull "
      "permissions (ecr:GetAuthorizationToken, ecr:BatchGetImage, "
      "ecr:GetDownloadUrlForLayer).",
      (_EXEC_ROLE, _ROLE_POLICIES,
       _SIMULATE.format(actions="ecr:GetAuthorizationToken ecr:BatchGetImage ecr:GetDownloadUrlForLayer")),
      "Set executionRoleArn to a role with AmazonECSTaskExecutionRolePolicy (or those "
      "actions on the repository)."),
    C("repository-policy", "The repository policy (for a repository in another account) or "
      "the ECR endpoint policy does not allow the execution role to pull.",
      (_REPO_POLICY, _ENDPOINTS),
      "Allow ecr:BatchGetImage and ecr:GetDownloadUrlForLayer for the execution role in the "
      "repository policy, and in the ecr.dkr endpoint policy if it has one."),
    C("s3-endpoint-policy", "A policy on the S3 gateway endpoint (or an SCP or bucket-condition "
      "policy) denies the ECR layer bucket prod-<region>-starport-layer-bucket.",
      ("aws ec2 describe-vpc-endpoints --filters Name=service-name,Values=com.amazonaws.<region>.s3 --query \"VpcEndpoints[].PolicyDocument\"",),
      "Allow s3:GetObject on arn:aws:s3:::prod-<region>-starport-layer-bucket/* in the S3 "
      "endpoint policy."),
    C("docker-hub-rate-limit", "Docker Hub's pull rate limit: anonymous pulls are limited per "
      "source IP, and every task behind one NAT gateway (or sharing public IPs) counts "
      "against it.",
      (_CONTAINERS,),
      "Authenticate the pull (repositoryCredentials with a Docker Hub account), or pull "
      "through an ECR pull-through cache rule, or copy the image to private ECR."),
    C("ecr-throttling", "ECR throttled the requests: many tasks started at once call "
      "GetAuthorizationToken / BatchGetImage beyond the per-second quota.",
      ("aws service-quotas list-service-quotas --service-code ecr",),
      "Stagger task launches (deployment batch size), retry with back-off, or request a "
      "higher ECR API quota."),
    C("image-architecture", "The image was built for another CPU architecture or OS than the "
      "task's runtimePlatform (an arm64 image on X86_64, or the reverse).",
      (_MANIFEST, "aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.runtimePlatform\""),
      "Build for the task's platform (docker buildx build --platform linux/amd64,linux/arm64) "
      "or set runtimePlatform.cpuArchitecture to the image's architecture."),
    C("ephemeral-storage", "The image (or what the task writes) is larger than the task's "
      "ephemeral storage (20 GiB by default).",
      ("aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.ephemeralStorage\"",),
      "Make the image smaller, or raise ephemeralStorage.sizeInGiB (up to 200)."),
    # --- secrets, parameters, KMS ---------------------------------------------------------
    C("execution-role-secrets", "The task execution role lacks secretsmanager:GetSecretValue "
      "on the secret (or the secret's resource policy denies it).",
      (_EXEC_ROLE, _SIMULATE.format(actions="secretsmanager:GetSecretValue")),
      "Allow secretsmanager:GetSecretValue on the secret's ARN for the execution role."),
    C("execution-role-ssm", "The task execution role lacks ssm:GetParameters on the parameter.",
      (_EXEC_ROLE, _SIMULATE.format(actions="ssm:GetParameters")),
      "Allow ssm:GetParameters on arn:aws:ssm:<region>:<account>:parameter/<name> for the "
      "execution role."),
    C("kms-decrypt", "The secret or SecureString parameter is encrypted with a customer managed "
      "KMS key that the execution role may not use: no kms:Decrypt in its policy, or the key "
      "policy does not allow the role.",
      (_SECRET, _KMS, _SIMULATE.format(actions="kms:Decrypt")),
      "Allow kms:Decrypt on the key for the execution role, in the role's policy and in the key "
      "policy."),
    C("kms-endpoint", "In a VPC without internet access, no kms interface endpoint: decrypting "
      "with a customer managed key calls KMS.",
      (_ENDPOINTS,),
      "Add the com.amazonaws.<region>.kms interface endpoint with private DNS."),
    C("secret-missing", "The secret or parameter does not exist under that name or ARN: a typo, "
      "another Region or account, or it was deleted.",
      (_SECRET, _PARAMETER, _CONTAINERS),
      "Reference the full ARN of an existing secret or parameter in the task's Region."),
    C("secret-json-key", "The task asks for a JSON key (secret-arn:key::) but the secret's value "
      "is not JSON, or has no such key.",
      ("aws secretsmanager describe-secret --secret-id <secret-arn> --query \"[Name,VersionIdsToStages]\"", _CONTAINERS),
      "Store the secret as a JSON object with that key, or reference the whole secret without "
      "the ':key::' suffix."),
    C("env-file-missing", "The environment file does not exist at that S3 ARN (bucket or key "
      "typo), or is in a bucket in another Region.",
      ("aws s3api head-object --bucket <bucket> --key <key>", _CONTAINERS),
      "Point environmentFiles at an existing s3 object ARN ending in .env."),
    C("execution-role-s3", "The task execution role lacks s3:GetObject on the environment file "
      "(and s3:GetBucketLocation on its bucket).",
      (_EXEC_ROLE, _SIMULATE.format(actions="s3:GetObject s3:GetBucketLocation")),
      "Allow s3:GetObject on the file and s3:GetBucketLocation on the bucket for the "
      "execution role."),
    # --- logs ------------------------------------------------------------------------------
    C("execution-role-logs", "The task execution role lacks logs:CreateLogStream and "
      "logs:PutLogEvents (and logs:CreateLogGroup with awslogs-create-group).",
      (_EXEC_ROLE, _SIMULATE.format(actions="logs:CreateLogStream logs:PutLogEvents")),
      "Attach AmazonECSTaskExecutionRolePolicy to the execution role, plus logs:CreateLogGroup "
      "if the task creates its group."),
    C("log-group-missing", "The log group does not exist in awslogs-region: it was never "
      "created, was deleted, or awslogs-region names another Region.",
      (_LOG_GROUP,),
      "Create the log group, or set awslogs-create-group to true (with logs:CreateLogGroup), "
      "and check awslogs-region."),
    C("log-options", "The log configuration is incomplete: awslogs needs awslogs-group and "
      "awslogs-region, and on Fargate an execution role.",
      (_CONTAINERS,),
      "Set awslogs-group, awslogs-region (and awslogs-stream-prefix) and executionRoleArn."),
    # --- EFS -------------------------------------------------------------------------------
    C("efs-mount-target", "No mount target for the file system in the task's Availability Zone, "
      "or the file system is in another VPC than the task.",
      (_EFS, _SUBNETS),
      "Create a mount target in every Availability Zone (subnet) the task uses, in the task's "
      "VPC."),
    C("efs-nfs-port", "The mount target's security group does not allow NFS (TCP 2049) in from "
      "the task's security group, or the task's security group blocks outbound 2049.",
      (_EFS_SG, _SG),
      "Allow inbound TCP 2049 from the task's security group on the mount target's security "
      "group, and outbound 2049 on the task's."),
    C("efs-access-point", "The access point or root directory does not exist, or its "
      "POSIX user may not open it.",
      (_EFS_AP, "aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.volumes\""),
      "Use an existing access point (with a creation-info for its root directory), or a root "
      "directory that exists."),
    C("efs-iam", "IAM authorization is on and the task role lacks elasticfilesystem:ClientMount "
      "(and ClientWrite), or the file system policy denies it.",
      (_EFS_POLICY, _SIMULATE.format(actions="elasticfilesystem:ClientMount elasticfilesystem:ClientWrite").replace("<execution-role-arn>", "<task-role-arn>")),
      "Allow elasticfilesystem:ClientMount and ClientWrite for the task role, in its policy "
      "and in the file system policy."),
    C("efs-platform", "EFS volumes need Linux on platform version 1.4.0 or later; a "
      "1.3.0 task or a Windows task cannot mount them.",
      (_SERVICE,),
      "Run the task on platform version LATEST (1.4.0) on Linux."),
    # --- load balancers --------------------------------------------------------------------
    C("health-check-path", "The health check asks a path or port the application does not "
      "answer with a success code (the default path '/', a redirect 301/302, a 404, or a "
      "different port).",
      (_TARGET_GROUP, _TARGET_HEALTH),
      "Point the health check at a path that returns 200 (or widen the matcher, e.g. 200-399) "
      "on the container port."),
    C("health-check-sg", "The task's security group does not allow the load balancer's security "
      "group in on the container port, so health checks time out.",
      (_SG, _TARGET_HEALTH),
      "Allow inbound TCP <container port> on the task's security group from the load "
      "balancer's security group."),
    C("app-not-listening", "The application does not listen on the registered port, listens on "
      "127.0.0.1 only, or crashes or starts slower than the grace period.",
      (_STOPPED, "aws logs tail <awslogs-group> --since 1h"),
      "Listen on 0.0.0.0:<container port>; set healthCheckGracePeriodSeconds above the start "
      "time."),
    C("health-check-timing", "The health check's timeout, interval or thresholds are too tight "
      "for the application's response time.",
      (_TARGET_GROUP,),
      "Raise the health check timeout and unhealthy threshold, or the grace period."),
    C("target-type-ip", "The target group's target type is instance; awsvpc tasks (all Fargate "
      "tasks) register by IP, so the target group must have target type ip.",
      (_TARGET_GROUP,),
      "Create a new target group with --target-type ip (a target group's type cannot change) "
      "and point the service and listener at it."),
    C("target-group-no-lb", "The target group is not attached to a load balancer: no listener "
      "or listener rule forwards to it.",
      (_TARGET_GROUP, "aws elbv2 describe-listeners --load-balancer-arn <load-balancer-arn>"),
      "Add a listener (or rule) that forwards to the target group, then create the service "
      "(in CloudFormation: DependsOn the listener)."),
    # --- network configuration -------------------------------------------------------------
    C("network-configuration", "The service or run-task call has no networkConfiguration "
      "(awsvpcConfiguration with subnets and security groups), which awsvpc requires.",
      (_SERVICE,),
      "Pass --network-configuration \"awsvpcConfiguration={{subnets=[...],securityGroups=[...],"
      "assignPublicIp=...}}\"."),
    C("subnet-full", "The subnet has no free IP addresses: each Fargate task takes one, and "
      "load balancers, endpoints and other ENIs share the subnet.",
      (_SUBNETS,),
      "Add subnets (other Availability Zones or a larger CIDR), or free addresses."),
    C("eni-quota", "The account's network interface quota for the Region is reached: every "
      "Fargate task uses one ENI.",
      ("aws service-quotas get-service-quota --service-code vpc --quota-code L-DF5E4CA3",
       "aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=<vpc-id> --query \"length(NetworkInterfaces)\""),
      "Request a higher 'Network interfaces per Region' quota, or remove unused ENIs."),
    C("awsvpc-required", "Fargate needs networkMode awsvpc; the task definition uses bridge, "
      "host or none.",
      ("aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.[networkMode,requiresCompatibilities]\"",),
      "Register the task definition with networkMode awsvpc and requiresCompatibilities FARGATE."),
    C("subnet-or-sg-invalid", "A subnet or security group named in the network configuration "
      "does not exist, is in another VPC, or the list is empty.",
      (_SERVICE, _SUBNETS),
      "Name subnets and security groups of one VPC, in the task's Region."),
    # --- ECS Exec --------------------------------------------------------------------------
    C("exec-ssm-path", "The SSM agent in the task cannot reach Systems Manager: no way to the "
      "internet and no ssmmessages interface endpoint (security group 443 included).",
      (_ENDPOINTS, _ROUTES, _SG),
      "Add the com.amazonaws.<region>.ssmmessages endpoint (private DNS on) or internet "
      "access, then start a new task."),
    C("exec-task-role", "The task role lacks ssmmessages:CreateControlChannel, "
      "CreateDataChannel, OpenControlChannel and OpenDataChannel (or there is no task role).",
      (_EXEC_ROLE, _SIMULATE.format(actions="ssmmessages:CreateControlChannel ssmmessages:OpenDataChannel").replace("<execution-role-arn>", "<task-role-arn>")),
      "Give the task a task role with the four ssmmessages actions."),
    C("exec-not-enabled", "ECS Exec was not enabled when this task started (enableExecuteCommand "
      "is set per task; changing the service affects new tasks only).",
      ("aws ecs describe-tasks --cluster <cluster> --tasks <task-id> --query \"tasks[].[enableExecuteCommand,containers[].managedAgents]\"",),
      "aws ecs update-service --enable-execute-command --force-new-deployment, then exec into a "
      "new task."),
    C("exec-agent", "The ExecuteCommandAgent is not RUNNING in the container (a read-only root "
      "file system, or an image without a shell), or the client lacks the Session Manager "
      "plugin or ecs:ExecuteCommand.",
      ("aws ecs describe-tasks --cluster <cluster> --tasks <task-id> --query \"tasks[].containers[].managedAgents\"",),
      "Run the amazon-ecs-exec-checker script; install the Session Manager plugin; allow "
      "ecs:ExecuteCommand to the caller."),
    # --- not networking ---------------------------------------------------------------------
    C("memory-limit", "The container used more memory than its limit (task memory or container "
      "'memory' hard limit) and was killed (exit code 137).",
      ("aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.[memory,containerDefinitions[].[name,memory,memoryReservation]]\"",
       "aws cloudwatch get-metric-statistics --namespace ECS/ContainerInsights --metric-name MemoryUtilized --dimensions Name=ClusterName,Value=<cluster> --start-time <t0> --end-time <t1> --period 60 --statistics Maximum"),
      "Raise the task's memory (and the container's hard limit), or fix the leak; size the "
      "runtime's heap below the limit."),
    C("role-trust", "The role's trust policy does not let ecs-tasks.amazonaws.com assume it, "
      "the role does not exist (yet), or the caller lacks iam:PassRole.",
      ("aws iam get-role --role-name <role> --query \"Role.AssumeRolePolicyDocument\"",),
      "Trust ecs-tasks.amazonaws.com in the role's trust policy; create the role before the "
      "service; allow iam:PassRole to whoever creates the service."),
    C("service-linked-role", "The ECS service-linked role AWSServiceRoleForECS does not exist "
      "in the account yet.",
      ("aws iam get-role --role-name AWSServiceRoleForECS",),
      "aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com"),
    C("fargate-quota", "The account's Fargate quota (vCPUs, or tasks for new accounts) in the "
      "Region is reached; new accounts start with a low quota.",
      (_QUOTAS,),
      "Request a higher Fargate On-Demand vCPU quota in Service Quotas, or run fewer tasks."),
    C("capacity", "Fargate has no capacity of that size (or Spot) in that Availability Zone at "
      "the moment.",
      (_SUBNETS,),
      "Retry; give the service subnets in several Availability Zones; mix FARGATE with "
      "FARGATE_SPOT."),
    C("app-exit", "The application itself exited: read its exit code and its own logs.",
      (_STOPPED, "aws logs tail <awslogs-group> --since 1h"),
      "Fix the application's start-up error (configuration, missing variable, failing "
      "dependency)."),
    C("entrypoint", "The command or entrypoint does not exist in the image, is not executable, "
      "or has Windows line endings.",
      (_CONTAINERS, _MANIFEST),
      "Fix the command/entryPoint path and permissions (chmod +x) in the image."),
    C("container-health", "The container's own healthCheck command fails or times out (a "
      "missing curl in the image is common).",
      ("aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.containerDefinitions[].healthCheck\"",),
      "Make the healthCheck command exist in the image and succeed; raise startPeriod."),
    C("task-size", "The task's cpu and memory are not a Fargate combination (for example 256 "
      "CPU units allow 512-2048 MiB).",
      ("aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.[cpu,memory]\"",),
      "Pick a supported cpu/memory pair from the Fargate task size table."),
    C("spot", "The task ran on Fargate Spot and was reclaimed with a two-minute warning.",
      (_SERVICE,),
      "Handle SIGTERM; keep a FARGATE (on-demand) base in the capacity provider strategy."),
    C("launch-type", "The task definition is not compatible with Fargate "
      "(requiresCompatibilities lacks FARGATE, or it uses something Fargate does not support).",
      ("aws ecs describe-task-definition --task-definition <family> --query \"taskDefinition.[requiresCompatibilities,compatibilities,networkMode]\"",),
      "Register it with requiresCompatibilities FARGATE, networkMode awsvpc and task-level "
      "cpu and memory."),
    # --- not Fargate ---------------------------------------------------------------------
    C("ec2-capacity", "This is an EC2 launch type message: no container instance has the CPU, "
      "memory, ports, ENIs or attributes the task needs, or the cluster has no instances.",
      ("aws ecs list-container-instances --cluster <cluster>",
       "aws ecs describe-services --cluster <cluster> --services <service> --query \"services[].[launchType,capacityProviderStrategy]\""),
      "For Fargate, run the service with launchType FARGATE (or a FARGATE capacity provider); "
      "for EC2, add instances or free resources."),
    C("eni-trunking", "ENI trunking (awsvpcTrunking) raises how many awsvpc tasks an EC2 "
      "instance can run; it does not apply to Fargate, where every task has its own ENI.",
      ("aws ecs list-account-settings --effective-settings --name awsvpcTrunking",),
      "On EC2, opt in to awsvpcTrunking and use supported instance types; on Fargate, nothing "
      "to do."),
)}

_HOPS = "internet-path", "endpoint", "security-group", "network-acl", "dns"


def hops(*first: str, dns_boost: float = 4.0, endpoint: float = 0.8,
         extra: tuple[tuple[str, float, str | None, float], ...] = ()
         ) -> tuple[tuple[str, float, str | None, float], ...]:
    """A time-out's causes: every hop, the likeliest first, DNS first on a resolver error."""
    base = {"internet-path": 1.0, "endpoint": endpoint, "security-group": 0.6,
            "network-acl": 0.3, "dns": 0.25}
    for index, cause in enumerate(first):
        base[cause] = 1.2 - index * 0.1
    out = [(cause, weight, DNS if cause == "dns" else
            (r"vpce-|endpoint" if cause == "endpoint" else None),
            dns_boost if cause == "dns" else (0.5 if cause == "endpoint" else 0.0))
           for cause, weight in base.items() if cause in _HOPS]
    return tuple(out) + extra


def no_endpoint_hops() -> tuple[tuple[str, float, str | None, float], ...]:
    """A registry outside AWS: no VPC endpoint can help."""
    return (("internet-path", 1.2, None, 0.0), ("no-endpoint-exists", 0.9, None, 0.0),
            ("security-group", 0.6, None, 0.0), ("network-acl", 0.3, None, 0.0),
            ("dns", 0.25, DNS, 4.0), ("transient", 0.1, None, 0.0))


_PULL = r"CannotPullContainer|pull image|failed to resolve ref|ref pull|failed to copy|pulling image|image manifest"
_HUB = r"registry-1\.docker\.io|index\.docker\.io|docker\.io/|auth\.docker\.io|production\.cloudflare\.docker\.com"
_OTHER = r"quay\.io|ghcr\.io|gcr\.io|pkg\.dev|registry\.k8s\.io|mcr\.microsoft\.com|registry\.gitlab\.com|docker\.elastic\.co|nvcr\.io"

F = Family
FAMILIES: tuple[Family, ...] = (
    # --- image pull: time-outs, one per registry ---------------------------------------------
    F("pull-timeout-s3-layers", "No path to the S3 bucket that holds ECR's image layers",
      Stage.IMAGE_PULL, Nature.NETWORK, r"starport-layer-bucket|prod-[a-z0-9-]+-starport",
      (("s3-gateway", 1.3, None, 0.0), ("internet-path", 1.0, None, 0.0),
       ("s3-endpoint-policy", 0.7, DENIED, 1.0), ("security-group", 0.6, None, 0.0),
       ("network-acl", 0.3, None, 0.0), ("dns", 0.2, DNS, 4.0)),
      _ECS + "task_cannot_pull_image.html",
      "The task reached ECR but not the S3 bucket ECR serves layers from.",
      Action.IMAGE_PULL, rank=80, service="Amazon S3 (image layers)"),
    F("pull-timeout-ecr", "No network path to the ECR registry (image pull)",
      Stage.IMAGE_PULL, Nature.NETWORK, r"\.dkr\.ecr\.|dkr\.ecr", hops(extra=(("s3-gateway", 0.2, None, 0.0),)),
      _ECS + "task_cannot_pull_image.html",
      "The pull of a private ECR image timed out: the task found no working path to "
      "<account>.dkr.ecr.<region>.amazonaws.com.",
      Action.IMAGE_PULL, also=TIMEOUT, unless=DENIED + r"|not found|manifest unknown",
      rank=70, service="ECR (ecr.api, ecr.dkr and the S3 gateway)"),
    F("pull-timeout-ecr-public", "No network path to ECR Public",
      Stage.IMAGE_PULL, Nature.NETWORK, r"public\.ecr\.aws", no_endpoint_hops(),
      _ECS + "task_cannot_pull_image.html",
      "The pull from public.ecr.aws timed out; ECR Public has no VPC endpoint, so the task "
      "needs internet access.", Action.IMAGE_PULL, also=TIMEOUT,
      unless=DENIED + r"|not found|manifest unknown|toomanyrequests|429", rank=70,
      service="ECR Public (public.ecr.aws)"),
    F("pull-timeout-docker-hub", "No network path to Docker Hub",
      Stage.IMAGE_PULL, Nature.NETWORK, _HUB, no_endpoint_hops(),
      _ECS + "task_cannot_pull_image.html",
      "The pull from Docker Hub timed out; no VPC endpoint serves Docker Hub, so the task needs "
      "internet access.", Action.IMAGE_PULL, also=TIMEOUT,
      unless=DENIED + r"|not found|manifest unknown|toomanyrequests|429", rank=70,
      service="Docker Hub (registry-1.docker.io)"),
    F("pull-timeout-other-registry", "No network path to a registry outside AWS",
      Stage.IMAGE_PULL, Nature.NETWORK, _OTHER, no_endpoint_hops(),
      _ECS + "task_cannot_pull_image.html",
      "The pull from a registry outside AWS (quay.io, ghcr.io, gcr.io, ...) timed out; only "
      "internet access reaches it.", Action.IMAGE_PULL, also=TIMEOUT,
      unless=DENIED + r"|not found|manifest unknown|toomanyrequests|429", rank=70,
      service="the registry (outside AWS)"),
    F("pull-timeout", "The image pull timed out",
      Stage.IMAGE_PULL, Nature.NETWORK, _PULL, hops(),
      _ECS + "task_cannot_pull_image.html",
      "The image pull timed out or was canceled before the registry answered: no working "
      "network path to the registry (the message does not name it).",
      Action.IMAGE_PULL, also=TIMEOUT, unless=DENIED + r"|not found|manifest unknown|toomanyrequests",
      rank=40, service="the image registry"),
    # --- image pull: the registry answered -----------------------------------------------------
    F("pull-rate-limit", "The registry refused the pull: too many requests",
      Stage.IMAGE_PULL, Nature.PERMISSION,
      r"toomanyrequests|too many requests|pull rate limit|429",
      (("docker-hub-rate-limit", 1.2, None, 0.0), ("ecr-throttling", 0.5, r"Rate exceeded|ecr", 1.0)),
      _KC + "ecs-pull-container-error-rate-limit",
      "The registry answered with 429: the network path works; the pulls exceed its rate "
      "limit.", Action.IMAGE_PULL, rank=85),
    F("pull-ecr-throttling", "ECR throttled the requests",
      Stage.IMAGE_PULL, Nature.PERMISSION, r"ThrottlingException|Rate exceeded",
      (("ecr-throttling", 1.2, None, 0.0), ("transient", 0.5, None, 0.0)),
      "https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html",
      "ECR answered that the request rate is too high: the network path works.",
      Action.IMAGE_PULL, rank=86, unless=r"toomanyrequests: You have reached"),
    F("pull-not-found", "The registry has no such image or tag",
      Stage.IMAGE_PULL, Nature.CONFIGURATION,
      r"manifest unknown|not found|does not exist|no such image|Requested image not found|name unknown|NAME_UNKNOWN",
      (("image-tag-missing", 1.2, None, 0.0), ("wrong-registry-or-region", 0.9, r"repository|name unknown", 0.4),
       ("private-no-credentials", 0.5, r"may require|authorization", 1.0),
       ("image-architecture", 0.2, r"platform|arm64|amd64", 1.5)),
      _ECS + "task_cannot_pull_image.html",
      "The registry answered (so the network path works) that the image or tag does not "
      "exist.", Action.IMAGE_PULL, also=_PULL + r"|manifest|image|repository",
      unless=r"starport|access denied|pull access denied", rank=75),
    F("pull-access-denied", "The registry refused the image (access denied)",
      Stage.IMAGE_PULL, Nature.PERMISSION,
      r"pull access denied|may require authorization|unauthorized|denied: |403|Forbidden|AccessDenied|no basic auth credentials|not authorized to perform: ecr:(?!GetAuthorizationToken)",
      (("private-no-credentials", 1.0, _HUB + "|" + _OTHER + r"|pull access denied|unauthorized|may require", 0.6),
       ("execution-role-ecr", 0.9, r"dkr\.ecr|ecr:|AccessDenied", 0.6),
       ("image-tag-missing", 0.7, r"pull access denied|does not exist", 0.6),
       ("repository-policy", 0.6, r"dkr\.ecr|ecr:", 0.3),
       ("wrong-registry-or-region", 0.4, None, 0.0)),
      _ECS + "task_cannot_pull_image.html",
      "The registry answered and refused: the network path to it works; the name, the tag or "
      "the credentials are wrong.", Action.IMAGE_PULL, also=_PULL + r"|image|repository|ecr",
      unless=r"starport|toomanyrequests", rank=74),
    F("image-platform", "The image has no variant for the task's OS and CPU architecture",
      Stage.IMAGE_PULL, Nature.NOT_NETWORKING,
      r"descriptor matching platform|descriptor for platform|no matching manifest|no match for platform|does not match the specified platform",
      (("image-architecture", 1.2, None, 0.0),),
      _ECS + "task_cannot_pull_image.html",
      "Not networking: the registry answered; the image was built for another platform.",
      Action.IMAGE_PULL, rank=90),
    F("exec-format", "The image was built for another CPU architecture (exec format error)",
      Stage.RUNNING, Nature.NOT_NETWORKING, r"exec format error",
      (("image-architecture", 1.2, None, 0.0), ("entrypoint", 0.4, None, 0.0)),
      _ECS + "stopped-task-errors.html",
      "Not networking: the image pulled; its binaries are for another CPU architecture than "
      "the task (an arm64 build on X86_64, often from an Apple silicon Mac, or the reverse).",
      rank=90, where="docker manifest inspect <image> and the task's runtimePlatform"),
    F("pull-no-space", "The task ran out of ephemeral storage",
      Stage.IMAGE_PULL, Nature.NOT_NETWORKING, r"no space left on device",
      (("ephemeral-storage", 1.2, None, 0.0),), _ECS + "fargate-task-storage.html",
      "Not networking: the image or the files written do not fit in the task's storage.",
      rank=90),
    # --- registry auth and secrets ----------------------------------------------------------------
    F("ecr-auth-denied", "The execution role may not fetch ECR login credentials",
      Stage.SECRETS, Nature.PERMISSION,
      r"ecr:GetAuthorizationToken|ecr registry auth.*(AccessDenied|not authorized)",
      (("execution-role-ecr", 1.2, None, 0.0), ("role-trust", 0.6, r"assume", 0.6),
       ("repository-policy", 0.4, None, 0.0)),
      _ECS + "task_execution_IAM_role.html",
      "ECR answered (so the network path works) and refused the execution role.",
      Action.ECR_AUTH, also=DENIED, rank=88),
    F("ecr-auth-timeout", "No network path to the Amazon ECR API (login credentials)",
      Stage.SECRETS, Nature.NETWORK,
      r"registry auth from Amazon ECR|ecr registry auth|api\.ecr\.|ecr\.api|connection issue between the task and Amazon ECR",
      hops(), _KC + "ecs-unable-to-pull-secrets",
      "The task could not reach api.ecr.<region>.amazonaws.com to fetch the registry login, "
      "before pulling the image.", Action.ECR_AUTH, also=TIMEOUT, unless=DENIED, rank=72,
      service="the ECR API (ecr.api)"),
    F("registry-credentials-asm", "Private registry credentials could not be read from Secrets Manager",
      Stage.SECRETS, Nature.CONFIGURATION, r"registry auth from asm|fetching secret from the service for",
      (("internet-path", 0.9, TIMEOUT, 0.5), ("execution-role-secrets", 0.9, DENIED, 1.0),
       ("secret-missing", 0.7, r"ResourceNotFound|can't find", 1.5), ("kms-decrypt", 0.3, r"KMS", 2.0),
       ("endpoint", 0.6, TIMEOUT, 0.3), ("security-group", 0.4, TIMEOUT, 0.3)),
      _ECS + "private-auth.html",
      "repositoryCredentials names a Secrets Manager secret the task could not read.",
      Action.SECRETS, rank=78, service="Secrets Manager"),
    F("kms-denied", "The execution role may not decrypt the secret (KMS)",
      Stage.SECRETS, Nature.PERMISSION,
      r"Access to KMS is not allowed|kms:Decrypt|KMS[^.]*AccessDenied|AccessDenied[^.]*KMS|ciphertext refers to a customer master key|KMSAccessDenied",
      (("kms-decrypt", 1.3, None, 0.0), ("kms-endpoint", 0.3, TIMEOUT, 1.0),
       ("execution-role-secrets", 0.4, None, 0.0)),
      _KC + "ecs-unable-to-pull-secrets",
      "Secrets Manager or SSM answered (so the path works); decrypting with the customer "
      "managed KMS key was refused.", Action.SECRETS, rank=95),
    F("secret-json-key", "The secret has no such JSON key",
      Stage.SECRETS, Nature.CONFIGURATION,
      r"json key|JSONKey|unmarshal|invalid character .* looking for beginning|is not valid JSON",
      (("secret-json-key", 1.3, None, 0.0), ("secret-missing", 0.4, None, 0.0)),
      _ECS + "secrets-envvar-secrets-manager.html",
      "Secrets Manager returned the secret (the path works); its value is not the JSON object "
      "the task's ':key::' reference asks for.", Action.SECRETS, rank=94),
    F("secret-not-found", "The secret or parameter does not exist",
      Stage.SECRETS, Nature.CONFIGURATION,
      r"ResourceNotFoundException|can't find the specified secret|ParameterNotFound|invalid ssm parameters|InvalidParameters|parameter does not exist|invalid parameters",
      (("secret-missing", 1.3, None, 0.0), ("execution-role-ssm", 0.3, r"ssm", 0.3),
       ("execution-role-secrets", 0.3, r"asm|secretsmanager", 0.3)),
      _ECS + "specifying-sensitive-data.html",
      "Secrets Manager or SSM answered (the path works): no secret or parameter under that "
      "name in that Region.", Action.SECRETS, also=r"secret|ssm|asm|parameter",
      unless=r"log group|log stream", rank=92),
    F("secrets-manager-denied", "The execution role may not read the Secrets Manager secret",
      Stage.SECRETS, Nature.PERMISSION, r"secretsmanager|from asm|secrets manager",
      (("execution-role-secrets", 1.3, None, 0.0), ("secret-missing", 0.5, None, 0.0),
       ("kms-decrypt", 0.4, None, 0.0), ("role-trust", 0.2, None, 0.0)),
      _ECS + "secrets-envvar-secrets-manager.html",
      "Secrets Manager answered (so the network path works) and refused the execution role.",
      Action.SECRETS, also=DENIED, rank=90),
    F("secrets-manager-timeout", "No network path to Secrets Manager",
      Stage.SECRETS, Nature.NETWORK, r"retrieve secrets? from asm|secretsmanager|secrets manager",
      hops(), _KC + "ecs-unable-to-pull-secrets",
      "The task could not reach Secrets Manager to read a secret before the containers start.",
      Action.SECRETS, also=TIMEOUT, unless=DENIED, rank=71, service="Secrets Manager (secretsmanager)"),
    F("ssm-denied", "The execution role may not read the SSM parameter",
      Stage.SECRETS, Nature.PERMISSION, r"ssm:GetParameters?|from ssm|Parameter Store",
      (("execution-role-ssm", 1.3, None, 0.0), ("kms-decrypt", 0.5, r"SecureString|kms", 0.6),
       ("secret-missing", 0.4, None, 0.0)),
      _ECS + "secrets-envvar-ssm-paramstore.html",
      "SSM answered (so the network path works) and refused the execution role.",
      Action.SECRETS, also=DENIED, rank=90),
    F("ssm-timeout", "No network path to SSM Parameter Store",
      Stage.SECRETS, Nature.NETWORK, r"from ssm|ssm\.[a-z0-9-]+\.amazonaws|Parameter Store",
      hops(), _KC + "ecs-unable-to-pull-secrets",
      "The task could not reach Systems Manager to read a parameter before the containers start.",
      Action.SECRETS, also=TIMEOUT, unless=DENIED, rank=71, service="Systems Manager (ssm)"),
    F("env-files-s3", "The environment file could not be downloaded from S3",
      Stage.SECRETS, Nature.CONFIGURATION, r"env ?files?|environmentFiles|envfile",
      (("internet-path", 0.8, TIMEOUT, 0.6), ("s3-gateway", 0.7, TIMEOUT, 0.6),
       ("execution-role-s3", 0.9, DENIED, 1.0), ("env-file-missing", 0.8, r"NoSuchKey|NoSuchBucket|not found|404|region", 1.0),
       ("security-group", 0.4, TIMEOUT, 0.3), ("transient", 0.2, None, 0.0)),
      _ECS + "use-environment-file.html",
      "The task could not download an environmentFiles object from S3: a time-out means no "
      "path to S3, AccessDenied the execution role, NoSuchKey the file.",
      Action.SECRETS, also=r"download|s3|S3", rank=89, service="Amazon S3"),
    F("secrets-or-registry-auth", "Secrets or registry credentials could not be retrieved",
      Stage.SECRETS, Nature.NETWORK, r"unable to pull secrets or registry auth|execution resource retrieval failed",
      (("internet-path", 1.1, None, 0.0), ("endpoint", 0.9, None, 0.0),
       ("execution-role-secrets", 0.7, DENIED, 1.0), ("security-group", 0.6, None, 0.0),
       ("execution-role-ecr", 0.4, None, 0.0), ("dns", 0.2, DNS, 4.0)),
      _KC + "ecs-unable-to-pull-secrets",
      "Before the containers start, the task fetches the ECR login and its secrets; one of "
      "them failed. The rest of the message (cut off here?) says which; most often the path.",
      Action.SECRETS, rank=30, service="ECR, Secrets Manager or Systems Manager"),
    # --- log driver -------------------------------------------------------------------------------
    F("logs-needs-execution-role", "awslogs on Fargate needs an execution role",
      Stage.LOGS, Nature.CONFIGURATION,
      r"requires task definition to have execution role ARN to support log driver|Log driver awslogs requires options",
      (("log-options", 1.3, None, 0.0), ("execution-role-logs", 0.5, None, 0.0)),
      _ECS + "using_awslogs.html",
      "The task definition was refused before any task ran: its log configuration is "
      "incomplete.", Action.LOG_DRIVER, rank=93),
    F("logs-group-missing", "The CloudWatch log group does not exist",
      Stage.LOGS, Nature.CONFIGURATION,
      r"log group does not exist|ResourceNotFoundException[^.]*log|specified log group",
      (("log-group-missing", 1.3, None, 0.0), ("execution-role-logs", 0.4, r"create-group", 0.6)),
      _ECS + "using_awslogs.html",
      "CloudWatch Logs answered (the path works): there is no such log group in that Region.",
      Action.LOG_DRIVER, rank=92),
    F("logs-denied", "The execution role may not write to CloudWatch Logs",
      Stage.LOGS, Nature.PERMISSION, r"logger|log stream|logs:|CloudWatch",
      (("execution-role-logs", 1.3, None, 0.0), ("role-trust", 0.3, None, 0.0)),
      _ECS + "task_execution_IAM_role.html",
      "CloudWatch Logs answered (the path works) and refused the execution role.",
      Action.LOG_DRIVER, also=DENIED, rank=91),
    F("logs-timeout", "No network path to CloudWatch Logs",
      Stage.LOGS, Nature.NETWORK, r"failed to validate logger args|Cloudwatch log stream|logs\.[a-z0-9-]+\.amazonaws|failed to initialize logging driver",
      hops(), _ECS + "using_awslogs.html",
      "The awslogs driver could not reach CloudWatch Logs to create the log stream.",
      Action.LOG_DRIVER, also=TIMEOUT, unless=DENIED + r"|does not exist", rank=73,
      service="CloudWatch Logs (logs)"),
    F("logs-generic", "The log driver could not be set up",
      Stage.LOGS, Nature.CONFIGURATION, r"failed to validate logger args|failed to create Cloudwatch log stream|failed to initialize logging driver",
      (("internet-path", 0.9, None, 0.0), ("execution-role-logs", 0.9, None, 0.0),
       ("log-group-missing", 0.8, None, 0.0), ("endpoint", 0.6, None, 0.0),
       ("security-group", 0.4, None, 0.0)),
      _ECS + "using_awslogs.html",
      "The awslogs driver failed before the container started; the rest of the message says "
      "whether it was the path, the role or the log group.", Action.LOG_DRIVER, rank=35,
      service="CloudWatch Logs (logs)"),
    # --- EFS --------------------------------------------------------------------------------------
    F("efs-resolve", "The EFS file system's name did not resolve",
      Stage.STORAGE, Nature.NETWORK, r"Failed to resolve \"?fs-|efs\.[a-z0-9-]+\.amazonaws\.com.*(resolve|lookup)",
      (("efs-mount-target", 1.2, None, 0.0), ("dns", 1.1, None, 0.0),
       ("efs-nfs-port", 0.3, None, 0.0)),
      _KC + "fargate-unable-to-mount-efs",
      "The task could not resolve fs-<id>.efs.<region>.amazonaws.com: no mount target in its "
      "Availability Zone or VPC, or VPC DNS is off.", Action.EFS, rank=90,
      service="the EFS mount target"),
    F("efs-iam", "EFS refused the mount (IAM or file system policy)",
      Stage.STORAGE, Nature.PERMISSION,
      r"access denied by server|elasticfilesystem:Client|Permission denied|AccessDenied|not authorized",
      (("efs-iam", 1.3, None, 0.0), ("efs-access-point", 0.6, None, 0.0)),
      _KC + "fargate-unable-to-mount-efs",
      "The mount target answered (the path works) and refused the task role.", Action.EFS,
      also=r"EFS|efs|fs-", rank=88),
    F("efs-access-point", "The EFS access point or directory does not exist",
      Stage.STORAGE, Nature.CONFIGURATION, r"No such file or directory|access point|fsap-",
      (("efs-access-point", 1.3, None, 0.0), ("efs-iam", 0.5, None, 0.0)),
      _KC + "fargate-unable-to-mount-efs",
      "The mount target answered (the path works); the directory or access point is missing.",
      Action.EFS, also=r"EFS|efs|fs-|mount", unless=r"exec:|OCI runtime", rank=86),
    F("efs-timeout", "No network path to the EFS mount target (NFS, TCP 2049)",
      Stage.STORAGE, Nature.NETWORK, r"EFS|efs|mount\.nfs|fs-[0-9a-f]",
      (("efs-nfs-port", 1.3, None, 0.0), ("efs-mount-target", 0.9, None, 0.0),
       ("network-acl", 0.4, None, 0.0), ("dns", 0.3, DNS, 3.0)),
      _KC + "fargate-unable-to-mount-efs",
      "The mount of the EFS volume timed out: NFS (TCP 2049) to the mount target is blocked.",
      Action.EFS, also=TIMEOUT + r"|Connection reset", unless=DENIED, rank=84, service="EFS (NFS, TCP 2049)"),
    F("efs-generic", "The EFS volume could not be mounted",
      Stage.STORAGE, Nature.CONFIGURATION, r"EFS utils|EFS volume|efs-utils|mount\.nfs4",
      (("efs-nfs-port", 1.0, None, 0.0), ("efs-mount-target", 0.9, None, 0.0),
       ("efs-access-point", 0.7, None, 0.0), ("efs-iam", 0.6, None, 0.0),
       ("efs-platform", 0.3, r"1\.3\.0|Windows", 2.0)),
      _ECS + "efs-volumes.html",
      "The EFS volume failed to mount; the stderr part of the message says why.",
      Action.EFS, rank=45, service="EFS (NFS, TCP 2049)"),
    # --- load balancers ------------------------------------------------------------------------------
    F("target-type-instance", "The target group's type is instance; Fargate needs ip",
      Stage.LOAD_BALANCER, Nature.CONFIGURATION,
      r"target type instance, which is incompatible with the awsvpc|target type instance",
      (("target-type-ip", 1.3, None, 0.0),), _ECS + "alb.html",
      "The service was refused before any task ran: awsvpc tasks register by IP.",
      Action.APPLICATION, rank=95),
    F("target-type-ip-bridge", "Target type ip with bridge network mode (EC2, not Fargate)",
      Stage.LOAD_BALANCER, Nature.NOT_FARGATE, r"target type ip,? (which )?is incompatible with the bridge",
      (("awsvpc-required", 1.2, None, 0.0), ("ec2-capacity", 0.3, None, 0.0)),
      _ECS + "alb.html",
      "Not Fargate: bridge network mode exists only on EC2; Fargate tasks use awsvpc and "
      "target type ip.", Action.APPLICATION, rank=95),
    F("target-group-no-lb", "The target group is not attached to a load balancer",
      Stage.LOAD_BALANCER, Nature.CONFIGURATION, r"does not have an associated load balancer",
      (("target-group-no-lb", 1.3, None, 0.0),), _ECS + "alb.html",
      "The service was refused: its target group has no listener forwarding to it.",
      Action.APPLICATION, rank=95),
    F("target-unhealthy-codes", "The load balancer's health checks got error codes",
      Stage.LOAD_BALANCER, Nature.CONFIGURATION, r"Health checks failed with these codes|with these codes",
      (("health-check-path", 1.3, None, 0.0), ("app-not-listening", 0.8, r"\[50[0-9]\]", 0.8),
       ("health-check-timing", 0.3, None, 0.0)),
      _KC + "fargate-alb-health-checks",
      "The targets answered the health check (the network path works) with a code outside "
      "the matcher.", Action.APPLICATION, rank=90),
    F("target-unhealthy-timeout", "The load balancer's health checks time out",
      Stage.LOAD_BALANCER, Nature.NETWORK, r"is unhealthy in|Request timed out|Target\.Timeout|health checks? failed",
      (("health-check-sg", 1.2, r"timed out|Timeout", 0.3), ("app-not-listening", 1.0, None, 0.0),
       ("health-check-path", 0.8, None, 0.0), ("health-check-timing", 0.5, None, 0.0),
       ("network-acl", 0.2, None, 0.0)),
      _KC + "fargate-alb-health-checks",
      "The load balancer got no answer (or no success) from the task's IP on the health check "
      "port.", Action.APPLICATION, unless=r"with these codes|container health", rank=80,
      service="the task's container port"),
    F("elb-health-checks", "The task failed the load balancer's health checks",
      Stage.LOAD_BALANCER, Nature.CONFIGURATION, r"failed ELB health checks|ELB health check",
      (("health-check-path", 1.1, None, 0.0), ("health-check-sg", 1.0, None, 0.0),
       ("app-not-listening", 0.9, None, 0.0), ("health-check-timing", 0.5, None, 0.0)),
      _KC + "fargate-alb-health-checks",
      "ECS stopped the task because its target stayed unhealthy; the target group's health "
      "says whether it answered with a code or timed out.", Action.APPLICATION, rank=82,
      service="the task's container port", where="aws elbv2 describe-target-health (Reason and Description)"),
    F("container-health-check", "The container's own health check failed",
      Stage.RUNNING, Nature.NOT_NETWORKING, r"failed container health checks|container health check",
      (("container-health", 1.3, None, 0.0), ("app-exit", 0.5, None, 0.0)),
      _ECS + "task_definition_parameters.html",
      "Not networking: the healthCheck command in the task definition failed.", rank=85),
    # --- network configuration ---------------------------------------------------------------------
    F("network-config-missing", "awsvpc needs a network configuration",
      Stage.PLACEMENT, Nature.CONFIGURATION,
      r"Network Configuration must be provided|networkConfiguration is required|requires a networkConfiguration",
      (("network-configuration", 1.3, None, 0.0),), _ECS + "fargate-task-networking.html",
      "The call was refused before any task ran: it named no subnets or security groups.",
      rank=95),
    F("network-config-invalid", "Network configuration with a non-awsvpc task definition",
      Stage.PLACEMENT, Nature.CONFIGURATION,
      r"Network Configuration is not valid for the given networkMode|only supports network mode|network mode .?awsvpc.? is required|Fargate only supports",
      (("awsvpc-required", 1.3, None, 0.0), ("launch-type", 0.5, None, 0.0)),
      _ECS + "fargate-task-networking.html",
      "The task definition does not use awsvpc; Fargate requires it.", rank=93),
    F("subnet-full", "The subnet has no free IP addresses",
      Stage.PLACEMENT, Nature.NETWORK, r"InsufficientFreeAddressesInSubnet|insufficient free addresses|no free (ip )?addresses",
      (("subnet-full", 1.3, None, 0.0), ("eni-quota", 0.3, None, 0.0)),
      _ECS + "stopped-task-errors.html",
      "The task could not get an IP address in its subnet.", rank=95),
    F("eni-limit", "No network interface for the task",
      Stage.PLACEMENT, Nature.NETWORK,
      r"NetworkInterfaceLimitExceeded|limit on the number of network interfaces|network interface provisioning|ENI provisioning|failed to (create|attach) (the )?(network interface|ENI)",
      (("eni-quota", 1.2, None, 0.0), ("subnet-full", 0.8, None, 0.0),
       ("subnet-or-sg-invalid", 0.5, None, 0.0), ("transient", 0.3, r"Timeout", 0.5)),
      _ECS + "stopped-task-errors.html",
      "Fargate could not create or attach the task's ENI.", rank=88),
    F("subnet-or-sg-invalid", "A subnet or security group in the network configuration is wrong",
      Stage.PLACEMENT, Nature.CONFIGURATION,
      r"(subnet|security group)[^.]*(does not exist|not found|is invalid|can not be empty|cannot be empty)|Error retrieving subnet information|subnets can not be empty|InvalidGroup\.NotFound|InvalidSubnetID",
      (("subnet-or-sg-invalid", 1.3, None, 0.0),), _ECS + "fargate-task-networking.html",
      "The call was refused: a subnet or security group it names cannot be used.", rank=90),
    # --- ECS Exec ---------------------------------------------------------------------------------
    F("exec-not-enabled", "ECS Exec was not enabled for this task",
      Stage.EXEC, Nature.CONFIGURATION, r"execute command was not enabled|enableExecuteCommand.*false",
      (("exec-not-enabled", 1.3, None, 0.0), ("exec-agent", 0.6, r"agent", 0.3),
       ("exec-ssm-path", 0.3, None, 0.0)),
      _ECS + "ecs-exec.html",
      "The task started without enableExecuteCommand, or its agent is not running.", rank=92),
    F("exec-not-connected", "ECS Exec: the task's SSM agent is not connected",
      Stage.EXEC, Nature.NETWORK, r"TargetNotConnectedException|Target not connected",
      (("exec-ssm-path", 1.2, None, 0.0), ("exec-task-role", 1.1, None, 0.0),
       ("exec-not-enabled", 0.8, None, 0.0), ("exec-agent", 0.5, None, 0.0),
       ("security-group", 0.3, None, 0.0)),
      _ECS + "ecs-exec.html",
      "The SSM agent in the task has no session channel to Systems Manager: no path to "
      "ssmmessages, or no permission for it.", rank=90, service="ssmmessages"),
    # --- not networking ---------------------------------------------------------------------------
    F("out-of-memory", "The container ran out of memory",
      Stage.RUNNING, Nature.NOT_NETWORKING,
      r"OutOfMemoryError|killed due to memory|OOM-?killed|out of memory|exit code:? ?137",
      (("memory-limit", 1.3, None, 0.0),), _KC + "ecs-resolve-outofmemory-errors",
      "Not networking: the container exceeded its memory limit and was killed.", rank=90,
      where="the task's memory and the container's memory settings; Container Insights"),
    F("assume-role", "ECS could not assume the task's IAM role",
      Stage.PLACEMENT, Nature.NOT_NETWORKING, r"unable to assume the role|Role is not valid|cannot be assumed",
      (("role-trust", 1.3, None, 0.0),), _ECS + "task_execution_IAM_role.html",
      "Not networking: the role passed for the task cannot be assumed by ECS.", rank=92),
    F("service-linked-role", "The ECS service-linked role is missing",
      Stage.PLACEMENT, Nature.NOT_NETWORKING, r"service linked role",
      (("service-linked-role", 1.3, None, 0.0),), _ECS + "using-service-linked-roles.html",
      "Not networking: ECS needs its service-linked role in the account.", rank=93),
    F("task-quota", "The account's Fargate quota is reached",
      Stage.PLACEMENT, Nature.NOT_NETWORKING,
      r"limit on the number of tasks you can run|vCPU limit|reached the limit on the number of (Fargate )?(tasks|vCPU)|You've reached the limit",
      (("fargate-quota", 1.3, None, 0.0),), "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html",
      "Not networking: the Region's Fargate quota for the account is used up.", rank=91,
      unless=r"network interfaces"),
    F("capacity-unavailable", "Fargate capacity is unavailable",
      Stage.PLACEMENT, Nature.NOT_NETWORKING, r"Capacity is unavailable|capacity is not available|insufficient capacity",
      (("capacity", 1.3, None, 0.0),), _ECS + "stopped-task-errors.html",
      "Not networking: Fargate had no capacity of that kind in that Availability Zone.",
      rank=91),
    F("task-size", "Invalid CPU and memory for Fargate",
      Stage.PLACEMENT, Nature.NOT_NETWORKING, r"No Fargate configuration exists for given values|Invalid (CPU|memory|'cpu')",
      (("task-size", 1.3, None, 0.0),), _ECS + "task-cpu-memory-error.html",
      "Not networking: the cpu/memory pair is not a Fargate size.", rank=92),
    F("launch-type", "The task definition is not compatible with Fargate",
      Stage.PLACEMENT, Nature.NOT_NETWORKING,
      r"does not support launch_type FARGATE|not compatible with (the )?FARGATE|incompatible with FARGATE|requiresCompatibilities",
      (("launch-type", 1.3, None, 0.0),), _ECS + "task_definition_parameters.html",
      "Not networking: the task definition was not registered for Fargate.", rank=90),
    F("spot-interruption", "The Fargate Spot task was interrupted",
      Stage.RUNNING, Nature.NOT_NETWORKING, r"SpotInterruption|Spot Task was interrupted",
      (("spot", 1.3, None, 0.0),), _ECS + "fargate-capacity-providers.html",
      "Not networking: Fargate Spot reclaimed the capacity.", rank=92),
    F("cannot-start-container", "The container could not start",
      Stage.RUNNING, Nature.NOT_NETWORKING,
      r"CannotStartContainerError|executable file not found|OCI runtime create failed|no such file or directory.*(exec|starting container)|starting container process caused",
      (("entrypoint", 1.2, None, 0.0), ("memory-limit", 0.4, r"OOM", 2.0),
       ("image-architecture", 0.3, r"format", 2.0)),
      _ECS + "stopped-task-errors.html",
      "Not networking: the image pulled, the process in it could not start.", rank=60),
    F("essential-exited", "An essential container exited",
      Stage.RUNNING, Nature.NOT_NETWORKING, r"Essential container in task exited",
      (("app-exit", 1.3, None, 0.0), ("memory-limit", 0.3, r"137", 2.0)),
      _ECS + "stopped-task-errors.html",
      "Not networking (by itself): the application stopped; its exit code and logs say why. "
      "Look for the container's reason beside this message.", rank=20,
      where="the container's exit code and reason (describe-tasks), and its logs"),
    # --- not Fargate ----------------------------------------------------------------------------
    F("ec2-placement", "An EC2 placement message (not Fargate)",
      Stage.PLACEMENT, Nature.NOT_FARGATE,
      r"no container instance met all of its requirements|No Container Instances were found|closest matching container-instance|container instance",
      (("ec2-capacity", 1.3, None, 0.0),), _ECS + "service-event-messages.html",
      "Not Fargate: this message is about EC2 container instances; a Fargate task is never "
      "placed on one. The service or task runs on the EC2 launch type (or an EC2 capacity "
      "provider).", rank=93),
    F("eni-trunking", "ENI trunking (EC2 only, not Fargate)",
      Stage.PLACEMENT, Nature.NOT_FARGATE, r"awsvpcTrunking|ENI trunking|trunk(ing)? (interface|ENI)|branch ENI",
      (("eni-trunking", 1.3, None, 0.0),), _ECS + "container-instance-eni.html",
      "Not Fargate: ENI trunking raises the awsvpc task density of EC2 instances.", rank=93),
    F("public-ip-ec2", "assignPublicIp on the EC2 launch type (not Fargate)",
      Stage.PLACEMENT, Nature.NOT_FARGATE, r"Assign public IP is not supported for this launch type",
      (("ec2-capacity", 1.2, None, 0.0),), _ECS + "task-networking-awsvpc.html",
      "Not Fargate: on EC2, awsvpc tasks get no public IP; this call runs on the EC2 launch type.",
      rank=93),
    # --- the widest nets, when the message is cut off -------------------------------------------
    F("start-timeout", "The task timed out while starting",
      Stage.IMAGE_PULL, Nature.NETWORK, r"DockerTimeoutError|ContainerRuntimeTimeoutError|Could not transition to (started|created)",
      hops(extra=(("s3-gateway", 0.4, None, 0.0),)), _KC + "ecs-fargate-docker-timeout-error",
      "The task did not start in time; most often it could not reach ECR, S3, Secrets Manager "
      "or CloudWatch Logs.", Action.IMAGE_PULL, rank=30,
      service="ECR, S3, Secrets Manager or CloudWatch Logs"),
    F("cannot-pull", "The image could not be pulled",
      Stage.IMAGE_PULL, Nature.NETWORK, r"CannotPullContainerError|CannotPullECRContainerError|CannotPullContainer",
      (("internet-path", 1.0, None, 0.0), ("image-tag-missing", 0.85, None, 0.0),
       ("endpoint", 0.8, None, 0.0), ("execution-role-ecr", 0.6, None, 0.0),
       ("security-group", 0.5, None, 0.0), ("private-no-credentials", 0.4, None, 0.0)),
      _ECS + "task_cannot_pull_image.html",
      "The image pull failed; the part of the message that says why is missing (cut off?). A "
      "time-out means no path; 'not found' or 'denied' means the name or the permissions.",
      Action.IMAGE_PULL, rank=10, service="the image registry"),
    F("resource-init", "The task's resources could not be set up",
      Stage.SECRETS, Nature.NETWORK, r"ResourceInitializationError",
      (("internet-path", 1.0, None, 0.0), ("endpoint", 0.9, None, 0.0),
       ("execution-role-secrets", 0.6, None, 0.0), ("security-group", 0.6, None, 0.0),
       ("dns", 0.3, DNS, 4.0), ("log-group-missing", 0.2, None, 0.0)),
      "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html",
      "Before the containers start, the task fetches registry auth, secrets, log streams or "
      "volumes; one failed. The rest of the message (cut off?) says which.", rank=5,
      service="ECR, Secrets Manager, SSM, CloudWatch Logs or EFS"),
)

FAMILIES_BY_ID = {family.id: family for family in FAMILIES}

# Words that tie an unrecognised message to families, for "the closest known families".
KEYWORDS: dict[str, tuple[str, ...]] = {
    "cannot-pull": ("pull", "image", "registry", "manifest", "docker", "ecr", "tag"),
    "resource-init": ("secret", "ssm", "asm", "auth", "resource", "initialization", "kms"),
    "logs-generic": ("log", "logger", "cloudwatch", "awslogs", "stream"),
    "efs-generic": ("efs", "mount", "nfs", "volume", "fs-"),
    "elb-health-checks": ("health", "target", "elb", "load", "balancer", "unhealthy"),
    "network-config-missing": ("network", "subnet", "awsvpc", "security", "eni", "interface"),
    "exec-not-connected": ("exec", "execute", "command", "session", "ssmmessages"),
    "out-of-memory": ("memory", "oom", "killed", "137"),
    "essential-exited": ("exit", "exited", "essential", "container", "stopped"),
    "task-quota": ("limit", "quota", "capacity", "place", "placement"),
}

# The VPC endpoints that serve what a network family's task tried to reach.
ENDPOINT_NAMES: dict[str, str] = {
    "pull-timeout-ecr": "com.amazonaws.<region>.ecr.api, ecr.dkr and the s3 gateway",
    "pull-timeout": "com.amazonaws.<region>.ecr.api, ecr.dkr and the s3 gateway, for ECR",
    "ecr-auth-timeout": "com.amazonaws.<region>.ecr.api",
    "secrets-manager-timeout": "com.amazonaws.<region>.secretsmanager",
    "registry-credentials-asm": "com.amazonaws.<region>.secretsmanager",
    "ssm-timeout": "com.amazonaws.<region>.ssm",
    "logs-timeout": "com.amazonaws.<region>.logs",
    "logs-generic": "com.amazonaws.<region>.logs",
    "exec-not-connected": "com.amazonaws.<region>.ssmmessages",
    "env-files-s3": "the com.amazonaws.<region>.s3 gateway",
}
DEFAULT_ENDPOINTS = ("com.amazonaws.<region>.ecr.api, ecr.dkr, the s3 gateway, logs, "
                     "secretsmanager and ssm, as the task uses them")
PORTS: dict[Stage, str] = {Stage.STORAGE: "2049", Stage.LOAD_BALANCER: "<container port>"}
