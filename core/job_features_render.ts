/**
 * The AWS request parts of the job features (see `job_features.ts`): what goes into the job definition (volumes,
 * Linux settings, ulimits, architecture, role, user, privileged, consumable resources, nodes) and what goes into
 * SubmitJob (fair-share priority and share). Shapes follow the AWS Batch API reference (RegisterJobDefinition,
 * ContainerProperties, EFSVolumeConfiguration, NodeProperties, SubmitJob).
 * @module
 */
import type { ContainerOverrides, ContainerProperties, JobDefinitionInput, SubmitJobInput } from "./backend_types.ts";
import { FEATURE_KEYS, type JobFeatures, type NodeRange } from "./job_features.ts";

/** The job fields a node range may change. */
interface RangeFields {
  image: string;
  command?: string | string[];
  vcpus: number;
  memory: number;
  environment: Record<string, string>;
}

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

/** `job` as one of its node ranges runs it: the range's image, command, size and environment over the job's. */
export function rangeJob<J extends JobFeatures & RangeFields>(job: J, range: NodeRange): J {
  return {
    ...job,
    image: range.image ?? job.image,
    ...(range.command !== undefined ? { command: range.command } : {}),
    vcpus: range.vcpus ?? job.vcpus,
    memory: range.memory ?? job.memory,
    environment: { ...job.environment, ...range.environment },
  };
}

/** The node ranges of a multi-node job with the job each runs (one range `0:` of the job itself when none given). */
export function nodeRangeJobs<J extends JobFeatures & RangeFields>(job: J): { targets: string; job: J }[] {
  return job.node_ranges?.length
    ? job.node_ranges.map((r) => ({ targets: r.targets, job: rangeJob(job, r) }))
    : [{ targets: "0:", job }];
}

/**
 * Writes the definition-level features into `input`: consumable resources, and for `nodes` the multi-node shape
 * (type `multinode`, the container moved under `nodeProperties`: one range `0:`, or each of `node_ranges` with the
 * container `containerOf` renders for it).
 */
export function applyDefinitionFeatures<J extends JobFeatures & RangeFields>(
  input: Omit<JobDefinitionInput, "jobDefinitionName">,
  job: J,
  containerOf: (job: J) => ContainerProperties,
): void {
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
      nodeRangeProperties: job.node_ranges?.length
        ? nodeRangeJobs(job).map((r) => ({ targetNodes: r.targets, container: containerOf(r.job) }))
        : [{ targetNodes: "0:", ...(container ? { container } : {}) }],
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
 * A multi-node job takes no `containerOverrides`: its overrides go per node range in `nodeOverrides` (SubmitJob),
 * one per range, each made by `overridesOf` for the job the range runs.
 */
export function nodeOverridesFor<J extends JobFeatures & RangeFields>(
  job: J,
  overridesOf: (job: J) => ContainerOverrides,
): NonNullable<SubmitJobInput["nodeOverrides"]> {
  return {
    nodePropertyOverrides: nodeRangeJobs(job).map((r) => ({
      targetNodes: r.targets,
      containerOverrides: overridesOf(r.job),
    })),
  };
}
