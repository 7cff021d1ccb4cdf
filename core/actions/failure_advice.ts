/**
 * What to do about a failed job, when its reasons name a cause we know. The most common first failure on Fargate
 * is an image that cannot be pulled from a subnet without a route out (no NAT gateway, no public IP).
 * @module
 */
import type { JobDetail } from "../backend_types.ts";

/** The advice for a job whose image could not be pulled. */
export const PULL_ADVICE =
  "The image could not be pulled. On Fargate this usually means the job's subnet has no route to the registry: " +
  "in a public subnet without a NAT gateway (such as a default VPC) give the job a public IP (assign_public_ip = " +
  "true in the workflow file, --assign-public-ip, or 'ezbatch config set assignPublicIp true'); in a private " +
  "subnet add a NAT gateway or VPC endpoints (ECR, S3, CloudWatch Logs). Also check that the image name and tag " +
  "exist and that the execution role may pull it.";

/** Advice for `job`, or undefined when none of its reasons is one we can explain. */
export function failureAdvice(
  job: Pick<JobDetail, "statusReason" | "container" | "attempts">,
): string | undefined {
  const reasons = [
    job.statusReason,
    job.container?.reason,
    ...(job.attempts ?? []).flatMap((a) => [a.statusReason, a.container?.reason]),
  ];
  return reasons.some((r) => r && /CannotPullContainerError|pull image manifest|ResourceInitializationError/.test(r))
    ? PULL_ADVICE
    : undefined;
}
