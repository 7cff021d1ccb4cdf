/**
 * `workflow validate` on a file that gets every issue-17 feature wrong: one line per mistake, each naming the file,
 * the TOML line, the job and the field, with AWS's rule; the same file corrected is valid.
 */
import assert from "node:assert/strict";
import { run } from "./_run.ts";

const BAD = `name = "w"
queue = "q"

[jobs.a]
image = "alpine"
command = "true"
shared_memory = 64
user = "a b"
privileged = true
[[jobs.a.volumes]]
efs = "fs-1"
mount_point = "/m"
[[jobs.a.volumes]]
host_path = "/scratch"
mount_point = "/scratch"
[jobs.b]
image = "alpine"
platform = "EC2"
nodes = 3
main_node = 5
consumable_resources = { lic = 0 }
ulimits = { bogus = 1 }
priority = -1
share = "a-b"
architecture = "ARM64"
job_role = "x"
node_ranges = [{ targets = "0:1" }]
`;

const GOOD = `name = "w"
queue = "q"

[jobs.a]
image = "alpine"
command = "true"
user = "1000:1000"
architecture = "ARM64"
job_role = "arn:aws:iam::123456789012:role/trainer"
priority = 10
share = "team_a"
consumable_resources = { lic = 1 }
[[jobs.a.volumes]]
efs = "fs-0123456789abcdef0"
mount_point = "/m"
[jobs.b]
image = "alpine"
platform = "EC2"
memory = 4096
nodes = 3
main_node = 2
shared_memory = 1024
privileged = true
ulimits = { nofile = 1024 }
node_ranges = [{ targets = "0:1" }, { targets = "2", image = "main:1" }]
[[jobs.b.volumes]]
host_path = "/scratch"
mount_point = "/scratch"
`;

Deno.test("workflow validate names the file, line, job and field of every job-feature mistake, and accepts them done right", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.toml`, BAD);
    await Deno.writeTextFile(`${dir}/good.toml`, GOOD);
    const r = await run(["workflow", "validate", `${dir}/bad.toml`]);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split("\n").slice(1).map((l) => l.trim().replace(`${dir}/`, ""));
    const at = (line: number, job: string, field: string, message: RegExp) =>
      assert.ok(
        lines.some((l) => l.startsWith(`bad.toml:${line}: job '${job}', field '${field}': `) && message.test(l)),
        `no ${line} ${field} ${message} in:\n${lines.join("\n")}`,
      );
    at(7, "a", "jobs.a.shared_memory", /on Fargate: AWS Batch allows it on EC2 only/);
    at(8, "a", "jobs.a.user", /Expected a user name, a uid or uid:gid/);
    at(9, "a", "jobs.a.privileged", /on Fargate: AWS Batch allows it on EC2 only/);
    at(11, "a", "jobs.a.volumes[0].efs", /Expected an EFS file system id like 'fs-0123456789abcdef0', got 'fs-1'/);
    at(14, "a", "jobs.a.volumes[1].host_path", /exist on EC2 only/);
    at(20, "b", "jobs.b.main_node", /Expected a main node index from 0 to 2, got 5/);
    at(21, "b", "jobs.b.consumable_resources.lic", /Expected a quantity of 1 or more, got 0/);
    at(22, "b", "jobs.b.ulimits.bogus", /Unknown ulimit 'bogus': use one of core, /);
    at(23, "b", "jobs.b.priority", /Expected a scheduling priority from 0 to 9999, got -1/);
    at(24, "b", "jobs.b.share", /Expected a share identifier of 1–255 letters, digits and '_', got 'a-b'/);
    at(25, "b", "jobs.b.architecture", /sets architecture on EC2: there the compute environment's instance types/);
    at(26, "b", "jobs.b.job_role", /Expected an IAM role ARN like/);
    at(27, "b", "jobs.b.node_ranges", /Node 2 is in no range: the ranges must cover nodes 0 to 2$/);

    const good = await run(["workflow", "validate", `${dir}/good.toml`]);
    assert.equal(good.code, 0, good.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
