/**
 * The job features of issue 17 on the local backend: what it honours and what it says it ignores. Read from the
 * AWS shapes of the definition (so a definition registered by any tool behaves the same):
 * - a multi-node definition runs its nodes as processes, like array children, each seeing AWS_BATCH_JOB_NODE_INDEX,
 *   AWS_BATCH_JOB_MAIN_NODE_INDEX and AWS_BATCH_JOB_NUM_NODES (and the main node's address, 127.0.0.1), and each
 *   running its own node range's container (nodes.ts): its image, command, environment and size, and the
 *   features below, read from that range's container as AWS Batch reads them;
 * - with docker or podman: volumes become bind mounts (an EFS file system is a directory of the local state,
 *   `efs/<file system id>`, shared by every job as EFS is; a host path is that path), shared memory `--shm-size`,
 *   ulimits `--ulimit`, user `--user`;
 * - on the host runtime as root (a private mount namespace), volumes are bind mounts too (`namespaceVolumes`);
 * - privileged mode, CPU architecture, consumable resources and fair-share scheduling are not emulated: the job's
 *   log says so. On the host runtime (no engine) shared memory, ulimits and user are not applied either, nor
 *   volumes without a private mount namespace.
 * @module
 */
import { join } from "node:path";
import type { ContainerOverrides, ContainerProperties, JobDefinition, SubmitJobInput } from "../backend_types.ts";

/** What a local job keeps of the features (stored in its spec). */
export interface LocalFeatures {
  /** Volumes: an EFS id and directory, or a host path, with the container path. */
  volumes?: { efs?: string; root?: string; hostPath?: string; containerPath: string; readOnly: boolean }[];
  /** /dev/shm in MiB. */
  sharedMemory?: number;
  /** Limits. */
  ulimits?: { name: string; softLimit: number; hardLimit: number }[];
  /** Container user. */
  user?: string;
  /** Not emulated, reported. */
  ignored?: string[];
  /** Multi-node job: node count and main node. */
  nodes?: { count: number; main: number };
}

/** The container of a definition: `containerProperties`, or a multi-node definition's first node range. */
export function definitionContainer(definition: Pick<JobDefinition, "containerProperties" | "nodeProperties">) {
  return definition.containerProperties ?? definition.nodeProperties?.nodeRangeProperties[0]?.container ??
    { image: "" } as ContainerProperties;
}

/** The overrides of a submission: `containerOverrides`, or those of a multi-node job's first node range. */
export function submissionOverrides(input: SubmitJobInput): ContainerOverrides {
  return input.containerOverrides ?? input.nodeOverrides?.nodePropertyOverrides?.[0]?.containerOverrides ?? {};
}

/**
 * The features of a definition and a submission, as the local backend keeps them (undefined when none). `c` is
 * the container they are read from: the definition's, or (a node of a multi-node job) its node range's.
 */
export function localFeatures(
  definition: JobDefinition,
  input: SubmitJobInput,
  c: ContainerProperties = definitionContainer(definition),
): LocalFeatures | undefined {
  const f: LocalFeatures = {};
  const volumes = new Map((c.volumes ?? []).map((v) => [v.name, v]));
  const mounts = (c.mountPoints ?? []).flatMap((m) => {
    const v = volumes.get(m.sourceVolume);
    if (!v) return [];
    const efs = v.efsVolumeConfiguration;
    return [{
      ...(efs ? { efs: efs.fileSystemId, root: efs.rootDirectory ?? "/" } : { hostPath: v.host?.sourcePath ?? "" }),
      containerPath: m.containerPath,
      readOnly: m.readOnly === true,
    }];
  });
  if (mounts.length) f.volumes = mounts;
  if (c.linuxParameters?.sharedMemorySize) f.sharedMemory = c.linuxParameters.sharedMemorySize;
  if (c.ulimits?.length) f.ulimits = c.ulimits;
  if (c.user) f.user = c.user;
  const ignored: string[] = [];
  if (c.privileged) ignored.push("privileged mode");
  if (c.runtimePlatform?.cpuArchitecture === "ARM64") {
    ignored.push("CPU architecture ARM64 (this machine's variant of the image runs; on AWS it needs an arm64 one)");
  }
  if (definition.consumableResourceProperties?.consumableResourceList.length) ignored.push("consumable resources");
  if (input.schedulingPriorityOverride !== undefined || input.shareIdentifier) {
    ignored.push("fair-share priority and share (local queues run in submission order)");
  }
  if (ignored.length) f.ignored = ignored;
  const nodes = definition.nodeProperties;
  if (nodes) f.nodes = { count: input.nodeOverrides?.numNodes ?? nodes.numNodes, main: nodes.mainNode };
  return Object.keys(f).length ? f : undefined;
}

/** Arguments of `docker run` / `podman run` for the features; `workDir` is the attempt's (state/work/id/n). */
export function engineArgs(features: LocalFeatures | undefined, workDir: string): string[] {
  if (!features) return [];
  const args: string[] = [];
  const stateDir = join(workDir, "..", "..", "..");
  for (const v of features.volumes ?? []) {
    const source = v.efs ? efsDir(stateDir, v.efs, v.root) : v.hostPath!;
    args.push("-v", `${source}:${v.containerPath}${v.readOnly ? ":ro" : ""}`);
  }
  if (features.sharedMemory) args.push(`--shm-size=${features.sharedMemory}m`);
  for (const u of features.ulimits ?? []) args.push(`--ulimit=${u.name}=${u.softLimit}:${u.hardLimit}`);
  if (features.user) args.push(`--user=${features.user}`);
  return args;
}

/** The directory standing in for an EFS file system's `root` (`state/efs/<id>/<root>`). */
function efsDir(stateDir: string, id: string, root = "/"): string {
  return root === "/" ? join(stateDir, "efs", id) : join(stateDir, "efs", id, root);
}

/** Creates the directories standing in for EFS file systems (a bind mount needs its source). */
export async function prepareVolumes(features: LocalFeatures | undefined, workDir: string): Promise<void> {
  const stateDir = join(workDir, "..", "..", "..");
  for (const v of features?.volumes ?? []) {
    if (v.efs) await Deno.mkdir(efsDir(stateDir, v.efs, v.root), { recursive: true });
  }
}

/** A bind mount of a volume into a job's private mount namespace (host runtime, as root). */
export interface VolumeBind {
  /** The directory standing for the volume. */
  source: string;
  /** Where it appears: the container path under the job's rootfs. */
  target: string;
  /** Mount read-only. */
  readOnly: boolean;
}

/**
 * The volumes of a job on the host runtime with a private mount namespace: bind mounts onto its rootfs, and notes
 * for those it cannot make. A mount point whose top-level directory this machine lacks is created in the job's own
 * rootfs; one that exists here is mounted over inside the namespace only; one that would have to be created in a
 * directory of this machine (e.g. `/mnt/efs` when `/mnt` exists but `/mnt/efs` does not) is skipped, so that a job
 * never creates directories on the host. A host path that does not exist is skipped too.
 */
export async function namespaceVolumes(
  features: LocalFeatures | undefined,
  workDir: string,
  root: string,
): Promise<{ binds: VolumeBind[]; notes: string[] }> {
  const binds: VolumeBind[] = [];
  const notes: string[] = [];
  const stateDir = join(workDir, "..", "..", "..");
  const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
  for (const v of features?.volumes ?? []) {
    const source = v.efs ? efsDir(stateDir, v.efs, v.root) : v.hostPath!;
    if (v.efs) await Deno.mkdir(source, { recursive: true });
    else if (!(await exists(source))) {
      notes.push(`Volume at ${v.containerPath} not mounted: the host path ${source} does not exist on this machine`);
      continue;
    }
    const top = `/${v.containerPath.split("/").filter(Boolean)[0] ?? ""}`;
    const target = join(root, v.containerPath);
    if (!(await exists(top))) await Deno.mkdir(target, { recursive: true });
    else if (!(await exists(v.containerPath))) {
      notes.push(`Volume at ${v.containerPath} not mounted: it would create ${v.containerPath} on this machine`);
      continue;
    }
    binds.push({ source, target, readOnly: v.readOnly });
  }
  return { binds, notes };
}

/**
 * What the job's log should say the local backend does not apply on `runtime` (with `isolation`, the host
 * runtime's: in a private mount namespace volumes are bind mounts, see {@link namespaceVolumes}).
 */
export function featureNotes(features: LocalFeatures | undefined, runtime: string, isolation = "none"): string[] {
  if (!features) return [];
  const notes = (features.ignored ?? []).map((what) => `Not emulated locally: ${what}`);
  if (runtime === "host") {
    const skipped = [
      features.volumes?.length && isolation !== "namespace" ? "volumes" : "",
      features.sharedMemory ? "shared memory" : "",
      features.ulimits?.length ? "ulimits" : "",
      features.user ? "user" : "",
    ].filter(Boolean);
    if (skipped.length) notes.push(`Without docker or podman these are not applied: ${skipped.join(", ")}`);
  }
  return notes;
}

/** The variables of a multi-node job's node (`index` = the node's child index), as AWS Batch sets them. */
export function nodeEnvironment(
  features: LocalFeatures | undefined,
  index: number | undefined,
): Record<string, string> {
  const nodes = features?.nodes;
  if (!nodes || index === undefined) return {};
  const env: Record<string, string> = {
    AWS_BATCH_JOB_NODE_INDEX: String(index),
    AWS_BATCH_JOB_MAIN_NODE_INDEX: String(nodes.main),
    AWS_BATCH_JOB_NUM_NODES: String(nodes.count),
  };
  if (index !== nodes.main) env.AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS = "127.0.0.1";
  return env;
}
