/**
 * The flags of `compute-environment create`, mapped onto the core action's request (which decides the rest).
 * @module
 */
import type { ComputeEnvironmentRequest } from "../core/actions/compute_environment.ts";
import type { WaitFlags } from "./_infra.ts";

export { CE_TYPES as TYPES, STRATEGIES } from "../core/actions/compute_environment.ts";

/** Flags of `compute-environment create`. */
export interface CreateFlags extends WaitFlags, Omit<ComputeEnvironmentRequest, "name" | "tags" | "instanceTags"> {
  tag?: Record<string, string>;
  instanceTag?: Record<string, string>;
}

/** The core request of `compute-environment create NAME` with these flags. */
export function computeEnvironmentRequest(name: string, flags: CreateFlags): ComputeEnvironmentRequest {
  const { wait: _wait, timeout: _timeout, tag, instanceTag, ...rest } = flags;
  return {
    name,
    ...rest,
    ...(tag ? { tags: tag } : {}),
    ...(instanceTag ? { instanceTags: instanceTag } : {}),
  };
}
