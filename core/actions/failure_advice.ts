/**
 * What to do about a failed job, when its reasons name a cause we know. The most common first failure on Fargate
 * is an image that cannot be pulled from a subnet without a route out (no NAT gateway, no public IP); the next is
 * an image built for another CPU than the one the job ran on (an x86 image on Graviton, or the reverse).
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

/** Reasons AWS and container runtimes give when the image was built for another CPU architecture. */
const ARCHITECTURE_MISMATCH =
  /exec format error|no matching manifest for linux\/(arm64|amd64)|image platform \(linux\/(arm64|amd64)\) does not match/i;

/** The advice for a job whose image does not match the CPU it ran on; `wanted` is the platform that was missing. */
export function architectureAdvice(wanted: "arm64" | "amd64" | undefined): string {
  const ran = wanted === "arm64" ? "ARM64 (Graviton)" : wanted === "amd64" ? "X86_64" : undefined;
  const other = wanted === "arm64" ? "X86_64" : "ARM64";
  return `The image was built for another CPU architecture than the job ran on${
    ran ? ` (${ran})` : ""
  }. Either run the job on the ` +
    `image's architecture (on Fargate architecture = "${other}" in the workflow file or --architecture ${other}; ` +
    "on EC2 a compute environment with matching instance types, e.g. m7g for ARM64), or use a multi-arch image " +
    "(docker buildx build --platform linux/amd64,linux/arm64 --push ...); 'docker manifest inspect IMAGE' lists the " +
    "platforms an image has.";
}

/** Advice for `job`, or undefined when none of its reasons is one we can explain. */
export function failureAdvice(
  job: Pick<JobDetail, "statusReason" | "container" | "attempts">,
): string | undefined {
  const reasons = [
    job.statusReason,
    job.container?.reason,
    ...(job.attempts ?? []).flatMap((a) => [a.statusReason, a.container?.reason]),
  ].filter((r): r is string => r !== undefined);
  // First: a "no matching manifest" pull error is an architecture problem, not a network one.
  const mismatch = reasons.map((r) => ARCHITECTURE_MISMATCH.exec(r)).find((m) => m !== null);
  if (mismatch) return architectureAdvice((mismatch[1] ?? mismatch[2]) as "arm64" | "amd64" | undefined);
  return reasons.some((r) => /CannotPullContainerError|pull image manifest|ResourceInitializationError/.test(r))
    ? PULL_ADVICE
    : undefined;
}
