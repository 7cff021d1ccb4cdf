/**
 * Start-up stays cheap only while no module of the program imports an npm package with a literal dynamic import:
 * Deno resolves and prepares those when the program starts, called or not (for the AWS SDK that tripled
 * `ezbatch --help`). The loaders of core/deps.ts use variable specifiers; this test keeps it that way.
 */
import assert from "node:assert/strict";
import { loadBatchSdk } from "../../core/deps.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const LITERAL_NPM_IMPORT = /(?<!typeof\s)\bimport\(\s*["'`]npm:/;

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${ROOT}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...await sources(path));
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

Deno.test("no module of the program imports an npm package with a literal dynamic import", async () => {
  const files = ["main.ts", "mod.ts"];
  for (const dir of ["core", "commands", "preloader", "tui"]) {
    if (await Deno.stat(`${ROOT}${dir}`).then(() => true, () => false)) files.push(...await sources(dir));
  }
  assert.ok(files.includes("core/deps.ts"));
  const offenders: string[] = [];
  for (const file of files) {
    const lines = (await Deno.readTextFile(`${ROOT}${file}`)).split("\n");
    lines.forEach((line, i) => {
      const code = line.trim();
      if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) return; // comments
      if (LITERAL_NPM_IMPORT.test(code)) offenders.push(`${file}:${i + 1}: ${code}`);
    });
  }
  assert.deepEqual(offenders, [], "use the lazy() loaders of core/deps.ts instead");
  assert.ok(LITERAL_NPM_IMPORT.test(`const x = () => import("npm:zod@4");`), "the pattern finds a literal import");
  assert.ok(!LITERAL_NPM_IMPORT.test(`type X = typeof import("npm:zod@4");`), "type positions are free");
});

Deno.test("the lazy SDK loader still loads the AWS SDK when called", async () => {
  const sdk = await loadBatchSdk();
  assert.equal(typeof sdk.BatchClient, "function");
  assert.equal(typeof sdk.SubmitJobCommand, "function");
});
