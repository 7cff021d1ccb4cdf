/**
 * Reading text with a size limit: a stream is read chunk by chunk and abandoned as soon as it passes the limit, so
 * `/dev/zero`, an endless pipe or a huge file costs at most the limit in memory and time.
 * @module
 */

/** Largest workflow file ezbatch reads: 4 MiB (a workflow of 10,000 jobs takes well under 2 MiB). */
export const MAX_WORKFLOW_BYTES = 4 * 1024 * 1024;

/**
 * The text of `stream` decoded as UTF-8, or undefined when it holds more than `limit` bytes (the stream is then
 * cancelled: nothing past the limit is read).
 */
export async function readTextLimited(
  stream: ReadableStream<Uint8Array>,
  limit: number = MAX_WORKFLOW_BYTES,
): Promise<string | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** The message for an input over the limit; `what` names it, e.g. `The workflow file`. */
export function tooLargeMessage(what: string, limit: number = MAX_WORKFLOW_BYTES): string {
  return `${what} is larger than ${limit / 1024 / 1024} MiB, the most ezbatch reads: ` +
    "check that this is the right file";
}

/**
 * Reads a text file of at most `limit` bytes without ever reading past the limit (works for devices and FIFOs).
 * Returns undefined when the file is larger. Throws what `Deno.open` and reading throw (NotFound, IsADirectory...).
 */
export async function readTextFileLimited(
  path: string,
  limit: number = MAX_WORKFLOW_BYTES,
): Promise<string | undefined> {
  const file = await Deno.open(path, { read: true });
  return await readTextLimited(file.readable, limit); // the stream closes the file when done or cancelled
}
