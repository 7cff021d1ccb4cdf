import assert from "node:assert/strict";
import type { ListJobsQuery } from "../../core/backend_types.ts";
import type { PageOptions } from "../../core/backend.ts";
import { WorkflowError } from "../../core/errors.ts";
import { planWorkflow } from "../../core/plan.ts";
import { prepareResume, resumeWorkflow } from "../../core/resume.ts";
import { findRun } from "../../core/run.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { chain, job, workflow } from "./_jobs.ts";

const opts = { ratePerSecond: 10_000 };

/** What a `workflow submit` killed (kill -9) after `k` jobs leaves behind: the first k jobs of the plan. */
async function killedAfter(backend: MemoryBackend, wf: ReturnType<typeof workflow>, k: number, runId = "r1") {
  const plan = planWorkflow(wf, { runId });
  return await submitWorkflow(backend, { ...plan, submissions: plan.submissions.slice(0, k) }, opts);
}

/** Twelve jobs: a..i independent, then j -> k -> l. */
function twelve() {
  const names = "abcdefghijkl".split("");
  return workflow(
    Object.fromEntries(names.map((n) => [n, job({ platform: "EC2", command: `echo ${n}` })])),
    { k: ["j"], l: ["k"] },
  );
}

Deno.test("findRun() calls a run killed after 4 of 12 submissions INCOMPLETE, from its tags alone or by name", async () => {
  const backend = new MemoryBackend();
  const run = await killedAfter(backend, twelve(), 4);
  for (const id of Object.values(run.jobs)) backend.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });

  const blind = await findRun(backend, { workflow: "wf", runId: "r1", queues: ["q"] });
  assert.equal(blind.summary.state, "INCOMPLETE");
  assert.equal(blind.summary.succeeded, false);
  assert.equal(blind.summary.finished, true, "nothing more will change by itself");
  assert.deepEqual([blind.summary.total, blind.summary.expected, blind.summary.notSubmitted], [4, 12, 8]);
  assert.deepEqual(blind.missing, [], "without the file only the count is known");

  const named = await findRun(backend, {
    workflow: "wf",
    runId: "r1",
    queues: ["q"],
    jobNames: Object.keys(twelve().jobs),
  });
  assert.deepEqual(named.missing, ["e", "f", "g", "h", "i", "j", "k", "l"]);
  assert.equal(named.plans.length, 1);
});

Deno.test("resumeWorkflow() submits exactly the 8 missing jobs, once, wired to the kept ids; again it submits none", async () => {
  const backend = new MemoryBackend();
  const wf = twelve();
  const first = await killedAfter(backend, wf, 10); // a..i and j
  for (const id of Object.values(first.jobs)) backend.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });
  const before = backend.calls.submitJob ?? 0;

  const { resume, run, jobs } = await resumeWorkflow(backend, wf, { ...opts, runId: "r1", queues: ["q"] });
  assert.equal((backend.calls.submitJob ?? 0) - before, 2);
  assert.deepEqual(resume.steps.filter((s) => s.action === "submit").map((s) => [s.job, s.attempt, s.reason]), [
    ["k", 1, "never submitted"],
    ["l", 1, "never submitted"],
  ]);
  assert.deepEqual(Object.keys(run!.jobs).sort(), ["k", "l"]);
  assert.deepEqual(backend.jobs.get(run!.jobs.k!)!.dependsOn, [{ jobId: first.jobs.j! }], "waits for the kept j");
  assert.deepEqual(backend.jobs.get(run!.jobs.l!)!.dependsOn, [{ jobId: run!.jobs.k! }]);
  assert.equal(backend.jobs.get(run!.jobs.k!)!.jobName, "wf-r1-k", "a first attempt keeps the plain name");
  assert.equal(Object.keys(jobs).length, 12);

  const again = await resumeWorkflow(backend, wf, { ...opts, runId: "r1", queues: ["q"] });
  assert.equal(again.run, undefined);
  assert.equal((backend.calls.submitJob ?? 0) - before, 2, "a second resume submits nothing");
  assert.ok(again.resume.steps.every((s) => s.action === "keep"));
  const found = await findRun(backend, { workflow: "wf", runId: "r1", queues: ["q"] });
  assert.equal(found.summary.notSubmitted, 0);
  assert.equal(found.summary.total, 12);
});

Deno.test("resumeWorkflow() resubmits a failed job in a chain and what waits for it, as attempt 2, keeping history", async () => {
  const backend = new MemoryBackend();
  const wf = chain(4);
  const first = await submitWorkflow(backend, wf, { ...opts, runId: "r1" });
  backend.setJobStatus(first.jobs.j0!, "SUCCEEDED", { exitCode: 0 });
  backend.setJobStatus(first.jobs.j1!, "FAILED", { exitCode: 3, reason: "Essential container in task exited" });
  backend.setJobStatus(first.jobs.j2!, "FAILED", { reason: "Dependent Job failed" });
  // j3 is still PENDING behind the failed j2: AWS would fail it soon; resume replaces it now.

  const { resume, run, stopped } = await resumeWorkflow(backend, wf, { ...opts, runId: "r1", queues: ["q"] });
  assert.deepEqual(resume.steps.map((s) => [s.job, s.action, s.attempt]), [
    ["j0", "keep", 1],
    ["j1", "submit", 2],
    ["j2", "submit", 2],
    ["j3", "submit", 2],
  ]);
  assert.match(resume.steps[1]!.reason, /^FAILED: Essential container/);
  assert.equal(resume.steps[3]!.supersedes, first.jobs.j3);
  assert.deepEqual(stopped, [first.jobs.j3]);
  assert.equal(backend.jobs.get(first.jobs.j3!)!.status, "FAILED", "the replaced PENDING job was cancelled");
  const j1 = backend.jobs.get(run!.jobs.j1!)!;
  assert.equal(j1.jobName, "wf-r1-j1-2");
  assert.equal(j1.tags!["ezbatch:attempt"], "2");
  assert.deepEqual(j1.dependsOn, [{ jobId: first.jobs.j0! }]);

  const found = await findRun(backend, { workflow: "wf", runId: "r1", queues: ["q"] });
  const latest = Object.fromEntries(found.jobs.map((j) => [j.job, j]));
  assert.equal(latest.j1!.jobId, run!.jobs.j1);
  assert.equal(latest.j1!.attempt, 2);
  assert.deepEqual(latest.j1!.previous!.map((p) => [p.jobId, p.status]), [[first.jobs.j1, "FAILED"]]);
  assert.equal(found.summary.total, 4, "earlier attempts are history, not jobs");
  assert.equal(found.summary.state, "RUNNING");
});

Deno.test("resumeWorkflow() refuses a kept job whose request changed, naming job and field; --rerun-changed reruns it and its dependents", async () => {
  const backend = new MemoryBackend();
  const first = await submitWorkflow(backend, chain(3), { ...opts, runId: "r1" });
  for (const id of Object.values(first.jobs)) backend.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });
  const changed = chain(3);
  changed.jobs.j1 = job({ platform: "EC2", command: "echo changed" });
  const before = backend.calls.submitJob ?? 0;

  await assert.rejects(
    resumeWorkflow(backend, changed, { ...opts, runId: "r1", queues: ["q"] }),
    (e) =>
      e instanceof WorkflowError && e.issues.length === 1 && e.issues[0]!.job === "j1" &&
      e.issues[0]!.field === "command" && /--rerun-changed/.test(e.message),
  );
  assert.equal((backend.calls.submitJob ?? 0) - before, 0, "nothing submitted when refused");

  const { resume } = await resumeWorkflow(backend, changed, {
    ...opts,
    runId: "r1",
    queues: ["q"],
    rerunChanged: true,
  });
  assert.deepEqual(resume.steps.map((s) => [s.job, s.action, s.reason]), [
    ["j0", "keep", "SUCCEEDED"],
    ["j1", "submit", "changed: command"],
    ["j2", "submit", "waits for 'j1'"],
  ]);
  const found = await findRun(backend, { workflow: "wf", runId: "r1", queues: ["q"] });
  assert.equal(found.plans.length, 2, "the run now mixes two plans, and says so");
});

Deno.test("resume refuses a file that lost a job the run has, and a run that does not exist", async () => {
  const backend = new MemoryBackend();
  await submitWorkflow(backend, chain(3), { ...opts, runId: "r1" });
  const shorter = chain(2);
  await assert.rejects(
    prepareResume(backend, shorter, { runId: "r1", queues: ["q"] }),
    (e) => e instanceof WorkflowError && /no longer has/.test(e.message) && e.issues[0]!.job === "j2",
  );
  await assert.rejects(
    prepareResume(backend, chain(2), { runId: "nope", queues: ["q"] }),
    /No job of run 'nope'/,
  );
});

/** A queue listing as AWS may return it: array children (`<parent>:<index>`) next to their parent. */
class ListsChildren extends MemoryBackend {
  override async listJobs(query: ListJobsQuery, options?: PageOptions) {
    const page = await super.listJobs(query, options);
    const children = page.jobs.flatMap((j) =>
      this.jobs.get(j.jobId)?.arrayProperties?.size ? [0, 1].map((i) => ({ ...j, jobId: `${j.jobId}:${i}` })) : []
    );
    return { ...page, jobs: [...page.jobs, ...children] };
  }
  /** A child is described with its parent's name and tags, its own index and state (DescribeJobs reference). */
  override async describeJobs(ids: string[], options?: { signal?: AbortSignal }) {
    const parents = await super.describeJobs(ids.map((id) => id.split(":")[0]!), options);
    return ids.flatMap((id) => {
      const [parentId, index] = id.split(":");
      const parent = parents.find((p) => p.jobId === parentId);
      if (!parent) return [];
      if (index === undefined) return [parent];
      const { arrayProperties: _, ...rest } = parent;
      return [{ ...rest, jobId: id, status: "RUNNING" as const, arrayProperties: { index: Number(index) } }];
    });
  }
}

Deno.test("findRun() never takes an array child for its parent when a listing returns children", async () => {
  const backend = new ListsChildren();
  const wf = workflow({ sweep: job({ platform: "EC2", matrix: { X: ["1", "2"] } }), after: job({ platform: "EC2" }) }, {
    after: ["sweep"],
  });
  const run = await submitWorkflow(backend, wf, { ...opts, runId: "r1" });
  const found = await findRun(backend, { workflow: "wf", runId: "r1", queues: ["q"] });
  assert.deepEqual(found.jobs.map((j) => [j.job, j.jobId]).sort(), [
    ["after", run.jobs.after],
    ["sweep", run.jobs.sweep],
  ]);
  assert.equal(found.summary.total, 2);
  assert.ok(found.jobs.every((j) => j.previous === undefined), "children are no earlier attempts either");
});
