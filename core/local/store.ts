/**
 * The state directory of the local backend: `state.json` (definitions, queues, environments, jobs),
 * `supervisor.json` (who runs the queue), `logs/` (one JSON-lines file per log stream) and `work/` (one fresh
 * directory per attempt). Writers take an exclusive lock on `state.lock` (an advisory file lock, so two processes
 * never interleave read-modify-write cycles) and replace files atomically (write a temporary file, then rename),
 * so readers never see a half-written file and need no lock.
 * @module
 */
import { join } from "node:path";
import type { LocalState, SupervisorInfo } from "./_types.ts";
import { defaultInfrastructure } from "./registry.ts";

/** Where the state lives when no directory is given: `$EZBATCH_STATE_DIR`, else `$XDG_STATE_HOME/ezbatch/local`. */
export function defaultStateDir(): string {
  const explicit = Deno.env.get("EZBATCH_STATE_DIR");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_STATE_HOME") || join(Deno.env.get("HOME") ?? "/tmp", ".local", "state");
  return join(xdg, "ezbatch", "local");
}

/** Writes `text` to `path` atomically: a temporary file in the same directory, then a rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

const inProcessQueues = new Map<string, Promise<void>>();

/** Reads and writes one state directory. Cheap to create; every method re-reads the disk. */
export class StateStore {
  /** The state directory. */
  readonly dir: string;

  /** Opens (and creates when missing) the state directory `dir`. */
  constructor(dir: string) {
    this.dir = dir;
    Deno.mkdirSync(join(dir, "logs"), { recursive: true });
    Deno.mkdirSync(join(dir, "work"), { recursive: true });
  }

  /** Path of `state.json`. */
  get statePath(): string {
    return join(this.dir, "state.json");
  }

  /** Path of `supervisor.json`. */
  get supervisorPath(): string {
    return join(this.dir, "supervisor.json");
  }

  /** Reads the state (an initial state with the default queue when there is none yet). */
  async read(): Promise<LocalState> {
    try {
      return JSON.parse(await Deno.readTextFile(this.statePath)) as LocalState;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return initialState();
      throw error;
    }
  }

  /** Replaces `state.json` (callers hold the lock). */
  async writeState(state: LocalState): Promise<void> {
    await writeFileAtomic(this.statePath, JSON.stringify(state));
  }

  /** Reads `supervisor.json`, or undefined when no supervisor ever ran here. */
  async readSupervisor(): Promise<SupervisorInfo | undefined> {
    try {
      return JSON.parse(await Deno.readTextFile(this.supervisorPath)) as SupervisorInfo;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  /** Replaces `supervisor.json` (callers hold the lock) or removes it when `info` is undefined. */
  async writeSupervisor(info: SupervisorInfo | undefined): Promise<void> {
    if (info) return await writeFileAtomic(this.supervisorPath, JSON.stringify(info));
    await Deno.remove(this.supervisorPath).catch(() => {});
  }

  /**
   * Runs `fn` with the lock held on a fresh copy of the state and writes the state back (atomically) when `fn`
   * changed it. Returns what `fn` returned. With `write: false` the state is only read under the lock.
   */
  async update<T>(fn: (state: LocalState) => T | Promise<T>, options: { write?: boolean } = {}): Promise<T> {
    return await this.withLock(async () => {
      const state = await this.read();
      const before = options.write === false ? "" : JSON.stringify(state);
      const result = await fn(state);
      if (options.write !== false) {
        const after = JSON.stringify(state);
        if (after !== before) await writeFileAtomic(this.statePath, after);
      }
      return result;
    });
  }

  /** Runs `fn` holding the state lock: first an in-process queue, then an exclusive advisory lock on `state.lock`. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = inProcessQueues.get(this.dir) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    inProcessQueues.set(this.dir, tail);
    await previous;
    const file = await Deno.open(join(this.dir, "state.lock"), { create: true, write: true });
    try {
      let delay = 2;
      while (!(await file.tryLock(true))) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 50);
      }
      return await fn();
    } finally {
      file.close();
      release();
      if (inProcessQueues.get(this.dir) === tail) inProcessQueues.delete(this.dir);
    }
  }
}

/** A fresh state: the default compute environment and queue, no jobs. */
export function initialState(): LocalState {
  return { version: 1, definitions: [], jobs: {}, ...defaultInfrastructure() };
}
