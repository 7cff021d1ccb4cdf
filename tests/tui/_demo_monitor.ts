/** Runs the monitor over the demo MemoryBackend: `deno run -A tests/tui/_demo_monitor.ts`. */
import process from "node:process";
import { runMonitor } from "../../tui/mod.ts";
import { addSweep, demoBackend, keepLogging } from "./_demo_backend.ts";

const backend = await demoBackend();
await addSweep(backend);
const stop = new AbortController();
keepLogging(backend, 500, stop.signal);
try {
  await runMonitor(backend, { stdin: process.stdin, stdout: process.stdout, intervalMs: 1000 });
} finally {
  stop.abort();
}
console.log("monitor closed");
