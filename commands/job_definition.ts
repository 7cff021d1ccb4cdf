/**
 * `ezbatch job-definition create|list|describe|deregister`.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { JobDefinition } from "../core/backend_types.ts";
import { NotFoundError, UsageError } from "../core/errors.ts";
import type { CliContext } from "./context.ts";
import { colorStatus, formatMap, renderFields, renderTable } from "./output.ts";
import { choiceOption, parseKeyValue } from "./parse.ts";
import { addJobFlags, type JobFlags, jobFromFlags, jobRequestFromFlags } from "./_job_flags.ts";
import { registerDefinition } from "../core/actions/definition.ts";
import { type AnyCommand, examples } from "./program.ts";
import { readAllPages } from "./wait.ts";

/** A definition reference split into name and optional revision (`name`, `name:3` or an ARN). */
export function parseDefinitionRef(ref: string): { name: string; revision?: number } {
  const tail = ref.startsWith("arn:") ? ref.slice(ref.lastIndexOf("/") + 1) : ref;
  const match = /^([A-Za-z0-9_-]{1,128})(?::(\d+))?$/.exec(tail);
  if (!match) {
    throw new UsageError(`Job definition '${ref}' is not valid: give a name, name:revision or a job definition ARN`);
  }
  return match[2] === undefined ? { name: match[1]! } : { name: match[1]!, revision: Number(match[2]) };
}

/** Every definition matching the query, all pages. */
export function listAllDefinitions(
  backend: Backend,
  ctx: CliContext,
  query: { status?: "ACTIVE" | "INACTIVE"; name?: string },
): Promise<JobDefinition[]> {
  return readAllPages(async (nextToken) => {
    const page = await backend.listJobDefinitions(query, { nextToken, signal: ctx.signal });
    return { items: page.definitions, nextToken: page.nextToken };
  });
}

/** The definition `ref` names: a given revision (any status), or the latest ACTIVE revision. */
export async function findDefinition(backend: Backend, ctx: CliContext, ref: string): Promise<JobDefinition> {
  const { name, revision } = parseDefinitionRef(ref);
  const all = revision === undefined
    ? await backend.describeJobDefinitions([name], { signal: ctx.signal })
    : await listAllDefinitions(backend, ctx, { name });
  const matching = all.filter((d) =>
    d.jobDefinitionName === name && (revision === undefined || d.revision === revision)
  );
  const found = matching.sort((a, b) => b.revision - a.revision)[0];
  if (!found) {
    const what = revision === undefined
      ? `No ACTIVE revision of job definition '${name}' exists`
      : `Job definition '${ref}' does not exist`;
    throw new NotFoundError(`${what}; 'ezbatch job-definition list' shows the ones there are`);
  }
  return found;
}

function resource(def: JobDefinition, type: "VCPU" | "MEMORY" | "GPU"): string | undefined {
  return def.containerProperties?.resourceRequirements?.find((r) => r.type === type)?.value;
}

function summary(def: JobDefinition) {
  return {
    name: def.jobDefinitionName,
    revision: def.revision,
    status: def.status,
    platform: def.platformCapabilities?.join(",") ?? "EC2",
    image: def.containerProperties?.image,
    vcpus: resource(def, "VCPU"),
    memory: resource(def, "MEMORY"),
    arn: def.jobDefinitionArn,
  };
}

/** Text of `job-definition describe`. */
export function renderDefinition(def: JobDefinition, ctx: CliContext): string {
  const c = def.containerProperties;
  const retry = def.retryStrategy;
  return renderFields([
    ["Name", def.jobDefinitionName],
    ["Revision", def.revision],
    ["ARN", def.jobDefinitionArn],
    ["Status", colorStatus(def.status, ctx.outColors)],
    ["Platform", def.platformCapabilities?.join(", ")],
    ["Image", c?.image],
    ["Command", c?.command ? JSON.stringify(c.command) : undefined],
    ["vCPUs", resource(def, "VCPU")],
    ["Memory (MiB)", resource(def, "MEMORY")],
    ["GPUs", resource(def, "GPU")],
    ["Environment", c?.environment?.length ? c.environment.map((e) => `${e.name}=${e.value}`).join(", ") : undefined],
    ["Secrets", c?.secrets?.length ? c.secrets.map((s) => `${s.name} from ${s.valueFrom}`).join(", ") : undefined],
    ["Job role", c?.jobRoleArn],
    ["Execution role", c?.executionRoleArn],
    ["Log group", c?.logConfiguration?.options?.["awslogs-group"]],
    ["Storage (GiB)", c?.ephemeralStorage?.sizeInGiB],
    [
      "Retry",
      retry?.attempts
        ? `${retry.attempts} attempts${retry.evaluateOnExit?.length ? ", with exit rules" : ""}`
        : undefined,
    ],
    ["Timeout", def.timeout ? `${def.timeout.attemptDurationSeconds} s` : undefined],
    ["Tags", def.tags && Object.keys(def.tags).length ? formatMap(def.tags) : undefined],
  ], { colors: ctx.outColors });
}

/** Adds the list, describe and deregister commands of the `job-definition` group. */
export function registerDefinitionReadCommands(group: AnyCommand, ctx: CliContext): void {
  const list = group.command("list").alias("ls").description("list job definitions, every revision, all pages")
    .addOption(
      choiceOption("--status <status>", "ACTIVE, INACTIVE or ALL", ["ACTIVE", "INACTIVE", "ALL"] as const)
        .default("ACTIVE" as const),
    )
    .option("--name <name>", "only the revisions of this definition")
    .option("--latest", "only the latest revision of each definition")
    .action(async (flags) => {
      const backend = await ctx.backend();
      const query = {
        ...(flags.status !== "ALL" ? { status: flags.status } : {}),
        ...(flags.name ? { name: flags.name } : {}),
      };
      let defs = await listAllDefinitions(backend, ctx, query);
      defs.sort((a, b) => a.jobDefinitionName.localeCompare(b.jobDefinitionName) || a.revision - b.revision);
      if (flags.latest) {
        const latest = new Map(defs.map((d) => [d.jobDefinitionName, d]));
        defs = [...latest.values()];
      }
      const rows = defs.map(summary);
      const c = ctx.outColors;
      ctx.print(rows, () =>
        renderTable(
          ["NAME", "REVISION", "STATUS", "PLATFORM", "VCPUS", "MEMORY", "IMAGE"],
          rows.map((d) => [d.name, d.revision, colorStatus(d.status, c), d.platform, d.vcpus, d.memory, d.image]),
          { colors: c, emptyText: "No job definitions." },
        ));
    });
  examples(list, "ezbatch job-definition list", "ezbatch job-definition list --status ALL --name my-def --json");

  const describe = group.command("describe").argument(
    "<definition>",
    "name (latest ACTIVE revision), name:revision or ARN",
  )
    .description("show one job definition")
    .action(async (ref) => {
      const def = await findDefinition(await ctx.backend(), ctx, ref);
      ctx.print(def, () => renderDefinition(def, ctx));
    });
  examples(describe, "ezbatch job-definition describe my-def", "ezbatch job-definition describe my-def:3 --json");

  const deregister = group.command("deregister").argument("<definition>", "name:revision, ARN, or a name with --all")
    .description("deregister a job definition revision (AWS deletes it after 180 days)")
    .option("--all", "deregister every ACTIVE revision of the named definition")
    .action(async (ref, flags) => {
      const backend = await ctx.backend();
      const { name, revision } = parseDefinitionRef(ref);
      let targets: string[];
      if (revision !== undefined) {
        if (flags.all) throw new UsageError("--all takes a definition name without a revision");
        targets = [`${(await findDefinition(backend, ctx, ref)).jobDefinitionName}:${revision}`];
      } else if (flags.all) {
        const active = await backend.describeJobDefinitions([name], { signal: ctx.signal });
        targets = active.filter((d) => d.jobDefinitionName === name).map((d) => `${name}:${d.revision}`);
        if (!targets.length) throw new NotFoundError(`No ACTIVE revision of job definition '${name}' exists`);
      } else {
        throw new UsageError(`Say which revision of '${name}' to deregister (${name}:1), or pass --all for every one`);
      }
      for (const target of targets) await backend.deregisterJobDefinition(target, { signal: ctx.signal });
      ctx.print({ deregistered: targets }, () => targets.map((t) => `${t} deregistered`).join("\n"));
    });
  examples(deregister, "ezbatch job-definition deregister my-def:3", "ezbatch job-definition deregister my-def --all");
}

/** Adds the `job-definition` group to `program`. */
export function registerJobDefinitionCommands(program: AnyCommand, ctx: CliContext): void {
  const group = program.command("job-definition").alias("def")
    .description("register and inspect job definitions (the image, command and resources of a job)");
  examples(group, "ezbatch job-definition list --latest", "ezbatch job-definition describe my-def");

  const create = addJobFlags(
    group.command("create").argument("[command...]", "exec-form command, after --")
      .description("register a job definition from flags or from a job of a workflow file (reused when identical)")
      .option("--name <name>", "the definition's name (default: content-addressed, ezbatch-<image>-<hash>)")
      .option("--tag <key=value>", "tag the definition (repeatable)", parseKeyValue),
  ).action(async (exec, given) => {
    const flags = given as typeof given & JobFlags;
    const job = await jobFromFlags(flags, exec);
    const backend = await ctx.backend();
    const { message, ...result } = await registerDefinition(backend, {
      ...jobRequestFromFlags(flags, job),
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.tag ? { tags: flags.tag } : {}),
    }, { settings: await ctx.settings(), signal: ctx.signal });
    ctx.note(message);
    ctx.print(result, () => `${result.name}:${result.revision}`);
  });
  examples(
    create,
    "ezbatch job-definition create --image python:3.12 --vcpus 1 --memory 2048 -- python -c 'print(42)'",
    "ezbatch job-definition create --name trainer --platform EC2 --gpus 1 --image my/train:1.4 --command 'python train.py'",
    "ezbatch job-definition create --from pipeline.toml --job prepare",
  );
  registerDefinitionReadCommands(group, ctx);
}
