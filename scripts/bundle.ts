/**
 * `deno task bundle`: one JavaScript file, `dist/ezbatch.js` (or the path given), that runs every command with an
 * empty DENO_DIR and no route to a package registry. It is the bundle of main.ts with the AWS SDK carried inside
 * as a string: the CommonJS bundle of scripts/_sdk_loaders.ts, unpacked the first time a command talks to AWS
 * (core/deps.ts finds it under `Symbol.for("ezbatch.embeddedSdk")`) into a per-user cache file that later commands
 * load with Deno's code cache (core/_embedded_sdk.ts). As a string the SDK costs start-up little (as code, V8 would
 * scan its 6 MB on every run, `--help` included), and its loaders evaluate only the clients a command uses.
 * @module
 */
import { dirname } from "node:path";
import { packSdk } from "../core/_embedded_sdk.ts";

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
  const main = await bundle("scripts/_bundle_main.ts", `${tmp}/main.js`);
  // CommonJS, loaded by require() (or new Function) on first use: no ES module loader involved, so nothing is
  // prepared at start-up (an ES module, even from a data: URL or a file, is parsed and analysed by Deno's loader:
  // 0.4 s to seconds for these 6 MB, measured).
  const code = await bundle("scripts/_sdk_loaders.ts", `${tmp}/sdk.cjs`, ["--format=cjs"]);
  // gzip + base64: a 6 MB string literal still cost every start about 50 ms (measured), 1.3 MB costs little. Named
  // by its hash and ending with a trailer that names it again: core/_embedded_sdk.ts writes it to a per-user cache
  // file of that name and checks size and trailer before using it.
  const sdk = await packSdk(code);
  const prelude = `// ezbatch: the AWS SDK (CommonJS, gzip, base64), unpacked on first use by core/_embedded_sdk.ts.
globalThis[Symbol.for("ezbatch.embeddedSdk")] = ${JSON.stringify(sdk)};
`;
  await Deno.mkdir(dirname(out), { recursive: true });
  await Deno.writeTextFile(out, prelude + main);
  console.log(`${out}: ${((prelude.length + main.length) / 2 ** 20).toFixed(1)} MiB`);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
