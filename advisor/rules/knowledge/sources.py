"""Every AWS page the advice cites, once, by short key."""

from __future__ import annotations

from ..result import Source

# --- Sources -------------------------------------------------------------------------------

_ECS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
_ECR = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/"

SOURCES: dict[str, Source] = {
    "networking": Source(
        "Amazon ECS task networking options for Fargate", _ECS + "fargate-task-networking.html"
    ),
    "migration": Source(
        "Migrating to Linux platform version 1.4.0 on Amazon ECS",
        _ECS + "platform-version-migration.html",
    ),
    "execution_role": Source(
        "Amazon ECS task execution IAM role", _ECS + "task_execution_IAM_role.html"
    ),
    "task_role": Source("Amazon ECS task IAM role", _ECS + "task-iam-roles.html"),
    "service_linked_role": Source(
        "Using service-linked roles for Amazon ECS", _ECS + "using-service-linked-roles.html"
    ),
    "ecs_endpoints": Source(
        "Amazon ECS interface VPC endpoints (AWS PrivateLink)", _ECS + "vpc-endpoints.html"
    ),
    "ecr_endpoints": Source(
        "Amazon ECR interface VPC endpoints (AWS PrivateLink)", _ECR + "vpc-endpoints.html"
    ),
    "awsvpc_configuration": Source(
        "AwsVpcConfiguration (Amazon ECS API Reference)",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html",
    ),
    "verify_connectivity": Source(
        "Verifying Amazon ECS stopped task connectivity", _ECS + "verify-connectivity.html"
    ),
    "pending_kc": Source(
        "Why are my Amazon ECS tasks on Fargate stuck in the PENDING state? (re:Post)",
        "https://repost.aws/knowledge-center/ecs-fargate-tasks-pending-state",
    ),
    "cannot_pull": Source("CannotPullContainer task errors", _ECS + "task_cannot_pull_image.html"),
    "resource_init": Source(
        "Troubleshooting Amazon ECS ResourceInitializationError errors",
        _ECS + "resource-initialization-error.html",
    ),
    "unable_to_pull_secrets_kc": Source(
        "How do I troubleshoot 'unable to pull secrets or registry auth' on Fargate? (re:Post)",
        "https://repost.aws/knowledge-center/ecs-unable-to-pull-secrets",
    ),
    "pull_through_cache": Source(
        "Sync an upstream registry with an Amazon ECR private registry",
        _ECR + "pull-through-cache.html",
    ),
    "ecr_replication": Source("Private image replication in Amazon ECR", _ECR + "replication.html"),
    "ecr_requests": Source(
        "Making requests to Amazon ECR registries", _ECR + "ecr-requests.html"
    ),
    "private_auth": Source(
        "Private registry authentication for tasks", _ECS + "private-auth.html"
    ),
    "secrets": Source(
        "Pass sensitive data to an Amazon ECS container", _ECS + "specifying-sensitive-data.html"
    ),
    "awslogs": Source("Send Amazon ECS logs to CloudWatch", _ECS + "using_awslogs.html"),
    "firelens": Source(
        "Send Amazon ECS logs to an AWS service or AWS Partner", _ECS + "using_firelens.html"
    ),
    "efs": Source("Use Amazon EFS volumes with Amazon ECS", _ECS + "efs-volumes.html"),
    "efs_kc": Source(
        "How do I mount an Amazon EFS file system on an ECS task running on Fargate? (re:Post)",
        "https://repost.aws/knowledge-center/ecs-fargate-mount-efs-containers-tasks",
    ),
    "ecs_exec": Source("Monitor Amazon ECS containers with ECS Exec", _ECS + "ecs-exec.html"),
    "platform_versions": Source(
        "Fargate platform versions for Amazon ECS", _ECS + "platform-fargate.html"
    ),
    "platform_retired": Source(
        "AWS Fargate Linux platform version deprecation", _ECS + "platform-versions-retired.html"
    ),
    "windows": Source(
        "Windows containers on AWS Fargate considerations",
        _ECS + "fargate-tasks-services.html#fargate-task-os",
    ),
    "arm64": Source(
        "Amazon ECS task definitions for 64-bit ARM workloads", _ECS + "ecs-arm64.html"
    ),
    "account_settings": Source(
        "Managing Amazon ECS account settings using the AWS CLI",
        _ECS + "account-setting-management-cli.html",
    ),
    "load_balancing": Source(
        "Use load balancing to distribute Amazon ECS service traffic",
        _ECS + "service-load-balancing.html",
    ),
    "gwlb": Source("Use a Gateway Load Balancer for Amazon ECS", _ECS + "glb.html"),
    "alb": Source("Use an Application Load Balancer for Amazon ECS", _ECS + "alb.html"),
    "nlb": Source("Use a Network Load Balancer for Amazon ECS", _ECS + "nlb.html"),
    "cfn_service_lb": Source(
        "AWS::ECS::Service LoadBalancer (CloudFormation)",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
        "aws-properties-ecs-service-loadbalancer.html",
    ),
    "vpc_dns": Source(
        "DNS attributes for your VPC",
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html",
    ),
    "nat64": Source(
        "DNS64 and NAT64",
        "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html",
    ),
    "roadmap_2792": Source(
        "containers-roadmap #2792: Fargate pulls from ECR over IPv4 in dual-stack subnets",
        "https://github.com/aws/containers-roadmap/issues/2792",
    ),
    "public_ipv4_pricing": Source(
        "Amazon VPC pricing: public IPv4 addresses", "https://aws.amazon.com/vpc/pricing/"
    ),
    "elb_create_target_group": Source(
        "CreateTargetGroup (Elastic Load Balancing API Reference)",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/"
        "API_CreateTargetGroup.html",
    ),
    "ecr_put_replication": Source(
        "PutReplicationConfiguration (Amazon ECR API Reference)",
        "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/"
        "API_PutReplicationConfiguration.html",
    ),
    "ecr_replication_backfill": Source(
        "Replication backfill (Amazon ECR)", _ECR + "replication-backfill.html"
    ),
    "efs_dns_name": Source(
        "Mounting on Amazon EC2 with a DNS name (Amazon EFS)",
        "https://docs.aws.amazon.com/efs/latest/ug/mounting-fs-mount-cmd-dns-name.html",
    ),
    "windows_foreign_layers": Source(
        "Announcing removal of foreign layers from Windows container images (Microsoft, June "
        "2023)",
        "https://techcommunity.microsoft.com/t5/containers/"
        "announcing-removal-of-foreign-layers-from-windows-container/ba-p/3846833",
    ),
    # --- Network-detail rules (checked against AWS pages; notes in facts12) ------------------
    "vpc_sg_rules": Source(
        "Security group rules (Amazon VPC)",
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    ),
    "vpc_default_sg": Source(
        "Default security groups for your VPCs",
        "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
    ),
    "cfn_security_group": Source(
        "AWS::EC2::SecurityGroup (CloudFormation)",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
        "aws-resource-ec2-securitygroup.html",
    ),
    "cfn_roadmap_2241": Source(
        "cloudformation-coverage-roadmap #2241: AWS::EC2::SecurityGroup gets no IPv6 egress by "
        "default",
        "https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2241",
    ),
    "cfn_ecs_awsvpc": Source(
        "AWS::ECS::Service AwsVpcConfiguration (CloudFormation)",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
        "aws-properties-ecs-service-awsvpcconfiguration.html",
    ),
    "vpce_access": Source(
        "Control access to VPC endpoints using endpoint policies (AWS PrivateLink)",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
    ),
    "gateway_endpoints": Source(
        "Gateway endpoints (AWS PrivateLink)",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
    ),
    "ec2_create_vpc_endpoint": Source(
        "CreateVpcEndpoint (Amazon EC2 API Reference)",
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html",
    ),
    "create_interface_endpoint": Source(
        "Access an AWS service using an interface VPC endpoint (AWS PrivateLink)",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    ),
    "vpc_nacls": Source(
        "Control subnet traffic with network access control lists (Amazon VPC)",
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    ),
    "iam_access_denied": Source(
        "Troubleshoot access denied error messages (IAM)",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
    ),
    "ecr_repo_policies": Source(
        "Private repository policies in Amazon ECR", _ECR + "repository-policies.html"
    ),
    "ecr_repo_policy_examples": Source(
        "Private repository policy examples in Amazon ECR", _ECR + "repository-policy-examples.html"
    ),
    "r53_phz_considerations": Source(
        "Considerations when working with a private hosted zone (Route 53)",
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/"
        "hosted-zone-private-considerations.html",
    ),
    "whitepaper_central_endpoints": Source(
        "Centralized access to VPC private endpoints (Building a Scalable and Secure Multi-VPC AWS "
        "Network Infrastructure)",
        "https://docs.aws.amazon.com/whitepapers/latest/"
        "building-scalable-secure-multi-vpc-network-infrastructure/"
        "centralized-access-to-vpc-private-endpoints.html",
    ),
    "blog_central_endpoints": Source(
        "Centralize access using VPC interface endpoints to access AWS services across multiple "
        "VPCs (AWS blog)",
        "https://aws.amazon.com/blogs/networking-and-content-delivery/"
        "centralize-access-using-vpc-interface-endpoints/",
    ),
    "roadmap_1123": Source(
        "containers-roadmap #1123: DNS configuration for containers on Fargate (awsvpc)",
        "https://github.com/aws/containers-roadmap/issues/1123",
    ),
    "docker_allowlist": Source(
        "Allowlist for Docker Desktop (Docker docs)",
        "https://docs.docker.com/desktop/setup/allow-list/",
    ),
    "roadmap_98": Source(
        "containers-roadmap #98: Fargate tasks: ability to set a proxy to be used",
        "https://github.com/aws/containers-roadmap/issues/98",
    ),
    "sm_cross_account": Source(
        "Access AWS Secrets Manager secrets from a different account",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/"
        "auth-and-access_examples_cross.html",
    ),
    "ecs_api_secret": Source(
        "Secret (Amazon ECS API Reference)",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html",
    ),
    "blog_privatelink_cross_region": Source(
        "Introducing Cross-Region Connectivity for AWS PrivateLink (AWS blog)",
        "https://aws.amazon.com/blogs/networking-and-content-delivery/"
        "introducing-cross-region-connectivity-for-aws-privatelink",
    ),
    "ecs_api_log_configuration": Source(
        "LogConfiguration (Amazon ECS API Reference)",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html",
    ),
    "tf_ecs_pr_313": Source(
        "terraform-aws-ecs #313: add logs:CreateLogGroup to the task execution policy",
        "https://github.com/terraform-aws-modules/terraform-aws-ecs/pull/313",
    ),
    "elb_target_health": Source(
        "TargetHealth (Elastic Load Balancing API Reference)",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html",
    ),
    "alb_check_target_health": Source(
        "Check the health of your Application Load Balancer targets",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
        "check-target-health.html",
    ),
    "ecs_api_execute_command": Source(
        "ExecuteCommand (Amazon ECS API Reference)",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ExecuteCommand.html",
    ),
    "roadmap_1359": Source(
        "containers-roadmap #1359: ECS Exec: support readonlyRootFilesystem containers",
        "https://github.com/aws/containers-roadmap/issues/1359",
    ),
    "ecs_exec_checker_21": Source(
        "amazon-ecs-exec-checker #21: readonlyRootFilesystem should be false to use ECS Exec",
        "https://github.com/aws-containers/amazon-ecs-exec-checker/issues/21",
    ),
    "blog_ecs_ipv6_only": Source(
        "Amazon ECS announces IPv6-only support (AWS blog)",
        "https://aws.amazon.com/blogs/containers/amazon-ecs-announces-ipv6-only-support",
    ),
    "env_files": Source(
        "EnvironmentFile (Amazon ECS API Reference): Linux platform version 1.4.0 or later, "
        "Windows 1.0.0 or later",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EnvironmentFile.html",
    ),
    "dhcp_options": Source(
        "DHCP option set concepts (Amazon VPC User Guide)",
        "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html",
    ),
    "service_connect": Source(
        "Use Service Connect to connect Amazon ECS services with short names",
        _ECS + "service-connect.html",
    ),
    # Findings about where resources live (issue 12)
    "cloud_map_namespaces": Source(
        "Creating an AWS Cloud Map namespace to group application services",
        "https://docs.aws.amazon.com/cloud-map/latest/dg/creating-namespaces.html",
    ),
    # Inbound path, EFS options and ECS Exec options (issue 12, inbound findings).
    "efs_authorization_config": Source(
        "EFSAuthorizationConfig (Amazon ECS API Reference): IAM authorization and access "
        "points need transit encryption",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSAuthorizationConfig.html",
    ),
    "efs_utils_90": Source(
        "aws/efs-utils #90: \"Failed to resolve\" when the VPC has no mount target for the file "
        "system",
        "https://github.com/aws/efs-utils/issues/90",
    ),
    "efs_create_mount_target": Source(
        "CreateMountTarget (Amazon EFS API Reference)",
        "https://docs.aws.amazon.com/efs/latest/ug/API_CreateMountTarget.html",
    ),
    "nlb_security_groups": Source(
        "Update the security groups for your Network Load Balancer (Elastic Load Balancing)",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/"
        "load-balancer-security-groups.html",
    ),
    "kc_load_balancer_security_group": Source(
        "How do I attach a security group to my Elastic Load Balancing load balancer? (re:Post)",
        "https://repost.aws/knowledge-center/security-group-load-balancer",
    ),
    "ecs_api_update_service": Source(
        "UpdateService (Amazon ECS API Reference): healthCheckGracePeriodSeconds",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html",
    ),
    "elb_set_subnets": Source(
        "SetSubnets (Elastic Load Balancing API Reference)",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSubnets.html",
    ),
    # Filters on the way: security groups, ACLs, DNS, endpoint policies, firewalls, capacity
    # (issue 12, security findings).
    "ecs_rolling_update": Source(
        "Deploy Amazon ECS services by replacing tasks (rolling update): maximumPercent",
        _ECS + "deployment-type-ecs.html",
    ),
    "ec2_modify_vpc_endpoint": Source(
        "ModifyVpcEndpoint (Amazon EC2 API Reference): route tables, security groups, "
        "IpAddressType",
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html",
    ),
    "r53_phz_cross_account": Source(
        "Associating an Amazon VPC and a private hosted zone that you created with different "
        "AWS accounts (Route 53)",
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/"
        "hosted-zone-private-associate-vpcs-different-accounts.html",
    ),
    "nfw_domain_list": Source(
        "RulesSourceList (AWS Network Firewall API Reference): domain list rule groups, "
        "SNI-based for HTTPS",
        "https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_RulesSourceList.html",
    ),
    "aws_managed_prefix_lists": Source(
        "AWS-managed prefix lists (Amazon VPC User Guide)",
        "https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html",
    ),
}
