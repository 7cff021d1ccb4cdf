/**
 * The compute environment and job queue calls of `AwsBackend`.
 * @module
 */
import type { CallOptions, PageOptions } from "../backend.ts";
import type {
  ComputeEnvironment,
  ComputeEnvironmentInput,
  ComputeEnvironmentUpdate,
  JobQueue,
  JobQueueInput,
  JobQueueUpdate,
} from "../backend_types.ts";
import type { BatchCall, In } from "./_batch_call.ts";
import { chunk, clampPageSize } from "./_batching.ts";
import { clean, toComputeEnvironment, toJobQueue } from "./_map.ts";

/** One page of compute environments; named ones are asked 100 per call and come back in one page. */
export async function describeComputeEnvironments(
  call: BatchCall,
  names?: string[],
  options: PageOptions = {},
): Promise<{ computeEnvironments: ComputeEnvironment[]; nextToken?: string }> {
  if (names && names.length > 0) {
    const all: ComputeEnvironment[] = [];
    for (const list of chunk([...new Set(names)], 100)) {
      const out = await call(
        "DescribeComputeEnvironments",
        (c, s, h) => c.send(new s.DescribeComputeEnvironmentsCommand({ computeEnvironments: list }), h),
        options,
      );
      all.push(...(out.computeEnvironments ?? []).map(toComputeEnvironment));
    }
    return { computeEnvironments: all };
  }
  const input = clean({ nextToken: options.nextToken, maxResults: clampPageSize(options.maxResults, 100) });
  const out = await call(
    "DescribeComputeEnvironments",
    (c, s, h) => c.send(new s.DescribeComputeEnvironmentsCommand(input), h),
    options,
  );
  return clean({
    computeEnvironments: (out.computeEnvironments ?? []).map(toComputeEnvironment),
    nextToken: out.nextToken,
  });
}

/** Creates a compute environment. */
export async function createComputeEnvironment(
  call: BatchCall,
  input: ComputeEnvironmentInput,
  options: CallOptions = {},
): Promise<{ arn: string }> {
  const out = await call(
    "CreateComputeEnvironment",
    (c, s, h) =>
      c.send(
        new s.CreateComputeEnvironmentCommand(
          input as In<"CreateComputeEnvironmentCommand">,
        ),
        h,
      ),
    options,
  );
  return { arn: out.computeEnvironmentArn ?? "" };
}

/** Updates a compute environment's state or maximum vCPUs. */
export async function updateComputeEnvironment(
  call: BatchCall,
  name: string,
  update: ComputeEnvironmentUpdate,
  options: CallOptions = {},
): Promise<void> {
  const input = clean({
    computeEnvironment: name,
    state: update.state,
    computeResources: update.maxvCpus !== undefined ? { maxvCpus: update.maxvCpus } : undefined,
  });
  await call(
    "UpdateComputeEnvironment",
    (c, s, h) => c.send(new s.UpdateComputeEnvironmentCommand(input), h),
    {
      ...options,
      notFound: `Compute environment '${name}'`,
    },
  );
}

/** Deletes a compute environment. */
export async function deleteComputeEnvironment(
  call: BatchCall,
  name: string,
  options: CallOptions = {},
): Promise<void> {
  await call(
    "DeleteComputeEnvironment",
    (c, s, h) => c.send(new s.DeleteComputeEnvironmentCommand({ computeEnvironment: name }), h),
    {
      ...options,
      notFound: `Compute environment '${name}'`,
    },
  );
}

/** One page of job queues; named ones are asked 100 per call and come back in one page. */
export async function describeJobQueues(
  call: BatchCall,
  names?: string[],
  options: PageOptions = {},
): Promise<{ jobQueues: JobQueue[]; nextToken?: string }> {
  if (names && names.length > 0) {
    const all: JobQueue[] = [];
    for (const list of chunk([...new Set(names)], 100)) {
      const out = await call(
        "DescribeJobQueues",
        (c, s, h) => c.send(new s.DescribeJobQueuesCommand({ jobQueues: list }), h),
        options,
      );
      all.push(...(out.jobQueues ?? []).map(toJobQueue));
    }
    return { jobQueues: all };
  }
  const input = clean({ nextToken: options.nextToken, maxResults: clampPageSize(options.maxResults, 100) });
  const out = await call(
    "DescribeJobQueues",
    (c, s, h) => c.send(new s.DescribeJobQueuesCommand(input), h),
    options,
  );
  return clean({ jobQueues: (out.jobQueues ?? []).map(toJobQueue), nextToken: out.nextToken });
}

/** Creates a job queue. */
export async function createJobQueue(
  call: BatchCall,
  input: JobQueueInput,
  options: CallOptions = {},
): Promise<{ arn: string }> {
  const out = await call(
    "CreateJobQueue",
    (c, s, h) => c.send(new s.CreateJobQueueCommand(input as In<"CreateJobQueueCommand">), h),
    options,
  );
  return { arn: out.jobQueueArn ?? "" };
}

/** Updates a job queue's state, priority or compute environments. */
export async function updateJobQueue(
  call: BatchCall,
  name: string,
  update: JobQueueUpdate,
  options: CallOptions = {},
): Promise<void> {
  const input = clean({ jobQueue: name, ...update });
  await call("UpdateJobQueue", (c, s, h) => c.send(new s.UpdateJobQueueCommand(input), h), {
    ...options,
    notFound: `Job queue '${name}'`,
  });
}

/** Deletes a job queue. */
export async function deleteJobQueue(call: BatchCall, name: string, options: CallOptions = {}): Promise<void> {
  await call("DeleteJobQueue", (c, s, h) => c.send(new s.DeleteJobQueueCommand({ jobQueue: name }), h), {
    ...options,
    notFound: `Job queue '${name}'`,
  });
}
