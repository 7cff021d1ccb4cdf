/**
 * Files ezbatch creates that may hold account data (definitions with environment values and secret ARNs, job logs,
 * job outputs) are readable by their owner only, whatever the umask.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LocalBackend } from "../../core/local/backend.ts";
import { submitWorkflow } from "../../core/submit.ts";
import type { EZBatchJob } from "../../core/model.ts";

const job: EZBatchJob = {
  image: "public.ecr.aws/docker/library/alpine:3.20",
  command: "echo account 123456789012 > out.txt; echo done",
  environment: { STAGE: "prod" },
  secrets: { DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" },
  mounts: { read: [], write: [] },
  vcpus: 1,
  memory: 256,
  gpus: 0,
  platform: "EC2",
  tags: {},
  preloader: false,
};

async function walk(dir: string): Promise<{ path: string; mode: number; isDirectory: boolean }[]> {
  const out = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    const info = await Deno.lstat(path);
    if (info.isSymlink) continue;
    out.push({ path, mode: info.mode! & 0o777, isDirectory: entry.isDirectory });
    if (entry.isDirectory) out.push(...await walk(path));
  }
  return out;
}

Deno.test({
  name: "LocalBackend keeps its state directory private: 0700, with 0600 state, lock and log files",
  ignore: Deno.build.os === "windows",
  async fn() {
    const parent = await Deno.makeTempDir({ prefix: "ezbatch-modes-" });
    const dir = join(parent, "state");
    await Deno.mkdir(dir, { mode: 0o755 }); // as an older version would have left it
    const backend = new LocalBackend({ stateDir: dir, mode: "in-process", runtime: "host", tickMs: 20 });
    try {
      const run = await submitWorkflow(backend, { name: "modes", queue: "q", jobs: { a: job }, dependencies: {} });
      const id = run.jobs.a!;
      for (let i = 0; i < 400; i++) {
        const [detail] = await backend.describeJobs([id]);
        if (detail?.status === "SUCCEEDED" || detail?.status === "FAILED") break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const entries = [
        { path: dir, mode: (await Deno.stat(dir)).mode! & 0o777, isDirectory: true },
        ...await walk(dir),
      ];
      const files = entries.filter((e) => !e.isDirectory);
      assert.ok(files.some((f) => f.path.endsWith("state.json")), "the state was written");
      assert.ok(files.some((f) => f.path.includes(`${dir}/logs/`)), "a log was written");
      // The directory is 0700, so nothing below it is reachable by others; what ezbatch writes itself is 0600 too.
      // (Inside work/ each job keeps the modes its own commands gave its files.)
      const ours = entries.filter((e) => !e.path.startsWith(`${dir}/work/`));
      const open = ours.filter((e) => e.mode !== (e.isDirectory ? 0o700 : 0o600));
      assert.deepEqual(open.map((e) => `${e.path.slice(dir.length) || "/"} ${e.mode.toString(8)}`), []);
      assert.ok(ours.length >= 6, ours.map((e) => e.path).join("\n"));
    } finally {
      await backend.close();
      await Deno.remove(parent, { recursive: true });
    }
  },
});
