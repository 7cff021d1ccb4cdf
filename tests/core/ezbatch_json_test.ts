import assert from "node:assert/strict";
import {
  type EZBatchWorkflow,
  loadWorkflow,
  parseWorkflow,
  planWorkflow,
  workflowToJson,
  workflowToToml,
} from "../../mod.ts";
import { shapeErrors } from "../support/batch_request_shapes.ts";
import { issuesOf } from "../support/workflow_issues.ts";

const FIXTURE = new URL("../support/fixtures/python_ezbatch_workflow.json", import.meta.url).pathname;

const EXPECTED: EZBatchWorkflow = {
  name: "atlas-pipeline",
  jobs: {
    fetch: {
      image: "public.ecr.aws/ubuntu/ubuntu:22.04",
      command: "echo fetching; ls -l /mnt/atlas;",
      environment: { STAGE: "fetch" },
      secrets: {},
      mounts: {
        read: [{ source: "s3://ezbatch-demo/references/atlas", destination: "/mnt/atlas", recursive: true }],
        write: [{
          source: "/mnt/atlas",
          destination: "s3://ezbatch-demo-scratch/atlas",
          recursive: true,
          sse: "aws:kms",
          sse_kms_key_id: "mrk-0123456789abcdef0123456789abcdef",
        }],
      },
      vcpus: 1,
      memory: 2048,
      gpus: 0,
      storage_size: 30,
      platform: "FARGATE",
      tags: {},
      preloader: true,
    },
    summarize: {
      image: "public.ecr.aws/docker/library/alpine:3.20",
      command: "echo summary",
      environment: {},
      secrets: {},
      mounts: { read: [], write: [] },
      vcpus: 2,
      memory: 4096,
      gpus: 0,
      platform: "FARGATE",
      tags: { team: "imaging" },
      preloader: false,
    },
  },
  dependencies: { summarize: [{ job: "fetch" }] },
};

Deno.test("loadWorkflow() reads a Python ezbatch JSON workflow unchanged (nulls, options, dependencies)", async () => {
  assert.deepEqual(await loadWorkflow(FIXTURE), EXPECTED);
});

Deno.test("a Python ezbatch workflow survives the round trips through TOML and JSON", async () => {
  const wf = await loadWorkflow(FIXTURE);
  assert.deepEqual(parseWorkflow(workflowToToml(wf)), wf);
  assert.deepEqual(parseWorkflow(workflowToJson(wf)), wf);
  assert.deepEqual(parseWorkflow(workflowToJson(wf), { file: "x.json" }), wf);
});

Deno.test("the options string of a Python mount fills recursive and encryption when the fields are null", () => {
  const wf = parseWorkflow(JSON.stringify({
    name: "opts",
    _job_map: {},
    jobs: {
      a: {
        _job_name: "alpine-job",
        image: "alpine",
        command: "true",
        mounts: {
          read: [{ source: "s3://bucket/in", destination: "/in", recursive: null, options: "--quiet --recursive" }],
          write: [{ source: "/out", destination: "s3://bucket/out", options: "--sse=aws:kms --sse-kms-key-id k1" }],
        },
        storage_size: null,
        preloader: true,
      },
    },
    dependencies: {},
  }));
  assert.deepEqual(wf.jobs.a!.mounts, {
    read: [{ source: "s3://bucket/in", destination: "/in", recursive: true }],
    write: [{ source: "/out", destination: "s3://bucket/out", recursive: false, sse: "aws:kms", sse_kms_key_id: "k1" }],
  });
});

Deno.test("unsupported flags in a Python mount's options are reported with their line", () => {
  const text = `{
  "name": "opts",
  "jobs": {
    "a": {
      "image": "alpine",
      "mounts": {
        "read": [{ "source": "s3://bucket/in", "destination": "/in",
          "options": "--quiet --exclude *.tmp --sse" }]
      }
    }
  }
}`;
  assert.deepEqual(issuesOf(text, { file: "wf.json" }), [
    "8: jobs.a.mounts.read[0].options: Unsupported option '--exclude': ezbatch understands --quiet, --recursive, " +
    "--sse VALUE and --sse-kms-key-id VALUE",
    "8: jobs.a.mounts.read[0].options: Unsupported option '*.tmp': ezbatch understands --quiet, --recursive, " +
    "--sse VALUE and --sse-kms-key-id VALUE",
    "8: jobs.a.mounts.read[0].options: Option '--sse' needs a value",
  ]);
});

Deno.test("JSON workflow files get the same located validation as TOML", () => {
  const text = `{
  "name": "j",
  "jobs": {
    "a": { "image": "alpine", "vcpus": 3 },
    "b": { "image": "alpine", "cmd": "x" }
  },
  "dependencies": { "a": ["c"] }
}`;
  assert.deepEqual(issuesOf(text, { file: "wf.json" }), [
    "4: jobs.a.vcpus: Job 'a' asks for 3 vCPU on Fargate: allowed are 0.25, 0.5, 1, 2, 4, 8, 16",
    "5: jobs.b.cmd: Unknown key 'cmd': expected 'image', 'command', 'environment', 'secrets', 'mounts', 'vcpus', " +
    "'memory', 'gpus', 'storage_size', 'platform', 'assign_public_ip', 'tags', 'queue', 'preloader', 'retry', 'timeout', 'matrix', " +
    "'volumes', 'shared_memory', 'ulimits', 'architecture', 'job_role', 'privileged', 'user', 'priority', " +
    "'share', 'nodes', 'main_node', 'node_ranges', 'consumable_resources'",
    "7: dependencies.a[0]: Job 'a' waits for unknown job 'c': the jobs are a, b",
  ]);
  // options belong to JSON files only.
  assert.deepEqual(
    issuesOf(
      `name = "t"\n[jobs.a]\nimage = "x"\n[[jobs.a.mounts.read]]\nsource = "s3://bucket/k"\ndestination = "/d"\noptions = "--recursive"\n`,
    ),
    [
      "7: jobs.a.mounts.read[0].options: Unknown key 'options': expected 'source', 'destination', 'recursive', 'sse', " +
      "'sse_kms_key_id'",
    ],
  );
  assert.deepEqual(issuesOf(`{"name": "\\ud800", "jobs": {"a": {"image": "x"}}}`), [
    "1: name: Expected well-formed Unicode text (found a lone surrogate)",
  ]);
});

Deno.test("a Python ezbatch workflow plans without any of the newer job-feature members (its requests are as before)", async () => {
  const plan = planWorkflow(await loadWorkflow(FIXTURE), {
    runId: "r1",
    queue: "q",
    executionRoleArn: "arn:aws:iam::123456789012:role/exec",
  });
  const newer = ["volumes", "mountPoints", "linuxParameters", "ulimits", "privileged", "user", "runtimePlatform"];
  for (const d of plan.definitions) {
    assert.deepEqual(shapeErrors(d.input, "RegisterJobDefinition"), []);
    assert.equal(d.input.type, "container");
    assert.equal(d.input.nodeProperties, undefined);
    assert.equal(d.input.consumableResourceProperties, undefined);
    assert.deepEqual(newer.filter((k) => k in d.input.containerProperties!), []);
  }
  for (const s of plan.submissions) {
    assert.equal(s.schedulingPriorityOverride, undefined);
    assert.equal(s.shareIdentifier, undefined);
    assert.equal(s.nodeOverrides, undefined);
  }
});
