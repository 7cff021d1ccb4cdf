import assert from "node:assert/strict";
import { LocalBackend } from "../../../core/local/backend.ts";
import { processAlive } from "../../../core/local/process_tree.ts";
import { StateStore } from "../../../core/local/store.ts";
import { define, waitDone, waitFor, withBackend } from "./_support.ts";

/** Removes a state directory; retried because processes killed a moment ago may still be exiting. */
async function removeDir(dir: string): Promise<void> {
  for (let i = 0;; i++) {
    try {
      return await Deno.remove(dir, { recursive: true });
    } catch (error) {
      if (i >= 10) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const client = new URL("./_client.ts", import.meta.url).pathname;

async function runClient(...args: string[]): Promise<unknown> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", client, ...args], stderr: "piped" })
    .output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Waits for the daemon of `dir` to leave (idle exit); kills it if it does not within the time given. */
async function awaitDaemonExit(dir: string, timeoutMs = 6000): Promise<void> {
  const store = new StateStore(dir);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await store.readSupervisor();
    if (!info || !processAlive(info.pid, info.pidStart)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const info = await store.readSupervisor();
  if (info) Deno.kill(info.pid, "SIGKILL");
  throw new Error("The daemon supervisor did not exit when idle");
}

Deno.test("LocalBackend daemon: a job outlives the process that submitted it; other processes read its state and log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-daemon-test-" });
  try {
    const submitted = await runClient("submit", dir, "sleep 0.3; echo from the daemon $AWS_BATCH_JQ_NAME") as {
      jobId: string;
    };
    const backend = new LocalBackend({ stateDir: dir, runtime: "host", idleExitMs: 1500 });
    const [job] = await waitDone(backend, [submitted.jobId]);
    assert.equal(job!.status, "SUCCEEDED");
    const seen = await runClient("describe", dir, submitted.jobId);
    assert.deepEqual(seen, { status: "SUCCEEDED", lines: ["from the daemon client-queue"] });
    const queues = await backend.describeJobQueues(["client-queue"]);
    assert.equal(queues.jobQueues[0]?.jobQueueName, "client-queue");
    await awaitDaemonExit(dir);
  } finally {
    await removeDir(dir);
  }
});

Deno.test("LocalBackend detects a killed supervisor: its running job becomes FAILED with a reason and is killed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-crash-test-" });
  try {
    const { jobId } = await runClient("submit", dir, "sleep 30") as { jobId: string };
    const backend = new LocalBackend({ stateDir: dir, runtime: "host" });
    await waitFor(backend, [jobId], ([j]) => j!.status === "RUNNING");
    const store = new StateStore(dir);
    const info = (await store.readSupervisor())!;
    const jobPid = (await store.read()).jobs[jobId]!.attempts[0]!.pid!;
    assert.ok(processAlive(jobPid));
    Deno.kill(info.pid, "SIGKILL");
    const [job] = await waitDone(backend, [jobId], 3000);
    assert.equal(job!.status, "FAILED");
    assert.match(
      job!.statusReason!,
      new RegExp(`^Job was RUNNING but the local supervisor \\(pid ${info.pid}\\) is gone: it was marked FAILED`),
    );
    // The signal is sent before the job is marked FAILED; the process takes a moment to die.
    for (let waited = 0; processAlive(jobPid) && waited < 3000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(processAlive(jobPid), false, "the orphaned job process was killed");
  } finally {
    await removeDir(dir);
  }
});

Deno.test("LocalBackend fails jobs of a supervisor whose heartbeat is stale", async () => {
  await withBackend({ staleAfterMs: 5000 }, async (backend, dir) => {
    await define(backend, "quick", "true");
    const { jobId } = await backend.submitJob({ jobName: "quick", jobQueue: "q", jobDefinition: "quick" });
    await waitDone(backend, [jobId]);
    await backend.close();
    // A job left RUNNING by a supervisor that is alive (this process) but has not beaten for a minute.
    const store = new StateStore(dir);
    const now = Date.now();
    await store.update((state) => {
      const job = state.jobs[jobId]!;
      job.status = "RUNNING";
      job.attempts[0]!.supervisorId = "hung";
      delete job.attempts[0]!.pid;
    });
    await store.writeSupervisor({
      id: "hung",
      pid: Deno.pid,
      mode: "daemon",
      startedAt: now,
      heartbeatAt: now - 60_000,
    });
    const reader = new LocalBackend({ stateDir: dir, mode: "in-process", staleAfterMs: 5000 });
    const [job] = await reader.describeJobs([jobId]);
    assert.equal(job!.status, "FAILED");
    assert.match(job!.statusReason!, /stopped answering \(last heartbeat 60 s ago\)/);
  });
});

Deno.test("LocalBackend refuses a second in-process supervisor on a state directory that is already run", async () => {
  await withBackend({}, async (backend, dir) => {
    await define(backend, "quick", "true");
    await backend.submitJob({ jobName: "quick", jobQueue: "q", jobDefinition: "quick" });
    const second = new LocalBackend({ stateDir: dir, mode: "in-process", runtime: "host" });
    await assert.rejects(
      second.submitJob({ jobName: "again", jobQueue: "q", jobDefinition: "quick" }),
      /is run by another local supervisor/,
    );
  });
});

Deno.test("LocalBackend state survives two processes writing at once (lock + atomic writes)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-lock-test-" });
  try {
    const [a, b] = await Promise.all([
      runClient("register", dir, "shared", "15"),
      runClient("register", dir, "shared", "15"),
    ]);
    const all = [...a as number[], ...b as number[]].sort((x, y) => x - y);
    assert.deepEqual(all, Array.from({ length: 30 }, (_, i) => i + 1));
    const backend = new LocalBackend({ stateDir: dir });
    const { definitions } = await backend.listJobDefinitions({ name: "shared" }, { maxResults: 100 });
    assert.equal(definitions.length, 30);
  } finally {
    await removeDir(dir);
  }
});

Deno.test("a daemon whose state directory is removed stops (with its launcher) instead of waiting forever", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-daemon-gone-" });
  // A long idle time: only the removal can end it.
  const backend = new LocalBackend({ stateDir: dir, mode: "daemon", runtime: "host", idleExitMs: 600_000 });
  await define(backend, "quick", "echo hi");
  const { jobId } = await backend.submitJob({ jobName: "quick", jobQueue: "q", jobDefinition: "quick" });
  await waitDone(backend, [jobId]);
  const info = (await new StateStore(dir).readSupervisor())!;
  await removeDir(dir);
  const deadline = Date.now() + 5000;
  while (processAlive(info.pid, info.pidStart) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const alive = processAlive(info.pid, info.pidStart);
  if (alive) Deno.kill(info.pid, "SIGKILL");
  assert.equal(alive, false, "the daemon outlived its state directory");
});

Deno.test("StateStore.withLock: a lock file that cannot be opened fails that call only, not every later one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-lock-gone-" });
  const store = new StateStore(dir);
  await Deno.remove(dir, { recursive: true });
  await assert.rejects(store.withLock(() => Promise.resolve(1)), Deno.errors.NotFound);
  await Deno.mkdir(dir);
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stuck = new Promise((resolve) => (timer = setTimeout(() => resolve("stuck"), 3000)));
    assert.equal(await Promise.race([store.withLock(() => Promise.resolve(2)), stuck]), 2);
    clearTimeout(timer);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
