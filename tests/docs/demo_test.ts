/**
 * `deno task demo` ends by saying what to try next, and its run stays where the local backend keeps its state, so
 * `workflow runs --local` (and status, monitor) find it afterwards.
 */
import assert from "node:assert/strict";
import { cliEnv, runCliProcess, stopDaemon } from "../support/cli_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test({
  name: "the demo's run stays visible to workflow runs --local, and the demo says what to try next",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const state = await Deno.makeTempDir();
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "examples/demo.ts"],
        cwd: ROOT,
        clearEnv: true,
        env: cliEnv({ EZBATCH_STATE_DIR: state }),
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const runId = stdout.match(/Submitted run '(\w+)' of workflow 'demo'/)![1]!;
      assert.match(stdout, /What to try next[\s\S]*workflow runs --local[\s\S]*monitor --local/);
      assert.ok(stdout.includes(`workflow status demo ${runId} --local`));
      const runs = await runCliProcess(["--local", "--json", "workflow", "runs", "demo"], { EZBATCH_STATE_DIR: state });
      assert.equal(runs.code, 0, runs.stderr);
      const found = JSON.parse(runs.stdout) as { runId: string; state: string }[];
      assert.deepEqual(found.map((r) => [r.runId, r.state]), [[runId, "SUCCEEDED"]]);
    } finally {
      await stopDaemon(state);
      await Deno.remove(state, { recursive: true }).catch(() => {});
    }
  },
});
