/**
 * `deno task bundle`: one JavaScript file, `dist/ezbatch.js` (or the path given), that runs every command with an
 * empty DENO_DIR and no route to a package registry. It is the bundle of main.ts with the AWS SDK carried inside
 * as a string: the CommonJS bundle of scripts/_sdk_loaders.ts, run the first time a command talks to AWS
 * (core/deps.ts finds it under `Symbol.for("ezbatch.embeddedSdk")`). As a string the SDK costs start-up little
 * (as code, V8 would scan its 6 MB on every run, `--help` included), and its loaders evaluate only the clients a
 * command uses.
 * @module
 */
import { dirname } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const out = Deno.args[0] ?? `${root}dist/ezbatch.js`;

async function bundle(entry: string, file: string, flags: string[] = []): Promise<string> {
  const built = await new Deno.Command(Deno.execPath(), {
    // The gate's pinned versions (deno.json turns the lockfile off for running ezbatch, not for building it).
    args: ["bundle", "--lock=deno.lock", "--platform=deno", ...flags, "-o", file, entry],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!built.success) throw new Error(`deno bundle ${entry} failed`);
  return await Deno.readTextFile(file);
}

const tmp = await Deno.makeTempDir({ prefix: "ezbatch-bundle-" });
try {
  const main = await bundle("main.ts", `${tmp}/main.js`);
  // CommonJS, run by new Function on first use: no module loader involved, so nothing is prepared at start-up
  // (an ES module, even from a data: URL, is parsed and analysed by Deno's loader, seconds for these 6 MB).
  const sdk = await bundle("scripts/_sdk_loaders.ts", `${tmp}/sdk.cjs`, ["--format=cjs"]);
  // gzip + base64: a 6 MB string literal still cost every start about 50 ms (measured), 1.3 MB costs little.
  const gzipped = await new Response(new Blob([sdk]).stream().pipeThrough(new CompressionStream("gzip"))).bytes();
  let binary = "";
  for (let i = 0; i < gzipped.length; i += 0x8000) binary += String.fromCharCode(...gzipped.subarray(i, i + 0x8000));
  const prelude = `// ezbatch: the AWS SDK (gzip, base64), evaluated on first use (scripts/bundle.ts).
import { createRequire as __ezbatchCreateRequire } from "node:module";
globalThis[Symbol.for("ezbatch.embeddedSdk")] = (() => {
  let loaded;
  const packed = "${btoa(binary)}";
  return () => loaded ??= (async () => {
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const source = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
    const module = { exports: {} };
    new Function("require", "module", "exports", source)(__ezbatchCreateRequire(import.meta.url), module, module.exports);
    return module.exports;
  })();
})();
`;
  await Deno.mkdir(dirname(out), { recursive: true });
  await Deno.writeTextFile(out, prelude + main);
  console.log(`${out}: ${((prelude.length + main.length) / 2 ** 20).toFixed(1)} MiB`);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
