/**
 * Small formatting helpers of the benchmark report (Markdown tables on stdout).
 * @module
 */

/** A Markdown table. */
export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Seconds with 2 decimals (3 below 1 s). */
export function seconds(ms: number): string {
  return ms < 1000 ? (ms / 1000).toFixed(3) : (ms / 1000).toFixed(2);
}

/** Call counts as `kind n, kind n` (throttled refusals shown apart). */
export function callsByKind(calls: Record<string, number>): string {
  const served = Object.entries(calls).filter(([k]) => !k.includes(":")).sort(([a], [b]) => a.localeCompare(b));
  return served.map(([k, n]) => `${k} ${n}`).join(", ");
}

/** Total calls (throttled refusals included, as they count against the quota too). */
export function totalCalls(calls: Record<string, number>): number {
  return Object.entries(calls).filter(([k]) => !k.includes(":")).reduce((sum, [, n]) => sum + n, 0);
}

/** Throttled refusals. */
export function throttledCalls(calls: Record<string, number>): number {
  return Object.entries(calls).filter(([k]) => k.endsWith(":throttled")).reduce((sum, [, n]) => sum + n, 0);
}
