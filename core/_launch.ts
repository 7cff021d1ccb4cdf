/**
 * Shapes a job's container command and extra environment. Private to core: a stand-in until `preloader/mod.ts`
 * (`containerLaunch`, `checkLaunch`) is on main, after which the plan uses that module for every job.
 * @module
 */
import type { Issue } from "./errors.ts";
import type { EZBatchJob } from "./model.ts";
import { shellCommand } from "./definitions.ts";

/** The container command and the extra environment it needs. */
export interface Launch {
  /** The container command; undefined keeps the image's CMD. */
  command?: string[];
  /** Variables the command needs besides the job's own environment. */
  environment: Record<string, string>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Problems that would make the job impossible to launch; empty when it can be launched. */
export function checkLaunchLocal(name: string, job: EZBatchJob): Issue[] {
  const issues: Issue[] = [];
  if (job.preloader && (job.mounts.read.length || job.mounts.write.length)) {
    issues.push({ job: name, field: "preloader", message: "The preloader is not available in this build" });
  }
  if (job.matrix) {
    if (job.command === undefined) {
      issues.push({ job: name, field: "command", message: "A matrix job needs a command to run with its values" });
    }
    for (const key of Object.keys(job.matrix)) {
      if (!IDENTIFIER.test(key)) {
        issues.push({
          job: name,
          field: `matrix.${key}`,
          message: `Matrix key '${key}' is not a valid variable name: use letters, digits and '_'`,
        });
      }
    }
  }
  return issues;
}

/**
 * A string runs under `/bin/sh -c`, an array as is. A matrix job runs a small sh wrapper that exports the child's
 * values (picked by `AWS_BATCH_JOB_ARRAY_INDEX`, last key fastest) and then execs the command.
 */
export function launchLocal(job: EZBatchJob): Launch {
  const command = shellCommand(job.command);
  if (!job.matrix || !command) return { command, environment: {} };
  const keys = Object.keys(job.matrix);
  const environment: Record<string, string> = {};
  const lines = ["i=${AWS_BATCH_JOB_ARRAY_INDEX:-0}"];
  let stride = 1;
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k]!;
    const values = job.matrix[key]!;
    values.forEach((v, j) => environment[`EZBATCH_M${k}_${j}`] = v);
    lines.push(`eval "export ${key}=\\"\\$EZBATCH_M${k}_$(( i / ${stride} % ${values.length} ))\\""`);
    stride *= values.length;
  }
  lines.push('exec "$@"');
  return { command: ["/bin/sh", "-c", lines.join("\n"), "ezbatch-matrix", ...command], environment };
}
