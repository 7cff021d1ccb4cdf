/** The scheduling step and the state journal, as pure functions over a state (no processes). */
import assert from "node:assert/strict";
import type { LocalState } from "../../../core/local/_types.ts";
import { applyPatch, diffPatch, encodePatch, parseJournal, printState } from "../../../core/local/journal.ts";
import { registerDefinition } from "../../../core/local/registry.ts";
import { advance, setStatus } from "../../../core/local/scheduler.ts";
import { initialState } from "../../../core/local/store.ts";
import { submitToState } from "../../../core/local/submit.ts";

function define(state: LocalState, name: string, vcpus: number): void {
  registerDefinition(state, {
    jobDefinitionName: name,
    type: "container",
    platformCapabilities: ["EC2"],
    containerProperties: {
      image: "alpine",
      command: ["true"],
      resourceRequirements: [{ type: "VCPU", value: String(vcpus) }, { type: "MEMORY", value: "16" }],
    },
  });
}

/** Two steps: SUBMITTED -> PENDING -> RUNNABLE. */
function toRunnable(state: LocalState): void {
  advance(state, 1, { vcpus: 0.5, memory: 1e6 });
  advance(state, 2, { vcpus: 0.5, memory: 1e6 });
}

Deno.test("advance() starts in order, lets a smaller job fill the room a big one cannot, and sorts when many pass", () => {
  const state = initialState();
  define(state, "big", 4);
  define(state, "small", 1);
  const big = submitToState(state, { jobName: "b", jobQueue: "q", jobDefinition: "big" }, {
    now: 1,
    autoCreateQueues: true,
  });
  const small = submitToState(state, {
    jobName: "s",
    jobQueue: "q",
    jobDefinition: "small",
    arrayProperties: { size: 40 },
  }, {
    now: 2,
    autoCreateQueues: true,
  });
  toRunnable(state);
  const budget = { vcpus: 6, memory: 1e6 };
  const step = advance(state, 3, budget);
  assert.deepEqual(step.start.map((j) => j.jobId), [big.jobId, `${small.jobId}:0`, `${small.jobId}:1`]);
  for (const job of step.start) setStatus(job, "STARTING", 3);
  // The budget is full: nothing starts, nothing changes.
  const idle = advance(state, 4, budget);
  assert.deepEqual(idle.start, []);
  assert.equal(idle.touched.size, 0);
  // The big job ends: four small ones take its room, in index order.
  setStatus(state.jobs[big.jobId]!, "SUCCEEDED", 5);
  assert.deepEqual(advance(state, 6, budget).start.map((j) => j.arrayIndex), [2, 3, 4, 5]);
  // More than 16 picks at once take the sorted path, still in index order (0 and 1 are STARTING).
  const wide = advance(state, 7, { vcpus: 100, memory: 1e6 });
  assert.deepEqual(wide.start.map((j) => j.arrayIndex), Array.from({ length: 38 }, (_, i) => i + 2));
});

Deno.test("advance() ends an array parent once its last child ends, and names only what changed", () => {
  const state = initialState();
  define(state, "d", 1);
  const parent = submitToState(
    state,
    { jobName: "a", jobQueue: "q", jobDefinition: "d", arrayProperties: { size: 3 } },
    {
      now: 1,
      autoCreateQueues: true,
    },
  );
  toRunnable(state);
  for (let i = 0; i < 3; i++) setStatus(state.jobs[`${parent.jobId}:${i}`]!, i === 1 ? "FAILED" : "SUCCEEDED", 3);
  const step = advance(state, 4, { vcpus: 1, memory: 1e6 });
  assert.deepEqual([...step.touched], [parent.jobId]);
  assert.equal(state.jobs[parent.jobId]!.status, "FAILED");
  assert.match(state.jobs[parent.jobId]!.statusReason!, /1 of 3 children failed/);
});

Deno.test("journal: a diff replays to the same state, a torn last line is left out, a bad whole line is damage", () => {
  const state = initialState();
  define(state, "d", 1);
  const before = printState(state);
  const copy = structuredClone(state);
  submitToState(state, { jobName: "a", jobQueue: "new-queue", jobDefinition: "d" }, { now: 1, autoCreateQueues: true });
  const patch = diffPatch(before, state)!;
  assert.deepEqual(Object.keys(patch).sort(), ["jobs", "queues"]);
  const line = encodePatch(patch);
  const torn = new Uint8Array([...line, ...line.subarray(0, 10)]);
  const read = parseJournal(torn);
  assert.equal(read.end, line.length, "the torn line is not applied");
  for (const p of read.patches) applyPatch(copy, p);
  applyPatch(copy, read.patches[0]!); // replaying twice changes nothing
  assert.deepEqual(copy, state);
  const damaged = new Uint8Array([...new TextEncoder().encode('{"jobs":{"x":{"jobId":1}}}\n'), ...line]);
  assert.match(parseJournal(damaged).problem ?? "", /line at byte 0 has the wrong shape/);
  assert.equal(diffPatch(printState(state), state), undefined);
});

Deno.test("advance() over the live jobs only: ended children are not visited, the parent keeps its first start", () => {
  const state = initialState();
  define(state, "d", 1);
  const parent = submitToState(
    state,
    { jobName: "a", jobQueue: "q", jobDefinition: "d", arrayProperties: { size: 2 } },
    {
      now: 1,
      autoCreateQueues: true,
    },
  );
  toRunnable(state);
  const [first, second] = [0, 1].map((i) => state.jobs[`${parent.jobId}:${i}`]!);
  first!.startedAt = 10;
  setStatus(first!, "SUCCEEDED", 11);
  second!.startedAt = 20;
  setStatus(second!, "RUNNING", 20);
  advance(state, 21, { vcpus: 1, memory: 1e6 }); // sees both: the parent started at 10
  assert.equal(state.jobs[parent.jobId]!.startedAt, 10);
  const live = new Set([parent.jobId, second!.jobId]);
  advance(state, 22, { vcpus: 1, memory: 1e6 }, live);
  assert.equal(state.jobs[parent.jobId]!.startedAt, 10, "a later live child does not move the start");
  setStatus(second!, "SUCCEEDED", 23);
  const end = advance(state, 24, { vcpus: 1, memory: 1e6 }, live);
  assert.deepEqual([...end.touched], [parent.jobId]);
  assert.equal(state.jobs[parent.jobId]!.status, "SUCCEEDED");
});
