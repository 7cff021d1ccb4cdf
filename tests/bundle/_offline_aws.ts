/**
 * Run inside `unshare -n -m` (a network namespace with only loopback, and a mount namespace where `Deno.args[3]` is
 * mounted read-only) by offline_aws_test.ts: serves the AWS Batch-shaped fake of tests/support/aws_batch_fake.ts on
 * 127.0.0.1, runs the bundle `Deno.args[0]` against it with an empty DENO_DIR (`Deno.args[1]`) and its SDK cache
 * under `Deno.args[2]` (XDG_CACHE_HOME), and prints what happened as JSON on stdout, with the cache's files after
 * each run. Between runs it truncates the cache file; the last run has only a read-only HOME and no XDG_CACHE_HOME.
 * No npm imports: this file must run where no registry is reachable.
 * @module
 */
import { FAKE_JOB, serveBatchFake } from "../support/aws_batch_fake.ts";

const [bundle, denoDir, cacheHome, readOnlyHome] = Deno.args as [string, string, string, string];
const cacheDir = `${cacheHome}/ezbatch`;
const fake = serveBatchFake();

/** The files of the SDK cache: name, size, inode and mtime (a rewrite renames a new file into place). */
function cacheFiles() {
  try {
    return [...Deno.readDirSync(cacheDir)].map((e) => {
      const { size, ino, mtime } = Deno.statSync(`${cacheDir}/${e.name}`);
      return { name: e.name, size, ino, mtime: mtime?.getTime() };
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

async function run(home: { HOME: string; XDG_CACHE_HOME?: string }, ...args: string[]) {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "--no-config", "--no-lock", "-A", bundle, ...args],
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      ...home,
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
    cache: cacheFiles(),
  };
}

const home = { HOME: denoDir + "-home", XDG_CACHE_HOME: cacheHome };
await Deno.mkdir(home.HOME, { recursive: true });
const runs = [
  // Unpacks the SDK and writes it to the cache.
  await run(home, "jobs", "list", "--queue", "q", "--json"),
  // Loads it from there.
  await run(home, "jobs", "describe", FAKE_JOB.jobId, "--json"),
];
// A cache file cut short (a full disk, a crash) is replaced, not run.
for (const { name, size } of cacheFiles()) await Deno.truncate(`${cacheDir}/${name}`, Math.floor(size / 2));
runs.push(await run(home, "jobs", "submit", "--definition", "hello", "--queue", "q", "--name", "offline", "--json"));
// A read-only HOME (mounted so by the test) and no XDG_CACHE_HOME: the SDK is evaluated from memory.
runs.push(await run({ HOME: readOnlyHome }, "jobs", "list", "--queue", "q", "--json"));
await fake.shutdown();
const readOnlyEntries = [...Deno.readDirSync(readOnlyHome)].map((e) => e.name);
console.log(JSON.stringify({ runs, requests: fake.requests, readOnlyEntries }));
