/**
 * Where start-up goes: `deno run -A bench/import_cost.ts` imports, one after another in one process, the Node
 * compatibility layer, each npm package the CLI loads at start, and then ezbatch's own modules, and prints the time
 * each import added (median of 5 fresh processes). Each line is the cost of that import given everything above it.
 * @module
 */
import { table } from "./_table.ts";

const STEPS = [
  "node:fs",
  "npm:commander@^15.1.0",
  "npm:@commander-js/extra-typings@^15.1.0",
  "npm:cli-table3@^0.6.5",
  "npm:picocolors@^1.1.1",
  "npm:@bomb.sh/tab@^0.0.22",
  "npm:zod@^4.1.0",
  "npm:smol-toml@^1.4.0",
  "../core/load.ts",
  "../core/plan.ts",
  "../commands/program.ts",
  "../main.ts",
];

if (Deno.args[0] === "--child") {
  const out: number[] = [performance.now()];
  for (const step of STEPS) {
    const t = performance.now();
    await import(step.startsWith("..") ? new URL(step, import.meta.url).href : step);
    out.push(performance.now() - t);
  }
  console.log(JSON.stringify(out));
} else {
  const runs: number[][] = [];
  for (let i = 0; i < 6; i++) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, "--child"],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (i > 0) runs.push(JSON.parse(new TextDecoder().decode(out.stdout))); // the first run warms the caches
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows = ["(process start to first line)", ...STEPS].map((label, i) => [
    label,
    median(runs.map((r) => r[i]!)).toFixed(0),
  ]);
  console.log(table(["import", "ms added (median of 5)"], rows));
}
