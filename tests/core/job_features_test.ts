import assert from "node:assert/strict";
import { parseWorkflow, planWorkflow, submitJobRequest } from "../../mod.ts";
import { issuesOf, oneJob } from "../support/workflow_issues.ts";
import { engineArgs, featureNotes, localFeatures, nodeEnvironment } from "../../core/local/features.ts";
import type { JobDefinition } from "../../core/backend_types.ts";

const ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
const EC2 = 'platform = "EC2"\nmemory = 8192';

function plan(job: string, extra = "") {
  const wf = parseWorkflow(`name = "w"\nqueue = "q"\n\n[jobs.a]\nimage = "alpine"\ncommand = "true"\n${job}\n${extra}`);
  return planWorkflow(wf, { runId: "r1", executionRoleArn: ROLE });
}

Deno.test("volumes: EFS with access point and a host path become volumes and mountPoints (RegisterJobDefinition)", () => {
  const p = plan(
    EC2,
    `[[jobs.a.volumes]]\nefs = "fs-0123456789abcdef0"\nmount_point = "/mnt/efs"\naccess_point = "fsap-0123456789abcdef0"\n` +
      `transit_encryption = true\niam = true\nread_only = true\n[[jobs.a.volumes]]\nhost_path = "/scratch"\nmount_point = "/scratch"`,
  );
  const c = p.definitions[0]!.input.containerProperties;
  assert.deepEqual(c.volumes, [
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
  assert.deepEqual(c.mountPoints, [
    { sourceVolume: "volume-1", containerPath: "/mnt/efs", readOnly: true },
    { sourceVolume: "volume-2", containerPath: "/scratch", readOnly: false },
  ]);
});

Deno.test("volumes: bad ids, an access point without transit encryption, a host path on Fargate are named", () => {
  const efs = (body: string) => oneJob("", `[[jobs.a.volumes]]\nmount_point = "/m"\n${body}`);
  assert.deepEqual(issuesOf(efs('efs = "fs-1"')), [
    "8: jobs.a.volumes[0].efs: Expected an EFS file system id like 'fs-0123456789abcdef0', got 'fs-1'",
  ]);
  assert.deepEqual(
    issuesOf(efs('efs = "fs-0123456789abcdef0"\naccess_point = "fsap-0123456789abcdef0"\nroot_directory = "/x"')),
    [
      "6: jobs.a.volumes[0].transit_encryption: An EFS access point or IAM authorization needs transit_encryption = true",
      "10: jobs.a.volumes[0].root_directory: With an access point, omit root_directory (or use '/'): the access point sets it",
    ],
  );
  assert.deepEqual(issuesOf(efs('host_path = "/data"')), [
    "8: jobs.a.volumes[0].host_path: Host volumes (host_path) exist on EC2 only: use an EFS volume on Fargate",
  ]);
  assert.deepEqual(issuesOf(efs("")), [
    "6: jobs.a.volumes[0]: A volume needs exactly one of efs (an EFS file system id) and host_path (EC2 only)",
  ]);
  assert.match(
    issuesOf(oneJob("", '[[jobs.a.volumes]]\nmount_point = "rel"\nefs = "fs-0123456789abcdef0"'))[0]!,
    /absolute path/,
  );
});

Deno.test("shared_memory, ulimits, privileged and user render into the definition on EC2", () => {
  const c = plan(
    `${EC2}\nshared_memory = 4096\nulimits = { nofile = 65536, memlock = { soft = -1, hard = -1 } }\n` +
      'privileged = true\nuser = "1000:1000"',
  ).definitions[0]!.input.containerProperties;
  assert.deepEqual(c.linuxParameters, { sharedMemorySize: 4096 });
  assert.deepEqual(c.ulimits, [
    { name: "memlock", softLimit: -1, hardLimit: -1 },
    { name: "nofile", softLimit: 65536, hardLimit: 65536 },
  ]);
  assert.equal(c.privileged, true);
  assert.equal(c.user, "1000:1000");
});

Deno.test("Fargate refuses shared_memory, ulimits, privileged and nodes with the reason; bad values are named", () => {
  assert.deepEqual(issuesOf(oneJob("shared_memory = 64\nulimits = { nofile = 10 }\nprivileged = true\nnodes = 2")), [
    "5: jobs.a.shared_memory: Job 'a' sets shared_memory (/dev/shm) on Fargate: AWS Batch allows it on EC2 only (set platform = 'EC2')",
    "6: jobs.a.ulimits: Job 'a' sets ulimits on Fargate: AWS Batch allows it on EC2 only (set platform = 'EC2')",
    "7: jobs.a.privileged: Job 'a' sets privileged = true on Fargate: AWS Batch allows it on EC2 only (set platform = 'EC2')",
    "8: jobs.a.nodes: Job 'a' sets nodes (a multi-node parallel job) on Fargate: AWS Batch allows it on EC2 only (set platform = 'EC2')",
  ]);
  assert.deepEqual(
    issuesOf(oneJob(`${EC2}\nulimits = { files = 1, nofile = { soft = 10, hard = 5 } }\nshared_memory = 9000`)),
    [
      "7: jobs.a.shared_memory: Job 'a' asks for 9000 MiB of shared memory, more than its memory (8192 MiB): /dev/shm counts against the container's memory",
      "7: jobs.a.ulimits.files: Unknown ulimit 'files': use one of core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack",
      "7: jobs.a.ulimits.nofile: The soft limit (10) is above the hard limit (5)",
    ].map((s, i) => i === 0 ? s.replace(/^7/, "8") : s).sort((a, b) =>
      a.includes("shared") ? 1 : b.includes("shared") ? -1 : 0
    ),
  );
  assert.deepEqual(issuesOf(oneJob('job_role = "my-role"\nuser = "a b"\npriority = 10000\nshare = "team-a"')), [
    "5: jobs.a.job_role: Expected an IAM role ARN like 'arn:aws:iam::123456789012:role/my-job-role', got 'my-role'",
    "6: jobs.a.user: Expected a user name, a uid or uid:gid (e.g. 'ubuntu', '1000', '1000:1000'), got 'a b'",
    "7: jobs.a.priority: Expected a scheduling priority from 0 to 9999, got 10000",
    "8: jobs.a.share: Expected a share identifier of 1–255 letters, digits and '_', got 'team-a'",
  ]);
});

Deno.test("architecture ARM64 sets runtimePlatform on Fargate and is refused on EC2", () => {
  const c = plan('architecture = "ARM64"').definitions[0]!.input.containerProperties;
  assert.deepEqual(c.runtimePlatform, { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" });
  assert.match(issuesOf(oneJob(`${EC2}\narchitecture = "ARM64"`))[0]!, /instance types decide it/);
  assert.match(issuesOf(oneJob('architecture = "arm"'))[0]!, /architecture/);
});

Deno.test("job_role wins over the configured role; priority and share go into SubmitJob and its digest", () => {
  const p = plan('job_role = "arn:aws:iam::123456789012:role/trainer"\npriority = 7\nshare = "teamA"');
  assert.equal(p.definitions[0]!.input.containerProperties.jobRoleArn, "arn:aws:iam::123456789012:role/trainer");
  const request = submitJobRequest(p.submissions[0]!, { definition: "d:1", jobIds: {} });
  assert.equal(request.schedulingPriorityOverride, 7);
  assert.equal(request.shareIdentifier, "teamA");
  const other = plan('job_role = "arn:aws:iam::123456789012:role/trainer"\npriority = 8\nshare = "teamA"');
  const digest = (s: string) => Object.fromEntries(s.split(" ").map((kv) => kv.split("=")));
  const [a, b] = [p, other].map((x) => digest(x.submissions[0]!.tags["ezbatch:digest"]!));
  assert.notEqual(a.sched, b.sched);
  assert.equal(a.def, b.def, "priority is not part of the definition");
});

Deno.test("nodes make a multinode definition and SubmitJob carries nodeOverrides instead of containerOverrides", () => {
  const p = plan(`${EC2}\nnodes = 3\nmain_node = 1`);
  const d = p.definitions[0]!.input;
  assert.equal(d.type, "multinode");
  assert.equal(d.containerProperties, undefined);
  assert.equal(d.nodeProperties!.numNodes, 3);
  assert.equal(d.nodeProperties!.mainNode, 1);
  assert.equal(d.nodeProperties!.nodeRangeProperties[0]!.targetNodes, "0:");
  assert.equal(d.nodeProperties!.nodeRangeProperties[0]!.container!.image, "alpine");
  const request = submitJobRequest(p.submissions[0]!, { definition: "d:1", jobIds: {} });
  assert.equal(request.containerOverrides, undefined);
  assert.deepEqual(request.nodeOverrides!.nodePropertyOverrides![0]!.containerOverrides!.command, [
    "/bin/sh",
    "-c",
    "true",
  ]);
  assert.deepEqual(issuesOf(oneJob(`${EC2}\nnodes = 2\nmain_node = 2\nmatrix = { X = [1, 2] }`)), [
    "7: jobs.a.nodes: Job 'a' has both nodes and matrix: AWS Batch runs no array job of multi-node jobs",
    "8: jobs.a.main_node: Expected a main node index from 0 to 1, got 2",
  ]);
  assert.match(issuesOf(oneJob(`${EC2}\nnodes = 1`))[0]!, /2 or more/);
  assert.match(issuesOf(oneJob("main_node = 0"))[0]!, /main_node needs nodes/);
});

Deno.test("consumable_resources go into consumableResourceProperties; bad names and quantities are named", () => {
  const d = plan("consumable_resources = { matlab = 2 }").definitions[0]!.input;
  assert.deepEqual(d.consumableResourceProperties, {
    consumableResourceList: [{ consumableResource: "matlab", quantity: 2 }],
  });
  assert.deepEqual(issuesOf(oneJob('consumable_resources = { "a b" = 0 }')), [
    `5: jobs.a.consumable_resources."a b": Expected a consumable resource name (1–128 letters, digits, '-' and '_') or its ARN, got 'a b'`,
    `5: jobs.a.consumable_resources."a b": Expected a quantity of 1 or more, got 0`,
  ]);
});

Deno.test("a Python ezbatch JSON file and a plain job still plan to the same definition name as before", () => {
  const p = plan("");
  assert.equal(p.definitions[0]!.input.containerProperties.volumes, undefined);
  assert.equal(p.submissions[0]!.schedulingPriorityOverride, undefined);
  assert.equal(p.submissions[0]!.nodeOverrides, undefined);
});

Deno.test("local backend: volumes, shm, ulimits, user become engine flags; nodes get AWS Batch's node variables", () => {
  const definition = plan(
    `${EC2}\nshared_memory = 256\nulimits = { nofile = 1024 }\nuser = "1000"\nprivileged = true\nshare = "t"`,
    '[[jobs.a.volumes]]\nefs = "fs-0123456789abcdef0"\nmount_point = "/mnt/efs"\nread_only = true',
  ).definitions[0]!.input as JobDefinition;
  const features = localFeatures(definition, { jobName: "j", jobQueue: "q", jobDefinition: "d", shareIdentifier: "t" });
  assert.deepEqual(engineArgs(features, "/state/work/id/1"), [
    "-v",
    "/state/efs/fs-0123456789abcdef0:/mnt/efs:ro",
    "--shm-size=256m",
    "--ulimit=nofile=1024:1024",
    "--user=1000",
  ]);
  assert.deepEqual(featureNotes(features, "host"), [
    "Not emulated locally: privileged mode",
    "Not emulated locally: fair-share priority and share (local queues run in submission order)",
    "Without docker or podman these are not applied: volumes, shared memory, ulimits, user",
  ]);
  const mnp = plan(`${EC2}\nnodes = 3`).definitions[0]!.input as JobDefinition;
  const nodes = localFeatures(mnp, { jobName: "j", jobQueue: "q", jobDefinition: "d" });
  assert.deepEqual(nodeEnvironment(nodes, 2), {
    AWS_BATCH_JOB_NODE_INDEX: "2",
    AWS_BATCH_JOB_MAIN_NODE_INDEX: "0",
    AWS_BATCH_JOB_NUM_NODES: "3",
    AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS: "127.0.0.1",
  });
  assert.deepEqual(nodeEnvironment(nodes, 0).AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS, undefined);
});
