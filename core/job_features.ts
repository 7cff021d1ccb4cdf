/**
 * The job features of serious workloads (issue 17): volumes (EFS, EC2 host paths), shared memory, ulimits, CPU
 * architecture, a per-job role, privileged mode and user, fair-share priority and share, multi-node parallel jobs
 * and consumable resources. This file holds their shapes: the model, the workflow-file schema and its
 * normalisation. Checks are in `job_features_check.ts`, the AWS request parts in `job_features_render.ts`.
 * @module
 */
import { z } from "./deps.ts";

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

/** The keys of the feature fields (for the schema and `JOB_KEYS`). */
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

/** The zod shape of the feature fields, spread into the job schema by `schema.ts`. */
export function featureShape(strict: <T extends z.core.$ZodLooseShape>(shape: T) => z.ZodObject<T>) {
  const int = (what: string) => z.int({ error: `Expected a whole number of ${what}` });
  return {
    volumes: z.array(strict({
      mount_point: z.string().meta({ description: "Absolute path in the container." }),
      efs: z.string().optional().meta({ description: "EFS file system id (fs-...)." }),
      root_directory: z.string().optional().meta({ description: "EFS directory to mount; default its root." }),
      access_point: z.string().optional().meta({ description: "EFS access point id (fsap-...)." }),
      transit_encryption: z.boolean().optional().meta({ description: "Encrypt EFS traffic (TLS). Default false." }),
      iam: z.boolean().optional().meta({ description: "Authorise the EFS mount with the job role." }),
      host_path: z.string().optional().meta({ description: "EC2 only: a directory of the instance." }),
      read_only: z.boolean().optional().meta({ description: "Mount read-only. Default false." }),
    })).optional().meta({ description: "EFS file systems and (EC2) host paths mounted in the container." }),
    shared_memory: int("MiB").positive({ error: "Expected a positive number of MiB" }).optional().meta({
      description: "Size of /dev/shm in MiB (PyTorch data loaders need it). EC2 only.",
    }),
    ulimits: z.record(
      z.string(),
      z.union([int("the limit"), strict({ soft: int("the limit"), hard: int("the limit") })], {
        error: "a whole number or a table { soft = N, hard = N }",
      }),
    ).optional().meta({ description: "Resource limits by name (nofile, memlock, stack, ...). EC2 only." }),
    architecture: z.enum(["X86_64", "ARM64"]).optional().meta({
      description: "Fargate CPU architecture: X86_64 (default) or ARM64 (Graviton); the image must match.",
    }),
    job_role: z.string().optional().meta({ description: "IAM role ARN the job runs as; default the config's." }),
    privileged: z.boolean().optional().meta({ description: "Run the container privileged. EC2 only." }),
    user: z.string().optional().meta({ description: "User the container runs as: a name, uid or uid:gid." }),
    priority: int("priority").optional().meta({
      description: "Scheduling priority in a fair-share queue, 0 to 9999 (higher runs first).",
    }),
    share: z.string().optional().meta({ description: "Share identifier in a fair-share queue." }),
    nodes: int("nodes").optional().meta({
      description: "Multi-node parallel job: number of nodes (EC2 only); each node gets AWS_BATCH_JOB_NODE_INDEX.",
    }),
    main_node: int("the node index").optional().meta({ description: "Index of the main node; default 0." }),
    node_ranges: z.array(strict({
      targets: z.string().meta({ description: "Node indexes: 'N', 'START:', ':END' or 'START:END' (inclusive)." }),
      image: z.string().optional().meta({ description: "Image of these nodes; default the job's." }),
      command: z.union([z.string(), z.array(z.string())]).optional().meta({
        description: "Command of these nodes; default the job's.",
      }),
      vcpus: z.number().positive().optional().meta({ description: "vCPUs of each node; default the job's." }),
      memory: int("MiB").optional().meta({ description: "Memory (MiB) of each node; default the job's." }),
      environment: z.record(z.string(), z.string()).optional().meta({
        description: "Environment added to the job's on these nodes.",
      }),
    })).optional().meta({
      description: "Multi-node job: a container per node range (e.g. main node '0', workers '1:'); they must " +
        "cover every node once.",
    }),
    consumable_resources: z.record(z.string(), int("units")).optional().meta({
      description: "Consumable resources (name or ARN) with the quantity each job holds while it runs.",
    }),
  };
}

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
