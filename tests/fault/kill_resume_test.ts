import assert from "node:assert/strict";
import { StateStore } from "../../core/local/store.ts";
import { runCliProcess, spawnCli, stopDaemon } from "../support/cli_process.ts";

/** Twelve quick independent jobs, then a chain j -> k -> l. */
function many(): string {
  const jobs = "abcdefghijkl".split("").map((n) =>
    `[jobs.${n}]\nimage = "alpine:3.20"\ncommand = "echo ${n}"\nplatform = "EC2"\nmemory = 64\n`
  );
  return `name = "many"\n\n${jobs.join("\n")}\n[dependencies]\nk = ["j"]\nl = ["k"]\n`;
}

Deno.test({
  name:
    "ezbatch --local: a submit killed with kill -9 part way is INCOMPLETE (status --watch exits 1); resume finishes it",
  ignore: Deno.build.os === "windows",
  async fn() {
    const home = await Deno.makeTempDir();
    const stateDir = `${home}/state`;
    const env = { HOME: home, EZBATCH_STATE_DIR: stateDir };
    const file = `${home}/many.toml`;
    await Deno.writeTextFile(file, many());
    try {
      // --rate 1 spreads the 12 submissions over about 12 seconds: a crash lands part way.
      const child = spawnCli(["--local", "workflow", "submit", file, "--run-id", "crash", "--rate", "1"], env);
      const store = new StateStore(stateDir);
      const runJobs = async () => Object.values((await store.read()).jobs).filter((j) => !j.jobId.includes(":"));
      const deadline = Date.now() + 60_000;
      while ((await runJobs()).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      child.kill("SIGKILL");
      await child.status;
      await child.stdout.cancel();
      await child.stderr.cancel();
      const k = (await runJobs()).length;
      assert.ok(k >= 3 && k < 12, `${k} jobs submitted: not part way`);

      const status = await runCliProcess(["--local", "workflow", "status", file, "crash", "--watch"], env);
      assert.equal(status.code, 1, status.stderr);
      assert.match(
        status.stdout,
        new RegExp(`Run 'crash' is INCOMPLETE: ${12 - k} of its 12 jobs were never submitted`),
      );
      assert.equal(status.stdout.match(/ NOT SUBMITTED /g)?.length, 12 - k);
      assert.match(status.stderr, /Finish it: ezbatch workflow resume many crash .*many\.toml --local/);

      const resumed = await runCliProcess(["--local", "workflow", "resume", file, "crash", "--watch"], env);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stdout, new RegExp(`${12 - k} jobs submitted, ${k} kept`));
      assert.match(resumed.stdout, /Run 'crash' succeeded: 12 SUCCEEDED\./);
      const all = await runJobs();
      assert.equal(all.length, 12, "no job was submitted twice");
      assert.equal(new Set(all.map((j) => j.jobName)).size, 12);
    } finally {
      await stopDaemon(stateDir);
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
});
