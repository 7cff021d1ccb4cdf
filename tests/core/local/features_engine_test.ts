/**
 * The job features of issue 17 on the local backend's container runtime, end to end: a workflow file's job is
 * planned into its RegisterJobDefinition request, registered with the local backend and run through a fake
 * `docker` (tests/core/local/_fake_engine.sh, first on the daemon's PATH, recording its argv and running the
 * command). The exact `docker run` arguments are checked (EFS -> a directory of the local state, host path -> a
 * bind mount, `--shm-size`, `--ulimit`, `--user`), and the job's log says what is not emulated.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseWorkflow, planWorkflow, submitJobRequest } from "../../../mod.ts";
import type { JobDefinitionInput, SubmitJobInput } from "../../../core/backend_types.ts";
import type { LocalBackend } from "../../../core/local/backend.ts";
import { type EngineCall, withFakeEngines } from "./_fake_engine.ts";
import { logLines, waitDone } from "./_support.ts";

const ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";

/**
 * The RegisterJobDefinition and SubmitJob requests a workflow file's only job `a` plans to (`job` is the job's TOML
 * body), as `workflow submit` sends them.
 */
function requestsOf(job: string): { definition: JobDefinitionInput; submit: SubmitJobInput } {
  const text = `name = "w"\nqueue = "q"\n\n[jobs.a]\nimage = "img:1"\ncommand = "echo ran"\n${job}`;
  const plan = planWorkflow(parseWorkflow(text), { runId: "r1", executionRoleArn: ROLE });
  const definition = plan.definitions[0]!.input;
  const submit = submitJobRequest(plan.submissions[0]!, { definition: definition.jobDefinitionName, jobIds: {} });
  return { definition, submit };
}

/** Registers and submits the planned job, waits for it, and returns the job, its log and its `docker run` argv. */
async function runPlanned(backend: LocalBackend, calls: () => Promise<EngineCall[]>, job: string) {
  const { definition, submit } = requestsOf(job);
  await backend.registerJobDefinition(definition);
  const { jobId } = await backend.submitJob(submit);
  const [detail] = await waitDone(backend, [jobId], 20_000);
  const log = await logLines(backend, detail!.container?.logStreamName);
  const run = (await calls()).filter((c) => c.args[0] === "run").at(-1);
  return { definition, job: detail!, log, args: run ? featureArgs(run.args, "img:1") : undefined };
}

/** The arguments between the environment (`-e`) and the image: where the features go. */
function featureArgs(args: string[], image: string): string[] {
  const end = args.indexOf(image);
  let start = args.findIndex((a) => a.startsWith("--memory=")) + 1;
  while (args[start] === "-e" || args[start - 1] === "-e" || args[start]?.startsWith("--gpus")) start++;
  return args.slice(start, end);
}

Deno.test("LocalBackend docker runtime: volumes, shared_memory, ulimits and user become docker run flags; privileged is named as not emulated", async () => {
  const host = await Deno.makeTempDir({ prefix: "ezbatch-host-path-" });
  try {
    await withFakeEngines({ docker: "up" }, {}, async ({ backend, calls, stateDir }) => {
      const { job, log, args } = await runPlanned(
        backend,
        calls,
        'platform = "EC2"\nvcpus = 1\nmemory = 256\nshared_memory = 64\nuser = "1000:1000"\nprivileged = true\n' +
          "ulimits = { nofile = 1024, memlock = { soft = -1, hard = -1 } }\n" +
          '[[jobs.a.volumes]]\nefs = "fs-0123456789abcdef0"\nroot_directory = "/shared"\nmount_point = "/mnt/efs"\n' +
          `read_only = true\n[[jobs.a.volumes]]\nhost_path = "${host}"\nmount_point = "/scratch"`,
      );
      assert.equal(job.status, "SUCCEEDED", job.statusReason);
      const efs = join(stateDir, "efs", "fs-0123456789abcdef0", "shared");
      assert.deepEqual(args, [
        ...["-v", `${efs}:/mnt/efs:ro`, "-v", `${host}:/scratch`],
        ...["--shm-size=64m", "--ulimit=memlock=-1:-1", "--ulimit=nofile=1024:1024", "--user=1000:1000"],
      ]);
      // A bind mount needs its source: the EFS stand-in directory exists, shared by every job of the state.
      assert.ok((await Deno.stat(efs)).isDirectory);
      assert.ok(!args.includes("--privileged"), "a local container is never privileged");
      assert.deepEqual(log.filter((l) => l.startsWith("[ezbatch local]")), [
        "[ezbatch local] Not emulated locally: privileged mode",
      ]);
    });
  } finally {
    await Deno.remove(host, { recursive: true });
  }
});

Deno.test("LocalBackend docker runtime: an ARM64 Fargate job runs as built for this machine, and its log says so", async () => {
  await withFakeEngines({ docker: "up" }, {}, async ({ backend, calls }) => {
    const { definition, job, log, args } = await runPlanned(
      backend,
      calls,
      'architecture = "ARM64"\nvcpus = 0.25\nmemory = 512',
    );
    assert.deepEqual(definition.containerProperties!.runtimePlatform, {
      cpuArchitecture: "ARM64",
      operatingSystemFamily: "LINUX",
    });
    assert.equal(job.status, "SUCCEEDED", job.statusReason);
    assert.deepEqual(args, []);
    const notes = log.filter((l) => l.startsWith("[ezbatch"));
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /Not emulated locally: CPU architecture ARM64 \(.*on AWS it needs an arm64 one\)/);
  });
});

Deno.test("LocalBackend host runtime: the job's log names the features it cannot apply without an engine", async () => {
  await withFakeEngines({}, {}, async ({ backend, calls }) => {
    const { job, log, args } = await runPlanned(
      backend,
      calls,
      'platform = "EC2"\nvcpus = 1\nmemory = 256\nshared_memory = 64\nuser = "1000"\nulimits = { nofile = 1024 }\n' +
        '[[jobs.a.volumes]]\nefs = "fs-0123456789abcdef0"\nmount_point = "/mnt/efs"',
    );
    assert.equal(job.status, "SUCCEEDED", job.statusReason);
    assert.equal(args, undefined, "no engine ran");
    assert.ok(
      log.includes(
        "[ezbatch local] Without docker or podman these are not applied: volumes, shared memory, ulimits, user",
      ),
      log.join("\n"),
    );
  });
});

Deno.test("LocalBackend docker runtime: each node of a multi-node job gets its own range's volumes, shared memory and user", async () => {
  await withFakeEngines({ docker: "up" }, {}, async ({ backend, calls, stateDir }) => {
    const range = (targetNodes: string, extra: Record<string, unknown>) => ({
      targetNodes,
      container: {
        image: "mpi:1",
        command: ["/bin/sh", "-c", "true"],
        resourceRequirements: [{ type: "VCPU" as const, value: "1" }, { type: "MEMORY" as const, value: "256" }],
        ...extra,
      },
    });
    await backend.registerJobDefinition({
      jobDefinitionName: "mnp-features",
      type: "multinode",
      platformCapabilities: ["EC2"],
      nodeProperties: {
        numNodes: 3,
        mainNode: 0,
        nodeRangeProperties: [
          range("0", {
            volumes: [{ name: "data", efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0" } }],
            mountPoints: [{ sourceVolume: "data", containerPath: "/data" }],
            user: "1000",
          }),
          range("1:", {
            linuxParameters: { sharedMemorySize: 128 },
            ulimits: [{ name: "nofile", softLimit: 8, hardLimit: 9 }],
          }),
        ],
      },
    } as JobDefinitionInput);
    const { jobId } = await backend.submitJob({ jobName: "mnp", jobQueue: "q", jobDefinition: "mnp-features" });
    const nodes = await waitDone(backend, [0, 1, 2].map((i) => `${jobId}:${i}`), 20_000);
    assert.deepEqual(nodes.map((n) => n.status), ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const byNode = new Map<string, string[]>();
    for (const run of (await calls()).filter((c) => c.args[0] === "run")) {
      const node = run.env!.find((e) => e.startsWith("AWS_BATCH_JOB_NODE_INDEX="))!.split("=")[1]!;
      byNode.set(node, featureArgs(run.args, "mpi:1"));
    }
    const efs = join(stateDir, "efs", "fs-0123456789abcdef0");
    assert.deepEqual(Object.fromEntries([...byNode].sort()), {
      "0": ["-v", `${efs}:/data`, "--user=1000"],
      "1": ["--shm-size=128m", "--ulimit=nofile=8:9"],
      "2": ["--shm-size=128m", "--ulimit=nofile=8:9"],
    });
  });
});

Deno.test("LocalBackend podman runtime: the same volume, shared memory, ulimit and user flags as docker", async () => {
  await withFakeEngines({ podman: "up" }, {}, async ({ backend, calls, stateDir }) => {
    const { job, args } = await runPlanned(
      backend,
      calls,
      'platform = "EC2"\nvcpus = 1\nmemory = 256\nshared_memory = 32\nuser = "nobody"\nulimits = { nproc = 64 }\n' +
        '[[jobs.a.volumes]]\nefs = "fs-0123456789abcdef0"\nmount_point = "/mnt/efs"',
    );
    assert.equal(job.status, "SUCCEEDED", job.statusReason);
    assert.ok((await calls()).every((c) => c.engine === "podman"));
    assert.deepEqual(args, [
      ...["-v", `${join(stateDir, "efs", "fs-0123456789abcdef0")}:/mnt/efs`],
      ...["--shm-size=32m", "--ulimit=nproc=64:64", "--user=nobody"],
    ]);
  });
});
