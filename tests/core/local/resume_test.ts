import assert from "node:assert/strict";
import { parseWorkflow } from "../../../core/load.ts";
import { planWorkflow } from "../../../core/plan.ts";
import { resumeWorkflow } from "../../../core/resume.ts";
import { findRun } from "../../../core/run.ts";
import { submitWorkflow } from "../../../core/submit.ts";
import { waitDone, withBackend } from "./_support.ts";

// prepare -> train -> report; 'train' fails until the marker file exists, as a fixed bug would stop failing.
const WORKFLOW = (marker: string) => `
name = "resumable"
queue = "ezbatch-local"
[jobs.prepare]
image = "alpine"
command = "echo prepared"
platform = "EC2"
memory = 64
[jobs.train]
image = "alpine"
command = "test -e ${marker}"
platform = "EC2"
memory = 64
[jobs.report]
image = "alpine"
command = "echo reported"
platform = "EC2"
memory = 64
[jobs.extra]
image = "alpine"
command = "echo extra"
platform = "EC2"
memory = 64
[dependencies]
train = ["prepare"]
report = ["train"]
`;

Deno.test("LocalBackend: a run killed part way is INCOMPLETE, and resume finishes it; a failed job is rerun with its dependents", async () => {
  await withBackend({}, async (backend, dir) => {
    const marker = `${dir}/fixed`;
    const wf = parseWorkflow(WORKFLOW(marker), { format: "toml" });
    const plan = planWorkflow(wf, { runId: "loc1" });
    // A crash after the first two submissions (plan order: prepare, train, ...).
    const cut = plan.submissions.findIndex((s) => s.job === "train") + 1;
    const first = await submitWorkflow(backend, { ...plan, submissions: plan.submissions.slice(0, cut) });
    await waitDone(backend, Object.values(first.jobs));

    const found = await findRun(backend, { workflow: "resumable", runId: "loc1", jobNames: Object.keys(wf.jobs) });
    assert.equal(found.summary.state, "INCOMPLETE");
    assert.deepEqual(found.missing.sort(), ["extra", "report"]);
    assert.equal(found.jobs.find((j) => j.job === "train")!.status, "FAILED");

    await Deno.writeTextFile(marker, "");
    const { resume, jobs } = await resumeWorkflow(backend, wf, { runId: "loc1" });
    assert.deepEqual(resume.steps.map((s) => `${s.job}:${s.action}:${s.attempt}`).sort(), [
      "extra:submit:1",
      "prepare:keep:1",
      "report:submit:1",
      "train:submit:2",
    ]);
    await waitDone(backend, Object.values(jobs));
    const done = await findRun(backend, { workflow: "resumable", runId: "loc1", jobNames: Object.keys(wf.jobs) });
    assert.equal(done.summary.state, "SUCCEEDED", JSON.stringify(done.jobs.map((j) => [j.job, j.status])));
    assert.equal(done.jobs.find((j) => j.job === "prepare")!.jobId, first.jobs.prepare, "prepare was kept");
    assert.equal(done.jobs.find((j) => j.job === "train")!.previous?.length, 1);
  });
});
