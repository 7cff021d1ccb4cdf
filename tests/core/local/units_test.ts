import assert from "node:assert/strict";
import type { JobRecord } from "../../../core/local/_types.ts";
import { daemonArgv } from "../../../core/local/daemon.ts";
import { finishAttempt } from "../../../core/local/outcome.ts";
import { defaultStateDir, initialState } from "../../../core/local/store.ts";
import { parseSupervisorArgs } from "../../../core/local/supervisor_main.ts";
import { registerDefinition } from "../../../core/local/registry.ts";
import { submitToState } from "../../../core/local/submit.ts";
import { advance, specOf } from "../../../core/local/scheduler.ts";

Deno.test("daemonArgv() gives supervisor_main.ts flags that parseSupervisorArgs() reads back", () => {
  const argv = daemonArgv({
    stateDir: "/state dir",
    supervisorCommand: ["ezbatch", "__local-supervisor"],
    vcpus: 3,
    memory: 1024,
    runtime: "host",
    isolation: "none",
    staleAfterMs: 5000,
    tickMs: 50,
    killGraceMs: 100,
    idleExitMs: 2000,
  });
  assert.deepEqual(argv.slice(0, 2), ["ezbatch", "__local-supervisor"]);
  assert.deepEqual(parseSupervisorArgs(argv.slice(2)), {
    stateDir: "/state dir",
    mode: "daemon",
    vcpus: 3,
    memory: 1024,
    runtime: "host",
    isolation: "none",
    staleAfterMs: 5000,
    tickMs: 50,
    killGraceMs: 100,
    idleExitMs: 2000,
  });
  const plain = daemonArgv({ stateDir: "/s", staleAfterMs: 1 });
  assert.equal(plain[0], Deno.execPath());
  assert.match(plain[3]!, /supervisor_main\.ts$/);
  assert.throws(() => parseSupervisorArgs(["--vcpus", "2"]), /needs --state-dir/);
  assert.throws(() => parseSupervisorArgs(["--state-dir"]), /Bad supervisor argument '--state-dir'/);
});

Deno.test("defaultStateDir() prefers EZBATCH_STATE_DIR, then XDG_STATE_HOME, then ~/.local/state", () => {
  const saved = ["EZBATCH_STATE_DIR", "XDG_STATE_HOME", "HOME"].map((k) => [k, Deno.env.get(k)] as const);
  try {
    Deno.env.set("HOME", "/home/u");
    Deno.env.delete("EZBATCH_STATE_DIR");
    Deno.env.delete("XDG_STATE_HOME");
    assert.equal(defaultStateDir(), "/home/u/.local/state/ezbatch/local");
    Deno.env.set("XDG_STATE_HOME", "/xdg");
    assert.equal(defaultStateDir(), "/xdg/ezbatch/local");
    Deno.env.set("EZBATCH_STATE_DIR", "/explicit");
    assert.equal(defaultStateDir(), "/explicit");
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
});

function stateWithArray(size: number) {
  const state = initialState();
  registerDefinition(state, {
    jobDefinitionName: "d",
    type: "container",
    platformCapabilities: ["EC2"],
    containerProperties: {
      image: "alpine",
      command: ["/bin/sh", "-c", "Ref::greeting"],
      environment: [{ name: "BIG", value: "x".repeat(4000) }],
      resourceRequirements: [{ type: "VCPU", value: "2" }, { type: "MEMORY", value: "512" }],
    },
    parameters: { greeting: "echo default" },
  });
  const parent = submitToState(state, {
    jobName: "arr",
    jobQueue: "q",
    jobDefinition: "d",
    arrayProperties: { size },
    parameters: { greeting: "echo hi" },
  }, { now: 1, autoCreateQueues: true });
  return { state, parent };
}

Deno.test("submitToState() keeps one spec per array job: children share their parent's (Ref:: parameters applied)", () => {
  const { state, parent } = stateWithArray(50);
  const child = state.jobs[`${parent.jobId}:7`]!;
  assert.equal(child.spec, undefined);
  assert.deepEqual(specOf(state, child).command, ["/bin/sh", "-c", "echo hi"]);
  assert.ok(JSON.stringify(state).length < 50 * 1000, "children must not copy the 4 KB environment");
});

Deno.test("advance() starts only what fits the budget, in index order", () => {
  const { state, parent } = stateWithArray(4);
  advance(state, 2, { vcpus: 5, memory: 10_000 }); // SUBMITTED -> PENDING
  advance(state, 3, { vcpus: 5, memory: 10_000 }); // PENDING -> RUNNABLE
  const step = advance(state, 4, { vcpus: 5, memory: 10_000 });
  assert.deepEqual(step.start.map((j) => j.arrayIndex), [0, 1]);
  assert.equal(state.jobs[parent.jobId]!.status, "PENDING");
  const idle = advance(state, 5, { vcpus: 5, memory: 10_000 });
  assert.equal(idle.touched.size, 0);
});

Deno.test("finishAttempt() decides SUCCEEDED, retry, FAILED and never retries a timeout", () => {
  const job = (): JobRecord => ({
    jobId: "j",
    jobName: "j",
    jobQueue: "q",
    jobDefinition: "d",
    status: "RUNNING",
    createdAt: 0,
    waitFor: [],
    attempts: [{ attempt: 1, supervisorId: "s", logStreamName: "d/default/x", workDir: "/w", startedAt: 1 }],
    history: [],
    retryStrategy: { attempts: 3 },
  });
  const ok = job();
  finishAttempt(ok, ok.attempts[0]!, { exitCode: 0 }, 5);
  assert.equal(ok.status, "SUCCEEDED");
  const retried = job();
  finishAttempt(retried, retried.attempts[0]!, { exitCode: 2 }, 5);
  assert.equal(retried.status, "RUNNABLE");
  assert.equal(retried.statusReason, "Retrying after attempt 1: exit code 2");
  const timedOut = job();
  finishAttempt(timedOut, timedOut.attempts[0]!, { exitCode: 143, killed: "timeout" }, 5);
  assert.equal(timedOut.status, "FAILED");
  assert.equal(timedOut.statusReason, "Job attempt duration exceeded timeout");
  const terminated = { ...job(), terminateRequest: "User asked" };
  finishAttempt(terminated, terminated.attempts[0]!, { exitCode: 143, killed: "terminate" }, 5);
  assert.equal(terminated.status, "FAILED");
  assert.equal(terminated.isTerminated, true);
  assert.equal(terminated.statusReason, "User asked");
  assert.equal(terminated.terminateRequest, undefined);
});
