/**
 * The bundle's SDK cache (core/_embedded_sdk.ts): written once, then loaded from the file; a truncated or foreign
 * file is replaced; no cache or a refused one falls back to memory; processes racing to write it all succeed.
 * A small CommonJS module stands in for the 6 MB SDK.
 */
import assert from "node:assert/strict";
import { loadPackedSdk, packSdk, sdkCacheDir, sdkTrailer } from "../../core/_embedded_sdk.ts";

const MODULE = new URL("../../core/_embedded_sdk.ts", import.meta.url).href;
/** Deno's own cache for the child processes, whose HOME and XDG_CACHE_HOME are made up. */
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

/** A stand-in SDK whose loader returns `tag` and uses a require()d built-in, as the real one does. */
const fakeSdk = (tag: string) =>
  packSdk(
    `const path = require("node:path");\nmodule.exports = { batch: async () => ({ tag: ${
      JSON.stringify(tag)
    }, sep: path.sep }) };\n`,
  );

const cacheFile = (dir: string, hash: string) => `${dir}/sdk-${hash.slice(0, 32)}.cjs`;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-sdk-cache-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the first load writes the cache file named by the hash, the next one loads it", async () => {
  await withDir(async (dir) => {
    const sdk = await fakeSdk("first");
    const cacheDir = `${dir}/ezbatch`;
    const first = await loadPackedSdk(sdk, { cacheDir });
    assert.equal(first.origin, "written");
    assert.deepEqual(await (first.exports.batch as () => Promise<unknown>)(), { tag: "first", sep: "/" });
    const file = cacheFile(cacheDir, sdk.hash);
    const written = await Deno.readTextFile(file);
    assert.equal(new TextEncoder().encode(written).length, sdk.size);
    assert.ok(written.endsWith(sdkTrailer(sdk.hash)));
    const { ino, mtime } = await Deno.stat(file);
    const second = await loadPackedSdk(sdk, { cacheDir });
    assert.equal(second.origin, "cache");
    assert.deepEqual(await (second.exports.batch as () => Promise<unknown>)(), { tag: "first", sep: "/" });
    const again = await Deno.stat(file);
    assert.deepEqual([again.ino, again.mtime], [ino, mtime], "not rewritten");
    assert.deepEqual([...Deno.readDirSync(cacheDir)].map((e) => e.name), [file.slice(cacheDir.length + 1)]);
  });
});

Deno.test("a truncated, padded or foreign cache file is replaced, never run", async () => {
  await withDir(async (dir) => {
    for (const [i, damage] of ["truncate", "pad", "foreign"].entries()) {
      const sdk = await fakeSdk(`damaged-${i}`);
      const file = cacheFile(dir, sdk.hash);
      await loadPackedSdk(sdk, { cacheDir: dir });
      const whole = await Deno.readTextFile(file);
      if (damage === "truncate") await Deno.writeTextFile(file, whole.slice(0, whole.length - 10));
      if (damage === "pad") await Deno.writeTextFile(file, whole + "\n");
      // The same size, but not ending with the trailer: e.g. zeros left by a crash before the data reached the disk.
      if (damage === "foreign") await Deno.writeFile(file, new Uint8Array(sdk.size));
      const loaded = await loadPackedSdk(sdk, { cacheDir: dir });
      assert.equal(loaded.origin, "written", damage);
      assert.equal(await Deno.readTextFile(file), whole, damage);
    }
  });
});

Deno.test("files of other SDK versions are removed when a new one is written", async () => {
  await withDir(async (dir) => {
    const old = await fakeSdk("old");
    await loadPackedSdk(old, { cacheDir: dir });
    await Deno.writeTextFile(`${dir}/unrelated.txt`, "kept");
    const sdk = await fakeSdk("new");
    await loadPackedSdk(sdk, { cacheDir: dir });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, [cacheFile(dir, sdk.hash).slice(dir.length + 1), "unrelated.txt"].sort());
  });
});

Deno.test("without a usable cache directory the SDK is evaluated from memory", async () => {
  await withDir(async (dir) => {
    const sdk = await fakeSdk("memory");
    const none = await loadPackedSdk(sdk, { cacheDir: undefined });
    assert.equal(none.origin, "memory");
    assert.deepEqual(await (none.exports.batch as () => Promise<unknown>)(), { tag: "memory", sep: "/" });
    // A "directory" below a file cannot be created (ENOTDIR), as a read-only HOME refuses it (EROFS).
    await Deno.writeTextFile(`${dir}/file`, "");
    const refused = await loadPackedSdk(sdk, { cacheDir: `${dir}/file/ezbatch` });
    assert.equal(refused.origin, "memory");
    assert.deepEqual(await (refused.exports.batch as () => Promise<unknown>)(), { tag: "memory", sep: "/" });
  });
});

/** Runs `code` as a module in a new process with `flags` (permissions) and only `env`; returns its stdout. */
async function evalIn(code: string, flags: string[], env: Record<string, string>) {
  const file = await Deno.makeTempFile({ prefix: "ezbatch-sdk-cache-", suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, code);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--no-lock", ...flags, file],
      env: { PATH: Deno.env.get("PATH") ?? "", DENO_DIR, ...env },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    assert.equal(out.code, 0, text.decode(out.stderr));
    return text.decode(out.stdout).trim();
  } finally {
    await Deno.remove(file);
  }
}

Deno.test("the cache directory: XDG_CACHE_HOME, else ~/.cache; none without permission (no prompt)", async () => {
  const print = `import { sdkCacheDir } from "${MODULE}"; console.log(String(sdkCacheDir()));`;
  assert.equal(await evalIn(print, ["-A"], { HOME: "/h", XDG_CACHE_HOME: "/x" }), "/x/ezbatch");
  assert.equal(await evalIn(print, ["-A"], { HOME: "/h" }), "/h/.cache/ezbatch");
  assert.equal(await evalIn(print, ["-A"], {}), "undefined");
  // Not granted: no cache, and no prompt (stdin is closed; a prompt would fail the run).
  assert.equal(await evalIn(print, ["--allow-read", "--allow-env"], { HOME: "/h" }), "undefined");
  assert.equal(await evalIn(print, ["-A", "--deny-write=/h"], { HOME: "/h" }), "undefined");
  assert.equal(await evalIn(print, ["-A", "--deny-env=HOME"], { HOME: "/h" }), "undefined");
  // Called in this process (all permissions), it agrees with the environment.
  const home = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`;
  assert.equal(sdkCacheDir(), `${home}/ezbatch`);
});

Deno.test("processes racing to write the cache all load the SDK and leave one whole file", async () => {
  await withDir(async (dir) => {
    const sdk = await fakeSdk("race");
    await Deno.writeTextFile(`${dir}/sdk.json`, JSON.stringify(sdk));
    const code = `import { loadPackedSdk } from "${MODULE}";
const sdk = JSON.parse(Deno.readTextFileSync("${dir}/sdk.json"));
const { exports, origin } = await loadPackedSdk(sdk, { cacheDir: "${dir}/cache" });
console.log(origin, (await exports.batch()).tag);`;
    const outs = await Promise.all(Array.from({ length: 6 }, () => evalIn(code, ["-A"], {})));
    for (const out of outs) assert.match(out, /^(written|cache) race$/);
    const names = [...Deno.readDirSync(`${dir}/cache`)].map((e) => e.name);
    assert.deepEqual(names, [cacheFile(`${dir}/cache`, sdk.hash).slice(dir.length + 7)], "no temporary file left");
    assert.equal((await Deno.stat(`${dir}/cache/${names[0]}`)).size, sdk.size);
  });
});
