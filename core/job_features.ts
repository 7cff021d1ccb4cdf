/**
 * The job features of serious workloads (issue 17): volumes (EFS, EC2 host paths), shared memory, ulimits, CPU
 * architecture, a per-job role, privileged mode and user, fair-share priority and share, multi-node parallel jobs
 * and consumable resources. This file holds their shapes: the model and its normalisation. The workflow-file schema
 * is in `job_features_schema.ts` (it needs zod, which the modules that only render or check features do not load),
 * checks are in `job_features_check.ts`, the AWS request parts in `job_features_render.ts`.
 * @module
 */
/** One volume of a job: an EFS file system, or (EC2 only) a directory of the host. */
export interface JobVolume {
  /** Absolute path in the container where the volume appears. */
  mount_point: string;
  /** EFS file system id (`fs-...`). Exactly one of `efs` and `host_path`. */
  efs?: string;
  /** Directory of the EFS file system to mount; default its root. Omit (or `/`) with an access point. */
  root_directory?: string;
  /** EFS access point id (`fsap-...`); needs transit encryption. */
  access_point?: string;
  /** Encrypt EFS traffic in transit (TLS). Default false; required with an access point or `iam`. */
  transit_encryption?: boolean;
  /** Authorise the mount with the job role (EFS IAM authorization); needs transit encryption. */
  iam?: boolean;
  /** EC2 only: a path on the instance. */
  host_path?: string;
  /** Mount read-only. Default false. */
  read_only?: boolean;
}

/** The container of some nodes of a multi-node job (`targets` like `0`, `1:`, `:3`, `2:5`; ends inclusive). */
export interface NodeRange {
  /** The node indexes: `N`, `START:`, `:END` or `START:END` (AWS's targetNodes). */
  targets: string;
  /** Image of these nodes; default the job's. */
  image?: string;
  /** Command of these nodes; default the job's. */
  command?: string | string[];
  /** vCPUs of each of these nodes; default the job's. */
  vcpus?: number;
  /** Memory in MiB of each of these nodes; default the job's. */
  memory?: number;
  /** Environment added to the job's on these nodes. */
  environment?: Record<string, string>;
}

/** A ulimit: one number for both soft and hard limits, or both. */
export type UlimitInput = number | { soft: number; hard: number };

/** CPU architecture of a Fargate job. */
export type Architecture = "X86_64" | "ARM64";

/** The optional features of a job; the same keys in the workflow file and in the model. */
export interface JobFeatures {
  /** EFS and host volumes with their mount points. */
  volumes?: JobVolume[];
  /** Size of /dev/shm in MiB (EC2 only). */
  shared_memory?: number;
  /** Resource limits by name (`nofile`, `memlock`, ...; EC2 only). */
  ulimits?: Record<string, { soft: number; hard: number }>;
  /** Fargate CPU architecture: X86_64 (default) or ARM64 (Graviton). */
  architecture?: Architecture;
  /** IAM role ARN the job's code runs as; default the config's task role. */
  job_role?: string;
  /** Run the container privileged (EC2 only). */
  privileged?: boolean;
  /** User (name, uid or uid:gid) the container runs as. */
  user?: string;
  /** Scheduling priority in a fair-share queue, 0 to 9999 (higher first). */
  priority?: number;
  /** Share identifier in a fair-share queue. */
  share?: string;
  /** Multi-node parallel job: number of nodes (EC2 only). */
  nodes?: number;
  /** Index of the main node of a multi-node job; default 0. */
  main_node?: number;
  /** Per-node-range containers of a multi-node job; default one container for every node. */
  node_ranges?: NodeRange[];
  /** Consumable resources (licences, ...) by name or ARN, with the quantity each job holds while it runs. */
  consumable_resources?: Record<string, number>;
}

/** The input form of {@link JobFeatures}: ulimits may be one number. */
export type JobFeaturesInput = Omit<JobFeatures, "ulimits"> & { ulimits?: Record<string, UlimitInput> };

/** The ulimit names AWS Batch accepts (API reference, Ulimit). */
export const ULIMIT_NAMES = [
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack",
] as const;

/** The keys of the feature fields (for the schema and `jobTableKeys()`). */
export const FEATURE_KEYS: readonly string[] = [
  "volumes",
  "shared_memory",
  "ulimits",
  "architecture",
  "job_role",
  "privileged",
  "user",
  "priority",
  "share",
  "nodes",
  "main_node",
  "node_ranges",
  "consumable_resources",
];

/** Copies the feature fields of a job whose shape is valid into its model (ulimits as soft/hard pairs). */
export function normalizeFeatures(raw: JobFeaturesInput): JobFeatures {
  const out: JobFeatures = {};
  if (raw.volumes !== undefined) out.volumes = raw.volumes.map((v) => ({ ...v }));
  if (raw.ulimits !== undefined) {
    out.ulimits = Object.fromEntries(
      Object.entries(raw.ulimits).map(([k, v]) => [k, typeof v === "number" ? { soft: v, hard: v } : { ...v }]),
    );
  }
  if (raw.consumable_resources !== undefined) {
    out.consumable_resources = Object.fromEntries(Object.entries(raw.consumable_resources));
  }
  for (const key of ["shared_memory", "priority", "nodes", "main_node"] as const) {
    if (raw[key] !== undefined) out[key] = raw[key];
  }
  for (const key of ["architecture", "job_role", "user", "share"] as const) {
    if (raw[key] !== undefined) (out as Record<string, unknown>)[key] = raw[key];
  }
  if (raw.privileged !== undefined) out.privileged = raw.privileged;
  if (raw.node_ranges !== undefined) out.node_ranges = structuredClone(raw.node_ranges);
  return out;
}
