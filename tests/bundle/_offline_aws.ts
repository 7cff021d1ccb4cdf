/**
 * Run inside `unshare -n` (a network namespace with only loopback) by offline_aws_test.ts: serves the AWS
 * Batch-shaped fake of tests/support/aws_batch_fake.ts on 127.0.0.1, runs the bundle `Deno.args[0]` against it with
 * an empty DENO_DIR, and prints what happened as JSON on stdout.
 * No npm imports: this file must run where no registry is reachable.
 * @module
 */
import { FAKE_JOB, serveBatchFake } from "../support/aws_batch_fake.ts";

const [bundle, denoDir] = Deno.args as [string, string];
const fake = serveBatchFake();

async function run(...args: string[]) {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "--no-config", "--no-lock", "-A", bundle, ...args],
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: denoDir + "-home",
      DENO_DIR: denoDir,
      NO_COLOR: "1",
      // Any attempt at a registry goes to an address that does not exist in this namespace.
      NPM_CONFIG_REGISTRY: "http://registry.invalid/",
      AWS_ENDPOINT_URL: fake.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIDFAKE",
      AWS_SECRET_ACCESS_KEY: "fake-secret",
      AWS_EC2_METADATA_DISABLED: "true",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    args,
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
    seconds: (performance.now() - started) / 1000,
  };
}

await Deno.mkdir(denoDir + "-home", { recursive: true });
const runs = [
  await run("jobs", "list", "--queue", "q", "--json"),
  await run("jobs", "describe", FAKE_JOB.jobId, "--json"),
  await run("jobs", "submit", "--definition", "hello", "--queue", "q", "--name", "offline", "--json"),
];
await fake.shutdown();
console.log(JSON.stringify({ runs, requests: fake.requests }));
