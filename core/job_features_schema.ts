/**
 * The zod shape of the job features (see `job_features.ts`), apart from their model so that rendering and checking
 * features (e.g. `jobs list` through core/jobs.ts and definitions.ts) does not load zod.
 * @module
 */
import { z } from "./deps_zod.ts";

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
