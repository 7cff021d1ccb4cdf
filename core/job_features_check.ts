/**
 * Offline checks of the job features (see `job_features.ts`) against AWS Batch's rules, so a mistake is named with
 * its job and field before any call: Fargate refuses ulimits, privileged mode, host volumes, shared memory and
 * multi-node jobs; EFS access points and IAM authorization need transit encryption; priorities are 0–9999.
 * @module
 */
import { quote } from "./_suggest.ts";
import { type JobFeatures, ULIMIT_NAMES } from "./job_features.ts";
import { controlProblem } from "./job_limits.ts";
import type { Platform } from "./model.ts";
import { isValidResourceName } from "./names.ts";
import { checkNodeRanges } from "./job_nodes_check.ts";

/** Where a problem is and what it is. */
export type FeatureAt = (field: string | (string | number)[], message: string) => void;

/** The job fields the checks read besides the features. */
export interface FeatureJob extends JobFeatures {
  /** FARGATE or EC2. */
  platform: Platform;
  /** Memory in MiB. */
  memory: number;
  /** A matrix makes an array job. */
  matrix?: Record<string, string[]>;
}

/** Highest scheduling priority (SubmitJob `schedulingPriorityOverride`). */
export const MAX_PRIORITY = 9999;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
const EFS_ID = /^fs-[0-9a-f]{8,40}$/;
const ACCESS_POINT_ID = /^fsap-[0-9a-f]{8,40}$/;
const SHARE = /^[A-Za-z0-9_]{1,255}$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$/;
const CONSUMABLE_ARN = /^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:consumable-resource\/[A-Za-z0-9_-]{1,128}$/;

/** Every problem of a job's features, reported through `at`. */
export function checkFeatures(name: string, job: FeatureJob, at: FeatureAt): void {
  const who = `Job ${quote(name)}`;
  const fargate = job.platform === "FARGATE";
  if (job.shared_memory !== undefined) {
    if (fargate) ec2Only(at, who, "shared_memory", "shared_memory (/dev/shm)");
    else if (job.shared_memory > job.memory) {
      at(
        "shared_memory",
        `${who} asks for ${job.shared_memory} MiB of shared memory, more than its memory ` +
          `(${job.memory} MiB): /dev/shm counts against the container's memory`,
      );
    }
  }
  if (job.ulimits !== undefined) {
    if (fargate && Object.keys(job.ulimits).length) ec2Only(at, who, "ulimits", "ulimits");
    for (const [limit, { soft, hard }] of Object.entries(job.ulimits)) {
      if (!(ULIMIT_NAMES as readonly string[]).includes(limit)) {
        at(["ulimits", limit], `Unknown ulimit ${quote(limit)}: use one of ${ULIMIT_NAMES.join(", ")}`);
      } else if (soft < -1 || hard < -1) {
        at(["ulimits", limit], "Expected limits of 0 or more (-1 means unlimited)");
      } else if (hard !== -1 && (soft === -1 || soft > hard)) {
        at(["ulimits", limit], `The soft limit (${soft}) is above the hard limit (${hard})`);
      }
    }
  }
  if (job.privileged === true && fargate) ec2Only(at, who, "privileged", "privileged = true");
  if (job.architecture === "ARM64" && !fargate) {
    at(
      "architecture",
      `${who} sets architecture on EC2: there the compute environment's instance types decide ` +
        "it (use Graviton instance types such as m7g), so remove architecture or set platform = 'FARGATE'",
    );
  }
  if (job.job_role !== undefined && !ROLE_ARN.test(job.job_role)) {
    at(
      "job_role",
      `Expected an IAM role ARN like 'arn:aws:iam::123456789012:role/my-job-role', got ${quote(job.job_role)}`,
    );
  }
  if (job.user !== undefined && !USER.test(job.user)) {
    at("user", `Expected a user name, a uid or uid:gid (e.g. 'ubuntu', '1000', '1000:1000'), got ${quote(job.user)}`);
  }
  if (job.priority !== undefined && (job.priority < 0 || job.priority > MAX_PRIORITY)) {
    at("priority", `Expected a scheduling priority from 0 to ${MAX_PRIORITY}, got ${job.priority}`);
  }
  if (job.share !== undefined && !SHARE.test(job.share)) {
    at("share", `Expected a share identifier of 1–255 letters, digits and '_', got ${quote(job.share)}`);
  }
  checkNodes(who, job, at);
  checkNodeRanges(job, at);
  checkVolumes(job, at);
  for (const [resource, quantity] of Object.entries(job.consumable_resources ?? {})) {
    if (!isValidResourceName(resource) && !CONSUMABLE_ARN.test(resource)) {
      at(
        ["consumable_resources", resource],
        `Expected a consumable resource name (1–128 letters, digits, '-' and ` +
          `'_') or its ARN, got ${quote(resource)}`,
      );
    }
    if (quantity < 1) at(["consumable_resources", resource], `Expected a quantity of 1 or more, got ${quantity}`);
  }
}

function checkNodes(who: string, job: FeatureJob, at: FeatureAt): void {
  if (job.nodes === undefined) {
    if (job.main_node !== undefined) at("main_node", "main_node needs nodes = N (a multi-node parallel job)");
    return;
  }
  if (job.nodes < 2) {
    at("nodes", `${who} asks for ${job.nodes} node: a multi-node parallel job has 2 or more (remove nodes for one)`);
  }
  if (job.platform === "FARGATE") ec2Only(at, who, "nodes", "nodes (a multi-node parallel job)");
  if (job.matrix !== undefined) {
    at("nodes", `${who} has both nodes and matrix: AWS Batch runs no array job of multi-node jobs`);
  }
  const main = job.main_node ?? 0;
  if (main < 0 || main >= job.nodes) {
    at("main_node", `Expected a main node index from 0 to ${Math.max(0, job.nodes - 1)}, got ${main}`);
  }
}

function ec2Only(at: FeatureAt, who: string, field: string, what: string): void {
  at(field, `${who} sets ${what} on Fargate: AWS Batch allows it on EC2 only (set platform = 'EC2')`);
}

function checkVolumes(job: FeatureJob, at: FeatureAt): void {
  const seen = new Set<string>();
  for (const [i, v] of (job.volumes ?? []).entries()) {
    const here = (field?: string) => field ? ["volumes", i, field] : ["volumes", i];
    if (!v.mount_point.startsWith("/") || controlProblem("The mount point", v.mount_point)) {
      at(
        here("mount_point"),
        `Expected an absolute path in the container like '/mnt/data', got ${quote(v.mount_point)}`,
      );
    } else if (seen.has(v.mount_point)) {
      at(here("mount_point"), `Two volumes are mounted at ${quote(v.mount_point)}`);
    }
    seen.add(v.mount_point);
    if ((v.efs === undefined) === (v.host_path === undefined)) {
      at(here(), "A volume needs exactly one of efs (an EFS file system id) and host_path (EC2 only)");
      continue;
    }
    if (v.host_path !== undefined) {
      if (job.platform === "FARGATE") {
        at(here("host_path"), "Host volumes (host_path) exist on EC2 only: use an EFS volume on Fargate");
      } else if (!v.host_path.startsWith("/")) {
        at(here("host_path"), `Expected an absolute path on the instance, got ${quote(v.host_path)}`);
      }
      for (const k of ["root_directory", "access_point", "transit_encryption", "iam"] as const) {
        if (v[k] !== undefined) at(here(k), `${k} applies to EFS volumes only, not to host_path`);
      }
      continue;
    }
    if (!EFS_ID.test(v.efs!)) {
      at(here("efs"), `Expected an EFS file system id like 'fs-0123456789abcdef0', got ${quote(v.efs!)}`);
    }
    if (v.root_directory !== undefined && (!v.root_directory.startsWith("/") || v.root_directory.length > 4096)) {
      at(
        here("root_directory"),
        `Expected an absolute path of at most 4,096 characters, got ${quote(v.root_directory)}`,
      );
    }
    if (v.access_point !== undefined) {
      if (!ACCESS_POINT_ID.test(v.access_point)) {
        at(
          here("access_point"),
          `Expected an access point id like 'fsap-0123456789abcdef0', got ${quote(v.access_point)}`,
        );
      }
      if (v.root_directory !== undefined && v.root_directory !== "/") {
        at(here("root_directory"), "With an access point, omit root_directory (or use '/'): the access point sets it");
      }
    }
    if ((v.access_point !== undefined || v.iam === true) && v.transit_encryption !== true) {
      at(here("transit_encryption"), "An EFS access point or IAM authorization needs transit_encryption = true");
    }
  }
}
