import assert from "node:assert/strict";
import type { ContainerProperties, JobDefinitionInput } from "../../../core/backend_types.ts";
import { withFakeEngines } from "./_fake_engine.ts";
import { logLines, waitDone, withBackend } from "./_support.ts";

const image = "public.ecr.aws/docker/library/alpine:3.20";
const vars = "node=$AWS_BATCH_JOB_NODE_INDEX main=$AWS_BATCH_JOB_MAIN_NODE_INDEX of=$AWS_BATCH_JOB_NUM_NODES";
// A multinode definition has no containerProperties (AWS refuses them), which the input type does not express.
const multinode = (input: Omit<JobDefinitionInput, "containerProperties">) => input as JobDefinitionInput;
const container = (script: string, vcpus: number, env: Record<string, string>): ContainerProperties => ({
  image,
  command: ["/bin/sh", "-c", script],
  environment: Object.entries(env).map(([name, value]) => ({ name, value })),
  resourceRequirements: [{ type: "VCPU", value: String(vcpus) }, { type: "MEMORY", value: "256" }],
});

Deno.test("LocalBackend multi-node job: each node runs its own node range's command, environment and size", async () => {
  await withBackend({ vcpus: 4, memory: 4096 }, async (backend) => {
    await backend.registerJobDefinition(multinode({
      jobDefinitionName: "mpi",
      type: "multinode",
      platformCapabilities: ["EC2"],
      nodeProperties: {
        numNodes: 3,
        mainNode: 0,
        nodeRangeProperties: [
          { targetNodes: "0", container: container(`echo main-says $ROLE ${vars}`, 1, { ROLE: "leader" }) },
          {
            targetNodes: "1:",
            container: container(
              `echo worker-says $ROLE $EXTRA ip=$AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS ${vars}`,
              2,
              {
                ROLE: "follower",
              },
            ),
          },
        ],
      },
    }));
    // The submission's overrides apply per range too, as ezbatch's engine sends them.
    const { jobId } = await backend.submitJob({
      jobName: "mpi",
      jobQueue: "q",
      jobDefinition: "mpi",
      nodeOverrides: {
        nodePropertyOverrides: [{
          targetNodes: "1:",
          containerOverrides: { environment: [{ name: "EXTRA", value: "x" }] },
        }],
      },
    });
    const nodes = await waitDone(backend, [0, 1, 2].map((i) => `${jobId}:${i}`));
    const logs = await Promise.all(nodes.map((n) => logLines(backend, n.container?.logStreamName)));
    assert.deepEqual(logs, [
      ["main-says leader node=0 main=0 of=3"],
      ["worker-says follower x ip=127.0.0.1 node=1 main=0 of=3"],
      ["worker-says follower x ip=127.0.0.1 node=2 main=0 of=3"],
    ]);
    const vcpus = nodes.map((n) => n.container?.resourceRequirements?.find((r) => r.type === "VCPU")?.value);
    assert.deepEqual(vcpus, ["1", "2", "2"]);
  });
});

Deno.test("LocalBackend multi-node job: a node range larger than the budget fails that node only", async () => {
  await withBackend({ vcpus: 2, memory: 4096 }, async (backend) => {
    await backend.registerJobDefinition(multinode({
      jobDefinitionName: "big-workers",
      type: "multinode",
      platformCapabilities: ["EC2"],
      nodeProperties: {
        numNodes: 2,
        mainNode: 0,
        nodeRangeProperties: [
          { targetNodes: "0", container: container("echo main", 1, {}) },
          { targetNodes: "1", container: container("echo worker", 8, {}) },
        ],
      },
    }));
    const { jobId } = await backend.submitJob({ jobName: "big", jobQueue: "q", jobDefinition: "big-workers" });
    const [main, worker] = await waitDone(backend, [`${jobId}:0`, `${jobId}:1`]);
    assert.equal(main!.status, "SUCCEEDED");
    assert.equal(worker!.status, "FAILED");
    assert.match(worker!.statusReason!, /asks for 8 vCPU/);
  });
});

Deno.test("LocalBackend multi-node job with docker: each node's container runs its own range's image", async () => {
  await withFakeEngines({ docker: "up" }, {}, async ({ backend, calls }) => {
    const range = (targetNodes: string, img: string) => ({
      targetNodes,
      container: { ...container("true", 1, {}), image: img },
    });
    await backend.registerJobDefinition(multinode({
      jobDefinitionName: "images",
      type: "multinode",
      platformCapabilities: ["EC2"],
      nodeProperties: {
        numNodes: 3,
        mainNode: 0,
        nodeRangeProperties: [range("0", "mpi-main:1"), range("1:", "mpi-worker:1")],
      },
    }));
    const { jobId } = await backend.submitJob({ jobName: "images", jobQueue: "q", jobDefinition: "images" });
    const nodes = await waitDone(backend, [0, 1, 2].map((i) => `${jobId}:${i}`), 20_000);
    assert.deepEqual(nodes.map((n) => n.status), ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const runs = (await calls()).filter((c) => c.args[0] === "run");
    const node = (args: string[]) => args.find((a) => a.startsWith("AWS_BATCH_JOB_NODE_INDEX="))?.split("=")[1];
    const images = runs.map((r) => `${node(r.env ?? r.args)}:${r.args.find((a) => a.startsWith("mpi-"))}`).sort();
    assert.deepEqual(images, ["0:mpi-main:1", "1:mpi-worker:1", "2:mpi-worker:1"]);
  });
});
