/**
 * The job-feature flags of `jobs submit` and `job-definition create`: good flags become the workflow file's fields,
 * bad ones fail with the workflow file's rule and the flag's name, and the AWS requests equal those the same job
 * in a workflow file sends.
 */
import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "./_run.ts";
import { sentBy, submitContent } from "./_aws_requests.ts";

const ROLE = "arn:aws:iam::123456789012:role/exec";
const JOB_ROLE = "arn:aws:iam::123456789012:role/trainer";
const EFS = "fs-0123456789abcdef0";
const AP = "fsap-0123456789abcdef0";
const settings = { executionRoleArn: ROLE };

/** Flags of an EC2 job with every feature, and the same job as a workflow file. */
const EC2_FLAGS = [
  "--image",
  "python:3.12",
  "--platform",
  "EC2",
  "--vcpus",
  "2",
  "--memory",
  "4096",
  "--volume",
  `efs=${EFS},mount_point=/mnt/efs,access_point=${AP},transit_encryption,iam,read_only`,
  "--volume",
  "host_path=/scratch,mount_point=/scratch",
  "--shared-memory",
  "1024",
  "--ulimit",
  "nofile=65536",
  "--ulimit",
  "memlock=-1:-1",
  "--privileged",
  "--user",
  "1000:1000",
  "--job-role",
  JOB_ROLE,
  "--priority",
  "7",
  "--share",
  "ml_team",
  "--consumable-resource",
  "my-license=2",
  "--command",
  "python train.py",
];
const EC2_TOML = `name = "w"
queue = "q"
[jobs.train]
image = "python:3.12"
platform = "EC2"
vcpus = 2
memory = 4096
command = "python train.py"
shared_memory = 1024
ulimits = { nofile = 65536, memlock = { soft = -1, hard = -1 } }
privileged = true
user = "1000:1000"
job_role = "${JOB_ROLE}"
priority = 7
share = "ml_team"
consumable_resources = { my-license = 2 }
[[jobs.train.volumes]]
efs = "${EFS}"
mount_point = "/mnt/efs"
access_point = "${AP}"
transit_encryption = true
iam = true
read_only = true
[[jobs.train.volumes]]
host_path = "/scratch"
mount_point = "/scratch"
`;

Deno.test("jobs submit with feature flags sends the requests the same workflow file job sends", async () => {
  const flags = await sentBy(["jobs", "submit", "-q", "q", ...EC2_FLAGS]);
  const file = await sentBy(["workflow", "submit", "$DIR/w.toml"], { "w.toml": EC2_TOML });
  assert.equal(flags.register.length, 1);
  assert.deepEqual(flags.register, file.register);
  assert.deepEqual(submitContent(flags.submit[0]!), submitContent(file.submit[0]!));
  const container = flags.register[0]!.containerProperties!;
  assert.deepEqual(container.volumes, [
    {
      name: "volume-1",
      efsVolumeConfiguration: {
        fileSystemId: EFS,
        transitEncryption: "ENABLED",
        authorizationConfig: { accessPointId: AP, iam: "ENABLED" },
      },
    },
    { name: "volume-2", host: { sourcePath: "/scratch" } },
  ]);
  assert.deepEqual(container.linuxParameters, { sharedMemorySize: 1024 });
  assert.deepEqual(container.ulimits, [
    { name: "memlock", softLimit: -1, hardLimit: -1 },
    { name: "nofile", softLimit: 65536, hardLimit: 65536 },
  ]);
  assert.equal(container.jobRoleArn, JOB_ROLE);
  assert.equal(container.privileged, true);
  assert.equal(container.user, "1000:1000");
  assert.deepEqual(flags.register[0]!.consumableResourceProperties, {
    consumableResourceList: [{ consumableResource: "my-license", quantity: 2 }],
  });
  assert.equal(flags.submit[0]!.schedulingPriorityOverride, 7);
  assert.equal(flags.submit[0]!.shareIdentifier, "ml_team");
});

Deno.test("jobs submit --nodes sends a multinode definition and node overrides, as a workflow file does", async () => {
  const args = ["--image", "mpi:1", "--platform", "EC2", "--nodes", "4", "--main-node", "1", "--command", "mpirun x"];
  const flags = await sentBy(["jobs", "submit", "-q", "q", ...args]);
  const toml = `name = "w"\nqueue = "q"\n[jobs.mpi]\nimage = "mpi:1"\nplatform = "EC2"\nnodes = 4\nmain_node = 1\n` +
    `command = "mpirun x"\n`;
  const file = await sentBy(["workflow", "submit", "$DIR/w.toml"], { "w.toml": toml });
  assert.deepEqual(flags.register, file.register);
  assert.equal(flags.register[0]!.type, "multinode");
  assert.equal(flags.register[0]!.nodeProperties!.numNodes, 4);
  assert.equal(flags.register[0]!.nodeProperties!.mainNode, 1);
  assert.equal(flags.submit[0]!.containerOverrides, undefined);
  assert.deepEqual(submitContent(flags.submit[0]!), submitContent(file.submit[0]!));
});

Deno.test("jobs submit --architecture ARM64 on Fargate sets the runtime platform", async () => {
  const flags = await sentBy(["jobs", "submit", "-q", "q", "--image", "alpine", "--architecture", "arm64"]);
  assert.deepEqual(flags.register[0]!.containerProperties!.runtimePlatform, {
    cpuArchitecture: "ARM64",
    operatingSystemFamily: "LINUX",
  });
});

Deno.test("job-definition create takes the feature flags into a standalone definition", async () => {
  const backend = new MemoryBackend();
  const r = await run(["job-definition", "create", ...EC2_FLAGS], { backend, settings });
  assert.equal(r.code, 0, r.stderr);
  const def = backend.definitions[0]!;
  assert.deepEqual(def.containerProperties.linuxParameters, { sharedMemorySize: 1024 });
  assert.equal(def.containerProperties.volumes?.length, 2);
  assert.equal(def.containerProperties.user, "1000:1000");
});

Deno.test("jobs submit --definition takes --priority and --share and refuses definition-level flags", async () => {
  const backend = new MemoryBackend();
  const created = await run(["job-definition", "create", "--image", "alpine", "--name", "d"], { backend, settings });
  assert.equal(created.code, 0, created.stderr);
  const ok = await run(["jobs", "submit", "-q", "q", "--definition", "d", "--priority", "3", "--share", "a1"], {
    backend,
    settings,
  });
  assert.equal(ok.code, 0, ok.stderr);
  const job = [...backend.jobs.values()][0]!;
  assert.equal(job.input?.schedulingPriorityOverride, 3);
  assert.equal(job.input?.shareIdentifier, "a1");
  const bad = await run(["jobs", "submit", "-q", "q", "--definition", "d", "--priority", "-1"], { backend, settings });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--priority: Expected a scheduling priority from 0 to 9999, got -1/);
  const refused = await run(["jobs", "submit", "-q", "q", "--definition", "d", "--volume", "efs=x,mount_point=/m"], {
    backend,
    settings,
  });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /With --definition only .*--priority and --share apply/);
});

const BAD: [string[], RegExp][] = [
  [["--shared-memory", "64"], /--shared-memory: The job sets shared_memory .* on Fargate.*--platform EC2/],
  [["--platform", "EC2", "--shared-memory", "4096", "--memory", "2048"], /--shared-memory: .*more than its memory/],
  [["--volume", "efs=fs-1,mount_point=/m"], /--volume \(number 1\): Expected an EFS file system id/],
  [["--volume", `efs=${EFS},mount_point=m`], /--volume \(number 1\): Expected an absolute path in the container/],
  [["--volume", `efs=${EFS},mount=/m`], /'--volume <spec>'.*Unknown or empty part 'mount=\/m'/],
  [["--volume", `efs=${EFS}`], /'--volume <spec>'.*Expected mount_point=/],
  [["--volume", `efs=${EFS},mount_point=/m,access_point=${AP}`], /--volume \(number 1\): .*transit_encryption/],
  [["--volume", "host_path=/data,mount_point=/d"], /--volume \(number 1\): Host volumes .* EC2 only/],
  [["--platform", "EC2", "--ulimit", "nofiel=3"], /--ulimit nofiel: Unknown ulimit 'nofiel'/],
  [["--platform", "EC2", "--ulimit", "nofile=10:5"], /--ulimit nofile: The soft limit \(10\) is above/],
  [["--ulimit", "nofile"], /'--ulimit <name=n>'.*Expected name=N or name=SOFT:HARD/],
  [["--ulimit", "nofile=1"], /--ulimit: The job sets ulimits on Fargate/],
  [["--architecture", "arm"], /'--architecture <arch>'.*Expected one of X86_64, ARM64/],
  [["--platform", "EC2", "--architecture", "ARM64"], /--architecture: The job sets architecture on EC2/],
  [["--privileged"], /--privileged: The job sets privileged = true on Fargate/],
  [["--user", "a b"], /--user: Expected a user name, a uid or uid:gid/],
  [["--job-role", "my-role"], /--job-role: Expected an IAM role ARN/],
  [["--priority", "10000"], /--priority: Expected a scheduling priority from 0 to 9999, got 10000/],
  [["--priority", "high"], /'--priority <n>'.*Expected a whole number/],
  [["--share", "a-b"], /--share: Expected a share identifier/],
  [["--nodes", "4"], /--nodes: The job sets nodes .* on Fargate/],
  [["--platform", "EC2", "--nodes", "1"], /--nodes: The job asks for 1 node/],
  [["--platform", "EC2", "--nodes", "2", "--main-node", "2"], /--main-node: Expected a main node index from 0 to 1/],
  [["--main-node", "0"], /--main-node: main_node needs nodes/],
  [["--consumable-resource", "lic=0"], /--consumable-resource lic: Expected a quantity of 1 or more/],
  [["--consumable-resource", "lic"], /'--consumable-resource <name=n>'.*Expected NAME=QUANTITY/],
];

for (const [args, expected] of BAD) {
  Deno.test(`jobs submit and job-definition create refuse ${args.join(" ")} with the flag named`, async () => {
    for (const head of [["jobs", "submit", "-q", "q"], ["job-definition", "create"]]) {
      const backend = new MemoryBackend();
      const r = await run([...head, "--image", "alpine", ...args], { backend, settings });
      assert.equal(r.code, 2, `${head.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, expected);
      assert.equal(backend.definitions.length, 0);
      assert.equal(backend.jobs.size, 0);
    }
  });
}
