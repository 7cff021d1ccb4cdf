/**
 * The state directory of the local backend: `state.json` (definitions, queues, environments, jobs),
 * `supervisor.json` (who runs the queue), `logs/` (one JSON-lines file per log stream) and `work/` (one fresh
 * directory per attempt). Writers take an exclusive lock on `state.lock` (an advisory file lock, so two processes
 * never interleave read-modify-write cycles) and replace files atomically (write a temporary file, then rename),
 * so readers never see a half-written file and need no lock. Each replacement of `state.json` first keeps the
 * file it replaces as `state.json.bak` (a hard link: no copy, no extra space), the way back from a damaged file.
 * @module
 */
import { join } from "node:path";
import type { LocalState, SupervisorInfo } from "./_types.ts";
import { isOutOfSpace, type LocalDisk, realDisk, writeFailure } from "./_disk.ts";
import { EzBatchError } from "../errors.ts";
import { defaultInfrastructure } from "./registry.ts";
import { damagedStateError, parseState } from "./state_check.ts";

/** Where the state lives when no directory is given: `$EZBATCH_STATE_DIR`, else `$XDG_STATE_HOME/ezbatch/local`. */
export function defaultStateDir(): string {
  const explicit = Deno.env.get("EZBATCH_STATE_DIR");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_STATE_HOME") || join(Deno.env.get("HOME") ?? "/tmp", ".local", "state");
  return join(xdg, "ezbatch", "local");
}

/**
 * Writes `text` to `path` atomically: a temporary file in the same directory, then a rename. When the write fails
 * (a full disk) the temporary file is removed and `path` is left as it was. `beforeRename` runs between the two.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { disk?: LocalDisk; beforeRename?: () => Promise<void> } = {},
): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await (options.disk ?? realDisk).writeFile(tmp, new TextEncoder().encode(text), { mode: 0o600 });
    await options.beforeRename?.();
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/** Keeps the current `path` as `path.bak` (a hard link; skipped when there is none or links are not supported). */
async function keepBackup(path: string): Promise<void> {
  const tmp = `${path}.bak.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.link(path, tmp);
    await Deno.rename(tmp, `${path}.bak`);
  } catch {
    await Deno.remove(tmp).catch(() => {});
  }
}

const inProcessQueues = new Map<string, Promise<void>>();

/** Reads and writes one state directory. Cheap to create; every method re-reads the disk. */
export class StateStore {
  /** The state directory. */
  readonly dir: string;
  /** Where the writes go (the real disk unless a test simulates a full one). */
  readonly disk: LocalDisk;

  /** Opens (and creates when missing) the state directory `dir`, readable by its owner only (it holds job data). */
  constructor(dir: string, options: { disk?: LocalDisk } = {}) {
    this.dir = dir;
    this.disk = options.disk ?? realDisk;
    Deno.mkdirSync(join(dir, "logs"), { recursive: true, mode: 0o700 });
    Deno.mkdirSync(join(dir, "work"), { recursive: true, mode: 0o700 });
    if (Deno.build.os !== "windows") Deno.chmodSync(dir, 0o700);
  }

  /** Path of `state.json`. */
  get statePath(): string {
    return join(this.dir, "state.json");
  }

  /** Path of `supervisor.json`. */
  get supervisorPath(): string {
    return join(this.dir, "supervisor.json");
  }

  /**
   * Reads the state (an initial state with the default queue when there is none yet).
   * @throws {LocalStateError} when `state.json` is damaged (the message offers the backup).
   */
  async read(): Promise<LocalState> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.statePath);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return initialState();
      throw error;
    }
    const parsed = parseState(text);
    if ("state" in parsed) return parsed.state;
    throw await damagedStateError(this.statePath, parsed.problem);
  }

  /** Replaces `state.json` (callers hold the lock and have read the current file, so it is a good one). */
  async writeState(state: LocalState): Promise<void> {
    await this.#replaceState(JSON.stringify(state));
  }

  async #replaceState(text: string): Promise<void> {
    const path = this.statePath;
    try {
      await writeFileAtomic(path, text, { disk: this.disk, beforeRename: () => keepBackup(path) });
    } catch (error) {
      const what = writeFailure(`Cannot write the local state '${path}'`, error);
      const next = isOutOfSpace(error) ? "; free some space and try again" : "";
      throw new EzBatchError(`${what}. The file was left as it was${next}.`, { cause: error });
    }
  }

  /** Reads `supervisor.json`, or undefined when no supervisor ever ran here. */
  async readSupervisor(): Promise<SupervisorInfo | undefined> {
    try {
      const info = JSON.parse(await Deno.readTextFile(this.supervisorPath)) as SupervisorInfo | null;
      // A damaged file names no live supervisor: a new one may claim the directory.
      return typeof info?.pid === "number" && typeof info.heartbeatAt === "number" ? info : undefined;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  /** Replaces `supervisor.json` (callers hold the lock) or removes it when `info` is undefined. */
  async writeSupervisor(info: SupervisorInfo | undefined): Promise<void> {
    if (info) {
      return await writeFileAtomic(this.supervisorPath, JSON.stringify(info), { disk: this.disk }).catch((error) => {
        throw new EzBatchError(writeFailure(`Cannot write '${this.supervisorPath}'`, error), { cause: error });
      });
    }
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
        if (after !== before) await this.#replaceState(after);
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
    const file = await Deno.open(join(this.dir, "state.lock"), { create: true, write: true, mode: 0o600 });
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

/**
 * The supervisor's view of `state.json`: parsed again only when the file was replaced by another writer since this
 * reader last read or wrote it (every write is a rename: a new inode and mtime). Callers hold the lock.
 */
export class CachedState {
  #store: StateStore;
  #cache: { key: string; state: LocalState } | undefined;

  /** Caches the state of `store`. */
  constructor(store: StateStore) {
    this.#store = store;
  }

  /** The current state (the cached object when the file did not change). */
  async read(): Promise<LocalState> {
    const key = await this.#fileKey();
    if (this.#cache && key !== undefined && this.#cache.key === key) return this.#cache.state;
    const state = await this.#store.read();
    this.#cache = key === undefined ? undefined : { key, state };
    return state;
  }

  /** Writes `state` and keeps it as the cached copy. */
  async write(state: LocalState): Promise<void> {
    this.#cache = undefined;
    await this.#store.writeState(state);
    const key = await this.#fileKey();
    if (key !== undefined) this.#cache = { key, state };
  }

  /** Drops the cached copy (after an error left it half-changed). */
  forget(): void {
    this.#cache = undefined;
  }

  async #fileKey(): Promise<string | undefined> {
    try {
      const info = await Deno.stat(this.#store.statePath);
      return `${info.ino}:${info.mtime?.getTime()}:${info.size}`;
    } catch {
      return undefined;
    }
  }
}

/** A fresh state: the default compute environment and queue, no jobs. */
export function initialState(): LocalState {
  return { version: 1, definitions: [], jobs: {}, ...defaultInfrastructure() };
}
