/**
 * Third-party code used by the tests, with full `npm:` specifiers; versions live here only.
 * @module
 */
export { default as fc } from "npm:fast-check@^4.3.0";
export { default as S3rver } from "npm:s3rver@^3.7.0";
export { mockClient } from "npm:aws-sdk-client-mock@^4.1.0";
export {
  BatchClient,
  CancelJobCommand,
  ClientException,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  CreateSchedulingPolicyCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  DeleteSchedulingPolicyCommand,
  DeregisterJobDefinitionCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  DescribeSchedulingPoliciesCommand,
  ListJobsCommand,
  ListSchedulingPoliciesCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
} from "npm:@aws-sdk/client-batch@^3.1000.0";
export {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from "npm:@aws-sdk/client-cloudwatch-logs@^3.1000.0";
export { GetCallerIdentityCommand, STSClient } from "npm:@aws-sdk/client-sts@^3.1000.0";
export { render as renderInk } from "npm:ink-testing-library@^4.0.0";
export { render as renderPrompt } from "npm:@inquirer/testing@^3.3.0";
export {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from "npm:@aws-sdk/client-iam@^3.1000.0";
export {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "npm:@aws-sdk/client-ec2@^3.1000.0";
