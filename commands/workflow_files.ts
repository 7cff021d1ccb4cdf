/**
 * The offline workflow commands: `workflow init`, `validate` and `schema`. They never create a backend, so they
 * work without credentials and never load the AWS SDK.
 * @module
 */
import { type Issue, NotFoundError, UsageError, WorkflowError } from "../core/errors.ts";
import { parseWorkflow } from "../core/load.ts";
import { readTextFileLimited, readTextLimited, tooLargeMessage } from "../core/read_limited.ts";
import type { EZBatchWorkflow } from "../core/model.ts";
import { workflowJsonSchema } from "../core/schema.ts";
import type { CliContext } from "./context.ts";
import { plural } from "./output.ts";
import { type AnyCommand, examples } from "./program.ts";
import { warnSecretLikeNames } from "./_warnings.ts";
import { allErrorsOption, formatIssueLines } from "./_issues.ts";

/** Reads a workflow file (`-` reads stdin) and validates it. */
export async function readWorkflow(ctx: CliContext, path: string): Promise<EZBatchWorkflow> {
  return parseWorkflow(await readText(ctx, path), path === "-" ? {} : { file: path });
}

/**
 * Reads a workflow file, or stdin for `-`, with errors that name the file. Never reads more than 4 MiB: a larger
 * input (or an endless one such as /dev/zero) is a WorkflowError at once.
 */
export async function readText(ctx: CliContext, path: string): Promise<string> {
  let text: string | undefined;
  if (path === "-") {
    if (!ctx.stdin) throw new UsageError("'-' reads standard input, but there is none");
    text = await readTextLimited(ctx.stdin);
    if (text === undefined) throw new WorkflowError({ message: tooLargeMessage("Standard input") });
    return text;
  }
  try {
    text = await readTextFileLimited(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new NotFoundError(`File '${path}' does not exist`);
    if (error instanceof Deno.errors.IsADirectory) throw new UsageError(`'${path}' is a directory, not a file`);
    throw error;
  }
  if (text === undefined) throw new WorkflowError({ file: path, message: tooLargeMessage("The workflow file") });
  return text;
}

/** Writes `text` to `path`, refusing to replace a file unless `force`. */
export async function writeNewFile(path: string, text: string, force: boolean): Promise<void> {
  try {
    await Deno.writeTextFile(path, text, { createNew: !force });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new UsageError(`'${path}' already exists: pass --force to replace it, or choose another name`);
    }
    if (error instanceof Deno.errors.NotFound) throw new NotFoundError(`The folder of '${path}' does not exist`);
    throw error;
  }
}

/** Counts of a workflow, for summaries. */
export function workflowCounts(wf: EZBatchWorkflow) {
  const jobs = Object.values(wf.jobs);
  const arrays = jobs.filter((j) => j.matrix);
  const children = arrays.reduce(
    (sum, j) => sum + Object.values(j.matrix!).reduce((n, values) => n * values.length, 1),
    0,
  );
  const dependencies = Object.values(wf.dependencies).reduce((n, deps) => n + deps.length, 0);
  return { jobs: jobs.length, arrayJobs: arrays.length, arrayChildren: children, dependencies };
}

/** The outcome of validating one file. */
export type ValidationResult =
  | ({ file: string; valid: true; workflow: string } & ReturnType<typeof workflowCounts>)
  | { file: string; valid: false; issues: readonly Issue[] };

/** The example written by `workflow init`. */
export function initTemplate(name: string, queue?: string): string {
  return `# An ezbatch workflow. Check it with \`ezbatch workflow validate\`, see what would run with
# \`ezbatch workflow plan\`, run it with \`ezbatch workflow submit --watch\` (add --local to run it here).
# Every key is listed by \`ezbatch workflow schema\`.
name = "${name}"                      # letters, digits, '-' and '_'
${queue ? "" : "# "}queue = "${
    queue ?? "my-queue"
  }"                 # default queue of every job (or set one in the config)

[jobs.prepare]
image = "public.ecr.aws/docker/library/alpine:3.20"
command = "echo preparing && date > /tmp/started"   # a string runs under /bin/sh -c
vcpus = 0.5                          # Fargate sizes: 0.25, 0.5, 1, 2, 4, 8, 16 vCPU
memory = 1024                        # MiB; must suit the vCPUs on Fargate
environment = { STAGE = "prepare" }
# platform = "EC2"                   # FARGATE (default) or EC2 (needed for GPUs)
# timeout = "30m"                    # per attempt, at least 60 s
# retry = { attempts = 2 }

# Stage S3 data in and out (the preloader copies it before and after the command):
# [[jobs.prepare.mounts.read]]
# source = "s3://my-bucket/input/"
# destination = "/data/in"
# recursive = true

# More (each checked against AWS Batch's rules; see README "Features for serious workloads"):
# architecture = "ARM64"             # Fargate on Graviton (the image must be built for linux/arm64)
# job_role = "arn:aws:iam::123456789012:role/my-job-role"   # else the config's taskRoleArn
# priority = 10                      # fair-share queues: 0 to 9999; share = "teamA" names the share
# consumable_resources = { my-license = 1 }
# On platform = "EC2" only: shared_memory = 4096 (MiB of /dev/shm), ulimits = { nofile = 65536 },
# privileged = true, user = "1000", nodes = 4 with main_node = 0 (a multi-node parallel job; each node sees
# AWS_BATCH_JOB_NODE_INDEX and AWS_BATCH_JOB_MAIN_NODE_INDEX; [[jobs.NAME.node_ranges]] with targets = "0" / "1:"
# gives node ranges their own image, command, vcpus, memory, environment), host_path volumes.
# [[jobs.prepare.volumes]]           # an EFS file system
# efs = "fs-0123456789abcdef0"
# mount_point = "/mnt/shared"
# transit_encryption = true

[jobs.sweep]
image = "public.ecr.aws/docker/library/alpine:3.20"
command = ["/bin/sh", "-c", "echo rate=$RATE"]       # an array is exec form
matrix = { RATE = ["0.1", "0.01"] }  # ONE array job; each child gets one value of RATE

[jobs.report]
image = "public.ecr.aws/docker/library/alpine:3.20"
command = "echo all done"

[dependencies]
sweep = ["prepare"]                  # sweep waits for prepare
report = ["sweep"]                   # or [{ job = "sweep", type = "N_TO_N" }] to pair array children
`;
}

/** Adds `init`, `validate` and `schema` to the `workflow` group. */
export function registerWorkflowFileCommands(group: AnyCommand, ctx: CliContext): void {
  const init = group.command("init").argument("[file]", "where to write it ('-' prints it)", "workflow.toml")
    .description("write a commented example workflow to start from")
    .option("--name <name>", "the workflow's name (default: the file's name)")
    .option("--queue <queue>", "the default job queue")
    .option("--force", "replace the file if it exists")
    .action(async (file, flags) => {
      const base = file === "-" ? "my-workflow" : file.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
      const name = flags.name ?? (base.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "my-workflow");
      const text = initTemplate(name, flags.queue);
      parseWorkflow(text); // the template must always be valid; a bad --name is reported here
      if (file === "-") {
        ctx.stdout.write(text);
        return;
      }
      await writeNewFile(file, text, flags.force === true);
      ctx.note(
        `Next: ezbatch workflow plan ${file} --local, then ezbatch workflow submit ${file} --local --watch ` +
          "(for AWS: --queue YOUR_QUEUE instead of --local)",
      );
      ctx.print({ file, name }, () => file);
    });
  examples(init, "ezbatch workflow init pipeline.toml", "ezbatch workflow init - --name demo > demo.toml");

  const validate = group.command("validate").argument(
    "<files...>",
    "workflow files (TOML or ezbatch JSON; '-' reads stdin)",
  )
    .description("check workflow files offline: shape, names, Fargate sizes, dependencies (no AWS calls)")
    .action(async (files) => {
      const results: ValidationResult[] = [];
      for (const file of files) {
        try {
          const wf = await readWorkflow(ctx, file);
          warnSecretLikeNames(ctx, wf, file === "-" ? "<stdin>" : file);
          results.push({ file, valid: true, workflow: wf.name, ...workflowCounts(wf) });
        } catch (error) {
          if (!(error instanceof WorkflowError)) throw error;
          results.push({ file, valid: false, issues: error.issues });
        }
      }
      if (ctx.json) ctx.outJson(files.length === 1 ? results[0] : results);
      const c = ctx.errColors;
      for (const r of results) {
        const label = r.file === "-" ? "<stdin>" : r.file;
        if (r.valid) {
          const extra = r.arrayJobs
            ? `, ${r.arrayJobs} of them ${r.arrayJobs === 1 ? "an array job" : "array jobs"} with ` +
              plural(r.arrayChildren, "child", "children")
            : "";
          if (!ctx.json) ctx.out(`${label}: workflow '${r.workflow}' is valid (${plural(r.jobs, "job")}${extra})`);
        } else {
          const n = r.issues.length;
          ctx.stderr.write(
            `${c.red(`error: ${label} is not valid (${n} ${n === 1 ? "problem" : "problems"}):`)}\n` +
              formatIssueLines(r.issues, ctx.allErrors),
          );
        }
      }
      if (results.some((r) => !r.valid)) ctx.exitCode = 1;
    });
  allErrorsOption(validate);
  examples(validate, "ezbatch workflow validate pipeline.toml", "ezbatch workflow validate old-ezbatch.json --json");

  const schema = group.command("schema").description("print the JSON Schema of workflow files (for editor completion)")
    .action(() => ctx.outJson(workflowJsonSchema()));
  examples(
    schema,
    "ezbatch workflow schema > ezbatch.schema.json",
    "ezbatch workflow schema --json | jq '.properties | keys'",
  );
}
