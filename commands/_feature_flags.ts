/**
 * The job-feature flags of `jobs submit` and `job-definition create` (volumes, shared memory, ulimits, architecture,
 * privileged, user, priority, share, nodes, consumable resources). The parsers here only read the text into the
 * workflow file's fields; every rule (Fargate vs EC2, ranges, ids) is the workflow file's own, in
 * `core/job_features_check.ts`, so a flag and a file key can never disagree. `flagOfField` names the flag back.
 * @module
 */
import type { JobVolume, UlimitInput } from "../core/job_features.ts";
import type { JobInput } from "../core/schema.ts";
import { InvalidArgumentError } from "./deps.ts";
import { choiceOption } from "./parse.ts";
import type { AnyCommand } from "./program.ts";

/** The feature flags as commander gives them. */
export interface FeatureFlags {
  volume?: JobVolume[];
  sharedMemory?: number;
  ulimit?: Record<string, UlimitInput>;
  architecture?: "X86_64" | "ARM64";
  privileged?: boolean;
  user?: string;
  priority?: number;
  share?: string;
  nodes?: number;
  mainNode?: number;
  consumableResource?: Record<string, number>;
}

const VOLUME_TEXT = ["efs", "host_path", "mount_point", "root_directory", "access_point"] as const;
const VOLUME_BOOL = ["transit_encryption", "iam", "read_only"] as const;

/** Parses a whole number (any sign: the ranges are the workflow rules', checked later with the job). */
export function wholeNumber(text: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new InvalidArgumentError("Expected a whole number.");
  return Number(text);
}

/**
 * Parses `--volume efs=fs-…,mount_point=/mnt/data[,root_directory=/x][,access_point=fsap-…][,transit_encryption]
 * [,iam][,read_only]` or `host_path=/path,mount_point=/data[,read_only]`: the workflow file's keys, booleans bare
 * or `=true|false`.
 */
export function parseVolume(text: string, previous: JobVolume[] = []): JobVolume[] {
  const volume: Record<string, string | boolean> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf("=");
    const key = at < 0 ? part : part.slice(0, at);
    const value = at < 0 ? undefined : part.slice(at + 1);
    if ((VOLUME_TEXT as readonly string[]).includes(key) && value) volume[key] = value;
    else if ((VOLUME_BOOL as readonly string[]).includes(key) && [undefined, "true", "false"].includes(value)) {
      volume[key] = value !== "false";
    } else {
      throw new InvalidArgumentError(
        `Unknown or empty part '${part}': use ${VOLUME_TEXT.map((k) => `${k}=…`).join(", ")} and the switches ` +
          `${VOLUME_BOOL.join(", ")}, e.g. efs=fs-0123456789abcdef0,mount_point=/mnt/data,read_only.`,
      );
    }
  }
  if (typeof volume.mount_point !== "string") {
    throw new InvalidArgumentError("Expected mount_point=/path/in/container, e.g. efs=fs-0123abcd,mount_point=/mnt.");
  }
  return [...previous, volume as unknown as JobVolume];
}

/** Parses `--ulimit name=N` (soft and hard) or `name=SOFT:HARD`; -1 means unlimited. */
export function parseUlimit(text: string, previous: Record<string, UlimitInput> = {}): Record<string, UlimitInput> {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError("Expected name=N or name=SOFT:HARD, e.g. nofile=65536 or nofile=1024:65536.");
  const soft = Number(m[2]);
  return { ...previous, [m[1]!]: m[3] === undefined ? soft : { soft, hard: Number(m[3]) } };
}

/** Parses `--consumable-resource NAME=QUANTITY` (name or ARN). */
export function parseConsumable(text: string, previous: Record<string, number> = {}): Record<string, number> {
  const at = text.lastIndexOf("=");
  if (at <= 0 || !/^-?\d+$/.test(text.slice(at + 1))) {
    throw new InvalidArgumentError("Expected NAME=QUANTITY, e.g. my-license=1.");
  }
  return { ...previous, [text.slice(0, at)]: Number(text.slice(at + 1)) };
}

/** Adds the feature flags to a command. */
export function addFeatureFlags<C extends AnyCommand>(command: C): C {
  command
    .option(
      "--volume <spec>",
      "mount a volume (repeatable): efs=fs-…,mount_point=/mnt[,root_directory=/d][,access_point=fsap-…]" +
        "[,transit_encryption][,iam][,read_only], or on EC2 host_path=/path,mount_point=/data",
      parseVolume,
    )
    .option("--shared-memory <mib>", "size of /dev/shm in MiB (EC2 only)", wholeNumber)
    .option("--ulimit <name=n>", "resource limit, name=N or name=SOFT:HARD (repeatable; EC2 only)", parseUlimit)
    .addOption(choiceOption("--architecture <arch>", "Fargate CPU: X86_64 (default) or ARM64", ["X86_64", "ARM64"]))
    .option("--privileged", "run the container privileged (EC2 only)")
    .option("--user <user>", "user the container runs as: name, uid or uid:gid")
    .option("--priority <n>", "scheduling priority in a fair-share queue, 0 to 9999", wholeNumber)
    .option("--share <id>", "share identifier in a fair-share queue")
    .option("--nodes <n>", "multi-node parallel job of N nodes (EC2 only)", wholeNumber)
    .option("--main-node <index>", "index of the main node of --nodes (default 0)", wholeNumber)
    .option(
      "--consumable-resource <name=n>",
      "a consumable resource (name or ARN) and the quantity the job holds (repeatable)",
      parseConsumable,
    );
  return command;
}

/** True when any feature flag was given. */
export function hasFeatureFlags(flags: FeatureFlags): boolean {
  return FLAG_NAMES.some(([key]) => flags[key] !== undefined);
}

const FLAG_NAMES: [keyof FeatureFlags, keyof JobInput, string][] = [
  ["volume", "volumes", "--volume"],
  ["sharedMemory", "shared_memory", "--shared-memory"],
  ["ulimit", "ulimits", "--ulimit"],
  ["architecture", "architecture", "--architecture"],
  ["privileged", "privileged", "--privileged"],
  ["user", "user", "--user"],
  ["priority", "priority", "--priority"],
  ["share", "share", "--share"],
  ["nodes", "nodes", "--nodes"],
  ["mainNode", "main_node", "--main-node"],
  ["consumableResource", "consumable_resources", "--consumable-resource"],
];

/** Writes the given feature flags into a job's input (flags win over a `--from` file's keys; lists add to them). */
export function applyFeatureFlags(input: JobInput, flags: FeatureFlags): void {
  const fields = input as unknown as Record<string, unknown>;
  for (const [flag, field] of FLAG_NAMES) {
    const value = flags[flag];
    if (value === undefined) continue;
    if (field === "volumes") input.volumes = [...(input.volumes ?? []), ...(value as JobVolume[])];
    else if (field === "ulimits" || field === "consumable_resources") {
      fields[field] = { ...input[field], ...(value as object) };
    } else fields[field] = value;
  }
}

/** The flag behind a workflow field path (`jobs.job.volumes[1].efs` -> `--volume (the 2nd)`), or undefined. */
export function flagOfField(field: string | undefined): string | undefined {
  const m = /^jobs\.job\.([a-z_]+)(?:\[(\d+)\])?(?:\.(.+))?$/.exec(field ?? "");
  if (!m) return undefined;
  if (m[1] === "job_role") return "--job-role";
  const flag = FLAG_NAMES.find(([, f]) => f === m[1])?.[2];
  if (!flag) return undefined;
  if (m[2] !== undefined) return `${flag} (number ${Number(m[2]) + 1})`;
  return m[3] !== undefined && flag !== "--volume" ? `${flag} ${m[3]}` : flag;
}
