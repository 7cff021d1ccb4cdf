/**
 * Loading workflows: TOML and JSON text (including the Python ezbatch's JSON files), files, and plain objects.
 * Everything is checked before any network call, and every problem found is reported at once in one
 * {@link WorkflowError} whose issues carry the file, line, job and field.
 * @module
 */
import { parseToml, TomlError } from "./deps.ts";
import { formatPath } from "./_suggest.ts";
import { fromZodIssue, type PathIssue } from "./_zod_issues.ts";
import { type Issue, NotFoundError, WorkflowError } from "./errors.ts";
import { cleanEzbatchJson } from "./ezbatch_json.ts";
import { locateJson } from "./json_locate.ts";
import type { EZBatchJob, EZBatchWorkflow, JobDependency } from "./model.ts";
import { normalizeDependency, normalizeJob } from "./normalize.ts";
import {
  type DependencyInput,
  JOB_KEYS,
  type JobInput,
  WorkflowFileSchema,
  type WorkflowInput,
  WorkflowJsonSchema,
} from "./schema.ts";
import type { PathSegment, SourceMap } from "./source_map.ts";
import { locateToml } from "./toml_locate.ts";
import { validateModel } from "./validate.ts";
import { validateJob } from "./validate_job.ts";
import { closest } from "./_suggest.ts";

/** The text formats of workflow files. */
export type WorkflowFormat = "toml" | "json";

/** Options of {@link parseWorkflow}. */
export interface ParseWorkflowOptions {
  /** The file the text came from, named in every issue. */
  file?: string;
  /** The format; default: `json` for a `.json` file or text starting with `{`, else `toml`. */
  format?: WorkflowFormat;
}

/**
 * Parses and validates a workflow from TOML or JSON text (JSON includes the Python ezbatch's files).
 *
 * @param text The file contents.
 * @param options The file name (for messages) and the format.
 * @returns The validated workflow, defaults filled in.
 * @throws {WorkflowError} With every problem found, each with file, line, job and field where known.
 * @example
 * ```ts
 * import { parseWorkflow } from "./load.ts";
 * const wf = parseWorkflow('name = "hello"\n[jobs.say]\nimage = "alpine"\ncommand = "echo hi"\n');
 * console.log(wf.jobs.say?.memory); // 2048
 * ```
 */
export function parseWorkflow(text: string, options: ParseWorkflowOptions = {}): EZBatchWorkflow {
  const { file } = options;
  const format = options.format ??
    (file?.toLowerCase().endsWith(".json") || (!file && /^\s*\{/.test(text)) ? "json" : "toml");
  let doc: unknown;
  try {
    doc = format === "json" ? JSON.parse(text) : parseToml(text);
  } catch (error) {
    throw syntaxError(error, text, format, file);
  }
  // Lines are only needed for messages, so the text is scanned for them only when something is wrong.
  const locate = () => format === "json" ? locateJson(text) : locateToml(text);
  return fromDocument(format === "json" ? cleanEzbatchJson(doc) : doc, { format, file, locate });
}

function syntaxError(error: unknown, text: string, format: WorkflowFormat, file?: string): WorkflowError {
  const issue: Issue = { message: "" };
  if (file !== undefined) issue.file = file;
  const raw = error instanceof Error ? error.message : String(error);
  if (error instanceof TomlError) {
    issue.line = error.line;
    const what = raw.replace(/^Invalid TOML document:\s*/, "").split("\n")[0]!.trim();
    issue.message = `Invalid TOML: ${what} (column ${error.column})`;
  } else if (format === "json") {
    // V8 says e.g. "Expected ',' or '}' after property value in JSON at position 15 (line 3 column 1)".
    const pos = /at position (\d+)/.exec(raw);
    const what = raw.replace(/ in JSON at position \d+.*$/, "").replace(/ \(line \d+ column \d+\)$/, "");
    if (pos) {
      const before = text.slice(0, Number(pos[1])).split("\n");
      issue.line = before.length;
      issue.message = `Invalid JSON: ${what} (column ${before[before.length - 1]!.length + 1})`;
    } else {
      issue.message = `Invalid JSON: ${what}`;
    }
  } else {
    issue.message = `Invalid ${format.toUpperCase()}: ${raw}`;
  }
  return new WorkflowError(issue, { cause: error });
}

/**
 * Validates a workflow given as a plain object (the same rules as a TOML file) and fills in the defaults.
 * A validated {@link EZBatchWorkflow} is itself valid input, so the interactive mode can re-check what it built.
 *
 * @param input The workflow.
 * @returns The validated workflow.
 * @throws {WorkflowError} With every problem found, each with job and field.
 * @example
 * ```ts
 * import { defineWorkflow } from "./load.ts";
 * const wf = defineWorkflow({
 *   name: "sweep",
 *   jobs: { fit: { image: "python:3.12", command: ["python", "fit.py"], matrix: { LR: [0.1, 0.01] } } },
 * });
 * console.log(wf.jobs.fit?.matrix); // { LR: ["0.1", "0.01"] }
 * ```
 */
export function defineWorkflow(input: WorkflowInput | EZBatchWorkflow): EZBatchWorkflow {
  return fromDocument(input, { format: "object" });
}

/** Options of {@link loadWorkflow}. */
export interface LoadWorkflowOptions {
  /** The format; default from the file extension (`.json` or else TOML). */
  format?: WorkflowFormat;
}

/**
 * Reads, parses and validates a workflow file (TOML, or JSON such as the Python ezbatch's).
 *
 * @param path The file path.
 * @param options The format, when the extension does not tell.
 * @returns The validated workflow.
 * @throws {NotFoundError} When the file does not exist.
 * @throws {WorkflowError} When it cannot be read or is not a valid workflow.
 * @example
 * ```ts
 * import { loadWorkflow } from "./load.ts";
 * const wf = await loadWorkflow(new URL("../examples/hello.toml", import.meta.url).pathname);
 * console.log(wf.name); // hello
 * ```
 */
export async function loadWorkflow(path: string, options: LoadWorkflowOptions = {}): Promise<EZBatchWorkflow> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new NotFoundError(`Workflow file '${path}' does not exist`, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new WorkflowError({ file: path, message: `Cannot read the workflow file: ${reason}` }, { cause: error });
  }
  return parseWorkflow(text, options.format ? { file: path, format: options.format } : { file: path });
}

interface DocumentContext {
  format: WorkflowFormat | "object";
  file?: string;
  locate?: () => SourceMap;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Shape check, normalisation and semantic checks of a parsed document. */
function fromDocument(doc: unknown, ctx: DocumentContext): EZBatchWorkflow {
  if (!isTable(doc)) {
    throw toError([{ path: [], message: "Expected a table at the top level of the workflow" }], ctx);
  }
  const schema = ctx.format === "json" ? WorkflowJsonSchema : WorkflowFileSchema;
  const result = schema.safeParse(doc, { reportInput: true });
  const issues: PathIssue[] = result.success ? [] : result.error.issues.flatMap(fromZodIssue);
  if (ctx.format !== "toml") issues.push(...illFormedStrings(doc, []));
  const broken = (...path: (string | number)[]) =>
    issues.some((i) => path.every((seg, n) => i.path[n] === seg) && i.path.length >= path.length);

  const rawJobs = isTable(doc.jobs) ? doc.jobs : {};
  const allJobs = Object.keys(rawJobs);
  const jobs: [string, EZBatchJob][] = [];
  const partial: PathIssue[] = [];
  for (const name of allJobs) {
    if (broken("jobs", name)) partial.push(...checkBrokenJob(name, rawJobs[name], issues));
    else jobs.push([name, normalizeJob(rawJobs[name] as JobInput, ["jobs", name], issues)]);
  }
  issues.push(...partial);
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
  const exact = (key: string) => issues.some((i) => i.path.length === 1 && i.path[0] === key);
  issues.push(...semantic.filter((i) => !(i.path.length === 1 && exact(String(i.path[0])))));
  if (issues.length > 0) throw toError(issues, ctx);
  return wf;
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
    bad.add(fieldGroup(JOB_KEYS.includes(field) ? field : closest(field, JOB_KEYS) ?? field));
  }
  const fields = Object.entries(raw).filter(([key]) => JOB_KEYS.includes(key) && !bad.has(fieldGroup(key)));
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
