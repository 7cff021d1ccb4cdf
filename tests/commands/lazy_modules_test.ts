/**
 * Deno prepares at start-up every module reachable through literal imports, dynamic ones included (15 ms of every
 * start for the whole program, measured in BENCHMARKS.md), so the program's structural lazy imports go through
 * `importLazily()` (commands/_lazy.ts), and scripts/_lazy_modules.ts names each module for the bundle and the
 * compiled binary. These tests fail when a path is missing from that registry, or when a literal dynamic import
 * brings the program's graph back into what `--help` or the program's first step prepares.
 */
import assert from "node:assert/strict";
import { LOADERS } from "../../scripts/_lazy_modules.ts";
import { staticGraph } from "../support/static_graph.ts";

const ROOT = new URL("../../", import.meta.url);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(new URL(dir, ROOT))) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory) out.push(...sources(`${path}/`));
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

Deno.test("every importLazily() path is in scripts/_lazy_modules.ts, and every entry there is used and exists", () => {
  const used = new Set<string>();
  for (const file of ["main.ts", ...sources("commands/"), ...sources("core/"), ...sources("tui/")]) {
    const text = Deno.readTextFileSync(new URL(file, ROOT));
    for (const m of text.matchAll(/importLazily<[^>]*>\(\s*"([^"]+)",?\s*\)/g)) used.add(m[1]!);
  }
  assert.ok(used.has("commands/_run_program.ts") && used.has("commands/jobs_read.ts"), [...used].join(", "));
  assert.deepEqual([...used].sort(), Object.keys(LOADERS).sort());
  for (const path of used) assert.ok(Deno.statSync(new URL(path, ROOT)).isFile, path);
});

/** Every module Deno prepares when `entry` starts, as paths from the repository root (npm packages by name). */
async function prepared(entry: string): Promise<string[]> {
  const { modules, npm } = await staticGraph(new URL(entry, ROOT).pathname, { dynamic: true });
  return [...[...modules].map((m) => m.replace(ROOT.href, "")), ...[...npm].map((p) => `npm:${p}`)];
}

Deno.test("main.ts prepares only its own few modules: --help and --version need nothing else", async () => {
  const modules = await prepared("main.ts");
  assert.deepEqual(modules.filter((m) => !m.startsWith("commands/_") && !m.startsWith("core/version")), ["main.ts"]);
});

Deno.test("the program prepares no command group before it knows the command", async () => {
  const modules = await prepared("commands/_run_program.ts");
  const groups = modules.filter((m) => /^commands\/(workflow|jobs|setup|job_queue|completions|terminal)/.test(m));
  assert.deepEqual(groups, []);
  assert.deepEqual(modules.filter((m) => m.startsWith("npm:") && !m.includes("commander")), []);
});
