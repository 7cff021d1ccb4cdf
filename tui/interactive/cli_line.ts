/**
 * The "CLI:" line of an action done in the interactive mode, built from the very request the action was given,
 * so running the line sends the same requests (tests run it to make sure).
 * @module
 */
import type { ComputeEnvironmentRequest } from "../../core/actions/compute_environment.ts";
import type { SubmitJobRequest } from "../../core/actions/submit_job.ts";

/** `compute-environment create` arguments of a request. */
export function computeEnvironmentArgs(request: ComputeEnvironmentRequest): string[] {
  const args = ["compute-environment", "create", request.name];
  if (request.type) args.push("--type", request.type);
  if (request.maxVcpus !== undefined) args.push("--max-vcpus", String(request.maxVcpus));
  if (request.subnets) args.push("--subnets", request.subnets.join(","));
  if (request.securityGroups) args.push("--security-groups", request.securityGroups.join(","));
  if (request.instanceTypes) args.push("--instance-types", request.instanceTypes.join(","));
  if (request.instanceRole) args.push("--instance-role", request.instanceRole);
  if (request.serviceRole) args.push("--service-role", request.serviceRole);
  return args;
}

/** `jobs submit` arguments of a one-off job submitted from the form (image, shell command, size, public IP). */
export function jobSubmitArgs(request: SubmitJobRequest): string[] {
  const { job } = request;
  const args = ["jobs", "submit"];
  if (request.queue) args.push("-q", request.queue);
  if (request.name) args.push("--name", request.name);
  args.push("--image", job.image);
  if (typeof job.command === "string") args.push("--command", job.command);
  args.push("--vcpus", String(job.vcpus), "--memory", String(job.memory));
  if (job.platform === "EC2") args.push("--platform", "EC2");
  if (job.gpus) args.push("--gpus", String(job.gpus));
  const publicIp = request.assignPublicIp ?? job.assign_public_ip;
  if (publicIp !== undefined) args.push(publicIp ? "--assign-public-ip" : "--no-assign-public-ip");
  return args;
}
