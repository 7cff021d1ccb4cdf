/**
 * A stateful fake of the AWS Batch infrastructure calls `ezbatch setup` makes, over aws-sdk-client-mock, so setup
 * runs through the real `AwsBackend` (and its request mapping) against IAM, EC2 and Batch fakes together. It answers
 * with the shapes of the AWS Batch API Reference and refuses what AWS refuses:
 * - CreateComputeEnvironment (API_CreateComputeEnvironment.html, API_ComputeResource.html): a FARGATE or
 *   FARGATE_SPOT environment takes none of the EC2-only members (allocationStrategy, minvCpus, desiredvCpus,
 *   instanceTypes, imageId, ec2KeyPair, instanceRole, tags, placementGroup, bidPercentage, spotIamFleetRole,
 *   launchTemplate, ec2Configuration: "Don't specify it"); a name is unique.
 * - CreateJobQueue (API_CreateJobQueue.html): 1-3 environments that exist and are VALID, not mixing EC2/SPOT with
 *   FARGATE; describe answers environment ARNs in `computeEnvironmentOrder` (API_ComputeEnvironmentOrder.html).
 * - DeleteJobQueue needs DISABLED; DeleteComputeEnvironment needs DISABLED and no queue using it.
 * Every other Batch call fails the test. Errors are ClientException, as AWS answers them.
 */
import {
  BatchClient,
  ClientException,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  mockClient,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
} from "../../support/deps.ts";
import { batchArn } from "../../support/aws_shapes.ts";
import { AwsBackend } from "../../../core/aws/aws_backend.ts";
import type { InjectedClients } from "../../../core/aws/clients.ts";

type Obj = Record<string, unknown>;
// deno-lint-ignore no-explicit-any
type Input = any;

const FARGATE_FORBIDDEN = [
  "allocationStrategy",
  "minvCpus",
  "desiredvCpus",
  "instanceTypes",
  "imageId",
  "ec2KeyPair",
  "instanceRole",
  "tags",
  "placementGroup",
  "bidPercentage",
  "spotIamFleetRole",
  "launchTemplate",
  "ec2Configuration",
];

const refuse = (message: string) => new ClientException({ message, $metadata: { httpStatusCode: 400 } });
const nameOf = (nameOrArn: string) => nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1);

/** The Batch side of a fake account: its environments and queues, and the requests it received. */
export class FakeBatch {
  client = new BatchClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  environments = new Map<string, Obj>();
  queues = new Map<string, Obj>();
  /** Every request, as `Operation` and its input. */
  requests: { operation: string; input: Obj }[] = [];
  /** Operations refused with AccessDeniedException (403), as for a user without the permission. */
  denied = new Set<string>();

  constructor() {
    const batch = mockClient(this.client);
    const log = (operation: string, input: Obj) => {
      this.requests.push({ operation, input: structuredClone(input) });
      if (this.denied.has(operation)) {
        const e = new Error(`User is not authorized to perform: batch:${operation}`);
        throw Object.assign(e, { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
      }
    };
    batch.onAnyCommand().callsFake((input: Obj) => {
      throw new Error(`The fake Batch does not answer this call: ${JSON.stringify(input)}`);
    });
    batch.on(DescribeComputeEnvironmentsCommand).callsFake((i: Input) => {
      log("DescribeComputeEnvironments", i);
      const wanted: string[] | undefined = i.computeEnvironments?.map(nameOf);
      const list = [...this.environments.values()].filter((c) =>
        !wanted || wanted.includes(c.computeEnvironmentName as string)
      );
      return { computeEnvironments: structuredClone(list) };
    });
    batch.on(CreateComputeEnvironmentCommand).callsFake((i: Input) => {
      log("CreateComputeEnvironment", i);
      const name: string = i.computeEnvironmentName;
      if (this.environments.has(name)) throw refuse(`Object already exists: ${name}`);
      const resources = i.computeResources ?? {};
      if (resources.type === "FARGATE" || resources.type === "FARGATE_SPOT") {
        const bad = FARGATE_FORBIDDEN.filter((k) => resources[k] !== undefined);
        if (bad.length) throw refuse(`${bad.join(", ")} cannot be specified for Fargate compute resources`);
      }
      const arn = batchArn("compute-environment", name);
      this.environments.set(name, {
        computeEnvironmentName: name,
        computeEnvironmentArn: arn,
        ecsClusterArn: `arn:aws:ecs:us-east-1:123456789012:cluster/AWSBatch-${name}`,
        type: i.type,
        state: i.state ?? "ENABLED",
        status: "VALID",
        statusReason: "ComputeEnvironment Healthy",
        computeResources: structuredClone(resources),
        serviceRole: "arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch",
        tags: structuredClone(i.tags ?? {}),
        containerOrchestrationType: "ECS",
        uuid: crypto.randomUUID(),
      });
      return { computeEnvironmentName: name, computeEnvironmentArn: arn };
    });
    batch.on(UpdateComputeEnvironmentCommand).callsFake((i: Input) => {
      log("UpdateComputeEnvironment", i);
      const ce = this.environments.get(nameOf(i.computeEnvironment));
      if (!ce) throw refuse(`Compute environment ${i.computeEnvironment} does not exist`);
      if (i.state) ce.state = i.state;
      return { computeEnvironmentName: ce.computeEnvironmentName, computeEnvironmentArn: ce.computeEnvironmentArn };
    });
    batch.on(DeleteComputeEnvironmentCommand).callsFake((i: Input) => {
      log("DeleteComputeEnvironment", i);
      const name = nameOf(i.computeEnvironment);
      const ce = this.environments.get(name);
      if (!ce) throw refuse(`Compute environment ${name} does not exist`);
      if (ce.state !== "DISABLED") throw refuse(`Cannot delete, found existing JobQueue relationship or state ENABLED`);
      const used = [...this.queues.values()].some((q) =>
        (q.computeEnvironmentOrder as { computeEnvironment: string }[]).some((o) =>
          nameOf(o.computeEnvironment) === name
        )
      );
      if (used) throw refuse(`Cannot delete, found existing JobQueue relationship`);
      this.environments.delete(name);
      return {};
    });
    batch.on(DescribeJobQueuesCommand).callsFake((i: Input) => {
      log("DescribeJobQueues", i);
      const wanted: string[] | undefined = i.jobQueues?.map(nameOf);
      const list = [...this.queues.values()].filter((q) => !wanted || wanted.includes(q.jobQueueName as string));
      return { jobQueues: structuredClone(list) };
    });
    batch.on(CreateJobQueueCommand).callsFake((i: Input) => {
      log("CreateJobQueue", i);
      const name: string = i.jobQueueName;
      if (this.queues.has(name)) throw refuse(`Object already exists: ${name}`);
      const order = i.computeEnvironmentOrder as { order: number; computeEnvironment: string }[];
      if (order.length < 1 || order.length > 3) throw refuse("A job queue takes 1 to 3 compute environments");
      const envs = order.map((o) => this.environments.get(nameOf(o.computeEnvironment)));
      if (envs.some((c) => !c || c.status !== "VALID")) throw refuse("A compute environment is missing or not VALID");
      const kinds = new Set(envs.map((c) => String((c!.computeResources as Obj).type).startsWith("FARGATE")));
      if (kinds.size > 1) throw refuse("A job queue cannot mix EC2 and Fargate compute environments");
      const arn = batchArn("job-queue", name);
      this.queues.set(name, {
        jobQueueName: name,
        jobQueueArn: arn,
        state: i.state ?? "ENABLED",
        status: "VALID",
        statusReason: "JobQueue Healthy",
        priority: i.priority,
        computeEnvironmentOrder: order.map((o, n) => ({
          order: o.order,
          computeEnvironment: envs[n]!.computeEnvironmentArn,
        })),
        tags: structuredClone(i.tags ?? {}),
        jobQueueType: kinds.has(true) ? "ECS_FARGATE" : "ECS",
      });
      return { jobQueueName: name, jobQueueArn: arn };
    });
    batch.on(UpdateJobQueueCommand).callsFake((i: Input) => {
      log("UpdateJobQueue", i);
      const q = this.queues.get(nameOf(i.jobQueue));
      if (!q) throw refuse(`Job queue ${i.jobQueue} does not exist`);
      if (i.state) q.state = i.state;
      return { jobQueueName: q.jobQueueName, jobQueueArn: q.jobQueueArn };
    });
    batch.on(DeleteJobQueueCommand).callsFake((i: Input) => {
      log("DeleteJobQueue", i);
      const q = this.queues.get(nameOf(i.jobQueue));
      if (!q) throw refuse(`Job queue ${i.jobQueue} does not exist`);
      if (q.state !== "DISABLED") throw refuse("Job queue must be DISABLED before it is deleted");
      this.queues.delete(nameOf(i.jobQueue));
      return {};
    });
  }

  /** The inputs of `operation`, in order. */
  inputs(operation: string): Obj[] {
    return this.requests.filter((r) => r.operation === operation).map((r) => r.input);
  }
}

/** The AWS backend `ezbatch setup` uses, over the fake account's IAM and EC2 clients and `batch`. */
export function fakeAwsBackend(account: { iam: unknown; ec2: unknown }, batch: FakeBatch): AwsBackend {
  return new AwsBackend({ inject: { batch: batch.client, iam: account.iam, ec2: account.ec2 } as InjectedClients });
}
