import assert from "node:assert/strict";
import { renderJobDefinition } from "../../core/definitions.ts";
import { planWorkflow, submitJobRequest } from "../../core/plan.ts";
import { submitWorkflow } from "../../core/submit.ts";
import type { EZBatchJob, EZBatchWorkflow } from "../../core/model.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { job as baseJob } from "../support/jobs.ts";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
const PARAM = "arn:aws:ssm:us-east-1:123456789012:parameter/app/token";

function job(fields: Partial<EZBatchJob> = {}): EZBatchJob {
  return baseJob({
    command: "echo $DB_PASSWORD | wc -c",
    environment: { STAGE: "prod" },
    secrets: { DB_PASSWORD: ARN, API_TOKEN: PARAM },
    platform: "EC2",
    ...fields,
  });
}

const wf = (j: EZBatchJob): EZBatchWorkflow => ({ name: "wf", queue: "q", jobs: { app: j }, dependencies: {} });

/** Every `environment` list anywhere in a request. */
function environments(value: unknown): { name: string; value: string }[] {
  if (Array.isArray(value)) return value.flatMap(environments);
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => k === "environment" && Array.isArray(v) ? v : environments(v));
}

Deno.test("renderJobDefinition() passes secrets as valueFrom only, never as plain environment", () => {
  for (const standalone of [false, true]) {
    const def = renderJobDefinition(job(), { standalone });
    assert.deepEqual(def.containerProperties.secrets, [
      { name: "API_TOKEN", valueFrom: PARAM },
      { name: "DB_PASSWORD", valueFrom: ARN },
    ]);
    const names = environments(def).map((e) => e.name);
    assert.ok(!names.includes("DB_PASSWORD") && !names.includes("API_TOKEN"), `standalone ${standalone}: ${names}`);
    if (standalone) assert.ok(names.includes("STAGE"), "the plain variable is embedded when standalone");
  }
});

Deno.test("planWorkflow() keeps secrets out of every SubmitJob request, with and without the preloader", () => {
  for (
    const preloader of [
      job(),
      job({
        preloader: true,
        mounts: { read: [{ source: "s3://my-bucket/in/", destination: "/in", recursive: true }], write: [] },
      }),
      job({ matrix: { LR: ["0.1", "0.01"] } }),
    ]
  ) {
    const plan = planWorkflow(wf(preloader), { runId: "r1" });
    const request = submitJobRequest(plan.submissions[0]!, { definition: "d:1", jobIds: {} });
    const text = JSON.stringify(request);
    assert.ok(!text.includes(ARN) && !text.includes(PARAM), "no secret reference in the submission");
    assert.ok(!environments(request).some((e) => e.name === "DB_PASSWORD" || e.name === "API_TOKEN"));
    assert.deepEqual(plan.definitions[0]!.input.containerProperties.secrets?.map((s) => s.name), [
      "API_TOKEN",
      "DB_PASSWORD",
    ]);
  }
});

Deno.test("submitWorkflow() sends the secret ARNs to RegisterJobDefinition only", async () => {
  const backend = new MemoryBackend({ checkDefinitions: true });
  await submitWorkflow(backend, wf(job()), { runId: "r1" });
  const [definition] = backend.definitions;
  assert.deepEqual(definition!.containerProperties.secrets?.map((s) => s.valueFrom).sort(), [PARAM, ARN].sort());
  const [submitted] = [...backend.jobs.values()];
  assert.ok(!JSON.stringify(submitted!.input).includes("secretsmanager"));
});
