/**
 * The file operations under the local state (private to core/local): stat without a thread-pool round trip, the
 * identity of a `state.json` read, reading the journal from an offset, atomic replacement with a backup, and the
 * message of a state write that failed.
 * @module
 */
import { EzBatchError } from "../errors.ts";
import { isOutOfSpace, type LocalDisk, realDisk, writeFailure } from "./_disk.ts";

/** `pick` of the file's stat, or `missing`; synchronous (a stat is microseconds, a thread-pool round trip more). */
export function statSyncOr<T>(path: string, pick: (info: Deno.FileInfo) => T, missing: T): T {
  try {
    return pick(Deno.statSync(path));
  } catch {
    return missing;
  }
}

/** The identity of a file as read: inode, mtime and size. */
export function fileKey(info: Deno.FileInfo): string {
  return `${info.ino}:${info.mtime?.getTime()}:${info.size}`;
}

/**
 * The bytes of an open file from offset `from` to its end. Synchronous, like the other reads of the state: a read
 * of the local disk is microseconds of system calls, and each asynchronous file operation a round trip through
 * Deno's thread pool (0.3 ms or more of waiting on a loaded machine, several per read of the state).
 */
export function readToEnd(file: Deno.FsFile, from = 0, sizeHint = 0): Uint8Array {
  if (from > 0) file.seekSync(from, Deno.SeekMode.Start);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let buffer = new Uint8Array(Math.max(sizeHint - from + 1, 64 * 1024));
  while (true) {
    const n = file.readSync(buffer);
    if (n === null) break;
    chunks.push(buffer.subarray(0, n));
    total += n;
    if (n === buffer.length) buffer = new Uint8Array(buffer.length * 2);
    else buffer = buffer.subarray(n);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) (out.set(chunk, at), at += chunk.length);
  return out;
}

/** The bytes of the journal at `path` from offset `from` (none when there is no journal). */
export function readJournal(path: string, from: number): Uint8Array {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return new Uint8Array();
    throw error;
  }
  try {
    return readToEnd(file, from);
  } finally {
    file.close();
  }
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
export async function keepBackup(path: string): Promise<void> {
  const tmp = `${path}.bak.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.link(path, tmp);
    await Deno.rename(tmp, `${path}.bak`);
  } catch {
    await Deno.remove(tmp).catch(() => {});
  }
}

/** The error of a write of the state that failed, saying the file was left as it was. */
export function stateWriteError(path: string, error: unknown): EzBatchError {
  const what = writeFailure(`Cannot write the local state '${path}'`, error);
  const next = isOutOfSpace(error) ? "; free some space and try again" : "";
  return new EzBatchError(`${what}. The file was left as it was${next}.`, { cause: error });
}
