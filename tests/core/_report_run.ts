/**
 * A finished run seeded into a MemoryBackend with known timestamps (seconds after T0), for report tests:
 * `a` (Fargate 1 vCPU, 2 GiB) waits 10 s and runs 60 s; `b` (EC2 2 vCPU, 4 GiB, 1 GPU) waits for `a`, fails after
 * 30 s, is retried and runs 100 s; `c` (like `a`) waits for `a` and runs 20 s; `d` is an array of 2 children.
 */
import type { JobDetail } from "../../core/backend_types.ts";
import { RUN_TAG } from "../../core/run_tags.ts";
import { MemoryBackend } from "../support/memory_backend.ts";

/** The run's start, epoch ms. */
export const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);
const s = (seconds: number) => T0 + seconds * 1000;

function job(
  id: string,
  name: string,
  extra: Partial<JobDetail> & { size: [number, number, number?] },
): JobDetail {
  const { size, ...rest } = extra;
  const [vcpus, memory, gpus] = size;
  return {
    jobId: id,
    jobName: `wf-r1-${name}`,
    jobArn: `arn:aws:batch:eu-west-1:123456789012:job/${id}`,
    jobQueue: "arn:aws:batch:eu-west-1:123456789012:job-queue/q",
    jobDefinition: `arn:aws:batch:eu-west-1:123456789012:job-definition/def-${name}:1`,
    status: "SUCCEEDED",
    createdAt: s(0),
    tags: { [RUN_TAG.workflow]: "wf", [RUN_TAG.run]: "r1", [RUN_TAG.job]: name, [RUN_TAG.jobs]: "4" },
    platformCapabilities: [gpus ? "EC2" : "FARGATE"],
    container: {
      logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/aws/batch/job" } },
      resourceRequirements: [
        { type: "VCPU", value: String(vcpus) },
        { type: "MEMORY", value: String(memory) },
        ...(gpus ? [{ type: "GPU" as const, value: String(gpus) }] : []),
      ],
    },
    ...rest,
  };
}

const attempt = (start: number, stop: number, exitCode: number, stream: string) => ({
  startedAt: s(start),
  stoppedAt: s(stop),
  container: { exitCode, logStreamName: stream, ...(exitCode ? { reason: "Essential container exited" } : {}) },
  ...(exitCode ? { statusReason: "Essential container in task exited" } : {}),
});

/** The backend, holding the run `wf`/`r1` on queue `q`. */
export function seededRun(): MemoryBackend {
  const backend = new MemoryBackend();
  const jobs: JobDetail[] = [
    job("ja", "a", { size: [1, 2048], startedAt: s(10), stoppedAt: s(70), attempts: [attempt(10, 70, 0, "a/1")] }),
    job("jb", "b", {
      size: [2, 4096, 1],
      dependsOn: [{ jobId: "ja" }],
      startedAt: s(150),
      stoppedAt: s(250),
      attempts: [attempt(100, 130, 1, "b/1"), attempt(150, 250, 0, "b/2")],
    }),
    job("jc", "c", {
      size: [1, 2048],
      dependsOn: [{ jobId: "ja" }],
      startedAt: s(80),
      stoppedAt: s(100),
      attempts: [attempt(80, 100, 0, "c/1")],
    }),
    // An array parent: AWS gives it no start or stop (0 here, as some SDKs report a missing long).
    job("jd", "d", {
      size: [1, 2048],
      dependsOn: [{ jobId: "ja" }],
      startedAt: 0,
      stoppedAt: 0,
      arrayProperties: { size: 2, statusSummary: { SUCCEEDED: 2 } },
    }),
  ];
  for (const j of jobs) backend.jobs.set(j.jobId, j);
  for (const i of [0, 1]) {
    const child = job(`jd:${i}`, "d", {
      size: [1, 2048],
      createdAt: s(70),
      startedAt: s(75 + i * 5),
      stoppedAt: s(95 + i * 5),
      arrayProperties: { index: i },
      attempts: [attempt(75 + i * 5, 95 + i * 5, 0, `d/${i}`)],
    });
    // Children are not listed by name (the fake's listing skips them through their parent), only described.
    child.jobName = `wf-r1-d:${i}`;
    backend.jobs.set(child.jobId, child);
  }
  return backend;
}
