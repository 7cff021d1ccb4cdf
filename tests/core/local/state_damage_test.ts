/** A damaged `state.json`: said clearly, never written over, the last good state offered; supervisor.log 0600. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LocalStateError, parseState } from "../../../core/local/state_check.ts";
import { StateStore } from "../../../core/local/store.ts";
import { LocalSupervisor } from "../../../core/local/supervisor.ts";
import { supervisorMain } from "../../../core/local/supervisor_main.ts";
import { define, waitDone, withBackend } from "./_support.ts";

const submit = (backend: Parameters<Parameters<typeof withBackend>[1]>[0], name: string, definition: string) =>
  backend.submitJob({ jobName: name, jobQueue: "default", jobDefinition: definition });

/** The kinds of damage seen in the field, each made from a good state text. */
const DAMAGE: [string, (good: string) => string, RegExp][] = [
  ["truncated", (good) => good.slice(0, Math.floor(good.length / 2)), /not valid JSON/],
  ["empty", () => "", /the file is empty/],
  ["random bytes", () => "\u0007\u00ff}{\u0000garbage", /not valid JSON/],
  ["jobs as a list", (good) => JSON.stringify({ ...JSON.parse(good), jobs: [] }), /jobs: expected an object/],
  ["attempts as a string", (good) => {
    const state = JSON.parse(good);
    for (const job of Object.values<{ attempts: unknown }>(state.jobs)) job.attempts = "x";
    return JSON.stringify(state);
  }, /jobs\.[0-9a-f-]+\.attempts: expected an array/],
  ["null", () => "null", /the top level: expected an object/],
];

for (const [kind, damage, problem] of DAMAGE) {
  Deno.test(`LocalBackend refuses a state.json that is ${kind}: names the file and the backup, changes nothing`, async () => {
    await withBackend({}, async (backend, dir) => {
      const arn = await define(backend, "d", "true");
      const [first] = await waitDone(backend, [(await submit(backend, "first", arn)).jobId]);
      assert.equal(first!.status, "SUCCEEDED");
      // Fold the journal twice, as the store does every MiB of changes: state.json and its backup both hold `first`.
      await new StateStore(dir).compact();
      await new StateStore(dir).compact();
      const path = join(dir, "state.json");
      const good = await Deno.readTextFile(path);
      const bad = damage(good);
      await Deno.writeTextFile(path, bad);
      for (const call of [() => backend.listJobs({ jobQueue: "default" }), () => submit(backend, "second", arn)]) {
        const error = await call().then(() => undefined, (e) => e);
        assert.ok(error instanceof LocalStateError, String(error));
        assert.equal(error.path, path);
        assert.match(error.message, new RegExp(`The local state file '${path}' is damaged: `));
        assert.match(error.message, problem);
        assert.match(error.message, /Nothing was changed\. The last good state \(\d+ jobs, saved .*\) is in '.*\.bak'/);
        assert.ok(error.message.includes(`cp '${path}.bak' '${path}'`), error.message);
      }
      assert.equal(await Deno.readTextFile(path), bad, "the damaged file is never written over");
      const backup = parseState(await Deno.readTextFile(`${path}.bak`));
      assert.ok("state" in backup, "the backup is a good state");
      assert.deepEqual(Object.values(backup.state.jobs).map((j) => j.jobName), ["first"]);
      await Deno.copyFile(`${path}.bak`, path);
      await backend.listJobs({ jobQueue: "default" }); // the backup works again
    });
  });
}

Deno.test("a damaged state.json with no backup says how to start afresh", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-state-damage-" });
  try {
    await Deno.writeTextFile(join(dir, "state.json"), "{");
    await withBackend({ stateDir: dir }, async (backend) => {
      await assert.rejects(backend.listJobs({ jobQueue: "default" }), /There is no good backup .* mv '.*state\.json'/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("a supervisor that meets a damaged state.json says so once, not every tick", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-state-damage-" });
  const errors: unknown[] = [];
  const controller = new AbortController();
  const supervisor = new LocalSupervisor({
    stateDir: dir,
    runtime: "host",
    isolation: "none",
    tickMs: 10,
    mode: "in-process",
    signal: controller.signal,
    onError: (e) => errors.push(e),
  });
  try {
    assert.ok(await supervisor.claim());
    const running = supervisor.run();
    await Deno.writeTextFile(join(dir, "state.json"), '{"version":1,"jobs":"oops"}');
    await new Promise((r) => setTimeout(r, 400)); // about 40 ticks
    controller.abort();
    await running.catch(() => {}); // its last write is refused too: the damage stays
    assert.equal(errors.length, 1, errors.map(String).join("\n"));
    assert.ok(errors[0] instanceof LocalStateError);
    assert.equal(await Deno.readTextFile(join(dir, "state.json")), '{"version":1,"jobs":"oops"}');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the supervisor daemon logs a damaged state.json in one line to a supervisor.log of mode 0600", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-state-damage-" });
  try {
    await Deno.writeTextFile(join(dir, "state.json"), "\u0000\u0001");
    await Deno.writeTextFile(join(dir, "supervisor.log"), "", { mode: 0o644 }); // as older versions left it
    await Deno.chmod(join(dir, "supervisor.log"), 0o644);
    await supervisorMain(["--state-dir", dir, "--runtime", "host", "--isolation", "none", "--idle-exit-ms", "0"]);
    const log = await Deno.readTextFile(join(dir, "supervisor.log"));
    assert.equal(log.trim().split("\n").length, 1, log);
    assert.match(log, /The local state file '.*state\.json' is damaged: it is not valid JSON/);
    assert.doesNotMatch(log, /\n\s+at /, "no stack for an error that explains itself");
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(join(dir, "supervisor.log"))).mode! & 0o777, 0o600);
    await Deno.remove(join(dir, "supervisor.log"));
    await supervisorMain(["--state-dir", dir, "--runtime", "host", "--isolation", "none", "--idle-exit-ms", "0"]);
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(join(dir, "supervisor.log"))).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
