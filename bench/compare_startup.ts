/**
 * Start-up of two trees side by side (e.g. main and a branch), interleaved so the load of a shared machine hits both
 * alike: `deno run -A bench/compare_startup.ts --runs=7 before=DIR after=DIR [before-bundle=FILE after-bundle=FILE]`.
 * Each tree runs `--help`, `workflow validate` and `workflow plan` of examples/demo.toml and `jobs list` against the
 * loopback AWS fake (without and with 50 ms per call); a bundle runs `--help`, validate and `jobs list` (with its SDK
 * cache, written by the untimed warm-up, and without one). Prints the
 * median and best of each as Markdown, with the mean CPU time (user + system, from /usr/bin/time when present; a
 * mean because it counts in 10 ms steps), which the load of other processes on a shared machine disturbs less than
 * the wall time.
 * `--match=validate,plan` keeps only the cases whose label contains one of the words (the empty script always runs).
 * @module
 */
import { serveBatchFake } from "../tests/support/aws_batch_fake.ts";
import { seconds, table } from "./_table.ts";

const root = new URL("..", import.meta.url).pathname;
const runs = Number(Deno.args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7);
const match = Deno.args.find((a) => a.startsWith("--match="))?.slice(8).split(",");
const named = Deno.args.filter((a) => !a.startsWith("--")).map((a) => a.split("=") as [string, string]);
const fake = serveBatchFake();
const slow = serveBatchFake({ latencyMs: 50 });
const awsAt = (url: string) => ({
  ...Deno.env.toObject(),
  AWS_ENDPOINT_URL: url,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "AKIDFAKE",
  AWS_SECRET_ACCESS_KEY: "fake",
});
const demo = `${root}examples/demo.toml`;
const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
const denoDir = Deno.env.get("DENO_DIR") ??
  (JSON.parse(new TextDecoder().decode(info.stdout)) as { denoDir: string }).denoDir;
const role = ["--execution-role", "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"];
const cases: { label: string; args: string[]; env?: Record<string, string>; times: number[]; cpu: number[] }[] = [];
const add = (label: string, args: string[], env?: Record<string, string>) => {
  if (cases.length && match && !match.some((m) => label.includes(m))) return;
  cases.push({ label, args, ...(env ? { env } : {}), times: [], cpu: [] });
};
const TIME = "/usr/bin/time";
const timed = await Deno.stat(TIME).then(() => true, () => false);
const cpuFile = await Deno.makeTempFile();
add("deno run (empty script)", ["run", "-A", `${root}bench/_empty.ts`]);
for (const [name, path] of named) {
  if (name.endsWith("-bundle")) {
    const run = ["run", "--no-config", "--no-lock", "-A", path];
    add(`${name} --help`, [...run, "--help"]);
    add(`${name} workflow validate (demo)`, [...run, "workflow", "validate", demo]);
    add(`${name} jobs list (fake)`, [...run, "jobs", "list", "-q", "q"], awsAt(fake.url));
    // No usable SDK cache (a directory cannot be made under /dev/null): the SDK is unpacked in memory on each run.
    // DENO_DIR stays where it was (by default Deno keeps its own cache under XDG_CACHE_HOME too).
    const noCache = { ...awsAt(fake.url), DENO_DIR: denoDir, XDG_CACHE_HOME: "/dev/null/ezbatch-bench" };
    add(`${name} jobs list (fake, no SDK cache)`, [...run, "jobs", "list", "-q", "q"], noCache);
    continue;
  }
  const run = ["run", "-A", `${path}/main.ts`];
  add(`${name} --help`, [...run, "--help"]);
  add(`${name} workflow validate (demo)`, [...run, "workflow", "validate", demo]);
  add(`${name} workflow plan (demo)`, [...run, "workflow", "plan", demo, "--queue", "q", "--run-id", "r1", ...role]);
  add(`${name} jobs list (fake)`, [...run, "jobs", "list", "-q", "q"], awsAt(fake.url));
  add(`${name} jobs list (fake, 50 ms per call)`, [...run, "jobs", "list", "-q", "q"], awsAt(slow.url));
}

async function once(c: (typeof cases)[number]): Promise<[number, number]> {
  const [command, args] = timed ? [TIME, ["-f", "%U %S", "-o", cpuFile, Deno.execPath(), ...c.args]] : [
    Deno.execPath(),
    c.args,
  ];
  const start = performance.now();
  const out = await new Deno.Command(command, {
    args,
    stdout: "null",
    stderr: "piped",
    ...(c.env ? { env: c.env } : {}),
  }).output();
  const wall = performance.now() - start;
  if (out.code !== 0) throw new Error(`${c.label}: exit ${out.code}: ${new TextDecoder().decode(out.stderr)}`);
  const cpu = timed ? (await Deno.readTextFile(cpuFile)).trim().split(/\s+/).map(Number) : [NaN];
  return [wall, cpu.reduce((a, b) => a + b, 0) * 1000];
}

for (const c of cases) await once(c); // warm-up
for (let r = 0; r < runs; r++) {
  for (const c of cases) {
    const [wall, cpu] = await once(c);
    c.times.push(wall);
    c.cpu.push(cpu);
  }
}
await Deno.remove(cpuFile);
await fake.shutdown();
await slow.shutdown();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const base = median(cases[0]!.times);
console.log(`load ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}, ${runs} runs each\n`);
console.log(table(
  ["command", "median s", "best s", "median vs empty", "mean CPU s"],
  cases.map((c) => [
    c.label,
    seconds(median(c.times)),
    seconds(Math.min(...c.times)),
    `${(median(c.times) / base).toFixed(2)}x`,
    timed ? seconds(c.cpu.reduce((a, b) => a + b, 0) / c.cpu.length) : "-",
  ]),
));
