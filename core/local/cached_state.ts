/**
 * The supervisor's cached view of the local state (store.ts): kept in memory between its steps and brought up to
 * date from the journal lines other writers appended.
 * @module
 */
import type { LocalState } from "./_types.ts";
import { applyPatch, parseJournal, patchOf } from "./journal.ts";
import { fileKey, readJournal, statSyncOr } from "./_state_files.ts";
import type { StatePosition, StateStore } from "./store.ts";

/**
 * The supervisor's view of the state: kept in memory, brought up to date from the journal lines other writers
 * appended since (read from where it stopped), and parsed again only when `state.json` was replaced by another
 * writer. Its own changes are appended as patches of the jobs it names. Callers hold the lock.
 */
export class CachedState {
  #store: StateStore;
  #cache: { position: StatePosition; state: LocalState } | undefined;
  #live = new Set<string>();
  #changed = true;

  /** Caches the state of `store`. */
  constructor(store: StateStore) {
    this.#store = store;
  }

  /** The current state (the cached object, brought up to date). */
  async read(): Promise<LocalState> {
    const cache = this.#cache;
    const key = statSyncOr(this.#store.statePath, fileKey, undefined);
    if (cache && key !== undefined && key === cache.position.snapshot) {
      const size = statSyncOr(this.#store.journalPath, (i) => i.size, 0);
      if (size === cache.position.journal) return cache.state;
      if (size > cache.position.journal) {
        const bytes = readJournal(this.#store.journalPath, cache.position.journal);
        const { patches, end, problem } = parseJournal(bytes, cache.position.journal);
        if (!problem) {
          for (const patch of patches) applyPatch(cache.state, patch);
          cache.position.journal = end;
          this.#changed = true;
          for (const patch of patches) this.#track(cache.state, Object.keys(patch.jobs ?? {}));
          return cache.state;
        }
      }
    }
    this.#cache = undefined;
    this.#changed = true;
    const fresh = await this.#store.readAt();
    this.#cache = fresh;
    this.#live = new Set();
    this.#track(fresh.state, Object.keys(fresh.state.jobs));
    return fresh.state;
  }

  /**
   * Whether `read` brought in changes of other writers (or read the state afresh) since the last call: the
   * supervisor's own writes do not count.
   */
  takeChanged(): boolean {
    const changed = this.#changed;
    this.#changed = false;
    return changed;
  }

  /** Ids of the jobs of the cached state not yet SUCCEEDED or FAILED (kept up to date by `read` and `write`). */
  get live(): ReadonlySet<string> {
    return this.#live;
  }

  #track(state: LocalState, ids: Iterable<string>): void {
    for (const id of ids) {
      const status = state.jobs[id]?.status;
      if (status === undefined || status === "SUCCEEDED" || status === "FAILED") this.#live.delete(id);
      else this.#live.add(id);
    }
  }

  /** Records the current records of the jobs `ids` of `state` (the cached object). */
  async write(state: LocalState, ids: Iterable<string>): Promise<void> {
    const position = this.#cache?.state === state ? this.#cache.position : undefined;
    this.#cache = undefined;
    const list = [...ids];
    const next = position
      ? await this.#store.commit(state, patchOf(state, list), position)
      : await this.#writeWhole(state);
    this.#cache = { position: next, state };
    if (position) this.#track(state, list);
    else (this.#live = new Set(), this.#track(state, Object.keys(state.jobs)));
  }

  async #writeWhole(state: LocalState): Promise<StatePosition> {
    await this.#store.writeState(state);
    const info = Deno.statSync(this.#store.statePath);
    return { snapshot: fileKey(info), snapshotSize: info.size, journal: 0 };
  }

  /** Drops the cached copy (after an error left it half-changed). */
  forget(): void {
    this.#cache = undefined;
  }
}
