/**
 * The bundle carries the AWS SDK: commands that talk to AWS run from the one file with an empty DENO_DIR, no
 * config, `--cached-only`, and no route to any registry (a network namespace of its own, `unshare -n`, holding only
 * loopback, where an AWS Batch-shaped fake answers; see _offline_aws.ts). The first such command writes the
 * unpacked SDK to a per-user cache file, the next loads it from there, a truncated one is replaced, and a read-only
 * HOME (a read-only bind mount in a mount namespace of its own, `unshare -m`: root ignores file modes) falls back to
 * memory. Needs root, `unshare`, `mount` and `ip`; skipped, saying why, elsewhere.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
const FAKE_JOB_ID = "11111111-2222-3333-4444-555555555555";

async function succeeds(cmd: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output()).success;
  } catch {
    return false;
  }
}

/** Brings loopback up, mounts `$1` read-only onto itself, and runs the rest of the arguments. */
const NAMESPACE_SETUP =
  'ip link set lo up && mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"';
const probeDir = Deno.uid() === 0 ? await Deno.makeTempDir({ prefix: "ezbatch-offline-probe-" }) : undefined;
const why = !probeDir
  ? "needs root for unshare -n -m"
  : !(await succeeds("unshare", ["-n", "-m", "sh", "-c", NAMESPACE_SETUP, "sh", probeDir, "true"]))
  ? "unshare -n -m with ip and mount (util-linux, iproute2) does not work here"
  : undefined;
if (probeDir) await Deno.remove(probeDir);
if (why) console.log(`offline_aws_test: skipped: ${why}`);

interface Run {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  cache: { name: string; size: number; ino: number; mtime: number }[];
}

Deno.test({
  name: "the bundle lists, describes and submits AWS jobs with an empty DENO_DIR and no route to a registry, " +
    "unpacking its SDK once to a cache",
  ignore: why !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "ezbatch-offline-aws-" });
    try {
      const file = `${dir}/ezbatch.js`;
      const bundled = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/bundle.ts", file],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(bundled.code, 0, new TextDecoder().decode(bundled.stderr));
      const denoDir = `${dir}/deno_dir`;
      await Deno.mkdir(denoDir);
      const cacheHome = `${dir}/cache`;
      const readOnlyHome = `${dir}/read-only-home`;
      await Deno.mkdir(readOnlyHome);
      const driver = `${ROOT}tests/bundle/_offline_aws.ts`;
      const out = await new Deno.Command("unshare", {
        args: ["-n", "-m", "sh", "-c", NAMESPACE_SETUP, "sh", readOnlyHome]
          .concat([Deno.execPath(), "run", "-A", "--no-config", "--no-lock", driver])
          .concat([file, denoDir, cacheHome, readOnlyHome]),
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      assert.equal(out.code, 0, text.decode(out.stderr));
      const { runs, requests, readOnlyEntries } = JSON.parse(text.decode(out.stdout)) as {
        runs: Run[];
        requests: { path: string; body: Record<string, unknown> }[];
        readOnlyEntries: string[];
      };
      for (const run of runs) assert.equal(run.code, 0, `${run.args.join(" ")}: ${run.stderr}`);
      const [list, describe, submit, readOnly] = runs as [Run, Run, Run, Run];
      console.log(`offline_aws_test: ${runs.map((r) => `${r.args[1]} ${r.seconds.toFixed(2)} s`).join(", ")}`);

      // The SDK cache: one file, written by the first run, used as it is by the second, replaced after truncation.
      assert.equal(list.cache.length, 1, JSON.stringify(list.cache));
      const [written] = list.cache;
      assert.match(written!.name, /^sdk-[0-9a-f]{32}\.cjs$/);
      assert.ok(written!.size > 4_000_000, `the whole SDK: ${written!.size} bytes`);
      assert.deepEqual(describe.cache, list.cache, "the second run used the cache file without rewriting it");
      assert.equal(submit.cache.length, 1);
      assert.deepEqual([submit.cache[0]!.name, submit.cache[0]!.size], [written!.name, written!.size]);
      assert.notEqual(submit.cache[0]!.ino, written!.ino, "the truncated file was replaced");
      assert.deepEqual(readOnly.cache, submit.cache, "the read-only run wrote nothing");
      assert.deepEqual(readOnlyEntries, [], "nothing under the read-only HOME");
      assert.equal(JSON.parse(readOnly.stdout)[0].jobId, FAKE_JOB_ID);

      assert.deepEqual(JSON.parse(list.stdout).map((j: { jobId: string }) => j.jobId), [FAKE_JOB_ID]);
      assert.equal(JSON.parse(describe.stdout).job.jobQueue, "arn:aws:batch:us-east-1:123456789012:job-queue/q");
      assert.equal(JSON.parse(submit.stdout).jobId, "99999999-0000-0000-0000-000000000000");
      const paths = new Set(requests.map((r) => r.path));
      for (const path of ["/v1/listjobs", "/v1/describejobs", "/v1/submitjob"]) assert.ok(paths.has(path), path);
      const submitted = requests.find((r) => r.path === "/v1/submitjob")!.body;
      assert.equal(submitted.jobName, "offline");
      assert.equal(submitted.jobQueue, "q");
      const downloaded: string[] = [];
      for await (const entry of Deno.readDir(denoDir)) if (entry.name === "npm") downloaded.push(entry.name);
      const npmFiles = downloaded.length ? [...Deno.readDirSync(`${denoDir}/npm`)].map((e) => e.name) : [];
      assert.deepEqual(npmFiles, [], "nothing was fetched from a registry");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
