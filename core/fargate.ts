/**
 * The Fargate task sizes AWS Batch accepts (vCPU -> allowed memory in MiB), as data, with the helpers that
 * validation and the interactive mode share.
 * @module
 */

/** One row of the Fargate size table: a vCPU value and every memory value allowed with it. */
export interface FargateSize {
  /** vCPUs of the task. */
  readonly vcpus: number;
  /** Allowed memory values in MiB, smallest first. */
  readonly memory: readonly number[];
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
}

/** The Fargate size table from the AWS Batch user guide (see aws-batch-rules.md). */
export const FARGATE_SIZES: readonly FargateSize[] = Object.freeze(
  [
    { vcpus: 0.25, memory: [512, 1024, 2048] },
    { vcpus: 0.5, memory: range(1024, 4096, 1024) },
    { vcpus: 1, memory: range(2048, 8192, 1024) },
    { vcpus: 2, memory: range(4096, 16384, 1024) },
    { vcpus: 4, memory: range(8192, 30720, 1024) },
    { vcpus: 8, memory: range(16384, 61440, 4096) },
    { vcpus: 16, memory: range(32768, 122880, 8192) },
  ].map((row) => Object.freeze({ vcpus: row.vcpus, memory: Object.freeze(row.memory) })),
);

/** The vCPU values a Fargate job may ask for: 0.25, 0.5, 1, 2, 4, 8, 16. */
export const FARGATE_VCPUS: readonly number[] = Object.freeze(FARGATE_SIZES.map((row) => row.vcpus));

/**
 * The memory values (MiB) Fargate allows with `vcpus`, smallest first.
 *
 * @param vcpus The vCPUs of the job.
 * @returns A fresh array; empty when `vcpus` is not a Fargate size.
 * @example
 * ```ts
 * import { fargateMemoryChoices } from "./fargate.ts";
 * console.log(fargateMemoryChoices(0.5)); // [1024, 2048, 3072, 4096]
 * ```
 */
export function fargateMemoryChoices(vcpus: number): number[] {
  return [...(FARGATE_SIZES.find((row) => row.vcpus === vcpus)?.memory ?? [])];
}

/**
 * True when `vcpus` with `memory` MiB is a size Fargate runs.
 *
 * @param vcpus The vCPUs of the job.
 * @param memory The memory of the job in MiB.
 * @returns Whether the pair is in the Fargate table.
 * @example
 * ```ts
 * import { isValidFargateSize } from "./fargate.ts";
 * console.log(isValidFargateSize(1, 2048), isValidFargateSize(1, 1024)); // true false
 * ```
 */
export function isValidFargateSize(vcpus: number, memory: number): boolean {
  return FARGATE_SIZES.some((row) => row.vcpus === vcpus && row.memory.includes(memory));
}
