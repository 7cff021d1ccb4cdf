import assert from "node:assert/strict";
import type { EZBatchJob, S3Mount } from "../../core/model.ts";
import {
  checkLaunch,
  containerLaunch,
  launchBytes,
  MAX_LAUNCH_BYTES,
  SUBMIT_PAYLOAD_LIMIT,
} from "../../preloader/mod.ts";
import { job, mount } from "./_wrapper.ts";

const name128 = (c: string) => c.repeat(128);
const OPTIONS = { sse: "aws:kms", sseKmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${"f".repeat(36)}` };

/** A realistic mount pair: ~60-character S3 URIs and ~30-character paths. */
function mounts(n: number): { read: S3Mount[]; write: S3Mount[] } {
  const read: S3Mount[] = [];
  const write: S3Mount[] = [];
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(4, "0");
    read.push(mount(`s3://my-company-data/projects/genomics/raw/sample-${id}/`, `/data/in/sample-${id}`, {
      recursive: true,
    }));
    write.push(mount(`/data/out/sample-${id}`, `s3://my-company-data/projects/genomics/out/sample-${id}/`, {
      recursive: true,
    }));
  }
  return { read, write };
}

/** The largest job the rest of a workflow allows, with `n` read and `n` write mounts. */
function bigJob(n: number): EZBatchJob {
  return job({
    command: ["python", "-m", "pipeline.run", "--config", "/data/in/config.yaml", "--threads", "16"],
    environment: { STAGE: "production", LOG_LEVEL: "debug", OUTPUT_FORMAT: "parquet" },
    tags: { team: "genomics", project: "sequencing-2024", "cost-center": "research-1234" },
    retry: {
      attempts: 10,
      evaluate_on_exit: [
        { on_exit_code: "137", action: "RETRY" },
        { on_status_reason: "Host EC2*", action: "RETRY" },
        { on_reason: "CannotPullContainerError*", action: "RETRY" },
        { on_exit_code: "1*", action: "EXIT" },
        { on_reason: "*", action: "EXIT" },
      ],
    },
    matrix: { SAMPLE_SET: ["a", "b", "c", "d"], SEED: ["1", "2", "3"] },
    mounts: mounts(n),
  });
}

/** The whole SubmitJob request the planner would send for the job, with every other field at its largest. */
function submitJobPayload(j: EZBatchJob): string {
  const launch = containerLaunch(j, {
    sse: "aws:kms",
    sseKmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/" + "f".repeat(36),
  });
  return JSON.stringify({
    jobName: name128("j"),
    jobQueue: `arn:aws:batch:ap-southeast-2:123456789012:job-queue/${name128("q")}`,
    jobDefinition: `arn:aws:batch:ap-southeast-2:123456789012:job-definition/${name128("d")}:99999`,
    arrayProperties: { size: 10000 },
    dependsOn: Array.from({ length: 20 }, () => ({ jobId: crypto.randomUUID(), type: "N_TO_N" })),
    containerOverrides: {
      command: launch.command,
      environment: Object.entries(launch.environment).map(([name, value]) => ({ name, value })),
      resourceRequirements: [
        { type: "VCPU", value: "16" },
        { type: "MEMORY", value: "122880" },
        { type: "GPU", value: "8" },
      ],
    },
    retryStrategy: j.retry,
    timeout: { attemptDurationSeconds: 1209600 },
    propagateTags: true,
    schedulingPriorityOverride: 9999,
    shareIdentifier: "s".repeat(255),
    tags: { ...j.tags, "ezbatch:workflow": name128("w"), "ezbatch:run": "r".repeat(16), "ezbatch:job": name128("n") },
  });
}

const bytes = (s: string) => new TextEncoder().encode(s).length;

Deno.test("checkLaunch() leaves room for 100 read and 100 write mounts in one job", () => {
  assert.deepEqual(checkLaunch("big", bigJob(100)), []);
});

Deno.test("the largest job checkLaunch() accepts fits the 30 KiB SubmitJob payload with every other field maxed", () => {
  let n = 1;
  while (checkLaunch("big", bigJob(n + 1), OPTIONS).length === 0) n++;
  const largest = bigJob(n);
  assert.ok(n >= 50, `only ${n} mount pairs fit`);
  assert.ok(launchBytes(largest, containerLaunch(largest, OPTIONS)) <= MAX_LAUNCH_BYTES);
  const payload = bytes(submitJobPayload(largest));
  assert.ok(payload <= SUBMIT_PAYLOAD_LIMIT, `largest allowed job (${n} mount pairs) needs ${payload} bytes`);

  const issues = checkLaunch("big", bigJob(n + 1), OPTIONS);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.field, "mounts");
  assert.match(issues[0]!.message, /^Job 'big' is too large to submit: .* take \d+ bytes, at most 27648 fit/);
});

Deno.test("checkLaunch() accepts a 10,000-child matrix of short values and rejects one too large to submit", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => String(i));
  assert.deepEqual(
    checkLaunch("sweep", job({ command: "run", preloader: false, matrix: { A: hundred, B: hundred } })),
    [],
  );
  const long = Array.from({ length: 5000 }, (_, i) => `value-${i}`);
  const issues = checkLaunch("sweep", job({ command: "run", preloader: false, matrix: { A: long, B: ["x", "y"] } }));
  assert.equal(issues[0]!.field, "matrix");
  assert.match(issues[0]!.message, /too large to submit/);
});

Deno.test("checkLaunch() counts a plain job's environment and tags against the payload too", () => {
  const environment = { BIG: "x".repeat(MAX_LAUNCH_BYTES) };
  const issues = checkLaunch("plain", job({ command: "run", preloader: false, environment }));
  assert.equal(issues[0]!.field, "environment");
});
