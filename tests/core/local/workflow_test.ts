import assert from "node:assert/strict";
import { join } from "node:path";
import { parseWorkflow } from "../../../core/load.ts";
import type { EZBatchJob } from "../../../core/model.ts";
import { submitWorkflow } from "../../../core/submit.ts";
import { detectIsolation } from "../../../core/local/runner.ts";
import { containerLaunch } from "../../../preloader/mod.ts";
import type { LocalBackend } from "../../../core/local/backend.ts";
import { logLines, waitDone, withBackend } from "./_support.ts";

const canIsolate = (await detectIsolation()) === "namespace";

const WORKFLOW = `
name = "e2e"
queue = "some-aws-queue"

[jobs.prepare]
image = "public.ecr.aws/docker/library/alpine:3.20"
command = "echo prepared > $AWS_BATCH_JOB_ID.txt; echo prepare ran"
platform = "EC2"
memory = 256

[jobs.sweep]
image = "public.ecr.aws/docker/library/alpine:3.20"
command = "echo lr=$LR depth=$DEPTH"
platform = "EC2"
memory = 256
matrix = { LR = ["0.1", "0.01"], DEPTH = ["3", "5"] }

[jobs.report]
image = "public.ecr.aws/docker/library/alpine:3.20"
command = "echo report"
platform = "EC2"
memory = 256

[dependencies]
sweep = ["prepare"]
report = ["sweep"]
`;

async function assertSucceeded(backend: LocalBackend, ids: string[]) {
  const jobs = await waitDone(backend, ids, 15_000);
  for (const job of jobs) {
    const log = job.container?.logStreamName ? await logLines(backend, job.container.logStreamName) : [];
    assert.equal(job.status, "SUCCEEDED", `${job.jobName} ${job.statusReason}\n${log.join("\n")}`);
  }
  return jobs;
}

Deno.test("submitWorkflow() runs a workflow with a matrix and dependencies to the end on LocalBackend", async () => {
  await withBackend({}, async (backend) => {
    const run = await submitWorkflow(backend, parseWorkflow(WORKFLOW, { file: "e2e.toml" }));
    const sweep = run.jobs.sweep!;
    const children = [0, 1, 2, 3].map((i) => `${sweep}:${i}`);
    const jobs = await assertSucceeded(backend, [run.jobs.prepare!, sweep, ...children, run.jobs.report!]);
    const lines = await Promise.all(jobs.slice(2, 6).map((j) => logLines(backend, j.container?.logStreamName)));
    assert.deepEqual(lines.flat(), ["lr=0.1 depth=3", "lr=0.1 depth=5", "lr=0.01 depth=3", "lr=0.01 depth=5"]);
    const report = jobs[6]!;
    assert.ok(report.startedAt! >= jobs[1]!.stoppedAt!, "report started before the whole sweep ended");
    assert.equal((await backend.describeJobQueues(["some-aws-queue"])).jobQueues.length, 1);
  });
});

Deno.test({
  name: "LocalBackend with s3Dir runs the preloader wrapper: mounts in and out, matrix values in S3 paths",
  ignore: !canIsolate,
  fn: async () => {
    const s3 = await Deno.makeTempDir({ prefix: "ezbatch-e2e-s3-" });
    await Deno.mkdir(join(s3, "bucket", "raw", "sub"), { recursive: true });
    await Deno.writeTextFile(join(s3, "bucket", "raw", "a.txt"), "alpha\n");
    await Deno.writeTextFile(join(s3, "bucket", "raw", "sub", "b.txt"), "beta\n");
    const job: EZBatchJob = {
      image: "public.ecr.aws/docker/library/alpine:3.20",
      command:
        'mkdir -p /data/out; cat /data/in/a.txt /data/in/sub/b.txt | tr a-z A-Z > /data/out/upper.txt; echo "lr=$LR" > /data/out/lr.txt; exit 3',
      environment: {},
      secrets: {},
      mounts: {
        read: [{ source: "s3://bucket/raw/", destination: "/data/in", recursive: true }],
        write: [{ source: "/data/out", destination: "s3://bucket/out/${LR}/", recursive: true }],
      },
      vcpus: 1,
      memory: 256,
      gpus: 0,
      platform: "EC2",
      tags: {},
      preloader: true,
      matrix: { LR: ["0.1", "0.2"] },
    };
    const launch = containerLaunch(job);
    try {
      await withBackend({ s3Dir: s3 }, async (backend) => {
        await backend.registerJobDefinition({
          jobDefinitionName: "preloaded",
          type: "container",
          platformCapabilities: ["EC2"],
          containerProperties: {
            image: job.image,
            command: launch.command,
            environment: Object.entries(launch.environment).map(([name, value]) => ({ name, value })),
            resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "256" }],
          },
        });
        const { jobId } = await backend.submitJob({
          jobName: "preloaded",
          jobQueue: "q",
          jobDefinition: "preloaded",
          arrayProperties: { size: 2 },
        });
        const [, first] = await waitDone(backend, [jobId, `${jobId}:0`, `${jobId}:1`], 15_000);
        // The command failed (exit 3): its status is kept, and its outputs were still uploaded.
        assert.equal(first!.status, "FAILED");
        assert.equal(
          first!.container?.exitCode,
          3,
          (await logLines(backend, first!.container?.logStreamName)).join("\n"),
        );
        for (const lr of ["0.1", "0.2"]) {
          assert.equal(await Deno.readTextFile(join(s3, "bucket", "out", lr, "upper.txt")), "ALPHA\nBETA\n");
          assert.equal(await Deno.readTextFile(join(s3, "bucket", "out", lr, "lr.txt")), `lr=${lr}\n`);
        }
      });
    } finally {
      await Deno.remove(s3, { recursive: true });
    }
  },
});
