/**
 * The writes of the local backend's state directory, behind one small interface so a test can make the disk full
 * (ENOSPC) at the exact write it wants, without root or a tiny file system. Private to core/local.
 * @module
 */

/** A file opened for appending. */
export interface AppendFile {
  /** Writes some of `bytes`; returns how many were written (throws on ENOSPC like `Deno.FsFile.write`). */
  write(bytes: Uint8Array): Promise<number>;
  /** Closes the file. */
  close(): void;
}

/** The writes the state directory needs. */
export interface LocalDisk {
  /** Creates or truncates `path` and writes `data` (mode applies on creation). */
  writeFile(path: string, data: Uint8Array, options: { mode: number }): Promise<void>;
  /** Opens `path` for appending, creating it with `mode`. */
  openAppend(path: string, mode: number): Promise<AppendFile>;
}

/** Runs `fn` now; its result or error as a promise. */
function now<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The real disk. Appends are synchronous calls behind the promise: a log line or a journal line is microseconds of
 * system call, while an asynchronous file operation costs a round trip through Deno's thread pool (about 0.3-0.9 ms
 * of the supervisor's thread each on a loaded 2-core machine, measured by CPU profile, a few per job).
 */
export const realDisk: LocalDisk = {
  writeFile: (path, data, options) => Deno.writeFile(path, data, { mode: options.mode }),
  openAppend: (path, mode) =>
    now(() => {
      const file = Deno.openSync(path, { create: true, append: true, mode });
      return { write: (bytes: Uint8Array) => now(() => file.writeSync(bytes)), close: () => file.close() };
    }),
};

/** True for "no space left on device" and "disk quota exceeded". */
export function isOutOfSpace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT" ||
    (error instanceof Error && /No space left on device|Disk quota exceeded/i.test(error.message));
}

/** `What failed: the system's message`, saying plainly when the disk is full. */
export function writeFailure(what: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return isOutOfSpace(error) ? `${what}: the disk is full (${message})` : `${what}: ${message}`;
}
