/** Runs the interactive mode over the demo MemoryBackend: `deno run -A tests/tui/_demo_interactive.ts`. */
import { runInteractive } from "../../tui/mod.ts";
import { demoBackend, keepLogging } from "./_demo_backend.ts";

const backend = await demoBackend();
const stop = new AbortController();
keepLogging(backend, 500, stop.signal);
try {
  await runInteractive({
    backend: () => Promise.resolve(backend),
    pollMs: 200,
    planOptions: () => Promise.resolve({ executionRoleArn: "arn:aws:iam::123456789012:role/demo" }),
  });
} finally {
  stop.abort();
}
console.log("interactive closed");
