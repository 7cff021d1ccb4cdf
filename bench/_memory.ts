/**
 * Peak memory while a task runs, sampled every few milliseconds.
 * @module
 */

/** Peak heap used and resident set size (bytes) seen while `fn` ran, and the figures before it. */
export async function withPeakMemory<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; peakHeap: number; peakRss: number; baseHeap: number; baseRss: number }> {
  const base = Deno.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  const sample = () => {
    const m = Deno.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await fn();
    sample();
    return { result, peakHeap, peakRss, baseHeap: base.heapUsed, baseRss: base.rss };
  } finally {
    clearInterval(timer);
  }
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
