/**
 * Saving workflows: readable TOML (blank lines between jobs, defaults left out) and JSON, both of which load back
 * into exactly the same workflow.
 * @module
 */
import type { EZBatchJob, EZBatchWorkflow, JobDependency, RetryStrategy, S3Mount } from "./model.ts";

/** A TOML key: bare when it can be, else a quoted basic string. */
function key(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : basic(k);
}

/** A TOML string: a literal multi-line string for readable multi-line text, else an escaped basic string. */
function str(s: string): string {
  // deno-lint-ignore no-control-regex
  const plain = !/[\u0000-\u0008\u000b-\u001f\u007f\r]/.test(s);
  if (s.includes("\n") && plain && !s.includes("'''") && !s.endsWith("'")) return `'''\n${s}'''`;
  return basic(s);
}

/** A TOML basic string: one line, escaped. */
function basic(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += "\ufffd"; // a lone surrogate has no UTF-8 form
    else out += ch;
  }
  return out + '"';
}

function num(n: number): string {
  return Number.isInteger(n) ? n.toFixed(0) : String(n);
}

/** Whole seconds as a duration string such as "1h30m" (or "45s"). */
function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), sec = seconds % 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${sec || seconds === 0 ? `${sec}s` : ""}`;
}

function inline(table: Record<string, string>): string {
  const entries = Object.entries(table);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${key(k)} = ${str(v)}`).join(", ")} }`;
}

function strings(values: readonly string[]): string {
  return `[${values.map(str).join(", ")}]`;
}

function retry(r: RetryStrategy): string {
  const rules = r.evaluate_on_exit.map((rule) => {
    const parts = (["on_exit_code", "on_reason", "on_status_reason"] as const)
      .filter((k) => rule[k] !== undefined).map((k) => `${k} = ${str(rule[k]!)}`);
    return `{ ${[...parts, `action = ${str(rule.action)}`].join(", ")} }`;
  });
  return `{ attempts = ${num(r.attempts)}${rules.length ? `, evaluate_on_exit = [${rules.join(", ")}]` : ""} }`;
}

function mountLines(prefix: string, kind: "read" | "write", m: S3Mount): string[] {
  const lines = [``, `[[${prefix}.mounts.${kind}]]`, `source = ${str(m.source)}`];
  lines.push(`destination = ${str(m.destination)}`);
  if (m.recursive) lines.push("recursive = true");
  if (m.sse !== undefined) lines.push(`sse = ${str(m.sse)}`);
  if (m.sse_kms_key_id !== undefined) lines.push(`sse_kms_key_id = ${str(m.sse_kms_key_id)}`);
  return lines;
}

/** Long tables get their own `[section]` instead of an inline table. */
function tableLines(lines: string[], sections: string[], prefix: string, name: string, t: Record<string, string>) {
  if (Object.keys(t).length === 0) return;
  const one = `${name} = ${inline(t)}`;
  if (one.length <= 100) lines.push(one);
  else sections.push("", `[${prefix}.${name}]`, ...Object.entries(t).map(([k, v]) => `${key(k)} = ${str(v)}`));
}

function jobLines(name: string, job: EZBatchJob): string[] {
  const prefix = `jobs.${key(name)}`;
  const lines = [`[${prefix}]`, `image = ${str(job.image)}`];
  const sections: string[] = [];
  if (job.command !== undefined) {
    lines.push(`command = ${typeof job.command === "string" ? str(job.command) : strings(job.command)}`);
  }
  if (job.platform !== "FARGATE") lines.push(`platform = ${str(job.platform)}`);
  lines.push(`vcpus = ${num(job.vcpus)}`, `memory = ${num(job.memory)}`);
  if (job.gpus !== 0) lines.push(`gpus = ${num(job.gpus)}`);
  if (job.storage_size !== undefined) lines.push(`storage_size = ${num(job.storage_size)}`);
  if (job.assign_public_ip !== undefined) lines.push(`assign_public_ip = ${job.assign_public_ip}`);
  if (job.queue !== undefined) lines.push(`queue = ${str(job.queue)}`);
  if (job.timeout !== undefined) {
    lines.push(`timeout = ${Number.isInteger(job.timeout) ? str(duration(job.timeout)) : num(job.timeout)}`);
  }
  if (job.retry !== undefined) lines.push(`retry = ${retry(job.retry)}`);
  const hasMounts = job.mounts.read.length + job.mounts.write.length > 0;
  if (job.preloader !== hasMounts) lines.push(`preloader = ${job.preloader}`);
  if (job.matrix !== undefined) {
    const entries = Object.entries(job.matrix).map(([k, v]) => `${key(k)} = ${strings(v)}`);
    const one = `matrix = { ${entries.join(", ")} }`;
    if (one.length <= 100) lines.push(one);
    else sections.push("", `[${prefix}.matrix]`, ...entries);
  }
  tableLines(lines, sections, prefix, "environment", job.environment);
  tableLines(lines, sections, prefix, "secrets", job.secrets);
  tableLines(lines, sections, prefix, "tags", job.tags);
  for (const m of job.mounts.read) sections.push(...mountLines(prefix, "read", m));
  for (const m of job.mounts.write) sections.push(...mountLines(prefix, "write", m));
  return [...lines, ...sections];
}

function dependency(d: JobDependency): string {
  return d.type === undefined ? str(d.job) : `{ job = ${str(d.job)}, type = ${str(d.type)} }`;
}

/**
 * Writes a workflow as readable TOML: the workflow's keys, then one table per job separated by blank lines
 * (defaults such as `gpus = 0` left out), then `[dependencies]`. `parseWorkflow()` of the text gives back an equal
 * workflow.
 *
 * @param wf A validated workflow.
 * @returns The TOML text, ending with a newline.
 * @example
 * ```ts
 * import { defineWorkflow, workflowToToml } from "../mod.ts";
 * const wf = defineWorkflow({ name: "hello", jobs: { say: { image: "alpine", command: "echo hi" } } });
 * console.log(workflowToToml(wf));
 * ```
 */
export function workflowToToml(wf: EZBatchWorkflow): string {
  const out = [`name = ${str(wf.name)}`];
  if (wf.queue !== undefined) out.push(`queue = ${str(wf.queue)}`);
  for (const [name, job] of Object.entries(wf.jobs)) out.push("", ...jobLines(name, job));
  const deps = Object.entries(wf.dependencies).filter(([, list]) => list.length > 0);
  if (deps.length > 0) {
    out.push("", "[dependencies]", ...deps.map(([job, list]) => `${key(job)} = [${list.map(dependency).join(", ")}]`));
  }
  return out.join("\n") + "\n";
}

/**
 * Writes a workflow as JSON in the file format (the model's field names; `parseWorkflow()` reads it back equal).
 *
 * @param wf A validated workflow.
 * @returns Indented JSON text, ending with a newline.
 * @example
 * ```ts
 * import { defineWorkflow, workflowToJson } from "../mod.ts";
 * const wf = defineWorkflow({ name: "hello", jobs: { say: { image: "alpine" } } });
 * console.log(JSON.parse(workflowToJson(wf)).jobs.say.vcpus); // 1
 * ```
 */
export function workflowToJson(wf: EZBatchWorkflow): string {
  return JSON.stringify(wf, null, 2) + "\n";
}

/**
 * Saves a workflow to a file: JSON when the path ends in `.json`, else TOML.
 *
 * @param wf A validated workflow.
 * @param path The file to write (created or replaced).
 * @returns When the file is written.
 * @example
 * ```ts
 * import { defineWorkflow, saveWorkflow } from "../mod.ts";
 * const wf = defineWorkflow({ name: "hello", jobs: { say: { image: "alpine" } } });
 * await saveWorkflow(wf, await Deno.makeTempFile({ suffix: ".toml" }));
 * ```
 */
export async function saveWorkflow(wf: EZBatchWorkflow, path: string): Promise<void> {
  await Deno.writeTextFile(path, path.toLowerCase().endsWith(".json") ? workflowToJson(wf) : workflowToToml(wf));
}
