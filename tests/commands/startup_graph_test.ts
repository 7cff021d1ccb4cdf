/**
 * Start-up of the commands run most (issue 15, point 4): what loads before `workflow validate`, `workflow plan` and
 * `jobs list` print anything is the chain of modules the lazy tables choose (commands/program.ts, workflow.ts,
 * jobs.ts), and each link's static imports. These tests fail when one of them gains an npm package it does not use:
 * every package costs its own loading on top of Deno's Node layer (zod about 30 ms, cli-table3 and picocolors about
 * 12 ms of CPU, measured in BENCHMARKS.md).
 */
import assert from "node:assert/strict";
import { staticGraph } from "../support/static_graph.ts";

const COMMANDS = new URL("../../commands/", import.meta.url);

/** The npm packages (names without versions) that the chain of `modules` loads statically. */
async function packagesOf(...modules: string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const module of modules) {
    for (const spec of (await staticGraph(new URL(module, COMMANDS).pathname)).npm) {
      names.add(spec.replace(/^(@?[^@]+)@.*$/, "$1"));
    }
  }
  return [...names].sort();
}

Deno.test("the program loads only commander before it knows the command", async () => {
  assert.deepEqual(await packagesOf("_run_program.ts", "program.ts"), ["@commander-js/extra-typings"]);
});

Deno.test("workflow validate and plan load commander, smol-toml and zod, nothing else", async () => {
  const expected = ["@commander-js/extra-typings", "smol-toml", "zod"];
  assert.deepEqual(await packagesOf("_run_program.ts", "workflow.ts", "workflow_files.ts"), expected);
  assert.deepEqual(await packagesOf("_run_program.ts", "workflow.ts", "workflow_plan.ts"), expected);
});

Deno.test("jobs list loads neither zod nor the modules of jobs submit", async () => {
  assert.deepEqual(await packagesOf("_run_program.ts", "jobs.ts", "jobs_read.ts"), ["@commander-js/extra-typings"]);
  const { modules } = await staticGraph(new URL("jobs.ts", COMMANDS).pathname);
  assert.ok(![...modules].some((m) => m.endsWith("/commands/jobs_submit.ts")), "jobs.ts loads jobs_submit.ts lazily");
});

Deno.test("no module imports cli-table3 or picocolors, and only deps_completions.ts @bomb.sh/tab", () => {
  const offenders: string[] = [];
  const visit = (dir: URL) => {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) visit(new URL(`${entry.name}/`, dir));
      else if (/\.tsx?$/.test(entry.name)) {
        const text = Deno.readTextFileSync(new URL(entry.name, dir));
        const path = new URL(entry.name, dir).pathname;
        if (/["']npm:(cli-table3|picocolors)@/.test(text)) offenders.push(path);
        if (/["']npm:@bomb\.sh\/tab@/.test(text) && !path.endsWith("/commands/deps_completions.ts")) {
          offenders.push(path);
        }
      }
    }
  };
  for (const dir of ["commands/", "core/", "tui/", "preloader/"]) visit(new URL(`../../${dir}`, import.meta.url));
  assert.deepEqual(offenders, []);
});
