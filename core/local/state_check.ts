/**
 * Checking `state.json` when it is read. The file is ours, but disks fill, editors truncate and people copy files
 * by hand: a damaged file must stop every command with a message that names the file, says what is wrong and what
 * to do, instead of "Cannot read properties of undefined" deep in the scheduler, and nothing may write over it.
 * The shape is checked loosely (unknown keys pass) but fully enough that no code path meets a value of the wrong
 * type. The writer keeps the previous good file as `state.json.bak`, offered here as the way back.
 * @module
 */
import { EzBatchError } from "../errors.ts";
import type { LocalState } from "./_types.ts";

/** `state.json` cannot be used: unreadable JSON or the wrong shape. Nothing was written over it. */
export class LocalStateError extends EzBatchError {
  /** The damaged file. */
  readonly path: string;
  /** Creates the error for `path`; `message` is complete (what is wrong and what to do). */
  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

const STATUSES = new Set(["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"]);

// A hand-written check rather than zod: the supervisor daemon imports this, and its module graph stays free of npm
// packages (it starts fast, and with any HOME, i.e. without the npm cache).
type Check = (value: unknown) => string | undefined;
const typed = (name: string, ok: (v: unknown) => boolean): Check => (v) => ok(v) ? undefined : `expected ${name}`;
const str = typed("a string", (v) => typeof v === "string");
const num = typed("a number", (v) => typeof v === "number" && Number.isFinite(v));
const status = typed("a job status", (v) => typeof v === "string" && STATUSES.has(v));
const opt = (check: Check): Check => (v) => v === undefined ? undefined : check(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Problems found, each as `path: what`; stops collecting after a few. */
class Problems {
  readonly list: string[] = [];
  count = 0;
  add(path: string, what: string): void {
    if (this.count++ < 3) this.list.push(`${path || "the top level"}: ${what}`);
  }
}

function fields(value: unknown, path: string, shape: Record<string, Check>, out: Problems): boolean {
  if (!isRecord(value)) return out.add(path, "expected an object"), false;
  for (const [key, check] of Object.entries(shape)) {
    const problem = check(value[key]);
    if (problem) out.add(`${path}.${key}`.replace(/^\./, ""), problem);
  }
  return true;
}

function list(value: unknown, path: string, each: (item: unknown, path: string) => void, out: Problems): void {
  if (!Array.isArray(value)) return out.add(path, "expected an array");
  value.forEach((item, i) => each(item, `${path}.${i}`));
}

function checkJob(job: unknown, path: string, out: Problems): void {
  const ok = fields(job, path, {
    jobId: str,
    jobName: str,
    jobQueue: str,
    jobDefinition: str,
    status,
    createdAt: num,
    arraySize: opt(num),
    arrayIndex: opt(num),
    parentId: opt(str),
  }, out);
  if (!ok) return;
  const j = job as Record<string, unknown>;
  list(j.waitFor, `${path}.waitFor`, (v, p) => str(v) && out.add(p, "expected a string"), out);
  list(j.attempts, `${path}.attempts`, (a, p) => {
    fields(a, p, { attempt: num, supervisorId: str, logStreamName: str, workDir: str, pid: opt(num) }, out);
  }, out);
  list(j.history, `${path}.history`, (h, p) => fields(h, p, { status, at: num }, out), out);
  if (j.dependsOn !== undefined) list(j.dependsOn, `${path}.dependsOn`, (d, p) => fields(d, p, {}, out), out);
  if (j.tags !== undefined && !isRecord(j.tags)) out.add(`${path}.tags`, "expected an object");
  if (j.spec === undefined) return;
  const specOk = fields(j.spec, `${path}.spec`, { image: str, vcpus: num, memory: num, gpus: num, logGroup: str }, out);
  if (!specOk) return;
  const spec = j.spec as Record<string, unknown>;
  if (spec.command !== undefined) {
    list(spec.command, `${path}.spec.command`, (v, p) => str(v) && out.add(p, "expected a string"), out);
  }
  for (const key of ["environment", "secrets"]) {
    list(spec[key], `${path}.spec.${key}`, (e, p) => fields(e, p, { name: str }, out), out);
  }
}

/** What is wrong with `job` as a job record (a line of the journal), or undefined when it is one. */
export function jobProblem(job: unknown, path: string): string | undefined {
  const out = new Problems();
  checkJob(job, path, out);
  if (out.count === 0) return undefined;
  return out.list.join("; ") + (out.count > 3 ? ` (and ${out.count - 3} more)` : "");
}

/** What is wrong with `value` as a local state, or undefined when it is one. At most three problems are named. */
export function stateProblem(value: unknown): string | undefined {
  const out = new Problems();
  if (fields(value, "", { version: (v) => v === 1 ? undefined : "expected 1" }, out)) {
    const s = value as Record<string, unknown>;
    list(s.definitions, "definitions", (d, p) => {
      fields(d, p, { jobDefinitionName: str, revision: num, status: str }, out);
    }, out);
    list(s.queues, "queues", (q, p) => {
      if (!fields(q, p, { jobQueueName: str, state: str, priority: num }, out)) return;
      const order = (q as Record<string, unknown>).computeEnvironmentOrder;
      list(order, `${p}.computeEnvironmentOrder`, (o, op) => fields(o, op, { computeEnvironment: str }, out), out);
    }, out);
    list(s.computeEnvironments, "computeEnvironments", (c, p) => {
      fields(c, p, { computeEnvironmentName: str, state: str }, out);
    }, out);
    if (!isRecord(s.jobs)) out.add("jobs", "expected an object of jobs by id");
    else for (const [id, job] of Object.entries(s.jobs)) checkJob(job, `jobs.${id}`, out);
  }
  if (out.count === 0) return undefined;
  return out.list.join("; ") + (out.count > 3 ? ` (and ${out.count - 3} more)` : "");
}

/** Parses the text of a state file: the state, or what is wrong with it. */
export function parseState(text: string): { state: LocalState } | { problem: string } {
  if (text.trim() === "") return { problem: "the file is empty" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const problem = stateProblem(value);
  return problem ? { problem: `it has the wrong shape (${problem})` } : { state: value as LocalState };
}

/** The error for a damaged `path`, offering the backup when it holds a good state. */
export async function damagedStateError(path: string, problem: string): Promise<LocalStateError> {
  const backup = `${path}.bak`;
  let offer: string;
  try {
    const parsed = parseState(await Deno.readTextFile(backup));
    if (!("state" in parsed)) throw new Error(parsed.problem);
    const saved = (await Deno.stat(backup)).mtime?.toISOString() ?? "unknown time";
    const count = Object.keys(parsed.state.jobs).length;
    offer = `The last good state (${count} jobs, saved ${saved}) is in '${backup}': restore it with ` +
      `cp '${backup}' '${path}' (jobs changed since then are lost).`;
  } catch {
    offer = `There is no good backup ('${backup}'): move the damaged file away, e.g. mv '${path}' ` +
      `'${path}.damaged', to start with an empty local state (the jobs it recorded are forgotten).`;
  }
  return new LocalStateError(
    path,
    `The local state file '${path}' is damaged: ${problem}. Nothing was changed. ${offer}`,
  );
}
