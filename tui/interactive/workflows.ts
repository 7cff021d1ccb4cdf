/**
 * The Workflows menu: create a TOML workflow step by step, or open one to add, edit or remove jobs; validate, plan,
 * save (commented TOML that loads back identically), submit and watch.
 * @module
 */
import { isAbsolute, join } from "node:path";
import { errorAdvice } from "../../core/error_advice.ts";
import { WorkflowError } from "../../core/errors.ts";
import { defineWorkflow, loadWorkflow } from "../../core/load.ts";
import type { EZBatchWorkflow } from "../../core/model.ts";
import { isValidJobName } from "../../core/names.ts";
import { planWorkflow } from "../../core/plan.ts";
import { secretLikeNames } from "../../core/secret_names.ts";
import type { JobInput, WorkflowInput } from "../../core/schema.ts";
import { allQueues, type Session } from "./context.ts";
import { askContainer, askMatrix, askMounts } from "./job_form.ts";
import { Cancelled, type Check } from "./prompter.ts";
import { writeWorkflowFile } from "./workflow_file.ts";
import { runStatus, submitAndWatch } from "./workflow_runs.ts";
import { jobOf, problemLines, problemsOf, rawWorkflow } from "./_problems.ts";

/** A workflow being edited, with the file it belongs to. */
interface Draft {
  path: string;
  input: WorkflowInput & { dependencies: NonNullable<WorkflowInput["dependencies"]> };
  saved: boolean;
}

/** Checks a workflow or job name of a workflow file. */
export const workflowNameCheck: Check = (name) =>
  isValidJobName(name) ? undefined : "A name has letters, digits, '-' and '_', and starts with a letter or digit";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The Workflows menu; returns on Back. */
export async function workflowsMenu(session: Session): Promise<void> {
  const { p } = session;
  for (;;) {
    const action = await p.select("Workflows", [
      { name: "Create a new workflow file", value: "create" },
      { name: "Open a workflow file", value: "open" },
      { name: "Back", value: "back" },
    ]);
    if (action === "back") return;
    await p.inMenu("the Workflows menu", async () => {
      const draft = action === "create" ? await create(session) : await open(session);
      if (draft) await editor(session, draft);
    });
  }
}

function resolve(session: Session, path: string): string {
  return isAbsolute(path) ? path : join(session.cwd, path);
}

async function create(session: Session): Promise<Draft | undefined> {
  const { p } = session;
  const name = await p.text("Workflow name", { validate: workflowNameCheck });
  const file = await p.text("File to write", { default: `${name}.toml` });
  const path = resolve(session, file);
  if (await exists(path) && !await p.confirm(`'${file}' exists. Replace it when saving?`)) return undefined;
  const queues = (await allQueues(await session.backend())).map((q) => q.jobQueueName);
  const queue = await p.select<string | undefined>("Default queue of its jobs", [
    ...queues.map((q) => ({ name: q, value: q as string | undefined })),
    { name: "None (each job names its queue, or give --queue at submit)", value: undefined },
  ]);
  const input: Draft["input"] = { name, jobs: {}, dependencies: {} };
  if (queue) input.queue = queue;
  const draft = { path, input, saved: false };
  await addJob(session, draft);
  return draft;
}

async function open(session: Session): Promise<Draft | undefined> {
  const { p } = session;
  const file = await p.text("Workflow file (TOML, or a Python ezbatch JSON file)", {
    validate: (f) => (f.endsWith(".toml") || f.endsWith(".json") ? undefined : "Expected a .toml or .json file"),
  });
  const path = resolve(session, file);
  let wf: EZBatchWorkflow;
  try {
    wf = await loadWorkflow(path);
  } catch (error) {
    const raw = error instanceof WorkflowError ? await rawWorkflow(path) : undefined;
    if (!raw) throw error;
    const problems = problemsOf(raw);
    p.say(`'${file}' has ${problems.length} problem(s); fix them here (each is shown beside its job):`);
    p.say(...problemLines(problems));
    return { path, input: raw as Draft["input"], saved: false };
  }
  p.say(`Loaded workflow '${wf.name}' with ${Object.keys(wf.jobs).length} jobs.`);
  const tomlPath = path.endsWith(".json") ? path.replace(/\.json$/, ".toml") : path;
  if (tomlPath !== path) p.say(`It will be saved as TOML to '${tomlPath}'.`);
  return { path: tomlPath, input: structuredClone(wf) as unknown as Draft["input"], saved: tomlPath === path };
}

async function askDependencies(session: Session, draft: Draft, job: string): Promise<void> {
  const others = Object.keys(draft.input.jobs).filter((j) => j !== job);
  if (!others.length) return;
  const current = new Set((draft.input.dependencies[job] ?? []).map((d) => (typeof d === "string" ? d : d.job)));
  const picked = await session.p.checkbox(
    `Jobs '${job}' waits for`,
    others.map((o) => ({ name: o, value: o, checked: current.has(o) })),
  );
  if (picked.length) draft.input.dependencies[job] = picked;
  else delete draft.input.dependencies[job];
}

async function askJob(session: Session, draft: Draft, name: string, base?: JobInput): Promise<void> {
  const { p } = session;
  const job = await askContainer(session, base);
  const hadMounts = !!(base?.mounts?.read?.length || base?.mounts?.write?.length);
  if (await p.confirm("Stage S3 data in or out (mounts)?", { default: hadMounts })) {
    job.mounts = await askMounts(session, base?.mounts);
  }
  if (await p.confirm("Sweep parameters (matrix)?", { default: !!base?.matrix })) {
    const matrix = await askMatrix(session, base?.matrix);
    if (matrix) job.matrix = matrix;
  }
  for (const key of ["environment", "secrets", "tags", "queue", "retry", "timeout", "storage_size"] as const) {
    if (base?.[key] !== undefined) Object.assign(job, { [key]: base[key] });
  }
  draft.input.jobs[name] = job;
  draft.saved = false;
  await askDependencies(session, draft, name);
}

async function addJob(session: Session, draft: Draft): Promise<void> {
  const taken = Object.keys(draft.input.jobs);
  const name = await session.p.text("Job name", {
    validate: (n) => workflowNameCheck(n) ?? (taken.includes(n) ? `There is already a job '${n}'` : undefined),
  });
  await askJob(session, draft, name);
}

function check(session: Session, draft: Draft): EZBatchWorkflow | undefined {
  try {
    const workflow = defineWorkflow(draft.input);
    // As the CLI does: a warning, not a refusal (a name like TOKEN_LIMIT may be harmless).
    const warnings = secretLikeNames(workflow).map((w) => `Warning: ${w.message}`);
    if (warnings.length) session.p.say(...warnings);
    return workflow;
  } catch (error) {
    if (!(error instanceof WorkflowError)) throw error;
    session.p.say("The workflow has problems:", ...error.message.split("\n").map((l) => `  ${l}`));
    return undefined;
  }
}

/**
 * The open workflow's menu. Whatever goes wrong in one of its actions (a refusal of the backend, a plan error, Esc
 * or Ctrl-C in a form) is reported in one line and the menu comes back with the draft as it was: the user's
 * unsaved work is never dropped by an error.
 */
async function editor(session: Session, draft: Draft): Promise<void> {
  const { p } = session;
  for (;;) {
    let action: string;
    try {
      action = await editorChoice(session, draft);
    } catch (error) {
      // Esc or Ctrl-C at this menu: close the workflow, as "Close" would (asking to save unsaved work).
      if (!(error instanceof Cancelled)) throw error;
      action = "close";
    }
    if (action === "close") {
      if (draft.saved || !await p.confirm("Save the changes first?", { default: true })) return;
      if (await save(session, draft)) return;
      continue;
    }
    try {
      await editorAction(session, draft, action);
    } catch (error) {
      if (error instanceof Cancelled) p.say(`Back to workflow '${draft.input.name}'.`);
      else {
        p.say(`Error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        for (const line of errorAdvice(error)) p.say(line);
      }
    }
  }
}

function editorChoice(session: Session, draft: Draft): Promise<string> {
  const jobs = Object.keys(draft.input.jobs);
  const problems = problemsOf(draft.input);
  const count = problems.length ? `, ${problems.length} problem(s)` : "";
  return session.p.select(
    `Workflow '${draft.input.name}' (${jobs.length} jobs${draft.saved ? "" : ", unsaved"}${count})`,
    [
      { name: "Add a job", value: "add" },
      ...(jobs.length ? [{ name: "Edit a job", value: "edit" }, { name: "Remove a job", value: "remove" }] : []),
      { name: "Validate", value: "validate" },
      { name: "Plan (what submit would do)", value: "plan" },
      { name: "Save", value: "save" },
      { name: "Submit and watch", value: "submit" },
      { name: "Check or resume a run of it", value: "resume" },
      { name: "Close", value: "close" },
    ],
  );
}

async function editorAction(session: Session, draft: Draft, action: string): Promise<void> {
  const { p } = session;
  const jobs = Object.keys(draft.input.jobs);
  const problems = problemsOf(draft.input);
  if (action === "add") await addJob(session, draft);
  if (action === "edit") {
    const name = await p.select(
      "Which job?",
      jobs.map((j) => {
        const own = problems.filter((i) => jobOf(i) === j);
        return { name: own.length ? `${j}  ! ${own.map((i) => i.message).join("; ")}` : j, value: j };
      }),
    );
    const own = problems.filter((i) => jobOf(i) === name);
    if (own.length) p.say(`Problems of job '${name}':`, ...problemLines(own));
    await askJob(session, draft, name, draft.input.jobs[name]);
  }
  if (action === "remove") {
    const name = await p.select("Remove which job?", jobs.map((j) => ({ name: j, value: j })));
    const users = jobs.filter((j) =>
      (draft.input.dependencies[j] ?? []).some((d) => (typeof d === "string" ? d : d.job) === name)
    );
    const also = users.length ? ` ${users.join(", ")} will no longer wait for it.` : "";
    if (!await p.confirm(`Remove job '${name}'?${also}`)) return;
    delete draft.input.jobs[name];
    delete draft.input.dependencies[name];
    for (const j of users) {
      draft.input.dependencies[j] = draft.input.dependencies[j]!.filter((d) =>
        (typeof d === "string" ? d : d.job) !== name
      );
      if (!draft.input.dependencies[j]!.length) delete draft.input.dependencies[j];
    }
    draft.saved = false;
  }
  if (action === "validate" && check(session, draft)) {
    p.say(`Workflow '${draft.input.name}' is valid.`);
    p.command(["workflow", "validate", draft.path]);
  }
  if (action === "plan") await plan(session, draft);
  if (action === "save") await save(session, draft);
  if (action === "submit") await submit(session, draft);
  if (action === "resume") await statusOrResume(session, draft);
}

async function save(session: Session, draft: Draft): Promise<boolean> {
  const wf = check(session, draft);
  if (!wf) return false;
  await writeWorkflowFile(wf, draft.path);
  draft.saved = true;
  session.p.say(`Saved '${draft.path}'.`);
  session.p.command(["workflow", "validate", draft.path]);
  return true;
}

async function plan(session: Session, draft: Draft): Promise<void> {
  const wf = check(session, draft);
  if (!wf) return;
  const planned = planWorkflow(wf, await session.planOptions());
  session.p.say(
    `Plan of '${wf.name}' (run id ${planned.runId} as an example):`,
    `  ${planned.definitions.length} job definition(s), reused when an identical one exists:`,
    ...planned.definitions.map((d) => `    ${d.name}`),
    `  ${planned.submissions.length} submission(s), in order:`,
    ...planned.submissions.map((s) => {
      const size = s.arrayProperties ? ` (array of ${s.arrayProperties.size})` : "";
      const waits = s.dependsOn.filter((d) => d.job !== s.job);
      const deps = waits.length ? ` after ${waits.map((d) => d.job).join(", ")}` : "";
      return `    ${s.job} -> ${s.jobName} on ${s.jobQueue}${size}${deps}`;
    }),
  );
  session.p.command(["workflow", "plan", draft.path]);
}

async function submit(session: Session, draft: Draft): Promise<void> {
  const wf = check(session, draft);
  if (!wf) return;
  if (!draft.saved && await session.p.confirm("Save the file before submitting?", { default: true })) {
    await save(session, draft);
  }
  await submitAndWatch(session, draft.path, wf);
}

async function statusOrResume(session: Session, draft: Draft): Promise<void> {
  const wf = check(session, draft);
  if (wf) await runStatus(session, draft.path, wf);
}
