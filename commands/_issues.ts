/**
 * Printing the problems of a workflow: the first {@link SHOWN_ISSUES}, then how many more, unless `--all-errors`
 * (a hostile file can have tens of thousands). Private to commands/.
 * @module
 */
import { formatIssue, type Issue } from "../core/errors.ts";
import type { AnyCommand } from "./program.ts";

/** How many problems are printed without `--all-errors`. */
export const SHOWN_ISSUES = 20;

/** Adds `--all-errors` to a command that loads workflow files. */
export function allErrorsOption<C extends AnyCommand>(command: C): C {
  command.option("--all-errors", `print every problem of an invalid workflow (default: the first ${SHOWN_ISSUES})`);
  return command;
}

/** The issues as indented lines (each ending with a newline): the first 20, then "... and N more", unless `all`. */
export function formatIssueLines(issues: readonly Issue[], all: boolean): string {
  const shown = all ? issues : issues.slice(0, SHOWN_ISSUES);
  let text = shown.map((i) => `  ${formatIssue(i)}\n`).join("");
  const more = issues.length - shown.length;
  if (more > 0) text += `  … and ${more} more ${more === 1 ? "problem" : "problems"} (--all-errors prints them all)\n`;
  return text;
}
