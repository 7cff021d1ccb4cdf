/**
 * Submits a small workflow to a LocalBackend in a temporary state directory and runs the monitor over it:
 * `deno run -A tests/tui/_local_monitor.ts` (used by hand and by the tmux test).
 */
import process from "node:process";
import { LocalBackend } from "../../core/local/backend.ts";
import { defineWorkflow } from "../../core/load.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { runMonitor } from "../../tui/mod.ts";

const stateDir = Deno.env.get("EZBATCH_STATE_DIR") ?? await Deno.makeTempDir();
const backend = new LocalBackend({ stateDir, mode: "in-process", runtime: "host" });
const step = (command: string) => ({ image: "alpine", command, platform: "EC2" as const });
const wf = defineWorkflow({
  name: "demo",
  queue: "local-queue",
  jobs: {
    hello: step("echo hello from the local backend; sleep 1; echo done"),
    ticker: step("for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo tick $i; sleep 1; done"),
    after: step("echo after hello"),
  },
  dependencies: { after: ["hello"] },
});
// One submission at a time: concurrent first calls of an in-process LocalBackend race to start its supervisor.
const run = await submitWorkflow(backend, wf, { concurrency: 1 });
console.error(`run ${run.runId}`);
try {
  await runMonitor(backend, { stdin: process.stdin, stdout: process.stdout, intervalMs: 1000 });
} finally {
  await backend.close();
}
console.log("monitor closed");
