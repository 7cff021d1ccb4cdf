/**
 * Turns an error into what the user sees and the exit code: a usage error is one red line and a hint (exit 2); any
 * other error is a short message (exit 1), with the stack and the cause chain under `--verbose`. Credentials that
 * might appear in an error's text are masked.
 * @module
 */
import { SubmissionError, UsageError, WorkflowError } from "../core/errors.ts";
import { errorAdvice } from "../core/error_advice.ts";
import type { CliContext } from "./context.ts";
import { formatIssueLines } from "./_issues.ts";
import { CommanderError, InvalidArgumentError } from "./deps.ts";

/** Exit code of a successful run. */
export const EXIT_OK = 0;
/** Exit code of a runtime error (AWS, files, failed jobs). */
export const EXIT_ERROR = 1;
/** Exit code of a usage error (bad flags or arguments). */
export const EXIT_USAGE = 2;
/** Exit code after Ctrl-C (128 + SIGINT), as shells report an interrupted command. */
export const EXIT_INTERRUPTED = 130;

const ACCESS_KEY = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;
// The names credentials go by: credentials files (aws_security_token is the legacy name of the session token),
// SDK objects and JSON, and presigned URLs. A value ends at a quote, space, comma, brace or the next query field.
const SECRET_ASSIGNMENT =
  /(aws_secret_access_key|aws_session_token|aws_security_token|secretAccessKey|sessionToken|X-Amz-Security-Token)(["']?\s*[:=]\s*["']?)[^\s"',}&]+/gi;

/** Masks AWS access keys, secret assignments and the values of secret environment variables in `text`. */
export function redact(text: string, env: Record<string, string | undefined> = {}): string {
  let out = text.replace(ACCESS_KEY, "$1****************").replace(SECRET_ASSIGNMENT, "$1$2****");
  for (const name of ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID"]) {
    const value = env[name];
    if (!value || value.length < 8) continue;
    // As written, and as a URL carries it (a secret key or token holds '/' and '+').
    for (const form of new Set([value, encodeURIComponent(value)])) out = out.split(form).join("****");
  }
  return out;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** True when `error` is the interrupt itself (Ctrl-C aborts the context's signal with it). */
function isInterrupt(error: unknown, ctx: CliContext): boolean {
  return isAbort(error) || (ctx.signal.aborted && error === ctx.signal.reason);
}

function commandPath(ctx: CliContext): string {
  return ctx.commandPath ? `ezbatch ${ctx.commandPath}` : "ezbatch";
}

/**
 * Writes the message for `error` to stderr and returns the exit code. Commander's own errors (unknown option,
 * missing argument, bad value) were already printed by the program's output hook.
 */
export function reportError(error: unknown, ctx: CliContext): number {
  const c = ctx.errColors;
  const write = (text: string) => ctx.stderr.write(`${redact(text, ctx.env)}\n`);
  if (error instanceof InvalidArgumentError) {
    // A value parser ran inside an action (commander wraps the ones it runs itself in a plain CommanderError).
    write(c.red(`error: ${error.message}`));
    write(c.dim(`Run '${commandPath(ctx)} --help' for usage.`));
    return EXIT_USAGE;
  }
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT_OK;
    if (error.code === "commander.help" && error.exitCode === 0) return EXIT_OK; // `ezbatch help [command]`
    if (error.code === "commander.executeSubCommandAsync") return EXIT_ERROR;
    return EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    write(c.red(`error: ${error.message}`));
    write(c.dim(`Run '${commandPath(ctx)} --help' for usage.`));
    return EXIT_USAGE;
  }
  if (isInterrupt(error, ctx)) {
    write(c.red("error: Interrupted."));
    return EXIT_INTERRUPTED;
  }
  if (error instanceof SubmissionError && isInterrupt(error.cause, ctx)) {
    // An interrupted submission: the message says what was submitted and terminated, which the user must know.
    write(c.red(`error: ${error.message}`));
    return EXIT_INTERRUPTED;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof WorkflowError && error.issues.length > 1) {
    write(c.red(`error: ${error.issues.length} problems found:`));
    write(formatIssueLines(error.issues, ctx.allErrors).trimEnd());
  } else {
    write(c.red(`error: ${message}`));
  }
  for (const line of errorAdvice(error)) write(c.dim(line));
  if (ctx.verbose) writeDetails(error, write);
  else if (!(error instanceof Error) || error.constructor === Error || error instanceof TypeError) {
    write(c.dim("Run again with --verbose for details."));
  }
  return EXIT_ERROR;
}

function writeDetails(error: unknown, write: (text: string) => void): void {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      write(depth === 0 ? (current.stack ?? current.message) : `caused by: ${current.stack ?? current.message}`);
      current = current.cause;
    } else {
      write(`caused by: ${String(current)}`);
      break;
    }
  }
}
