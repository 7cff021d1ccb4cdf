/**
 * The bundle carries the AWS SDK: commands that talk to AWS run from the one file with an empty DENO_DIR, no
 * config, `--cached-only`, and no route to any registry (a network namespace of its own, `unshare -n`, holding only
 * loopback, where an AWS Batch-shaped fake answers; see _offline_aws.ts). Needs root, `unshare` and `ip`; skipped,
 * saying why, elsewhere.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

async function succeeds(cmd: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output()).success;
  } catch {
    return false;
  }
}

const why = Deno.uid() !== 0
  ? "needs root for unshare -n"
  : !(await succeeds("unshare", ["-n", "ip", "link", "set", "lo", "up"]))
  ? "unshare -n with ip (util-linux, iproute2) does not work here"
  : undefined;
if (why) console.log(`offline_aws_test: skipped: ${why}`);

interface Run {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

Deno.test({
  name: "the bundle lists, describes and submits AWS jobs with an empty DENO_DIR and no route to a registry",
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
      const driver = `${ROOT}tests/bundle/_offline_aws.ts`;
      const out = await new Deno.Command("unshare", {
        args: ["-n", "sh", "-c", 'ip link set lo up && exec "$0" run -A --no-config --no-lock "$@"', Deno.execPath()]
          .concat([driver, file, denoDir]),
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      assert.equal(out.code, 0, text.decode(out.stderr));
      const { runs, requests } = JSON.parse(text.decode(out.stdout)) as {
        runs: Run[];
        requests: { path: string; body: Record<string, unknown> }[];
      };
      for (const run of runs) assert.equal(run.code, 0, `${run.args.join(" ")}: ${run.stderr}`);
      const [list, describe, submit] = runs as [Run, Run, Run];
      assert.deepEqual(JSON.parse(list.stdout).map((j: { jobId: string }) => j.jobId), [
        "11111111-2222-3333-4444-555555555555",
      ]);
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
