/**
 * Matrix (parameter sweep) arithmetic shared by the planner, the local backend and the preloader: children are
 * ordered as nested loops over the keys in their written order, the last key varying fastest.
 * @module
 */

/**
 * The number of children of a matrix: the product of its value counts (1 for an empty matrix).
 *
 * @param matrix The job's `matrix`, key -> values.
 * @returns How many array children the job has.
 * @example Two learning rates times three depths
 * ```ts
 * import { matrixSize } from "../mod.ts";
 * console.log(matrixSize({ LR: ["0.1", "0.01"], DEPTH: ["3", "5", "7"] })); // 6
 * ```
 */
export function matrixSize(matrix: Record<string, readonly string[]>): number {
  let size = 1;
  for (const values of Object.values(matrix)) size *= values.length;
  return size;
}

/**
 * The parameter values of one child (the values the preloader exports for `AWS_BATCH_JOB_ARRAY_INDEX = index`).
 *
 * @param matrix The job's `matrix`, key -> values.
 * @param index The child's array index, 0 to `matrixSize(matrix) - 1`.
 * @returns Key -> value for that child, keys in the matrix's order.
 * @throws {RangeError} When `index` is not an integer in range.
 * @example The fourth child of a 2 x 2 sweep
 * ```ts
 * import { matrixCombination } from "../mod.ts";
 * console.log(matrixCombination({ LR: ["0.1", "0.01"], DEPTH: ["3", "5"] }, 3)); // { LR: "0.01", DEPTH: "5" }
 * ```
 */
export function matrixCombination(
  matrix: Record<string, readonly string[]>,
  index: number,
): Record<string, string> {
  const size = matrixSize(matrix);
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`Matrix index ${index} is out of range: expected an integer from 0 to ${size - 1}`);
  }
  const result: Record<string, string> = {};
  for (const [key, values, stride] of matrixStrides(matrix)) {
    result[key] = values[Math.floor(index / stride) % values.length]!;
  }
  return result;
}

/** Each key with its values and stride (how many children share one of its values in a row). */
export function matrixStrides(
  matrix: Record<string, readonly string[]>,
): [key: string, values: readonly string[], stride: number][] {
  const entries = Object.entries(matrix);
  const out: [string, readonly string[], number][] = [];
  let stride = 1;
  for (let i = entries.length - 1; i >= 0; i--) {
    const [key, values] = entries[i]!;
    out.unshift([key, values, stride]);
    stride *= values.length;
  }
  return out;
}
