/**
 * `deno task bench`: runs every benchmark and prints a Markdown report (the figures of BENCHMARKS.md).
 *
 * Flags: `--only=submit,watch,startup,local`, `--children=1000 --large=10000 --parallel=8 [--before=DIR]` (local backend), `--latency=50`, `--quota=50`, `--rate=50` (a second rate tried on 1,000 jobs), `--repetitions=7`, `--watch-jobs=10000`, `--python-sample=100`
 * (0 measures the Python pattern on all 1,000 jobs: about 4 more minutes).
 * @module
 */
import { benchSubmit } from "./submit.ts";
import { benchWatch } from "./watch.ts";
import { benchStartup } from "./startup.ts";
import { benchLocal } from "./local.ts";

function flag(name: string, fallback: string): string {
  const arg = Deno.args.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

const only = new Set(flag("only", "submit,watch,startup,local").split(","));
const latencyMs = Number(flag("latency", "50"));
const quota = Number(flag("quota", "50"));
const started = performance.now();
console.log(`# ezbatch benchmarks\n`);
console.log(
  `Deno ${Deno.version.deno}, ${Deno.build.target}, ${navigator.hardwareConcurrency} cores, ${
    new Date().toISOString()
  }\n`,
);
if (only.has("submit")) {
  console.log("## Submitting workflows\n");
  console.log(
    await benchSubmit({
      latencyMs,
      quota,
      rate: Number(flag("rate", flag("quota", "50"))),
      pythonSample: Number(flag("python-sample", "100")),
    }),
  );
  console.log();
}
if (only.has("watch")) {
  console.log("## Watching a large run\n");
  console.log(await benchWatch({ latencyMs, quota, jobs: Number(flag("watch-jobs", "10000")) }));
  console.log();
}
if (only.has("startup")) {
  console.log("## Start-up\n");
  console.log(await benchStartup({ repetitions: Number(flag("repetitions", "7")) }));
  console.log();
}
if (only.has("local")) {
  console.log("## Local backend throughput\n");
  console.log(
    await benchLocal({
      children: Number(flag("children", "1000")),
      large: Number(flag("large", "10000")),
      parallel: Number(flag("parallel", "8")),
      ...(Deno.args.some((a) => a.startsWith("--before=")) ? { before: flag("before", "") } : {}),
    }),
  );
  console.log();
}
console.log(`Total benchmark time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
