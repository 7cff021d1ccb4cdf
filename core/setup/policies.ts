/**
 * The IAM policies of `ezbatch setup`'s roles: the AWS managed ones it attaches, and the job role's inline S3 policy
 * when `--buckets` names the buckets (with the bucket-name check). Pure: no I/O.
 * @module
 */
import { UsageError } from "../errors.ts";

/**
 * The AWS managed policies setup attaches, by role. The job role's AmazonS3FullAccess is broad on purpose when no
 * bucket is named: the preloader reads and writes whatever buckets a workflow's mounts name, which setup cannot know
 * in advance. `--buckets` replaces it with an inline policy limited to those buckets ({@link s3BucketsPolicy}).
 */
export const SETUP_POLICIES = {
  executionRole: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
  jobRole: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
  instanceRole: ["arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"],
} as const;

/** Name of the job role's inline policy when `--buckets` limits it. */
export const S3_BUCKETS_POLICY = "ezbatch-s3-buckets";

/** An inline policy setup puts on a role it creates (IAM PutRolePolicy). */
export interface InlinePolicy {
  /** PolicyName. */
  name: string;
  /** The policy document. */
  document: { Version: string; Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: string[] }[] };
}

/**
 * The job role's inline policy for `buckets`: list them, and read, write and delete their objects (what the
 * preloader's `aws s3 cp`/`sync` need), nothing else. A bucket encrypted with a customer KMS key also needs
 * kms:Decrypt/GenerateDataKey on that key, which this policy does not grant.
 */
export function s3BucketsPolicy(buckets: string[]): InlinePolicy {
  const arns = buckets.map((b) => `arn:aws:s3:::${b}`);
  return {
    name: S3_BUCKETS_POLICY,
    document: {
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListBuckets", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: arns },
        {
          Sid: "ReadWriteObjects",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
          Resource: arns.map((a) => `${a}/*`),
        },
      ],
    },
  };
}

const BUCKET = /^(?!xn--|sthree-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Bucket names from `--buckets` (`name` or `s3://name`), checked with S3's naming rules. */
export function bucketNames(values: string[]): string[] {
  const names = values.map((v) => v.replace(/^s3:\/\//, "").replace(/\/+$/, ""));
  for (const name of names) {
    if (!BUCKET.test(name) || name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw new UsageError(
        `--buckets: '${name}' is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ` +
          "ending with a letter or digit)",
      );
    }
  }
  return [...new Set(names)];
}

/** The policies of a role step by name: managed ones by their name, inline ones as `name (inline)`. */
export function policyNames(step: { policies?: string[]; inlinePolicies?: InlinePolicy[] }): string[] {
  return [
    ...(step.policies ?? []).map((p) => p.split("/").pop()!),
    ...(step.inlinePolicies ?? []).map((p) => `${p.name} (inline)`),
  ];
}
