/**
 * `deno task compile` (scripts/compile.ts) run against a fake `deno` that fails as deno compile does without
 * internet, or otherwise: the first gets the offline advice instead of the raw DNS error and backtrace, anything
 * else passes through. And the offline recipe of docs/distribution.md uses the task's own flags.
 */
import assert from "node:assert/strict";
import { compile, COMPILE_ARGS } from "../../scripts/compile.ts";

const DNS_FAILURE = `\x1b[0m\x1b[32mCheck\x1b[0m main.ts
\x1b[0m\x1b[32mCompile\x1b[0m main.ts to file:///x/dist/ezbatch
\x1b[0m\x1b[32mDownload\x1b[0m https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
\x1b[0m\x1b[1m\x1b[31merror\x1b[0m: Writing deno compile executable to temporary file '/x/dist/ezbatch.tmp-1'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known
    2: client error (Connect)
    3: dns error
    4: failed to lookup address information: Name or service not known

Stack backtrace:
   0: <unknown>
`;

/** Runs compile() with a fake deno that prints `stderr`, records its arguments and exits with `code`. */
async function withFakeDeno(stderr: string, code: number, args: string[] = []) {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/stderr.txt`, stderr);
    const fake = `${dir}/deno`;
    await Deno.writeTextFile(fake, `#!/bin/sh\necho "$@" > "${dir}/args"\ncat "${dir}/stderr.txt" >&2\nexit ${code}\n`);
    await Deno.chmod(fake, 0o755);
    let out = "";
    const exit = await compile({ deno: fake, args, stderr: { write: (t) => void (out += t) } });
    return { exit, out, argv: (await Deno.readTextFile(`${dir}/args`)).trim() };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("deno task compile without internet says to use DENORT_BIN and the offline recipe, with no backtrace", async () => {
  const r = await withFakeDeno(DNS_FAILURE, 1);
  assert.equal(r.exit, 1);
  assert.ok(r.out.includes("Compile\x1b[0m main.ts"), "progress before the error still shows");
  assert.match(r.out, /could not download denort.*denort-x86_64-unknown-linux-gnu\.zip/);
  assert.match(r.out, /DENORT_BIN=\/path\/to\/denort deno task compile/);
  assert.match(r.out, /docs\/distribution\.md, "Compiling on a machine without internet"/);
  assert.doesNotMatch(r.out, /Stack backtrace|dns error|Caused by/);
  assert.equal(r.argv, COMPILE_ARGS.join(" "));
});

Deno.test("deno task compile passes other failures through untouched, and extra flags before the entry point", async () => {
  const other =
    "error: TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n    at file:///x/main.ts:1:7\n";
  const r = await withFakeDeno(`Check main.ts\n${other}`, 1, ["--target", "aarch64-apple-darwin"]);
  assert.equal(r.exit, 1);
  assert.equal(r.out, `Check main.ts\n${other}`);
  assert.match(r.argv, /-o dist\/ezbatch --target aarch64-apple-darwin main\.ts$/);
  const renamed = await withFakeDeno("", 0, ["--target", "x86_64-pc-windows-msvc", "-o", "dist/ezbatch.exe"]);
  assert.equal(
    renamed.argv,
    "compile -A --include core/_aws_sdk_embed.ts --include tui/mod.ts --include scripts/_lazy_modules.ts " +
      "--target x86_64-pc-windows-msvc -o dist/ezbatch.exe main.ts",
  );
  const ok = await withFakeDeno("Compile main.ts to dist/ezbatch\n", 0);
  assert.deepEqual([ok.exit, ok.out], [0, "Compile main.ts to dist/ezbatch\n"]);
});

Deno.test("docs/distribution.md's commands use the compile task's flags", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/distribution.md", import.meta.url));
  const lines = [...doc.matchAll(/deno compile (-A --include .*?) -o dist\/ezbatch main\.ts/g)].map((m) => m[1]);
  assert.ok(lines.length >= 1, "the docs show the task's deno compile line");
  const flags = COMPILE_ARGS.slice(1, COMPILE_ARGS.indexOf("-o")).join(" ");
  for (const line of lines) assert.equal(line, flags);
  assert.match(doc, /DENORT_BIN=\S+ deno task compile/);
  const task = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url))).tasks.compile;
  assert.equal(task, "deno run -A scripts/compile.ts");
});
