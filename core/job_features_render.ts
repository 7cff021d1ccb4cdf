/**
 * The AWS request parts of the job features (see `job_features.ts`): what goes into the job definition (volumes,
 * Linux settings, ulimits, architecture, role, user, privileged, consumable resources, nodes) and what goes into
 * SubmitJob (fair-share priority and share). Shapes follow the AWS Batch API reference (RegisterJobDefinition,
 * ContainerProperties, EFSVolumeConfiguration, NodeProperties, SubmitJob).
 * @module
 */
import type { ContainerOverrides, ContainerProperties, JobDefinitionInput, SubmitJobInput } from "./backend_types.ts";
import { FEATURE_KEYS, type JobFeatures } from "./job_features.ts";

/** The features that change a job's definition, as a stable key (jobs with equal keys share a definition). */
export function featureKey(job: JobFeatures): string {
  // priority and share go into SubmitJob, not the definition.
  const keys = FEATURE_KEYS.filter((k) =>
    k !== "priority" && k !== "share" && job[k as keyof JobFeatures] !== undefined
  );
  return JSON.stringify(keys.map((k) => [k, job[k as keyof JobFeatures]]));
}

/** Writes the container-level features into `container` (a job's own role wins over the configured one). */
export function applyContainerFeatures(container: ContainerProperties, job: JobFeatures): void {
  if (job.job_role !== undefined) container.jobRoleArn = job.job_role;
  if (job.volumes?.length) {
    container.volumes = job.volumes.map((v, i) => {
      const name = `volume-${i + 1}`;
      if (v.host_path !== undefined) return { name, host: { sourcePath: v.host_path } };
      const efs: NonNullable<NonNullable<ContainerProperties["volumes"]>[number]["efsVolumeConfiguration"]> = {
        fileSystemId: v.efs!,
      };
      if (v.root_directory !== undefined) efs.rootDirectory = v.root_directory;
      if (v.transit_encryption !== undefined) efs.transitEncryption = v.transit_encryption ? "ENABLED" : "DISABLED";
      if (v.access_point !== undefined || v.iam !== undefined) {
        efs.authorizationConfig = {
          ...(v.access_point !== undefined ? { accessPointId: v.access_point } : {}),
          ...(v.iam !== undefined ? { iam: v.iam ? "ENABLED" as const : "DISABLED" as const } : {}),
        };
      }
      return { name, efsVolumeConfiguration: efs };
    });
    container.mountPoints = job.volumes.map((v, i) => ({
      sourceVolume: `volume-${i + 1}`,
      containerPath: v.mount_point,
      readOnly: v.read_only === true,
    }));
  }
  if (job.shared_memory !== undefined) container.linuxParameters = { sharedMemorySize: job.shared_memory };
  if (job.ulimits !== undefined && Object.keys(job.ulimits).length) {
    container.ulimits = Object.keys(job.ulimits).sort().map((name) => ({
      name,
      softLimit: job.ulimits![name]!.soft,
      hardLimit: job.ulimits![name]!.hard,
    }));
  }
  if (job.architecture !== undefined) {
    container.runtimePlatform = { cpuArchitecture: job.architecture, operatingSystemFamily: "LINUX" };
  }
  if (job.privileged === true) container.privileged = true;
  if (job.user !== undefined) container.user = job.user;
}

/**
 * Writes the definition-level features into `input`: consumable resources, and for `nodes` the multi-node shape
 * (type `multinode`, the container moved under `nodeProperties` for every node, `0:`).
 */
export function applyDefinitionFeatures(input: Omit<JobDefinitionInput, "jobDefinitionName">, job: JobFeatures): void {
  const resources = Object.keys(job.consumable_resources ?? {}).sort();
  if (resources.length) {
    input.consumableResourceProperties = {
      consumableResourceList: resources.map((r) => ({
        consumableResource: r,
        quantity: job.consumable_resources![r]!,
      })),
    };
  }
  if (job.nodes !== undefined) {
    const container = input.containerProperties;
    delete (input as { containerProperties?: unknown }).containerProperties; // AWS refuses it on multinode
    input.type = "multinode";
    input.nodeProperties = {
      numNodes: job.nodes,
      mainNode: job.main_node ?? 0,
      nodeRangeProperties: [{ targetNodes: "0:", ...(container ? { container } : {}) }],
    };
  }
}

/** The SubmitJob fields of a job's features: fair-share priority and share. */
export function submitFeatures(
  job: JobFeatures,
): Pick<SubmitJobInput, "schedulingPriorityOverride" | "shareIdentifier"> {
  return {
    ...(job.priority !== undefined ? { schedulingPriorityOverride: job.priority } : {}),
    ...(job.share !== undefined ? { shareIdentifier: job.share } : {}),
  };
}

/**
 * A multi-node job takes no `containerOverrides`: its overrides go per node range in `nodeOverrides`
 * (SubmitJob). Returns `request` unchanged for other jobs.
 */
export function moveOverridesToNodes<T extends { containerOverrides?: ContainerOverrides }>(
  request: T & Pick<SubmitJobInput, "nodeOverrides">,
  multiNode: boolean,
): T & Pick<SubmitJobInput, "nodeOverrides"> {
  if (!multiNode) return request;
  const { containerOverrides, ...rest } = request;
  return {
    ...rest,
    nodeOverrides: {
      nodePropertyOverrides: [{ targetNodes: "0:", ...(containerOverrides ? { containerOverrides } : {}) }],
    },
  } as T & Pick<SubmitJobInput, "nodeOverrides">;
}
