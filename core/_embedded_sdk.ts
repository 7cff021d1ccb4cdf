/**
 * The AWS SDK carried by the single-file bundle (scripts/bundle.ts), unpacked on first use. The bundle holds it as a
 * gzipped, base64 string of CommonJS; unpacking and compiling 6 MB on every command cost about 0.3 s, so the first
 * command that talks to AWS writes the unpacked file once to a per-user cache, named by its content hash
 * (`$XDG_CACHE_HOME/ezbatch`, else `~/.cache/ezbatch`), and every command `require()`s it from there, where Deno's
 * code cache applies. Where the cache cannot be read or written (read-only HOME, no permission, a locked-down CI
 * runner) the SDK is evaluated from memory as before. The file is written to a temporary name and renamed into
 * place, so two commands writing it at once both leave a whole file; before use its size and the trailer that ends
 * it (the hash) are checked, so a truncated or foreign file is replaced rather than run.
 * @module
 */
import { createRequire } from "node:module";

/** What scripts/bundle.ts puts under `Symbol.for("ezbatch.embeddedSdk")`. */
export interface PackedSdk {
  /** The CommonJS source, gzipped then base64. */
  packed: string;
  /** SHA-256 of the source without its trailer, hex: names the cache file. */
  hash: string;
  /** Byte length of the unpacked source, trailer included. */
  size: number;
}

/** Where the SDK came from: the cache file, a cache file this call wrote, or memory (no usable cache). */
export type SdkOrigin = "cache" | "written" | "memory";

/** Options of {@linkcode loadPackedSdk}. */
export interface LoadPackedSdkOptions {
  /** The cache directory; default {@linkcode sdkCacheDir} of the process environment, undefined for no cache. */
  cacheDir?: string | undefined;
}

/** The last line of the unpacked source: a file that does not end with it is incomplete or another one. */
export function sdkTrailer(hash: string): string {
  return `\n//# ezbatch-sdk ${hash}\n`;
}

/** Packs CommonJS `code` as scripts/bundle.ts embeds it: trailer appended, gzipped, base64. */
export async function packSdk(code: string): Promise<PackedSdk> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
  const hash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const source = new TextEncoder().encode(code + sdkTrailer(hash));
  const gzipped = await new Response(new Blob([source]).stream().pipeThrough(new CompressionStream("gzip"))).bytes();
  let binary = "";
  for (let i = 0; i < gzipped.length; i += 0x8000) binary += String.fromCharCode(...gzipped.subarray(i, i + 0x8000));
  return { hash, size: source.length, packed: btoa(binary) };
}

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

const env = (name: string) => granted({ name: "env", variable: name }) ? Deno.env.get(name) || undefined : undefined;

/**
 * The per-user cache directory of ezbatch: `$XDG_CACHE_HOME/ezbatch`, else `$HOME/.cache/ezbatch` (`%LOCALAPPDATA%`
 * on Windows); undefined when none is known or readable and writable without asking (no permission prompt).
 */
export function sdkCacheDir(): string | undefined {
  const xdg = env("XDG_CACHE_HOME");
  const home = env("HOME");
  const base = xdg ?? (Deno.build.os === "windows" ? env("LOCALAPPDATA") : home ? `${home}/.cache` : undefined);
  if (!base) return undefined;
  const dir = `${base}/ezbatch`;
  return granted({ name: "read", path: dir }) && granted({ name: "write", path: dir }) ? dir : undefined;
}

function decode(base64: string): Uint8Array {
  const from = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (from) return from(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function unpack(sdk: PackedSdk): Promise<Uint8Array> {
  const gzipped = new Blob([decode(sdk.packed) as Uint8Array<ArrayBuffer>]).stream();
  return await new Response(gzipped.pipeThrough(new DecompressionStream("gzip"))).bytes();
}

/** Whether `file` is the whole cache file of `sdk`: its size, and the trailer it ends with. */
function isWhole(file: string, sdk: PackedSdk): boolean {
  let handle: Deno.FsFile | undefined;
  try {
    handle = Deno.openSync(file, { read: true });
    if (handle.statSync().size !== sdk.size) return false;
    const trailer = new TextEncoder().encode(sdkTrailer(sdk.hash));
    handle.seekSync(sdk.size - trailer.length, Deno.SeekMode.Start);
    const tail = new Uint8Array(trailer.length);
    let read = 0;
    while (read < tail.length) {
      const n = handle.readSync(tail.subarray(read));
      if (n === null) return false;
      read += n;
    }
    return tail.every((byte, i) => byte === trailer[i]);
  } catch {
    return false;
  } finally {
    handle?.close();
  }
}

/** Writes `bytes` to `file` through a temporary file renamed into place; false when the directory refuses. */
function writeWhole(dir: string, file: string, bytes: Uint8Array): boolean {
  const temp = `${file}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeFileSync(temp, bytes, { mode: 0o644 });
    Deno.renameSync(temp, file);
    return true;
  } catch {
    try {
      Deno.removeSync(temp);
    } catch { /* never written */ }
    return false;
  }
}

/** Removes the files of other SDK versions and temporary files older than an hour (best effort). */
function prune(dir: string, keep: string): void {
  try {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (!entry.isFile || !entry.name.startsWith("sdk-") || path === keep) continue;
      const stale = entry.name.endsWith(".tmp")
        ? Date.now() - (Deno.statSync(path).mtime?.getTime() ?? 0) > 3_600_000
        : entry.name.endsWith(".cjs");
      if (stale) Deno.removeSync(path);
    }
  } catch { /* another process pruned it, or the directory is not ours to clean */ }
}

function evaluate(source: Uint8Array): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function("require", "module", "exports", new TextDecoder().decode(source))(
    createRequire(import.meta.url),
    module,
    module.exports,
  );
  return module.exports;
}

/**
 * Loads the SDK the bundle carries: from its cache file when that is whole, else unpacked and written there first,
 * else (no cache directory, or it refuses the file) evaluated from memory. Returns its exports and where they came
 * from.
 */
export async function loadPackedSdk(
  sdk: PackedSdk,
  options: LoadPackedSdkOptions = {},
): Promise<{ exports: Record<string, unknown>; origin: SdkOrigin }> {
  const dir = "cacheDir" in options ? options.cacheDir : sdkCacheDir();
  const file = dir ? `${dir}/sdk-${sdk.hash.slice(0, 32)}.cjs` : undefined;
  const require = createRequire(import.meta.url);
  if (file && isWhole(file, sdk)) {
    try {
      return { exports: require(file), origin: "cache" };
    } catch { /* unreadable after all: unpack it again below */ }
  }
  const source = await unpack(sdk);
  if (dir && file && writeWhole(dir, file, source)) {
    prune(dir, file);
    try {
      return { exports: require(file), origin: "written" };
    } catch { /* e.g. a directory mounted noexec for reading: fall back to memory */ }
  }
  return { exports: evaluate(source), origin: "memory" };
}
