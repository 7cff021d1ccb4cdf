/** The one builder of a valid job for tests and benchmarks: every default filled in, `fields` override. */
import type { EZBatchJob } from "../../core/model.ts";

/** A valid job with every default filled in; `fields` override. */
export function job(fields: Partial<EZBatchJob> = {}): EZBatchJob {
  return {
    image: "public.ecr.aws/docker/library/alpine:3.20",
    command: "echo hi",
    environment: {},
    secrets: {},
    mounts: { read: [], write: [] },
    vcpus: 1,
    memory: 2048,
    gpus: 0,
    platform: "FARGATE",
    tags: {},
    preloader: false,
    ...fields,
  };
}
