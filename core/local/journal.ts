/**
 * The journal of the local state: `state.json.journal`, one JSON line per write, each a patch over `state.json`
 * (whole job records replaced or removed, whole top-level lists replaced). A write appends the records it changed,
 * so its cost does not grow with the number of jobs; the store folds the journal into `state.json` now and then.
 * Replaying a patch twice gives the same state (records are replaced, never merged), so a compaction cut short by
 * kill -9 after `state.json` was replaced and before the journal was emptied loses nothing. A last line without
 * its newline is a write cut short (kill -9, a full disk) and is ignored; writers cut it off before appending.
 * @module
 */
import type { JobRecord, LocalState } from "./_types.ts";
import { jobProblem } from "./state_check.ts";

/** One line of the journal. */
export interface StatePatch {
  /** Job records by id, replacing the stored ones; null removes a job. */
  jobs?: Record<string, JobRecord | null>;
  /** Replaces the definitions. */
  definitions?: LocalState["definitions"];
  /** Replaces the queues. */
  queues?: LocalState["queues"];
  /** Replaces the compute environments. */
  computeEnvironments?: LocalState["computeEnvironments"];
}

const LISTS = ["definitions", "queues", "computeEnvironments"] as const;

/** Applies a patch to `state` in place. */
export function applyPatch(state: LocalState, patch: StatePatch): void {
  for (const [id, job] of Object.entries(patch.jobs ?? {})) {
    if (job === null) delete state.jobs[id];
    else state.jobs[id] = job;
  }
  if (patch.definitions) state.definitions = patch.definitions;
  if (patch.queues) state.queues = patch.queues;
  if (patch.computeEnvironments) state.computeEnvironments = patch.computeEnvironments;
}

/** A patch holding the current records of `ids` (ids no longer in the state are removed). */
export function patchOf(state: LocalState, ids: Iterable<string>): StatePatch {
  const jobs: Record<string, JobRecord | null> = {};
  for (const id of ids) jobs[id] = state.jobs[id] ?? null;
  return { jobs };
}

/** The serialised records of a state, to find what a change touched (`diffPatch`). */
export interface StatePrint {
  jobs: Map<string, string>;
  lists: Record<(typeof LISTS)[number], string>;
}

/** Serialises each record of `state` (before a change). */
export function printState(state: LocalState): StatePrint {
  const jobs = new Map<string, string>();
  for (const [id, job] of Object.entries(state.jobs)) jobs.set(id, JSON.stringify(job));
  return {
    jobs,
    lists: {
      definitions: JSON.stringify(state.definitions),
      queues: JSON.stringify(state.queues),
      computeEnvironments: JSON.stringify(state.computeEnvironments),
    },
  };
}

/** What changed between `before` and `state`, or undefined when nothing did. */
export function diffPatch(before: StatePrint, state: LocalState): StatePatch | undefined {
  const patch: StatePatch = {};
  const jobs: Record<string, JobRecord | null> = {};
  let any = false;
  for (const [id, job] of Object.entries(state.jobs)) {
    if (before.jobs.get(id) !== JSON.stringify(job)) (jobs[id] = job, any = true);
  }
  for (const id of before.jobs.keys()) if (!(id in state.jobs)) (jobs[id] = null, any = true);
  if (any) patch.jobs = jobs;
  for (const key of LISTS) {
    if (JSON.stringify(state[key]) !== before.lists[key]) (patch[key] = state[key] as never, any = true);
  }
  return any ? patch : undefined;
}

/** The line that records `patch`. */
export function encodePatch(patch: StatePatch): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(patch) + "\n");
}

/**
 * Reads the patches of `bytes` (journal bytes from offset `base`). `end` is the offset after the last whole line:
 * a torn last line is left out. `problem` names a whole line that is not a valid patch (outside damage).
 */
export function parseJournal(bytes: Uint8Array, base = 0): { patches: StatePatch[]; end: number; problem?: string } {
  const patches: StatePatch[] = [];
  const decoder = new TextDecoder();
  let offset = 0;
  while (offset < bytes.length) {
    const newline = bytes.indexOf(10, offset);
    if (newline < 0) break;
    const problem = patchProblem(decoder.decode(bytes.subarray(offset, newline)), patches);
    if (problem) return { patches, end: base + offset, problem: `the line at byte ${base + offset} ${problem}` };
    offset = newline + 1;
  }
  return { patches, end: base + offset };
}

function patchProblem(text: string, into: StatePatch[]): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "is not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "is not a patch object";
  const patch = value as StatePatch;
  for (const [id, job] of Object.entries(patch.jobs ?? {})) {
    if (job === null) continue;
    const problem = jobProblem(job, `jobs.${id}`);
    if (problem) return `has the wrong shape (${problem})`;
  }
  for (const key of LISTS) if (patch[key] !== undefined && !Array.isArray(patch[key])) return `has a bad ${key}`;
  into.push(patch);
  return undefined;
}
