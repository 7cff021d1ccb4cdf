/**
 * Start-up benchmark: each command as a fresh `deno run` process, interleaved round-robin with `deno run` of an
 * empty script so that the noise of a shared machine hits all of them alike; reports medians and ratios.
 * @module
 */
import { serveBatchFake } from "../tests/support/aws_batch_fake.ts";
import { seconds, table } from "./_table.ts";

/** Settings of the start-up benchmark. */
export interface StartupBenchOptions {
  /** Timed runs of each command (after one untimed warm-up run). */
  repetitions: number;
}

const EXECUTION_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";

/** A TOML workflow of `n` independent EC2 jobs. */
export function largeWorkflowToml(n: number): string {
  const lines = ['name = "large"', 'queue = "bench-queue"', ""];
  for (let i = 0; i < n; i++) {
    lines.push(
      `[jobs.j${i}]`,
      'image = "public.ecr.aws/docker/library/alpine:3.20"',
      `command = "echo step ${i}"`,
      'platform = "EC2"',
      "vcpus = 1",
      "memory = 2048",
      `environment = { STEP = "${i}" }`,
      "",
    );
  }
  return lines.join("\n");
}

interface Case {
  label: string;
  args: string[];
  times: number[];
  failure?: string;
  env?: Record<string, string>;
}

async function runOnce(
  args: string[],
  env?: Record<string, string>,
): Promise<{ ms: number; code: number; stderr: string }> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    ...(env ? { env } : {}),
  }).output();
  const ms = performance.now() - start;
  return { ms, code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs the start-up benchmark and returns its Markdown report. */
export async function benchStartup(options: StartupBenchOptions): Promise<string> {
  const root = new URL("..", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-bench-" });
  const file = `${dir}/large.toml`;
  await Deno.writeTextFile(file, largeWorkflowToml(1000));
  const main = `${root}main.ts`;
  const cases: Case[] = [
    { label: "deno run (empty script)", args: ["run", "-A", `${root}bench/_empty.ts`], times: [] },
    { label: "ezbatch --help", args: ["run", "-A", main, "--help"], times: [] },
    {
      label: "ezbatch workflow validate (1,000 jobs)",
      args: ["run", "-A", main, "workflow", "validate", file],
      times: [],
    },
    { label: "ezbatch workflow plan (1,000 jobs)", args: ["run", "-A", main, "workflow", "plan", file], times: [] },
    {
      label: "mod.ts loadWorkflow + planWorkflow (1,000 jobs)",
      args: ["run", "-A", `${root}bench/_load_plan.ts`, file],
      times: [],
    },
  ];
  // The commands people run most, on the demo workflow; `jobs list` against a loopback AWS-shaped endpoint, so it
  // includes loading the AWS SDK and one round of ListJobs calls.
  const demo = `${root}examples/demo.toml`;
  const fake = serveBatchFake();
  const slow = serveBatchFake({ latencyMs: 50 });
  const awsAt = (url: string) => ({
    ...Deno.env.toObject(),
    AWS_ENDPOINT_URL: url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDFAKE",
    AWS_SECRET_ACCESS_KEY: "fake",
  });
  const aws = awsAt(fake.url);
  const planArgs = ["workflow", "plan", demo, "--queue", "q", "--run-id", "r1", "--execution-role", EXECUTION_ROLE];
  cases.push(
    {
      label: "ezbatch workflow validate examples/demo.toml",
      args: ["run", "-A", main, "workflow", "validate", demo],
      times: [],
    },
    { label: "ezbatch workflow plan examples/demo.toml", args: ["run", "-A", main, ...planArgs], times: [] },
    {
      label: "ezbatch jobs list (loopback AWS fake)",
      args: ["run", "-A", main, "jobs", "list", "-q", "q"],
      times: [],
      env: aws,
    },
    {
      label: "ezbatch jobs list (fake, 50 ms per call)",
      args: ["run", "-A", main, "jobs", "list", "-q", "q"],
      times: [],
      env: awsAt(slow.url),
    },
  );
  // The bundle of the current sources (as `deno task bundle` builds it), run without config or lockfile.
  const bundle = `${dir}/ezbatch.js`;
  const built = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}scripts/bundle.ts`, bundle],
    cwd: root,
    stdout: "null",
    stderr: "null",
  }).output();
  const size = built.success ? (await Deno.stat(bundle)).size : 0;
  const noConfig = ["run", "--no-config", "--no-lock", "-A", bundle];
  const failure = built.success ? {} : { failure: "deno bundle failed" };
  cases.push(
    { label: "bundle (deno task bundle) --help", args: [...noConfig, "--help"], times: [], ...failure },
    {
      label: "bundle workflow validate examples/demo.toml",
      args: [...noConfig, "workflow", "validate", demo],
      times: [],
      ...failure,
    },
    {
      label: "bundle jobs list (loopback AWS fake)",
      args: [...noConfig, "jobs", "list", "-q", "q"],
      times: [],
      env: aws,
      ...failure,
    },
  );
  for (const c of cases.filter((c) => !c.failure)) {
    const warm = await runOnce(c.args, c.env); // fills the module cache; not timed
    if (warm.code !== 0) c.failure = `exit ${warm.code}: ${warm.stderr.trim().split("\n")[0]?.slice(0, 100)}`;
  }
  const live = cases.filter((c) => !c.failure);
  for (let r = 0; r < options.repetitions; r++) {
    for (const c of live) c.times.push((await runOnce(c.args, c.env)).ms);
  }
  await fake.shutdown();
  await slow.shutdown();
  await Deno.remove(dir, { recursive: true });
  const base = median(cases[0]!.times);
  const baseBest = Math.min(...cases[0]!.times);
  const rows = cases.map((c) =>
    c.failure ? [c.label, "—", "—", "—", "—", `not measured (${c.failure})`] : [
      c.label,
      seconds(median(c.times)),
      seconds(Math.min(...c.times)),
      `${(median(c.times) / base).toFixed(2)}x`,
      `${(Math.min(...c.times) / baseBest).toFixed(2)}x`,
      "",
    ]
  );
  return [
    `Each command ${options.repetitions} times as a new process after one warm-up run, interleaved; median and best.`,
    "Target: `--help` under 2x the empty script.",
    `Bundle: ${(size / 2 ** 20).toFixed(1)} MiB (deno task bundle: scripts/bundle.ts, the AWS SDK inside).`,
    "",
    table(["command", "median s", "best s", "median vs empty", "best vs empty", "note"], rows),
  ].join("\n");
}
