/**
 * On the local backend, `workflow submit` and `jobs submit` warn (stderr) about the job features it ignores or
 * applies only in docker or podman, before the jobs run; on AWS they say nothing of the kind.
 */
import assert from "node:assert/strict";
import { localFeatureNotes } from "../../core/job_features_local.ts";
import type { Backend } from "../../core/backend.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "./_run.ts";

const TOML = `name = "w"
queue = "q"

[jobs.train]
image = "img:1"
command = "true"
platform = "EC2"
memory = 4096
shared_memory = 1024
privileged = true
priority = 3

[[jobs.train.volumes]]
efs = "fs-0123456789abcdef0"
mount_point = "/mnt/efs"

[jobs.plain]
image = "img:1"
command = "true"
`;

/** A MemoryBackend (kind "local") seen as `kind`. */
function as(kind: "aws" | "local"): Backend {
  const batch = new MemoryBackend();
  return new Proxy(batch, {
    get: (target, key) => {
      if (key === "kind") return kind;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as unknown as Backend;
}

const settings = { executionRoleArn: "arn:aws:iam::123456789012:role/exec" };

Deno.test("localFeatureNotes() names what the local backend ignores and what needs docker or podman; nothing for a plain job", () => {
  assert.deepEqual(localFeatureNotes("plain", {}), []);
  assert.deepEqual(localFeatureNotes("t", { architecture: "ARM64", ulimits: { nofile: { soft: 1, hard: 1 } } }), [
    "Job 't' on the local backend: not emulated: architecture ARM64 (this machine's variant of the image runs); " +
    "applied only when jobs run in docker or podman: ulimits",
  ]);
  assert.deepEqual(localFeatureNotes("c", { consumable_resources: { lic: 1 }, user: "1000", share: "a" }), [
    "Job 'c' on the local backend: not emulated: consumable_resources, priority and share (local queues run in " +
    "order); applied only when jobs run in docker or podman: user",
  ]);
});

Deno.test("workflow submit on the local backend warns about each job's features it does not apply; on AWS it does not", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/w.toml`, TOML);
    const local = await run(["workflow", "submit", `${dir}/w.toml`], { backend: as("local"), settings });
    assert.equal(local.code, 0, local.stderr);
    const warnings = local.stderr.split("\n").filter((l) => l.includes("on the local backend"));
    assert.equal(warnings.length, 1, local.stderr);
    assert.match(
      warnings[0]!,
      /Job 'train' on the local backend: not emulated: privileged mode, priority and share \(local queues run in order\); applied only when jobs run in docker or podman: shared_memory; volumes are bind mounts \(an EFS file system is the directory efs\/<id> of the local state\) only in docker or podman, or on the host as root \(a private mount namespace\)$/,
    );
    const aws = await run(["workflow", "submit", `${dir}/w.toml`], { backend: as("aws"), settings });
    // (The queue does not exist in this account; the warnings come before the submission either way.)
    assert.doesNotMatch(aws.stderr, /local backend/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("jobs submit on the local backend warns about the feature flags it does not apply", async () => {
  const args = ["jobs", "submit", "-q", "q", "--image", "img:1", "--name", "gpu-box", "--platform", "EC2"];
  const r = await run([...args, "--memory", "4096", "--shared-memory", "512", "--", "true"], {
    backend: as("local"),
    settings,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /Job 'gpu-box' on the local backend: applied only when jobs run in docker or podman: shared_memory/,
  );
  const plain = await run([...args, "--", "true"], { backend: as("local"), settings });
  assert.doesNotMatch(plain.stderr, /local backend/);
});
