/**
 * Workflow files as the interactive mode writes them: the library's TOML (`workflowToToml`) with comments that
 * explain each part. Comments change nothing when the file is loaded, so it loads back into the same workflow.
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { parseWorkflow } from "../../core/load.ts";
import type { EZBatchWorkflow } from "../../core/model.ts";
import { workflowToToml } from "../../core/save.ts";

function describeJob(name: string, wf: EZBatchWorkflow): string[] {
  const job = wf.jobs[name];
  if (!job) return [];
  const size = `${job.vcpus} vCPU, ${job.memory} MiB${job.gpus ? `, ${job.gpus} GPU` : ""}`;
  const lines = [`# Job '${name}': ${job.platform === "EC2" ? "EC2" : "Fargate"}, ${size}.`];
  const matrix = job.matrix ? Object.values(job.matrix).reduce((n, v) => n * v.length, 1) : 0;
  if (matrix) lines.push(`# Its matrix makes ONE array job of ${matrix} children; each gets one combination.`);
  const mounts = job.mounts.read.length + job.mounts.write.length;
  if (mounts) {
    lines.push(`# The preloader downloads its read mounts before the command and uploads its write mounts after.`);
  }
  const deps = wf.dependencies[name] ?? [];
  if (deps.length) lines.push(`# Starts after: ${deps.map((d) => d.job + (d.type ? ` (${d.type})` : "")).join(", ")}.`);
  return lines;
}

/**
 * The workflow as commented TOML: a header saying how to use the file, a comment above each job, and one above the
 * dependencies.
 */
export function commentedToml(wf: EZBatchWorkflow, file = `${wf.name}.toml`): string {
  const header = [
    `# ezbatch workflow '${wf.name}', written by 'ezbatch interactive'.`,
    `# Check it:   ezbatch workflow validate ${file}`,
    `# Preview:    ezbatch workflow plan ${file}`,
    `# Run it:     ezbatch workflow submit ${file} --watch`,
    "# Jobs run on Fargate unless they say platform = \"EC2\"; memory is in MiB; see 'ezbatch workflow schema'.",
    "",
  ];
  const out: string[] = [];
  for (const line of workflowToToml(wf).split("\n")) {
    const job = /^\[jobs\.("?)(.+)\1\]$/.exec(line);
    if (job) out.push(...describeJob(job[2]!.replaceAll('\\"', '"'), wf));
    if (line === "[dependencies]") {
      out.push("# Each job waits for the jobs listed (N_TO_N pairs array children by index).");
    }
    out.push(line);
  }
  return [...header, ...out].join("\n");
}

/** Writes the workflow as commented TOML and checks that the file loads back into the same workflow. */
export async function writeWorkflowFile(wf: EZBatchWorkflow, path: string): Promise<void> {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const text = commentedToml(wf, name);
  const back = parseWorkflow(text, { file: path });
  if (!isDeepStrictEqual(back, wf)) {
    throw new Error(`The TOML written for '${wf.name}' does not load back identically; nothing was saved`);
  }
  await Deno.writeTextFile(path, text);
}
