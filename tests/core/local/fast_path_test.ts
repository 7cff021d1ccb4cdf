/**
 * What makes short jobs cheap (issue 15): the leftover scan's memory and its "nothing mid-exec" answer, the log
 * handed to the launcher, and jobs run through the launcher or, without it, a spawn of their own.
 */
import assert from "node:assert/strict";
import { LocalBackend } from "../../../core/local/backend.ts";
import { realDisk } from "../../../core/local/_disk.ts";
import { logFilePath, LogWriter } from "../../../core/local/logs.ts";
import { ATTEMPT_MARKER, processSession, scanMarked, type ScanMemory } from "../../../core/local/process_tree.ts";
import { LocalSupervisor } from "../../../core/local/supervisor.ts";
import { readJournal, readToEnd } from "../../../core/local/_state_files.ts";
import { attemptDir } from "../../../core/local/attempts.ts";
import type { JobRecord } from "../../../core/local/_types.ts";
import { join } from "node:path";
import { define, logLines, waitDone, waitFor, withBackend } from "./_support.ts";

function sleeper(env: Record<string, string>, clear = false): Deno.ChildProcess {
  return new Deno.Command("setsid", { args: ["sleep", "30"], env, clearEnv: clear, stdout: "null", stderr: "null" })
    .spawn();
}

async function settledPid(child: Deno.ChildProcess): Promise<number> {
  // setsid execs sleep in the same process; wait until it shows its own environment.
  for (let i = 0; i < 100 && !(await Deno.readTextFile(`/proc/${child.pid}/cmdline`)).startsWith("sleep"); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  return child.pid;
}

Deno.test("scanMarked: finds and remembers marked processes, reads them again only when their marker is asked for", async () => {
  const marked = sleeper({ [ATTEMPT_MARKER]: "m-one", PATH: "/usr/bin:/bin" }, true);
  try {
    const pid = await settledPid(marked);
    const memory: ScanMemory = { unmarked: new Set(), marked: new Map() };
    assert.deepEqual(scanMarked(new Set(["m-one"]), memory).found.get("m-one"), [pid]);
    assert.equal(memory.marked.get(pid), "m-one");
    assert.equal(scanMarked(new Set(["m-two"]), memory).found.size, 0);
    assert.deepEqual(scanMarked(new Set(["m-one"]), memory).found.get("m-one"), [pid]);
    // Kernel threads (kthreadd, pid 2, where this system shows it) are remembered and never read again.
    if (await Deno.stat("/proc/2").then(() => true, () => false)) assert.ok(memory.unmarked.has(2));
  } finally {
    marked.kill("SIGKILL");
    await marked.status;
  }
});

Deno.test("scanMarked: a process with an empty environment makes a scan inconclusive, unless a running job's session holds it", async () => {
  const empty = sleeper({}, true);
  try {
    const pid = await settledPid(empty);
    assert.equal(processSession(pid), String(pid));
    const fresh = (): ScanMemory => ({ unmarked: new Set(), marked: new Map() });
    assert.equal(scanMarked(new Set(["m-x"]), fresh()).ambiguous, true);
    // Other processes of this machine may be in the middle of exec at any moment: one clean scan in 20 will do.
    let clean = false;
    for (let i = 0; i < 20 && !clean; i++) {
      clean = !scanMarked(new Set(["m-x"]), fresh(), new Set([pid])).ambiguous;
      if (!clean) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(clean, "a scan that knows the process's session was never conclusive");
  } finally {
    empty.kill("SIGKILL");
    await empty.status;
  }
});

Deno.test("LogWriter.handOff gives the bytes write() would append, only before the file is open and on the real disk", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-handoff-" });
  try {
    const location = { group: "g", stream: "a/default/x" };
    const lazy = LogWriter.lazy(dir, location, { now: () => 7 });
    const handed = lazy.handOff(["one", 'two "quoted"']);
    assert.equal(handed?.path, logFilePath(dir, location));
    assert.equal(new TextDecoder().decode(handed!.head), '{"t":7,"m":"one"}\n{"t":7,"m":"two \\"quoted\\""}\n');
    await lazy.write(["one", 'two "quoted"']);
    lazy.close();
    assert.equal(await Deno.readTextFile(handed!.path), new TextDecoder().decode(handed!.head));
    assert.equal(lazy.handOff(["x"]), undefined, "the file is open: the writer appends itself");
    const other = { ...realDisk };
    assert.equal(LogWriter.lazy(dir, location, { disk: other }).handOff(["x"]), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const launcher of [true, false]) {
  Deno.test(`a job runs ${launcher ? "through the launcher (its parent is perl)" : "with a spawn of its own when the launcher is off"}: same log, same exit`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "ezbatch-fast-path-" });
    const controller = new AbortController();
    const supervisor = new LocalSupervisor({
      stateDir: dir,
      runtime: "host",
      isolation: "none",
      tickMs: 20,
      mode: "in-process",
      signal: controller.signal,
      launcher,
    });
    assert.ok(await supervisor.claim());
    const running = supervisor.run();
    const backend = new LocalBackend({ stateDir: dir, mode: "daemon", supervisorCommand: ["/bin/false"] });
    try {
      await define(backend, "p", "cat /proc/$PPID/comm; echo err >&2; printf 'no newline'; exit 4");
      const { jobId } = await backend.submitJob({ jobName: "p", jobQueue: "default", jobDefinition: "p" });
      const [job] = await waitDone(backend, [jobId]);
      assert.equal(job!.container?.exitCode, 4);
      const lines = await logLines(backend, job!.container?.logStreamName);
      assert.match(lines[0]!, /^\[ezbatch local\] No private mount namespace/);
      assert.equal(lines.includes("perl"), launcher, lines.join("\n"));
      assert.ok(lines.includes("err") && lines.includes("no newline"), lines.join("\n"));
      assert.equal(lines.length, 4);
    } finally {
      controller.abort();
      await running;
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("an array parent's startedAt is its first child's start, recorded as that child starts (not at a later step)", async () => {
  await withBackend({ vcpus: 2 }, async (backend) => {
    await define(backend, "slow", "sleep 0.4");
    const { jobId } = await backend.submitJob({
      jobName: "arr",
      jobQueue: "q",
      jobDefinition: "slow",
      arrayProperties: { size: 3 },
    });
    // While the children sleep, no child has ended: the parent's start must already be there.
    const [running] = await waitFor(backend, [`${jobId}:0`], (jobs) => jobs[0]?.status === "RUNNING", 5000);
    const [parent] = await backend.describeJobs([jobId]);
    assert.equal(parent!.startedAt !== undefined && parent!.startedAt <= running!.startedAt!, true);
    await waitDone(backend, [jobId]);
    const children = await backend.describeJobs([0, 1, 2].map((i) => `${jobId}:${i}`));
    const [done] = await backend.describeJobs([jobId]);
    assert.equal(done!.startedAt, Math.min(...children.map((c) => c.startedAt!)));
  });
});

Deno.test("a job's large output reaches its log whole and in order through the launcher", async () => {
  await withBackend({}, async (backend, dir) => {
    await define(backend, "loud", "seq 1 100000; printf 'tail'");
    const { jobId } = await backend.submitJob({ jobName: "loud", jobQueue: "q", jobDefinition: "loud" });
    const [job] = await waitDone(backend, [jobId], 30_000);
    assert.equal(job!.status, "SUCCEEDED");
    const path = logFilePath(dir, { group: "/aws/batch/job", stream: job!.container!.logStreamName! });
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n").map((l) => JSON.parse(l).m as string)
      .filter((l) => !l.startsWith("[ezbatch"));
    assert.equal(lines.length, 100_001);
    assert.equal(lines[0], "1");
    assert.equal(lines[99_999], "100000");
    assert.equal(lines[100_000], "tail");
    assert.ok(lines.slice(0, 100_000).every((l, i) => l === String(i + 1)));
  });
});

Deno.test("readToEnd reads a file whole from an offset, whatever the size hint (the state's synchronous reads)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-read-" });
  try {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    const path = `${dir}/f`;
    await Deno.writeFile(path, bytes);
    for (const [from, hint] of [[0, 0], [0, 10], [0, 300_000], [1000, 300_000], [299_999, 5], [300_000, 0]]) {
      using file = await Deno.open(path);
      assert.deepEqual(readToEnd(file, from, hint), bytes.subarray(from), `from ${from}, hint ${hint}`);
    }
    assert.deepEqual(readJournal(`${dir}/missing`, 0), new Uint8Array());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an attempt's directory: work/<job>/<attempt>, and an array child's work/<parent>/<index>.<attempt>", () => {
  const job = { jobId: "j1", attempts: [] } as unknown as JobRecord;
  const child = { jobId: "p1:7", parentId: "p1", arrayIndex: 7, attempts: [] } as unknown as JobRecord;
  assert.equal(attemptDir("/s", job, 2), "/s/work/j1/2");
  assert.equal(attemptDir("/s", child, 3), "/s/work/p1/7.3");
  // Two levels under work/, as features.ts counts on (it finds the state directory three levels up).
  for (const dir of [attemptDir("/s", job, 1), attemptDir("/s", child, 1)]) {
    assert.equal(join(dir, "..", "..", ".."), "/s");
  }
});
