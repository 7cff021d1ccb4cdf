/**
 * What the local backend does not do of a job's features (issue 17), said before the job runs: `workflow submit
 * --local` and `jobs submit --local` warn with these lines, and the job's log repeats what applied to it
 * (core/local/features.ts). Pure: no I/O.
 * @module
 */
import type { JobFeatures } from "./job_features.ts";

/**
 * One line per job that uses a feature the local backend ignores or applies only in a container engine; none when
 * the job uses nothing of the kind.
 */
export function localFeatureNotes(name: string, job: JobFeatures): string[] {
  const ignored = [
    job.privileged ? "privileged mode" : "",
    job.architecture === "ARM64" ? "architecture ARM64 (this machine's variant of the image runs)" : "",
    job.consumable_resources && Object.keys(job.consumable_resources).length ? "consumable_resources" : "",
    job.priority !== undefined || job.share !== undefined ? "priority and share (local queues run in order)" : "",
  ].filter(Boolean);
  const engineOnly = [
    job.shared_memory !== undefined ? "shared_memory" : "",
    job.ulimits && Object.keys(job.ulimits).length ? "ulimits" : "",
    job.user !== undefined ? "user" : "",
  ].filter(Boolean);
  const parts = [
    ignored.length ? `not emulated: ${ignored.join(", ")}` : "",
    engineOnly.length ? `applied only when jobs run in docker or podman: ${engineOnly.join(", ")}` : "",
    job.volumes?.length
      ? "volumes are bind mounts (an EFS file system is the directory efs/<id> of the local state) only in docker " +
        "or podman, or on the host as root (a private mount namespace)"
      : "",
  ].filter(Boolean);
  return parts.length ? [`Job '${name}' on the local backend: ${parts.join("; ")}`] : [];
}
