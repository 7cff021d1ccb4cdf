import assert from "node:assert/strict";
import { StateStore } from "../../core/local/store.ts";
import { runCliProcess, spawnCli, stopDaemon } from "../support/cli_process.ts";

const CHILD = new URL("./_interrupt_child.ts", import.meta.url).pathname;

Deno.test({
  name: "an interrupted submission (SIGINT) terminates what it submitted before the process exits",
  ignore: Deno.build.os === "windows",
  async fn() {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CHILD],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new Response(child.stdout).text();
    let progress = "";
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    while (!/submitted 10\//.test(progress)) {
      const { value, done } = await reader.read();
      if (done) break;
      progress += value;
    }
    child.kill("SIGINT");
    const rest = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        progress += value;
      }
    })();
    const [status, out] = await Promise.all([child.status, stdout, rest]).then(([s, o]) => [s, o] as const);
    const result = JSON.parse(out);
    assert.equal(status.code, 130, progress);
    assert.equal(result.ok, false);
    assert.match(result.message, /Interrupted/);
    assert.ok(result.submitted >= 10 && result.submitted < 200, `${result.submitted} submitted`);
    assert.equal(result.terminated, result.submitted);
    assert.equal(result.server.length, result.submitted, "every job on the server is one the error lists");
    assert.deepEqual(result.server.filter((j: { terminated: boolean }) => !j.terminated), []);
  },
});

/** A workflow of `n` independent jobs that each run for a minute (the interrupt must stop them). */
function sleepers(n: number): string {
  const jobs = Array.from({ length: n }, (_, i) => `[jobs.s${i}]\nimage = "alpine:3.20"\ncommand = "sleep 60"\n`);
  return `name = "sleepers"\nqueue = "q"\n\n${jobs.join("\n")}`;
}

const ACTIVE = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"];

Deno.test({
  name: "ezbatch workflow submit --local interrupted by SIGINT exits 130, names the jobs and terminates every one",
  ignore: Deno.build.os === "windows",
  async fn() {
    const home = await Deno.makeTempDir();
    const stateDir = `${home}/state`;
    const env = { HOME: home, EZBATCH_STATE_DIR: stateDir };
    const file = `${home}/sleepers.toml`;
    await Deno.writeTextFile(file, sleepers(12));
    // --rate 1 (a real option: most submit calls per second) makes the 12 submissions take about 12 seconds.
    const child = spawnCli(["--local", "workflow", "submit", file, "--run-id", "int", "--rate", "1"], env);
    const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
    const store = new StateStore(stateDir);
    const runJobs = async () =>
      Object.values((await store.read()).jobs).filter((j) => j.jobName.startsWith("sleepers-int-"));
    const deadline = Date.now() + 60_000;
    while ((await runJobs()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    const [status, [stdout, stderr]] = await Promise.all([child.status, output]);
    try {
      const atExit = await runJobs();
      assert.ok(atExit.length >= 2 && atExit.length < 12, `${atExit.length} jobs submitted: not mid-way\n${stderr}`);
      assert.equal(status.code, 130, stderr);
      assert.equal(stdout, "", "an interrupted submit prints no run");
      const said = /Interrupted\. Submitted (\d+) of 12 jobs \(([^)]*)\); terminated (\d+)\./.exec(stderr);
      assert.ok(said, stderr);
      assert.equal(Number(said[1]), atExit.length);
      assert.equal(said[3], said[1], "every submitted job was terminated");
      const named = said[2]!.split(", ").map((n) => `sleepers-int-${n.replaceAll("'", "")}`).sort();
      assert.deepEqual(named, atExit.map((j) => j.jobName).sort());
      assert.doesNotMatch(stderr, /could not be submitted/);
      // Before exiting the CLI asked to terminate each job; the local supervisor then stops the running ones.
      assert.deepEqual(atExit.filter((j) => !j.isTerminated).map((j) => j.jobName), []);
      let jobs: { jobName: string; status: string }[] = [];
      for (let i = 0; i < 30; i++) {
        const list = await runCliProcess(["--local", "jobs", "list", "-q", "q", "--json"], env);
        assert.equal(list.code, 0, list.stderr);
        jobs = JSON.parse(list.stdout);
        if (!jobs.some((j) => ACTIVE.includes(j.status))) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.deepEqual(jobs.map((j) => j.jobName).sort(), named);
      assert.deepEqual(jobs.filter((j) => ACTIVE.includes(j.status)), [], "no job of the run is left active");
      assert.ok(jobs.every((j) => j.status === "FAILED"));
    } finally {
      await stopDaemon(stateDir);
      await Deno.remove(home, { recursive: true });
    }
  },
});
