/**
 * The checks shared by every way in (text, file, plain object): shape (zod), normalisation, semantic validation,
 * and the single {@link WorkflowError} that lists every issue with file, line, job and field. Private to core.
 * @module
 */
import { closest, formatPath } from "./_suggest.ts";
import { fromZodIssue, type PathIssue } from "./_zod_issues.ts";
import { type Issue, WorkflowError } from "./errors.ts";
import type { EZBatchJob, EZBatchWorkflow, JobDependency } from "./model.ts";
import { normalizeDependency, normalizeJob } from "./normalize.ts";
import { type DependencyInput, type JobInput, jobTableKeys, workflowSchemaFor } from "./schema.ts";
import type { PathSegment, SourceMap } from "./source_map.ts";
import { validateModel } from "./validate.ts";
import { validateJob } from "./validate_job.ts";
import { cleanEzbatchJson } from "./ezbatch_json.ts";

/** Where a document came from. */
export interface DocumentContext {
  format: "toml" | "json" | "object";
  file?: string;
  locate?: () => SourceMap;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Shape check, normalisation and semantic checks of a parsed document. */
export function fromDocument(input: unknown, ctx: DocumentContext): EZBatchWorkflow {
  if (!isTable(input)) {
    throw toError([{ path: [], message: "Expected a table at the top level of the workflow" }], ctx);
  }
  const tooDeep = nestingProblem(input);
  if (tooDeep) throw toError([tooDeep], ctx);
  const doc = (ctx.format === "json" ? cleanEzbatchJson(input) : input) as Record<string, unknown>;
  const schema = workflowSchemaFor(ctx.format === "json" ? "json" : "toml");
  const result = schema.safeParse(doc, { reportInput: true });
  const issues: PathIssue[] = result.success ? [] : result.error.issues.flatMap(fromZodIssue);
  if (ctx.format !== "toml") { for (const issue of illFormedStrings(doc, [])) issues.push(issue); }
  // The key paths (up to 3 segments) that some issue is under: one lookup per question instead of a scan of
  // every issue, which made a file with thousands of broken jobs quadratic.
  const brokenPrefixes = new Set<string>();
  for (const issue of issues) {
    for (let n = 1; n <= Math.min(3, issue.path.length); n++) brokenPrefixes.add(prefixKey(issue.path.slice(0, n)));
  }
  const broken = (...path: (string | number)[]) => brokenPrefixes.has(prefixKey(path));
  const issuesByJob = new Map<string, PathIssue[]>();
  for (const issue of issues) {
    const [head, job] = issue.path;
    if (head !== "jobs" || typeof job !== "string") continue;
    const list = issuesByJob.get(job);
    if (list) list.push(issue);
    else issuesByJob.set(job, [issue]);
  }

  const rawJobs = isTable(doc.jobs) ? doc.jobs : {};
  const allJobs = Object.keys(rawJobs);
  const jobs: [string, EZBatchJob][] = [];
  const partial: PathIssue[] = [];
  for (const name of allJobs) {
    if (broken("jobs", name)) {
      for (const issue of checkBrokenJob(name, rawJobs[name], issuesByJob.get(name) ?? [])) partial.push(issue);
    } else jobs.push([name, normalizeJob(rawJobs[name] as JobInput, ["jobs", name], issues)]);
  }
  for (const issue of partial) issues.push(issue); // a loop: spreading 100,000 items overflows the stack
  const dependencies: [string, JobDependency[]][] = [];
  const positions = new Map<string, number[]>(); // original list positions, when broken entries were left out
  if (isTable(doc.dependencies)) {
    for (const [job, deps] of Object.entries(doc.dependencies)) {
      if (!Array.isArray(deps)) continue;
      const kept = deps.map((_, i) => i).filter((i) => !broken("dependencies", job, i));
      if (kept.length < deps.length) positions.set(job, kept);
      if (kept.length > 0) dependencies.push([job, kept.map((i) => normalizeDependency(deps[i] as DependencyInput))]);
    }
  }
  const wf: EZBatchWorkflow = {
    name: typeof doc.name === "string" ? doc.name : "",
    jobs: Object.fromEntries(jobs),
    dependencies: Object.fromEntries(dependencies),
  };
  if (typeof doc.queue === "string") wf.queue = doc.queue;
  const semantic = validateModel(wf, allJobs, (job, i) => positions.get(job)?.[i] ?? i);
  // A key whose shape is wrong was reported already: skip what the semantic checks say about it.
  const exact = new Set(issues.filter((i) => i.path.length === 1).map((i) => String(i.path[0])));
  for (const issue of semantic) if (!(issue.path.length === 1 && exact.has(String(issue.path[0])))) issues.push(issue);
  if (issues.length > 0) throw toError(issues, ctx);
  return wf;
}

/** A map key for a key path prefix. */
function prefixKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

/** Deepest nesting accepted; a valid workflow needs 6 levels (jobs.a.retry.evaluate_on_exit[0].action). */
const MAX_DEPTH = 32;

/**
 * Rejects documents nested too deeply (or, for objects built in code, containing cycles) before anything walks them
 * recursively, so that no input can overflow the stack. Bounded work: each object is visited at most MAX_DEPTH times.
 */
function nestingProblem(doc: object): PathIssue | undefined {
  const deepest = new Map<object, number>();
  const stack: { value: object; path: PathSegment[]; ancestors: Set<object> }[] = [
    { value: doc, path: [], ancestors: new Set([doc]) },
  ];
  while (stack.length > 0) {
    const { value, path, ancestors } = stack.pop()!;
    if (path.length > MAX_DEPTH) {
      return { path: path.slice(0, 4), message: `The document is nested more than ${MAX_DEPTH} levels deep` };
    }
    if ((deepest.get(value) ?? -1) >= path.length) continue;
    deepest.set(value, path.length);
    const entries: [PathSegment, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries) {
      if (typeof child !== "object" || child === null) continue;
      if (ancestors.has(child)) return { path: [...path, key], message: "The document contains itself (a cycle)" };
      stack.push({ value: child, path: [...path, key], ancestors: new Set(ancestors).add(child) });
    }
  }
  return undefined;
}

/** Strings with lone surrogates (possible in JSON escapes and JS strings) cannot be saved as TOML or UTF-8. */
function illFormedStrings(value: unknown, path: PathSegment[]): PathIssue[] {
  if (typeof value === "string") {
    return value.isWellFormed()
      ? []
      : [{ path, message: "Expected well-formed Unicode text (found a lone surrogate)" }];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => illFormedStrings(v, [...path, i]));
  if (!isTable(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k.isWellFormed() ? [] : [{ path, message: "Expected well-formed Unicode keys (found a lone surrogate)" }]),
    ...illFormedStrings(v, [...path, k]),
  ]);
}

/**
 * The semantic problems of a job whose shape is partly wrong: its valid fields are checked as usual, and what the
 * checks say about fields related to a wrong one (e.g. memory when `vcpus` has the wrong type, or anything about
 * sizes when `vcpu` is misspelled) is left out, since the fix of the first problem may change it.
 */
function checkBrokenJob(name: string, raw: unknown, found: readonly PathIssue[]): PathIssue[] {
  if (!isTable(raw)) return [];
  const bad = new Set<string>();
  for (const issue of found) {
    const [head, job, field] = issue.path;
    if (head !== "jobs" || job !== name) continue;
    if (typeof field !== "string") return []; // the job itself is wrong
    const keys = jobTableKeys();
    bad.add(fieldGroup(keys.includes(field) ? field : closest(field, keys) ?? field));
  }
  const fields = Object.entries(raw).filter(([key]) => jobTableKeys().includes(key) && !bad.has(fieldGroup(key)));
  const job = normalizeJob({ image: "-", ...Object.fromEntries(fields) } as JobInput, ["jobs", name], []);
  return validateJob(name, job, ["jobs", name]).filter((issue) => {
    const field = issue.path[2];
    return typeof field !== "string" || !bad.has(fieldGroup(field));
  });
}

/** Job fields whose checks depend on each other. */
function fieldGroup(field: string): string {
  if (["vcpus", "memory", "gpus", "platform", "storage_size"].includes(field)) return "size";
  if (field === "mounts" || field === "preloader") return "mounts";
  if (["environment", "secrets", "matrix"].includes(field)) return "variables";
  return field;
}

function toError(found: PathIssue[], ctx: DocumentContext): WorkflowError {
  const map = ctx.locate?.();
  const issues = found.map((pi, order) => {
    const issue: Issue = { message: pi.message };
    if (ctx.file !== undefined) issue.file = ctx.file;
    const line = map?.lineOf(pi.path);
    if (line !== undefined) issue.line = line;
    const [head, job] = pi.path;
    if ((head === "jobs" || head === "dependencies") && typeof job === "string") issue.job = job;
    if (pi.path.length > 0) issue.field = formatPath(pi.path);
    return { issue, order };
  });
  issues.sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.order - b.order);
  return new WorkflowError(issues.map((i) => i.issue));
}
