/**
 * Every command ezbatch suggests (in `--help`, README.md, docs/ and examples/) runs as written, under `sh`, in a
 * fresh home on the local backend (EZBATCH_BACKEND=local: no AWS account here). The names they use (my-queue,
 * trainer, JOB_ID, run ids...) are made to exist first, as a reader following the docs would have them; the few
 * examples that show an error on purpose must show that error; the terminal faces are driven in tests/tui/.
 */
import assert from "node:assert/strict";
import { cliEnv, MAIN, stopDaemon } from "../support/cli_process.ts";
import { collectExamples, type Example } from "./_examples.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Examples that show a refusal on purpose: the exit code and the message they document. */
const SHOWS_AN_ERROR: Record<string, [number, RegExp]> = {
  "ezbatch job-queue create q --compute-environments a,b,c,d": [2, /1 to 3 compute environments/],
  "ezbatch workflow validate broken.toml": [1, /broken\.toml is not valid/],
  // A changed file is refused by resume unless --rerun-changed (the doc's sed changed job b).
  "ezbatch workflow resume many.toml k3x9 --local": [1, /pass --rerun-changed/],
};
/** Commands for an AWS account only: on the local backend they must refuse in one line that says so (exit 2). */
const AWS_ONLY = /^ezbatch (setup|scheduling-policy)\b/;
/** Driven in a real terminal by tests/tui/ (they need one on stdin and stdout). */
const NEEDS_A_TERMINAL = /^ezbatch (--local )?(monitor|interactive)\b/;
/** Examples whose placeholders stand for what the reader has: replaced before running. */
const PLACEHOLDERS: [RegExp, string][] = [
  [/\bJOB_ID\.\.\./g, "$JOB"],
  [/\b(JOB_ID|ID|6b2e0c1e-0000-4000-8000-000000000000)\b/g, "$JOB"],
  [/\b(ARRAY_ID|6b2e0c1e-\.\.\.)/g, "$ARRAY"],
  [/\bRUN_ID\b/g, "my0run1d"],
];
/** What a reader has done just before an example that creates something (the docs show them in another order). */
const BEFORE: [RegExp, string][] = [
  [/^ezbatch workflow init pipeline\.toml/, "rm -f pipeline.toml"],
  [/^ezbatch workflow init hello\.toml/, "rm -f hello.toml"],
  [/^ezbatch job-queue create my-queue/, "ezbatch job-queue delete my-queue --force"],
  [
    /--compute-environments my-fargate/,
    "ezbatch ce describe my-fargate || ezbatch ce create my-fargate --subnets s-1 --security-groups sg-1",
  ],
  [/^ezbatch (compute-environment|ce) create my-fargate/, "ezbatch ce delete my-fargate --force"],
];
/** Conversions write pipeline.toml: they run in a folder of their own, so the reader's pipeline.toml stays. */
const OWN_FOLDER = /^ezbatch workflow convert \S+ pipeline\.toml$/;

async function sh(line: string, cwd: string, env: Record<string, string>) {
  const out = await new Deno.Command("sh", {
    args: ["-c", line],
    cwd,
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

/** A fresh machine with an `ezbatch` command and what the examples refer to. */
async function sandbox() {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-examples-" });
  const home = `${dir}/home`;
  for (const sub of ["bin", "home/.zfunc", "home/.config/fish/completions", "work/examples"]) {
    await Deno.mkdir(`${dir}/${sub}`, { recursive: true });
  }
  await Deno.writeTextFile(`${dir}/bin/ezbatch`, `#!/bin/sh\nexec "${Deno.execPath()}" run -A "${MAIN}" "$@"\n`);
  await Deno.chmod(`${dir}/bin/ezbatch`, 0o755);
  const work = `${dir}/work`;
  for (const file of ["hello.toml", "demo.toml"]) {
    await Deno.copyFile(`${ROOT}examples/${file}`, `${work}/examples/${file}`);
  }
  await copyTree(`${ROOT}examples/s3`, `${dir}/s3`);
  const env = cliEnv({
    PATH: `${dir}/bin:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    HOME: home,
    XDG_STATE_HOME: `${dir}/state`,
    EZBATCH_BACKEND: "local",
    EZBATCH_S3_DIR: `${dir}/s3`,
    PROFILE: `${home}/profile.ps1`,
  });
  return { dir, work, env, stateDir: `${dir}/state/ezbatch/local` };
}

/** What a reader following the docs already has: files, a job, an array job with a retry, runs, definitions. */
async function prepare(work: string, env: Record<string, string>): Promise<Record<string, string>> {
  const fixture = `${ROOT}tests/support/fixtures/python_ezbatch_workflow.json`;
  for (const name of ["old.json", "old-workflow.json", "old-ezbatch.json"]) {
    await Deno.copyFile(fixture, `${work}/${name}`);
  }
  await Deno.writeTextFile(
    `${work}/broken.toml`,
    `name = "broken"\n[jobs.a]\nimage = "alpine"\ncommand = "true"\nvcpus = 3\n`,
  );
  const many = Array.from(
    { length: 12 },
    (_, i) =>
      `[jobs.${String.fromCharCode(97 + i)}]\nimage = "alpine"\ncommand = "echo ${String.fromCharCode(97 + i)}"\n`,
  );
  await Deno.writeTextFile(`${work}/many.toml`, `name = "many"\n${many.join("")}`);
  const steps = [
    "ezbatch workflow init pipeline.toml",
    "ezbatch workflow submit pipeline.toml --run-id my0run1d --watch",
    "ezbatch workflow submit pipeline.toml --run-id k3x9a0qz --watch",
    "ezbatch workflow submit examples/demo.toml --run-id k3x9a0qz --queue my-queue --watch",
    "ezbatch workflow submit examples/demo.toml --run-id a1b2c3d4",
    'for c in 1 2 3; do ezbatch job-definition create --name my-def --image alpine --command "echo $c"; done',
    'for c in 1 2; do ezbatch job-definition create --name trainer --image alpine --command "echo $c"; done',
    "ezbatch ce create my-fargate --subnets subnet-1 --security-groups sg-1",
    "ezbatch ce create old-env --subnets subnet-1 --security-groups sg-1",
    "ezbatch ce create spot-env --type SPOT --instance-role ecsInstanceRole --subnets subnet-1 --security-groups sg-1",
    "ezbatch ce create ondemand-env --type EC2 --instance-role ecsInstanceRole --subnets subnet-1 --security-groups sg-1",
    "ezbatch queue create old-queue --compute-environments old-env",
  ];
  for (const step of steps) {
    const r = await sh(step, work, env);
    assert.equal(r.code, 0, `setup '${step}': ${r.stderr}`);
  }
  const submit = (args: string) => sh(`ezbatch --json jobs submit -q my-queue ${args}`, work, env);
  const job = await submit("--image alpine -- echo hello");
  const array = await submit(`--image alpine --array-size 4 --retry 2 --command 'test "$AWS_BATCH_JOB_ATTEMPT" = 2'`);
  assert.equal(job.code + array.code, 0, job.stderr + array.stderr);
  const ids = { JOB: JSON.parse(job.stdout).jobId as string, ARRAY: JSON.parse(array.stdout).jobId as string };
  const watched = await sh(`ezbatch jobs watch ${ids.JOB} ${ids.ARRAY}`, work, env);
  assert.equal(watched.code, 0, watched.stderr);
  return ids;
}

function runnable(example: Example, ids: Record<string, string>): string {
  let line = example.line;
  for (const [pattern, to] of PLACEHOLDERS) line = line.replace(pattern, to);
  return line.replace(/\$(JOB|ARRAY)\b/g, (_, k: string) => ids[k]!);
}

Deno.test({
  name: "every command suggested by --help, README.md, docs/ and examples/ runs as written on the local backend",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const examples = await collectExamples();
    assert.ok(examples.length > 100, `found only ${examples.length} examples`);
    assert.ok(examples.some((e) => e.source === "README.md"));
    assert.ok(examples.some((e) => e.source === "examples/hello.toml"));
    const box = await sandbox();
    const failures: string[] = [];
    try {
      const ids = await prepare(box.work, box.env);
      for (const example of examples) {
        if (NEEDS_A_TERMINAL.test(example.line)) continue;
        const line = runnable(example, ids);
        // Settings examples each get their own settings file, so that they change nothing for the others.
        const env = example.line.startsWith("ezbatch config ")
          ? { ...box.env, EZBATCH_CONFIG_PATH: `${box.dir}/config-${crypto.randomUUID()}.toml` }
          : box.env;
        for (const [pattern, step] of BEFORE) if (pattern.test(example.line)) await sh(step, box.work, box.env);
        const cwd = OWN_FOLDER.test(example.line) ? await Deno.makeTempDir({ dir: box.dir }) : box.work;
        if (cwd !== box.work) {
          for (const f of ["old.json", "old-workflow.json"]) await Deno.copyFile(`${box.work}/${f}`, `${cwd}/${f}`);
        }
        const r = await sh(line, cwd, env);
        const expected = SHOWS_AN_ERROR[example.line] ??
          (AWS_ONLY.test(example.line) ? [2, /^error: [^\n]*(AWS|--local)[^\n]*\n[^\n]*--help/] : undefined);
        if (expected) {
          if (r.code !== expected[0] || !expected[1].test(r.stderr)) {
            failures.push(
              `${example.source}: ${line}\n  expected exit ${expected[0]} and ${
                expected[1]
              }, got ${r.code}: ${r.stderr}`,
            );
          }
        } else if (r.code !== 0) {
          failures.push(
            `${example.source}: ${line}\n  exit ${r.code}: ${r.stderr.trim().split("\n").slice(0, 3).join("\n  ")}`,
          );
        }
      }
    } finally {
      await stopDaemon(box.stateDir);
      await Deno.remove(box.dir, { recursive: true }).catch(() => {});
    }
    assert.deepEqual(failures, [], `${failures.length} suggested commands failed:\n${failures.join("\n")}`);
  },
});
