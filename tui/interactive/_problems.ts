/**
 * A workflow file that loads as TOML but has bad values opens in the editor anyway, with its problems shown beside
 * the jobs they belong to: the editor is where a person fixes them.
 * @module
 */
import { readFile } from "node:fs/promises";
import { parseToml } from "../../core/deps.ts";
import { defineWorkflow } from "../../core/load.ts";
import { type Issue, WorkflowError } from "../../core/errors.ts";
import type { WorkflowInput } from "../../core/schema.ts";

/** The raw input of a TOML file whose syntax is fine (its values may not be), or undefined. */
export async function rawWorkflow(path: string): Promise<WorkflowInput | undefined> {
  if (!path.endsWith(".toml")) return undefined;
  try {
    const raw = parseToml(await readFile(path, "utf8")) as Record<string, unknown>;
    const jobs = raw.jobs && typeof raw.jobs === "object" ? raw.jobs : {};
    const dependencies = raw.dependencies && typeof raw.dependencies === "object" ? raw.dependencies : {};
    return { ...raw, name: String(raw.name ?? "workflow"), jobs, dependencies } as WorkflowInput;
  } catch {
    return undefined; // a syntax error is fixed in a text editor, not by the forms
  }
}

/** The problems of a draft now (none when it is valid). */
export function problemsOf(input: WorkflowInput): Issue[] {
  try {
    defineWorkflow(input);
    return [];
  } catch (error) {
    if (error instanceof WorkflowError) return [...error.issues];
    throw error;
  }
}

/** The job an issue belongs to: its `job`, else the name in a `jobs.<name>...` field. */
export function jobOf(issue: Issue): string | undefined {
  return issue.job ?? /^jobs\.([^.[]+)/.exec(issue.field ?? "")?.[1];
}

/** One line per issue: the field, then what is wrong. */
export function problemLines(issues: Issue[]): string[] {
  return issues.map((i) => `  ! ${i.field ? `${i.field}: ` : ""}${i.message}`);
}
