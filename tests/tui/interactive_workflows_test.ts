import assert from "node:assert/strict";
import { loadWorkflow } from "../../core/load.ts";
import { planWorkflow } from "../../core/plan.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { demoBackend } from "./_demo_backend.ts";
import { KEY, type ScriptedTerminal } from "./_terminal.ts";
import { MENU, QUIT, start, WORKFLOWS } from "./_workflow_session.ts";

/** Answers the container questions: command, and the defaults for image, platform and size. */
async function container(term: ScriptedTerminal, command: string) {
  await term.expect("Image");
  await term.type(KEY.enter);
  await term.expect("Command");
  await term.type(command, KEY.enter);
  await term.expect("Platform");
  await term.type(KEY.enter);
  await term.expect("vCPUs");
  await term.type(KEY.enter);
  await term.expect("Memory with 1 vCPU on Fargate");
  await term.type(KEY.enter);
  await term.expect("Give it a public IP?");
  await term.type(KEY.enter);
}

Deno.test("runInteractive() writes a new workflow step by step as commented TOML that loads back identically", async () => {
  const dir = await Deno.makeTempDir();
  const backend = await demoBackend();
  const { term, done } = start(backend, dir);
  await term.expect(MENU);
  await term.pick(WORKFLOWS);
  await term.pick(0);
  await term.expect("Workflow name");
  await term.type("bad name", KEY.enter);
  await term.expect("A name has letters, digits");
  await term.type(...Array(8).fill(KEY.backspace), "sweep", KEY.enter);
  await term.expect("File to write");
  await term.type(KEY.enter);
  await term.expect("Default queue of its jobs");
  await term.pick(0);
  await term.expect("Job name");
  await term.type("prep", KEY.enter);
  await container(term, "echo prep");
  await term.expect("Stage S3 data in or out (mounts)?");
  await term.type(KEY.enter);
  await term.expect("Sweep parameters (matrix)?");
  await term.type(KEY.enter);
  await term.expect("Workflow 'sweep' (1 jobs, unsaved)");
  await term.pick(0);
  await term.expect("Job name");
  await term.type("prep", KEY.enter);
  await term.expect("There is already a job 'prep'");
  await term.type(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, "train", KEY.enter);
  await container(term, "python train.py");
  await term.expect("Stage S3 data in or out (mounts)?");
  await term.type("y", KEY.enter);
  await term.expect("S3 data (0 read, 0 written)");
  await term.pick(1);
  await term.expect("From (s3://bucket/prefix/)");
  await term.type("bucket/raw", KEY.enter);
  await term.expect("Expected an S3 URI");
  await term.type(...Array(10).fill(KEY.backspace), "s3://my-bucket/raw/", KEY.enter);
  await term.expect("Into (path in the container)");
  await term.type("data", KEY.enter);
  await term.expect("Expected an absolute path in the container");
  await term.type(...Array(4).fill(KEY.backspace), "/data/in", KEY.enter);
  await term.expect("recursive");
  await term.type(KEY.enter);
  await term.expect("S3 data (1 read, 0 written)");
  await term.pick(0);
  await term.expect("Sweep parameters (matrix)?");
  await term.type("y", KEY.enter);
  await term.pick(1);
  await term.expect("Variable name");
  await term.type("LR", KEY.enter);
  await term.expect("Values, comma-separated");
  await term.type("0.1, 0.01", KEY.enter);
  await term.expect("Matrix: LR=[0.1,0.01] (2 children)");
  await term.pick(0);
  await term.expect("Jobs 'train' waits for");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Workflow 'sweep' (2 jobs, unsaved)");
  await term.pick(5);
  await term.expect(`Saved '${dir}/sweep.toml'.`);
  await term.expect(`CLI: ezbatch workflow validate ${dir}/sweep.toml`);
  const text = await Deno.readTextFile(`${dir}/sweep.toml`);
  assert.match(text, /^# ezbatch workflow 'sweep'/);
  assert.match(text, /# Job 'train': Fargate, 1 vCPU, 2048 MiB\.\n# Its matrix makes ONE array job of 2 children/);
  assert.match(text, /# Starts after: prep\./);
  const wf = await loadWorkflow(`${dir}/sweep.toml`);
  assert.equal(wf.queue, "main-queue");
  assert.deepEqual(Object.keys(wf.jobs), ["prep", "train"]);
  assert.deepEqual(wf.jobs.train!.matrix, { LR: ["0.1", "0.01"] });
  assert.deepEqual(wf.jobs.train!.mounts.read, [{
    source: "s3://my-bucket/raw/",
    destination: "/data/in",
    recursive: true,
  }]);
  assert.deepEqual(wf.dependencies, { train: [{ job: "prep" }] });

  await term.expect("Workflow 'sweep' (2 jobs)");
  await term.pick(8);
  await term.pick(2);
  await term.pick(QUIT);
  await done;
});

Deno.test("runInteractive() opens a workflow, removes a job others wait for, and saves it", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/wf.toml`,
    `name = "three"\nqueue = "main-queue"\n[jobs.a]\nimage = "alpine"\n[jobs.b]\nimage = "alpine"\n` +
      `[jobs.c]\nimage = "alpine"\n[dependencies]\nb = ["a"]\nc = ["a", "b"]\n`,
  );
  const { term, done } = start(await demoBackend(), dir);
  await term.expect(MENU);
  await term.pick(WORKFLOWS);
  await term.pick(1);
  await term.expect("Workflow file");
  await term.type("wf.yaml", KEY.enter);
  await term.expect("Expected a .toml or .json file");
  await term.type(...Array(4).fill(KEY.backspace), "toml", KEY.enter);
  await term.expect("Loaded workflow 'three' with 3 jobs.");
  await term.pick(2);
  await term.expect("Remove which job?");
  await term.pick(0);
  await term.expect("Remove job 'a'? b, c will no longer wait for it.");
  await term.type("y", KEY.enter);
  await term.expect("Workflow 'three' (2 jobs, unsaved)");
  await term.pick(8);
  await term.expect("Save the changes first?");
  await term.type(KEY.enter);
  await term.expect(`Saved '${dir}/wf.toml'.`);
  const wf = await loadWorkflow(`${dir}/wf.toml`);
  assert.deepEqual(Object.keys(wf.jobs), ["b", "c"]);
  assert.deepEqual(wf.dependencies, { c: [{ job: "b" }] });
  await term.pick(2);
  await term.pick(QUIT);
  await done;
});

Deno.test("runInteractive() opens a workflow file with a bad value in the editor, problems beside the job, to fix it there", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.toml`, `name = "bad"\n[jobs.a]\nimage = "alpine"\nvcpus = 3\n`);
  const { term, done } = start(await demoBackend(), dir);
  await term.expect(MENU);
  await term.pick(WORKFLOWS);
  await term.pick(1);
  await term.type("bad.toml", KEY.enter);
  await term.expect("'bad.toml' has 1 problem(s); fix them here");
  await term.expect("! jobs.a.vcpus: Job 'a' asks for 3 vCPU on Fargate");
  await term.expect("Workflow 'bad' (1 jobs, unsaved, 1 problem(s))");
  await term.pick(1); // Edit a job
  await term.expect("a  ! Job 'a' asks for 3 vCPU on Fargate");
  await term.type(KEY.enter);
  await term.expect("Problems of job 'a':");
  await term.expect("Image");
  await term.type(KEY.enter);
  await term.expect("Command");
  await term.type("echo fixed", KEY.enter);
  await term.expect("Platform");
  await term.type(KEY.enter);
  await term.expect("vCPUs");
  await term.type(KEY.enter); // 3 is not offered: 1 is the default
  await term.expect("Memory with 1 vCPU");
  await term.type(KEY.enter);
  await term.expect("Give it a public IP?");
  await term.type(KEY.enter);
  await term.expect("Stage S3 data");
  await term.type(KEY.enter);
  await term.expect("Sweep parameters");
  await term.type(KEY.enter);
  await term.expect("Workflow 'bad' (1 jobs, unsaved)");
  await term.pick(5); // Save
  await term.expect("Saved");
  await term.pick(8); // Close
  await term.pick(2);
  await term.pick(QUIT);
  await done;
  const wf = await loadWorkflow(`${dir}/bad.toml`);
  assert.equal(wf.jobs.a!.vcpus, 1);
});

Deno.test("runInteractive() plans and submits a workflow file, then watches the run to its end", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/sweep.toml`,
    `name = "sweep"\nqueue = "main-queue"\n[jobs.prep]\nimage = "alpine"\ncommand = "echo prep"\n` +
      `environment = { API_TOKEN = "t0k3n" }\nuser = "1000"\n` +
      `[jobs.train]\nimage = "alpine"\ncommand = "echo $LR"\nmatrix = { LR = ["0.1", "0.01"] }\n` +
      `[dependencies]\ntrain = ["prep"]\n`,
  );
  const backend = await demoBackend();
  const { term, done } = start(backend, dir);
  await term.expect(MENU);
  await term.pick(WORKFLOWS);
  await term.pick(1);
  await term.type("sweep.toml", KEY.enter);
  await term.expect("Workflow 'sweep' (2 jobs)");
  await term.pick(4);
  await term.expect("Warning: Job 'prep' sets environment variable 'API_TOKEN' in plain text");
  await term.expect("2 submission(s), in order:");
  await term.expect(/prep -> sweep-[a-z0-9]+-prep on main-queue/);
  await term.expect(/train -> sweep-[a-z0-9]+-train on main-queue \(array of 2\) after prep/);
  await term.expect(`CLI: ezbatch workflow plan ${dir}/sweep.toml`);
  await term.pick(6);
  await term.expect("Submit 'sweep' (2 jobs)?");
  await term.type(KEY.enter);
  // The demo backend is a local one: it says what it does not apply.
  await term.expect("Warning: Job 'prep' on the local backend: applied only when jobs run in docker or podman: user");
  const runId = (await term.expect(/Submitted run [a-z0-9]+/)).split(" ").at(-1)!;
  await term.expect(`CLI: ezbatch workflow submit ${dir}/sweep.toml`);
  await term.expect("Watch it?");
  const jobs = [...backend.jobs.values()].filter((j) => j.tags?.["ezbatch:run"] === runId);
  assert.equal(jobs.length, 2);
  assert.equal(jobs.find((j) => j.jobName.endsWith("-train"))?.arrayProperties?.size, 2);
  await term.pick(0);
  await term.expect("SUBMITTED 2");
  for (const job of jobs) backend.setJobStatus(job.jobId, "SUCCEEDED", { exitCode: 0 });
  await term.expect(`Run ${runId} succeeded.`);
  await term.expect(`CLI: ezbatch workflow status sweep ${runId} --watch`);
  await term.pick(8);
  await term.pick(2);
  await term.pick(QUIT);
  await done;
});

Deno.test("runInteractive() finds an INCOMPLETE run of the open workflow, names what is missing, and resumes it", async () => {
  const dir = await Deno.makeTempDir();
  const text = `name = "trio"\nqueue = "main-queue"\n` +
    ["a", "b", "c"].map((j) => `[jobs.${j}]\nimage = "alpine"\ncommand = "echo ${j}"\n`).join("");
  await Deno.writeTextFile(`${dir}/trio.toml`, text);
  const backend = await demoBackend();
  const wf = await loadWorkflow(`${dir}/trio.toml`);
  const plan = planWorkflow(wf, { runId: "cut1", executionRoleArn: "arn:aws:iam::123456789012:role/exec" });
  const first = await submitWorkflow(backend, { ...plan, submissions: plan.submissions.slice(0, 1) });
  backend.setJobStatus(first.jobs.a!, "SUCCEEDED", { exitCode: 0 });
  const { term, done } = start(backend, dir);
  await term.expect(MENU);
  await term.pick(WORKFLOWS);
  await term.pick(1);
  await term.type("trio.toml", KEY.enter);
  await term.expect("Workflow 'trio' (3 jobs)");
  await term.pick(7);
  await term.expect("Run id");
  await term.type("cut1", KEY.enter);
  await term.expect("b: NOT SUBMITTED");
  await term.expect("Run cut1 is INCOMPLETE: 2 of its 3 jobs were never submitted.");
  await term.expect("would submit c (attempt 1): never submitted");
  await term.expect("Run cut1: what now?");
  await term.pick(0); // Resume it: submit 2 job(s), keep the rest
  await term.expect("Resumed run cut1.");
  await term.expect(`CLI: ezbatch workflow resume ${dir}/trio.toml cut1`);
  const jobs = [...backend.jobs.values()].filter((j) => j.tags?.["ezbatch:run"] === "cut1");
  assert.deepEqual(jobs.map((j) => j.tags!["ezbatch:job"]).sort(), ["a", "b", "c"], "each job once");
  await term.expect("Watch it here until it ends?");
  for (const job of jobs) backend.setJobStatus(job.jobId, "SUCCEEDED", { exitCode: 0 });
  await term.type(KEY.enter);
  await term.expect("Run cut1 succeeded.");
  await term.pick(7); // Check the run again, now complete: no resume offered, a report
  await term.expect("Run id");
  await term.type("cut1", KEY.enter);
  await term.expect("Run cut1 succeeded.");
  await term.expect("Run cut1: what now?");
  await term.pick(0);
  await term.expect("wall time");
  await term.expect(`Wrote the HTML report to '${dir}/trio-cut1-report.html'.`);
  await term.expect(`CLI: ezbatch workflow report trio cut1 -o ${dir}/trio-cut1-report.html`);
  assert.match(await Deno.readTextFile(`${dir}/trio-cut1-report.html`), /<html/);
  await term.pick(8);
  await term.pick(2);
  await term.pick(QUIT);
  await done;
});

Deno.test("runInteractive() keys typed while a run is watched are consumed by the watch, not replayed into the next menu", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/one.toml`, `name = "one"\nqueue = "main-queue"\n[jobs.a]\nimage = "alpine"\n`);
  const backend = await demoBackend();
  const { term, done } = start(backend, dir);
  await term.expect(MENU);
  await term.pick(WORKFLOWS);
  await term.pick(1);
  await term.type("one.toml", KEY.enter);
  await term.expect("Workflow 'one' (1 jobs)");
  await term.pick(6);
  await term.expect("Submit 'one' (1 jobs)?");
  await term.type(KEY.enter);
  const runId = (await term.expect(/Submitted run [a-z0-9]+/)).split(" ").at(-1)!;
  await term.expect("Watch it?");
  await term.pick(0);
  await term.expect("SUBMITTED 1");
  await term.type(KEY.down, KEY.down, KEY.enter); // impatient keys during the watch
  await new Promise((r) => setTimeout(r, 100));
  for (const job of backend.jobs.values()) backend.setJobStatus(job.jobId, "SUCCEEDED", { exitCode: 0 });
  await term.expect(`Run ${runId} succeeded.`);
  await term.expect("Workflow 'one' (1 jobs)");
  await new Promise((r) => setTimeout(r, 200));
  // Nothing was chosen by the stray Enter: the editor menu waits, on its first entry.
  assert.ok(!/Which job\?|Job name/.test(term.text.slice(term.text.lastIndexOf("Workflow 'one'"))), term.text);
  await term.pick(8);
  await term.pick(2);
  await term.pick(QUIT);
  await done;
});
