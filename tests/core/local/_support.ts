/** Helpers shared by the local backend tests. */
import type { JobDefinitionInput, JobDetail, JobStatus } from "../../../core/backend_types.ts";
import { LocalBackend, type LocalBackendOptions } from "../../../core/local/backend.ts";
import { StateStore } from "../../../core/local/store.ts";

/** A fresh in-process backend over a temporary state directory, closed and removed after `fn`. */
export async function withBackend(
  options: LocalBackendOptions,
  fn: (backend: LocalBackend, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-local-test-" });
  const backend = new LocalBackend({
    stateDir: dir,
    mode: "in-process",
    runtime: "host",
    tickMs: 20,
    killGraceMs: 300,
    ...options,
  });
  try {
    await fn(backend, dir);
  } finally {
    await backend.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Registers definition `name` running `script` with /bin/sh -c. */
export async function define(
  backend: LocalBackend,
  name: string,
  script: string,
  extra: Partial<JobDefinitionInput> = {},
): Promise<string> {
  const { jobDefinitionArn } = await backend.registerJobDefinition({
    jobDefinitionName: name,
    type: "container",
    platformCapabilities: ["EC2"],
    containerProperties: {
      image: "public.ecr.aws/docker/library/alpine:3.20",
      command: ["/bin/sh", "-c", script],
      resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "256" }],
    },
    ...extra,
  });
  return jobDefinitionArn;
}

/** Polls until every job is SUCCEEDED or FAILED (or throws after `timeoutMs`). */
export async function waitDone(backend: LocalBackend, ids: string[], timeoutMs = 8000): Promise<JobDetail[]> {
  return await waitFor(
    backend,
    ids,
    (jobs) => jobs.every((j) => j.status === "SUCCEEDED" || j.status === "FAILED"),
    timeoutMs,
  );
}

/** Polls until `ok(jobs)` holds (or throws after `timeoutMs`). */
export async function waitFor(
  backend: LocalBackend,
  ids: string[],
  ok: (jobs: JobDetail[]) => boolean,
  timeoutMs = 8000,
): Promise<JobDetail[]> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const jobs = await backend.describeJobs(ids);
    if (jobs.length === ids.length && ok(jobs)) return jobs;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting: ${jobs.map((j) => `${j.jobName}=${j.status}`).join(", ")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The recorded status changes of a job. */
export async function history(dir: string, jobId: string): Promise<JobStatus[]> {
  const state = await new StateStore(dir).read();
  return state.jobs[jobId]!.history.map((h: { status: JobStatus }) => h.status);
}

/** All log lines of the stream of a finished attempt. */
export async function logLines(backend: LocalBackend, stream: string | undefined): Promise<string[]> {
  if (!stream) throw new Error("No log stream");
  const page = await backend.getLogEvents({ group: "/aws/batch/job", stream }, { startFromHead: true });
  return page.events.map((e) => e.message);
}
