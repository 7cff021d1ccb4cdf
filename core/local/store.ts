/**
 * The state directory of the local backend: `state.json` (definitions, queues, environments, jobs),
 * `supervisor.json` (who runs the queue), `logs/` (one JSON-lines file per log stream) and `work/` (one fresh
 * directory per attempt). Writers take an exclusive lock on `state.lock` (an advisory file lock, so two processes
 * never interleave read-modify-write cycles) and replace files atomically (write a temporary file, then rename),
 * so readers never see a half-written file and need no lock. Each replacement of `state.json` first keeps the
 * file it replaces as `state.json.bak` (a hard link: no copy, no extra space), the way back from a damaged file.
 * Changes are appended to `state.json.journal` (journal.ts) and folded into `state.json` once the journal is larger
 * than the file (and than 1 MiB), so a change costs what it changed and the folding, amortised, a constant.
 * @module
 */
import { join } from "node:path";
import type { LocalState, SupervisorInfo } from "./_types.ts";
import { type AppendFile, type LocalDisk, realDisk, writeFailure } from "./_disk.ts";
import { EzBatchError } from "../errors.ts";
import {
  fileKey,
  keepBackup,
  readJournal,
  readToEnd,
  stateWriteError,
  statSyncOr,
  writeFileAtomic,
} from "./_state_files.ts";
import { defaultInfrastructure } from "./registry.ts";
import { damagedStateError, LocalStateError, parseState } from "./state_check.ts";
import { applyPatch, diffPatch, encodePatch, parseJournal, printState, type StatePatch } from "./journal.ts";

/** The journal is folded into `state.json` once larger than this and than `state.json`. */
const COMPACT_AT = 1 << 20;

/** What a reader has applied: the `state.json` it read (inode, mtime and size) and the journal bytes after it. */
export interface StatePosition {
  /** Identity of the `state.json` read; undefined when there was none. */
  snapshot?: string;
  /** Its size in bytes. */
  snapshotSize: number;
  /** Journal bytes applied (the end of its last whole line). */
  journal: number;
}

/** Where the state lives when no directory is given: `$EZBATCH_STATE_DIR`, else `$XDG_STATE_HOME/ezbatch/local`. */
export function defaultStateDir(): string {
  const explicit = Deno.env.get("EZBATCH_STATE_DIR");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_STATE_HOME") || join(Deno.env.get("HOME") ?? "/tmp", ".local", "state");
  return join(xdg, "ezbatch", "local");
}

const inProcessQueues = new Map<string, Promise<void>>();

/** Reads and writes one state directory. Cheap to create; every method re-reads the disk. */
export class StateStore {
  /** The state directory. */
  readonly dir: string;
  /** Where the writes go (the real disk unless a test simulates a full one). */
  readonly disk: LocalDisk;
  #journal: { file: AppendFile; ino: number } | undefined;

  #keepJournalOpen: boolean;

  /**
   * Opens (and creates when missing) the state directory `dir`, readable by its owner only (it holds job data).
   * `keepJournalOpen` (the supervisor, which writes after every step) keeps the journal open until `close()`.
   */
  constructor(dir: string, options: { disk?: LocalDisk; keepJournalOpen?: boolean } = {}) {
    this.dir = dir;
    this.disk = options.disk ?? realDisk;
    this.#keepJournalOpen = options.keepJournalOpen ?? false;
    Deno.mkdirSync(join(dir, "logs"), { recursive: true, mode: 0o700 });
    Deno.mkdirSync(join(dir, "work"), { recursive: true, mode: 0o700 });
    if (Deno.build.os !== "windows") Deno.chmodSync(dir, 0o700);
  }

  /** Path of `state.json`. */
  get statePath(): string {
    return join(this.dir, "state.json");
  }

  /** Path of `state.json.journal`. */
  get journalPath(): string {
    return join(this.dir, "state.json.journal");
  }

  /** Path of `supervisor.json`. */
  get supervisorPath(): string {
    return join(this.dir, "supervisor.json");
  }

  /**
   * Reads the state (an initial state with the default queue when there is none yet).
   * @throws {LocalStateError} when `state.json` or its journal is damaged (the message says what to do).
   */
  async read(): Promise<LocalState> {
    return (await this.readAt()).state;
  }

  /** Reads the state and where it was read up to (see `StatePosition`). */
  async readAt(): Promise<{ state: LocalState; position: StatePosition }> {
    // Readers take no lock: a compaction between reading state.json and its journal would replay old lines on a
    // newer file, so read again when state.json was replaced meanwhile.
    for (let attempt = 0;; attempt++) {
      const read = await this.#readSnapshot();
      const position: StatePosition = {
        snapshotSize: read.size,
        journal: 0,
        ...(read.key ? { snapshot: read.key } : {}),
      };
      const state = read.state;
      this.#replay(state, position);
      const now = statSyncOr(this.statePath, fileKey, undefined);
      if (now === read.key || attempt >= 5) return { state, position };
    }
  }

  async #readSnapshot(): Promise<{ state: LocalState; key?: string; size: number }> {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(this.statePath, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return { state: initialState(), size: 0 };
      throw error;
    }
    let info: Deno.FileInfo;
    let text: string;
    try {
      info = file.statSync();
      text = new TextDecoder().decode(readToEnd(file, 0, info.size));
    } finally {
      file.close();
    }
    const parsed = parseState(text);
    if (!("state" in parsed)) throw await damagedStateError(this.statePath, parsed.problem);
    return { state: parsed.state, key: fileKey(info), size: info.size };
  }

  /** Applies the journal after `position` to `state`, moving `position` past what it applied. */
  #replay(state: LocalState, position: StatePosition): void {
    const bytes = readJournal(this.journalPath, position.journal);
    if (bytes.length === 0) return;
    const { patches, end, problem } = parseJournal(bytes, position.journal);
    if (problem) {
      throw new LocalStateError(
        this.journalPath,
        `The local state journal '${this.journalPath}' is damaged: ${problem}. Nothing was changed. Move it away ` +
          `(mv '${this.journalPath}' '${this.journalPath}.damaged') to go back to the state of '${this.statePath}' ` +
          `(the changes recorded since are lost).`,
      );
    }
    for (const patch of patches) applyPatch(state, patch);
    position.journal = end;
  }

  /** Replaces `state.json` with all of `state` and empties the journal (callers hold the lock). */
  async writeState(state: LocalState): Promise<void> {
    await this.#replaceState(JSON.stringify(state));
    // state.json now holds every line of the journal; if this is cut short the lines replay to the same state.
    await Deno.truncate(this.journalPath, 0).catch(() => {});
  }

  /** Folds the journal into `state.json` now (the store does it by itself once the journal is large). */
  async compact(): Promise<void> {
    await this.withLock(async () => await this.writeState(await this.read()));
  }

  async #replaceState(text: string): Promise<void> {
    const path = this.statePath;
    try {
      await writeFileAtomic(path, text, { disk: this.disk, beforeRename: () => keepBackup(path) });
    } catch (error) {
      throw stateWriteError(path, error);
    }
  }

  /**
   * Records `patch` (the change that made `state`) for a writer holding the lock that read up to `position`:
   * appended to the journal, or the whole state written when there is no `state.json` yet or the journal has
   * grown past it. Returns the new position. Throws, leaving the files as they were, when nothing was recorded.
   */
  async commit(state: LocalState, patch: StatePatch, position: StatePosition): Promise<StatePosition> {
    if (position.snapshot === undefined) return await this.#writeAll(state);
    const path = this.journalPath;
    const bytes = encodePatch(patch);
    try {
      // A line cut short by a crash or a full disk is cut off, so the new line starts on a line of its own.
      const info = statSyncOr(path, (i) => i, undefined);
      if ((info?.size ?? 0) !== position.journal) Deno.truncateSync(path, position.journal);
      const file = await this.#journalFile(info?.ino ?? undefined);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
    } catch (error) {
      this.#closeJournal();
      await Deno.truncate(path, position.journal).catch(() => {});
      throw stateWriteError(this.statePath, error);
    }
    if (!this.#keepJournalOpen) this.#closeJournal();
    const next = { ...position, journal: position.journal + bytes.length };
    if (next.journal <= Math.max(COMPACT_AT, position.snapshotSize)) return next;
    // The change is in the journal: a fold that fails (a full disk) is tried again after a later change.
    return await this.#writeAll(state).catch(() => next);
  }

  /**
   * The journal opened for appending, kept open between writes of this store (the supervisor writes after each
   * step); opened again when the file at the path is another one (moved away, or created since).
   */
  async #journalFile(ino: number | undefined): Promise<AppendFile> {
    if (this.#journal && ino !== undefined && this.#journal.ino === ino) return this.#journal.file;
    this.#closeJournal();
    const file = await this.disk.openAppend(this.journalPath, 0o600);
    const opened = statSyncOr(this.journalPath, (i) => i.ino ?? undefined, undefined);
    if (opened !== undefined) this.#journal = { file, ino: opened };
    else queueMicrotask(() => file.close());
    return file;
  }

  /** Closes the journal kept open (`keepJournalOpen`). */
  close(): void {
    this.#closeJournal();
  }

  #closeJournal(): void {
    try {
      this.#journal?.file.close();
    } catch { /* closed already */ }
    this.#journal = undefined;
  }

  async #writeAll(state: LocalState): Promise<StatePosition> {
    await this.writeState(state);
    const info = Deno.statSync(this.statePath);
    return { snapshot: fileKey(info), snapshotSize: info.size, journal: 0 };
  }

  /** Reads `supervisor.json`, or undefined when no supervisor ever ran here. */
  readSupervisor(): Promise<SupervisorInfo | undefined> {
    try {
      const info = JSON.parse(Deno.readTextFileSync(this.supervisorPath)) as SupervisorInfo | null;
      // A damaged file names no live supervisor: a new one may claim the directory.
      return Promise.resolve(typeof info?.pid === "number" && typeof info.heartbeatAt === "number" ? info : undefined);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return Promise.resolve(undefined);
      return Promise.reject(error);
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
   * Runs `fn` with the lock held on a fresh copy of the state and records what `fn` changed. Returns what `fn`
   * returned. With `write: false` the state is only read under the lock.
   */
  async update<T>(fn: (state: LocalState) => T | Promise<T>, options: { write?: boolean } = {}): Promise<T> {
    return await this.withLock(async () => {
      const { state, position } = await this.readAt();
      const before = options.write === false ? undefined : printState(state);
      const result = await fn(state);
      const patch = before && diffPatch(before, state);
      if (patch) await this.commit(state, patch, position);
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
    // Synchronous open and first try: the lock is taken for every tick of the supervisor, and an async file
    // operation costs a round trip through Deno's thread pool (milliseconds on a loaded machine).
    // A lock file that cannot be opened (the directory was removed) must still release the in-process queue: every
    // later call of this process waited on it forever (a daemon whose directory a test removed hung, deaf to SIGTERM).
    let file: Deno.FsFile | undefined;
    try {
      file = Deno.openSync(join(this.dir, "state.lock"), { create: true, write: true, mode: 0o600 });
      let delay = 2;
      while (!file.tryLockSync(true)) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 50);
      }
      return await fn();
    } finally {
      file?.close();
      release();
      if (inProcessQueues.get(this.dir) === tail) inProcessQueues.delete(this.dir);
    }
  }
}

/** A fresh state: the default compute environment and queue, no jobs. */
export function initialState(): LocalState {
  return { version: 1, definitions: [], jobs: {}, ...defaultInfrastructure() };
}
