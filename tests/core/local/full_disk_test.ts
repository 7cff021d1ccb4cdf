/**
 * A full disk under the local backend, simulated at the exact write through the injectable disk layer: the
 * errors are the kernel's own ENOSPC (a write to /dev/full) where this machine has one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LocalBackend } from "../../../core/local/backend.ts";
import { type AppendFile, type LocalDisk, realDisk } from "../../../core/local/_disk.ts";
import { LogWriter, readLogEvents } from "../../../core/local/logs.ts";
import { StateStore } from "../../../core/local/store.ts";
import { LocalSupervisor } from "../../../core/local/supervisor.ts";
import { define, logLines, waitDone, waitFor } from "./_support.ts";

/** The kernel's "No space left on device", or a faithful copy where there is no /dev/full. */
async function noSpace(): Promise<Error> {
  try {
    const full = await Deno.open("/dev/full", { write: true });
    try {
      await full.write(new Uint8Array(1));
    } finally {
      full.close();
    }
  } catch (error) {
    if ((error as { code?: string }).code === "ENOSPC") return error as Error;
  }
  return Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" });
}

/** A disk that is full for the paths `full(path)` accepts: half of the bytes land, then ENOSPC. */
function fullFor(full: (path: string) => boolean): LocalDisk {
  return {
    async writeFile(path, data, options) {
      if (!full(path)) return await realDisk.writeFile(path, data, options);
      await realDisk.writeFile(path, data.subarray(0, data.length >> 1), options);
      throw await noSpace();
    },
    async openAppend(path, mode): Promise<AppendFile> {
      const file = await realDisk.openAppend(path, mode);
      let cut = false;
      return {
        async write(bytes) {
          if (!full(path)) return await file.write(bytes);
          if (cut || bytes.length < 2) throw await noSpace();
          cut = true;
          return await file.write(bytes.subarray(0, bytes.length >> 1));
        },
        close: () => file.close(),
      };
    },
  };
}

/** An in-process supervisor over `disk`, and a backend that submits to it (it starts no supervisor of its own). */
async function withSupervisor(
  disk: LocalDisk,
  fn: (backend: LocalBackend, dir: string, errors: string[]) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-full-disk-" });
  const errors: string[] = [];
  const controller = new AbortController();
  const supervisor = new LocalSupervisor({
    stateDir: dir,
    disk,
    runtime: "host",
    isolation: "none",
    tickMs: 20,
    heartbeatMs: 100,
    killGraceMs: 300,
    mode: "in-process",
    signal: controller.signal,
    onError: (e) => errors.push(e instanceof Error ? e.message : String(e)),
  });
  assert.ok(await supervisor.claim());
  const running = supervisor.run();
  const backend = new LocalBackend({ stateDir: dir, mode: "daemon", supervisorCommand: ["/bin/false"] });
  try {
    await fn(backend, dir, errors);
  } finally {
    controller.abort();
    await running;
    await Deno.remove(dir, { recursive: true });
  }
}

async function leftovers(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (entry.name.includes(".tmp-")) names.push(entry.name);
  return names;
}

Deno.test("a full disk fails the job whose log cannot be written, with a reason that says so; other jobs run on", async () => {
  await withSupervisor(fullFor((path) => path.includes("loud%2F")), async (backend, dir) => {
    const loud = await backend.submitJob({
      jobName: "loud",
      jobQueue: "default",
      jobDefinition: await define(backend, "loud", "echo first; sleep 30; echo never"),
    });
    const quiet = await backend.submitJob({
      jobName: "quiet",
      jobQueue: "default",
      jobDefinition: await define(backend, "quiet", "sleep 0.2; echo fine"),
    });
    const started = Date.now();
    const [l, q] = await waitDone(backend, [loud.jobId, quiet.jobId], 10_000);
    assert.ok(Date.now() - started < 10_000, "the job is stopped, not left to sleep");
    assert.equal(l!.status, "FAILED");
    assert.match(
      l!.statusReason ?? "",
      /(could not start|could not be written to its log): the disk is full \(No space left on device/,
    );
    assert.equal(q!.status, "SUCCEEDED");
    const lines = await logLines(backend, q!.container?.logStreamName);
    assert.deepEqual(lines.filter((l) => !l.startsWith("[ezbatch local]")), ["fine"]);
    assert.deepEqual(await leftovers(dir), []);
  });
});

Deno.test("a state write that meets a full disk leaves no temporary file, loses no event, and is said once", async () => {
  let full = false;
  const disk = fullFor((path) => full && path.includes("state.json"));
  await withSupervisor(disk, async (backend, dir, errors) => {
    const job = await backend.submitJob({
      jobName: "j",
      jobQueue: "default",
      jobDefinition: await define(backend, "j", "sleep 0.4; echo done"),
    });
    await waitFor(backend, [job.jobId], ([j]) => j!.status === "RUNNING");
    full = true;
    try {
      const before = await Deno.readTextFile(join(dir, "state.json"));
      await new Promise((r) => setTimeout(r, 1200)); // the job exits meanwhile; dozens of ticks fail to record it
      assert.equal(await Deno.readTextFile(join(dir, "state.json")), before, "the state is untouched");
      assert.deepEqual(await leftovers(dir), []);
      const stateErrors = errors.filter((e) => e.includes("state.json"));
      assert.equal(stateErrors.length, 1, errors.join("\n"));
      assert.match(stateErrors[0]!, /Cannot write the local state '.*state\.json': the disk is full .*free some space/);
      // Any writer of the directory on the same disk (a CLI command) fails alike and leaves nothing behind.
      const store = new StateStore(dir, { disk });
      await assert.rejects(
        store.update((state) => void (state.jobs = {})),
        /Cannot write the local state.*disk is full/,
      );
      assert.equal(await Deno.readTextFile(join(dir, "state.json")), before);
      assert.deepEqual(await leftovers(dir), []);
    } finally {
      full = false;
    }
    const [done] = await waitDone(backend, [job.jobId]);
    assert.equal(done!.status, "SUCCEEDED", "the exit seen while the disk was full is recorded once it is not");
    const lines = await logLines(backend, done!.container?.logStreamName);
    assert.deepEqual(lines.filter((l) => !l.startsWith("[ezbatch local]")), ["done"]);
  });
});

Deno.test("a log line cut by a full disk costs that line only", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-cut-log-" });
  try {
    let full = false;
    const location = { group: "/aws/batch/job", stream: "d/default/x" };
    const log = await LogWriter.open(dir, location, { now: () => 7, disk: fullFor(() => full) });
    await log.write(["one"]);
    full = true;
    await assert.rejects(log.write(["two, cut in half"]), /No space left on device/);
    full = false;
    await log.write(["three"]);
    log.close();
    const page = await readLogEvents(dir, location, { startFromHead: true });
    assert.deepEqual(page.events.map((e) => e.message), [
      "one",
      "[ezbatch local] 15 characters of this log were damaged (a write cut short, e.g. a full disk)",
      "three",
    ]);
    // Any damaged line, not only ours: a hand-edited or truncated file still reads.
    await Deno.writeTextFile(join(dir, "logs", "%2Faws%2Fbatch%2Fjob", "d%2Fdefault%2Fx.jsonl"), '{"t":1}\n', {
      append: true,
    });
    assert.equal((await readLogEvents(dir, location, { startFromHead: true })).events.length, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
