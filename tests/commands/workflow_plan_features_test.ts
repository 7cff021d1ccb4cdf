/**
 * Every job feature of issue 17 in one workflow file: `workflow plan --json` shows the RegisterJobDefinition
 * requests, `workflow submit` sends the same ones and its SubmitJob requests, and each request has the members,
 * enums and kinds the AWS Batch API Reference gives (tests/support/batch_request_shapes.ts names the pages).
 */
import assert from "node:assert/strict";
import { shapeErrors } from "../support/batch_request_shapes.ts";
import { sentBy } from "./_aws_requests.ts";
import { run } from "./_run.ts";

const ROLE = "arn:aws:iam::123456789012:role/exec";
const WORKFLOW = `name = "features"
queue = "q"

[jobs.train]
image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1"
command = ["python", "train.py"]
platform = "EC2"
vcpus = 4
memory = 16384
shared_memory = 8192
ulimits = { nofile = 65536, memlock = { soft = -1, hard = -1 } }
privileged = true
user = "1000:1000"
job_role = "arn:aws:iam::123456789012:role/trainer"
priority = 9
share = "ml_team"
consumable_resources = { "matlab-license" = 2 }

[[jobs.train.volumes]]
efs = "fs-0123456789abcdef0"
mount_point = "/mnt/data"
access_point = "fsap-0123456789abcdef0"
transit_encryption = true
iam = true
read_only = true

[[jobs.train.volumes]]
host_path = "/scratch"
mount_point = "/scratch"

[jobs.arm]
image = "public.ecr.aws/docker/library/alpine:3.20"
command = "uname -m"
architecture = "ARM64"
vcpus = 1
memory = 2048

[[jobs.arm.volumes]]
efs = "fs-0123456789abcdef0"
root_directory = "/results"
mount_point = "/results"

[jobs.mpi]
image = "mpi:1"
command = "mpirun ./solver"
platform = "EC2"
vcpus = 2
memory = 4096
nodes = 4
main_node = 0
node_ranges = [
  { targets = "0", image = "mpi-main:1", command = "./main" },
  { targets = "1:", vcpus = 8, memory = 32768, environment = { ROLE = "worker" } },
]

[dependencies]
mpi = ["train"]
`;

Deno.test("workflow plan --json and workflow submit send every feature in the shapes of RegisterJobDefinition and SubmitJob", async () => {
  const plan = await run(["workflow", "plan", "-", "--run-id", "r1", "--json"], {
    stdin: new Blob([WORKFLOW]).stream(),
    settings: { executionRoleArn: ROLE },
  });
  assert.equal(plan.code, 0, plan.stderr);
  const planned = JSON.parse(plan.stdout) as { definitions: { input: Record<string, unknown> }[] };
  const sent = await sentBy(["workflow", "submit", "$DIR/f.toml", "--run-id", "r1"], { "f.toml": WORKFLOW });

  // What plan shows is what submit registers, and each request is of AWS's shapes.
  assert.deepEqual(sent.register, planned.definitions.map((d) => d.input));
  assert.equal(sent.register.length, 3);
  for (const r of sent.register) assert.deepEqual(shapeErrors(r, "RegisterJobDefinition"), []);
  assert.equal(sent.submit.length, 3);
  for (const s of sent.submit) assert.deepEqual(shapeErrors(s, "SubmitJob"), []);

  const byImage = (image: string) =>
    sent.register.find((r) =>
      r.containerProperties?.image === image || r.nodeProperties?.nodeRangeProperties?.[0]?.container?.image === image
    )!;
  const train = byImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1").containerProperties!;
  assert.deepEqual(train.volumes, [
    {
      name: "volume-1",
      efsVolumeConfiguration: {
        fileSystemId: "fs-0123456789abcdef0",
        transitEncryption: "ENABLED",
        authorizationConfig: { accessPointId: "fsap-0123456789abcdef0", iam: "ENABLED" },
      },
    },
    { name: "volume-2", host: { sourcePath: "/scratch" } },
  ]);
  assert.deepEqual(train.mountPoints, [
    { sourceVolume: "volume-1", containerPath: "/mnt/data", readOnly: true },
    { sourceVolume: "volume-2", containerPath: "/scratch", readOnly: false },
  ]);
  assert.deepEqual(train.linuxParameters, { sharedMemorySize: 8192 });
  assert.deepEqual(train.ulimits, [
    { name: "memlock", softLimit: -1, hardLimit: -1 },
    { name: "nofile", softLimit: 65536, hardLimit: 65536 },
  ]);
  assert.equal(train.privileged, true);
  assert.equal(train.user, "1000:1000");
  assert.equal(train.jobRoleArn, "arn:aws:iam::123456789012:role/trainer");
  assert.deepEqual(byImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1").consumableResourceProperties, {
    consumableResourceList: [{ consumableResource: "matlab-license", quantity: 2 }],
  });

  const arm = byImage("public.ecr.aws/docker/library/alpine:3.20");
  assert.deepEqual(arm.platformCapabilities, ["FARGATE"]);
  assert.deepEqual(arm.containerProperties!.runtimePlatform, {
    cpuArchitecture: "ARM64",
    operatingSystemFamily: "LINUX",
  });
  assert.deepEqual(arm.containerProperties!.volumes, [
    { name: "volume-1", efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0", rootDirectory: "/results" } },
  ]);

  // A multinode definition has nodeProperties and no containerProperties (API_RegisterJobDefinition.html).
  const mpi = byImage("mpi-main:1");
  assert.equal(mpi.type, "multinode");
  assert.equal(mpi.containerProperties, undefined);
  assert.deepEqual(mpi.platformCapabilities, ["EC2"]);
  assert.equal(mpi.nodeProperties!.numNodes, 4);
  assert.equal(mpi.nodeProperties!.mainNode, 0);
  assert.deepEqual(mpi.nodeProperties!.nodeRangeProperties!.map((r) => [r.targetNodes, r.container!.image]), [
    ["0", "mpi-main:1"],
    ["1:", "mpi:1"],
  ]);

  const submitOf = (job: string) => sent.submit.find((s) => s.jobName === `features-r1-${job}`)!;
  assert.equal(submitOf("train").schedulingPriorityOverride, 9);
  assert.equal(submitOf("train").shareIdentifier, "ml_team");
  const mpiSubmit = submitOf("mpi");
  assert.equal(mpiSubmit.containerOverrides, undefined, "SubmitJob of a multinode job takes nodeOverrides");
  const overrides = (mpiSubmit.nodeOverrides as { nodePropertyOverrides: { targetNodes: string }[] })
    .nodePropertyOverrides;
  assert.deepEqual(overrides.map((o) => o.targetNodes), ["0", "1:"]);
});

Deno.test("shapeErrors() names an unknown member, a missing required one, a bad enum and a wrong kind", () => {
  assert.deepEqual(
    shapeErrors({
      jobDefinitionName: "d",
      type: "container",
      containerProperties: {
        image: "i",
        shmSize: 1,
        ulimits: [{ name: "nofile", softLimit: 1 }],
        volumes: [{ name: "v", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: "ON" } }],
        linuxParameters: { sharedMemorySize: "64" },
      },
    }, "RegisterJobDefinition"),
    [
      "RegisterJobDefinition.containerProperties.shmSize: not a member of ContainerProperties",
      "RegisterJobDefinition.containerProperties.ulimits[0].hardLimit: required",
      "RegisterJobDefinition.containerProperties.volumes[0].efsVolumeConfiguration.transitEncryption: 'ON' is not one of ENABLED,DISABLED",
      'RegisterJobDefinition.containerProperties.linuxParameters.sharedMemorySize: expected an integer, got "64"',
    ],
  );
});
