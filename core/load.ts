/**
 * Loading workflows from TOML and JSON text (including the Python ezbatch's JSON files) and from files.
 * Everything is checked before any network call, and every problem found is reported at once in one
 * {@link WorkflowError} whose issues carry the file, line, job and field.
 * @module
 */
import { parseToml, TomlError } from "./deps.ts";
import { fromDocument } from "./_document.ts";
import { tooDeepKeyLine } from "./_toml_prescan.ts";
import { type Issue, NotFoundError, WorkflowError } from "./errors.ts";
import { locateJson } from "./json_locate.ts";
import type { EZBatchWorkflow } from "./model.ts";
import { MAX_WORKFLOW_BYTES, readTextFileLimited, tooLargeMessage } from "./read_limited.ts";
import { locateToml } from "./toml_locate.ts";

export { MAX_WORKFLOW_BYTES } from "./read_limited.ts";
// defineWorkflow() lives in define.ts; it is re-exported here because commands/ and tui/ import it from load.ts.
export { defineWorkflow } from "./define.ts";

/** Most parts of a dotted TOML key or table header (a workflow needs 4: `jobs.a.mounts.read`). */
const MAX_KEY_PARTS = 32;

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
 * @throws {WorkflowError} With every problem found, each with file, line, job and field where known; or when the
 *   text is longer than 4 MiB ({@link MAX_WORKFLOW_BYTES}).
 * @example
 * ```ts
 * import { parseWorkflow } from "./load.ts";
 * const wf = parseWorkflow('name = "hello"\n[jobs.say]\nimage = "alpine"\ncommand = "echo hi"\n');
 * console.log(wf.jobs.say?.memory); // 2048
 * ```
 */
export function parseWorkflow(text: string, options: ParseWorkflowOptions = {}): EZBatchWorkflow {
  const { file } = options;
  if (text.length > MAX_WORKFLOW_BYTES) {
    const issue: Issue = { message: tooLargeMessage(file === undefined ? "The workflow" : "The workflow file") };
    if (file !== undefined) issue.file = file;
    throw new WorkflowError(issue);
  }
  const format = options.format ??
    (file?.toLowerCase().endsWith(".json") || (!file && /^\s*\{/.test(text)) ? "json" : "toml");
  const deepLine = format === "toml" ? tooDeepKeyLine(text, MAX_KEY_PARTS) : undefined;
  if (deepLine !== undefined) {
    const issue: Issue = {
      line: deepLine,
      message: `A key has more than ${MAX_KEY_PARTS} dotted parts: ` +
        "a workflow nests at most 6 levels (jobs.NAME.retry.evaluate_on_exit[0].action)",
    };
    if (file !== undefined) issue.file = file;
    throw new WorkflowError(issue);
  }
  let doc: unknown;
  try {
    doc = format === "json" ? JSON.parse(text) : parseToml(text);
  } catch (error) {
    throw syntaxError(error, text, format, file);
  }
  // Lines are only needed for messages, so the text is scanned for them only when something is wrong.
  const locate = () => format === "json" ? locateJson(text) : locateToml(text);
  return fromDocument(doc, { format, file, locate });
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
 * @throws {WorkflowError} When it cannot be read, is larger than 4 MiB ({@link MAX_WORKFLOW_BYTES}; never read
 *   past that, so `/dev/zero` fails at once) or is not a valid workflow.
 * @example
 * ```ts
 * import { loadWorkflow } from "./load.ts";
 * const wf = await loadWorkflow(new URL("../examples/hello.toml", import.meta.url).pathname);
 * console.log(wf.name); // hello
 * ```
 */
export async function loadWorkflow(path: string, options: LoadWorkflowOptions = {}): Promise<EZBatchWorkflow> {
  let text: string | undefined;
  try {
    text = await readTextFileLimited(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new NotFoundError(`Workflow file '${path}' does not exist`, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new WorkflowError({ file: path, message: `Cannot read the workflow file: ${reason}` }, { cause: error });
  }
  if (text === undefined) throw new WorkflowError({ file: path, message: tooLargeMessage("The workflow file") });
  return parseWorkflow(text, options.format ? { file: path, format: options.format } : { file: path });
}
