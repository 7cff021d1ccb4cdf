import assert from "node:assert/strict";
import { join } from "node:path";
import type { JobDetail } from "../../../core/backend_types.ts";
import { AWS_SHIM_SCRIPT } from "../../../core/local/aws_shim.ts";
import type { LocalBackend } from "../../../core/local/backend.ts";
import { StateStore } from "../../../core/local/store.ts";
import { type EngineCall, type Engines, withFakeEngines } from "./_fake_engine.ts";
import { define, logLines, waitDone, waitFor } from "./_support.ts";

/** Submits one job of definition `definition` and waits for it to end. */
async function runJob(backend: LocalBackend, definition: string, extra = {}): Promise<JobDetail> {
  const { jobId } = await backend.submitJob({ jobName: "j", jobQueue: "q", jobDefinition: definition, ...extra });
  const [job] = await waitDone(backend, [jobId]);
  return job!;
}

const brief = (calls: EngineCall[]) => calls.map((c) => `${c.engine} ${c.args[0]}`);

/** Runs `echo $HOME` with runtime `auto` over `engines`; returns the engine calls, job status and output. */
async function detect(engines: Engines) {
  let seen: { calls: string[]; status: string; lines: string[] } | undefined;
  await withFakeEngines(engines, { env: { HOME: "/home/tester" } }, async ({ backend, calls }) => {
    const job = await runJob(backend, await define(backend, "d", 'echo "home=$HOME"'));
    seen = {
      calls: brief(await calls()),
      status: job.status,
      lines: await logLines(backend, job.container?.logStreamName),
    };
  });
  return seen!;
}

Deno.test("LocalBackend runtime 'auto' runs jobs with docker when `docker info` answers, without asking podman", async () => {
  // A container sees only the variables it is given: no HOME from this machine.
  assert.deepEqual(await detect({ docker: "up", podman: "up" }), {
    calls: ["docker info", "docker run"],
    status: "SUCCEEDED",
    lines: ["home="],
  });
});

Deno.test("LocalBackend runtime 'auto' runs jobs with podman when only `podman info` answers", async () => {
  assert.deepEqual(await detect({ docker: "down", podman: "up" }), {
    calls: ["docker info", "podman info", "podman run"],
    status: "SUCCEEDED",
    lines: ["home="],
  });
});

Deno.test("LocalBackend runtime 'auto' runs jobs on the host when neither engine answers", async () => {
  assert.deepEqual(await detect({ docker: "down", podman: "down" }), {
    calls: ["docker info", "podman info"],
    status: "SUCCEEDED",
    lines: [
      "[ezbatch local] No private mount namespace here (needs root and unshare): container paths are this machine's paths",
      "home=/home/tester",
    ],
  });
});

Deno.test("LocalBackend podman runtime gives a GPU job the engine's GPU devices", async () => {
  await withFakeEngines({ docker: "down", podman: "up" }, {}, async ({ backend, calls }) => {
    const gpu = { containerOverrides: { resourceRequirements: [{ type: "GPU", value: "2" }] } };
    const job = await runJob(backend, await define(backend, "g", "echo gpu"), gpu);
    assert.equal(job.status, "SUCCEEDED");
    const run = (await calls()).find((c) => c.args[0] === "run")!;
    assert.ok(run.args.includes("--device=nvidia.com/gpu=all"), run.args.join(" "));
  });
});

Deno.test("LocalBackend docker runtime passes a job's own PATH by value, with the aws shim first when serving S3", async () => {
  const s3Dir = await Deno.makeTempDir({ prefix: "ezbatch-engine-s3-" });
  try {
    for (
      const [options, expected] of [[{ s3Dir }, "/opt/ezbatch/bin:/opt/tools/bin:/usr/bin:/bin"], [
        {},
        "/opt/tools/bin:/usr/bin:/bin",
      ]] as const
    ) {
      // The engine's client still finds `docker` on this machine's PATH: it failed to start before.
      await withFakeEngines({ docker: "up" }, options, async ({ backend, calls }) => {
        const { jobDefinitionArn } = await backend.registerJobDefinition({
          jobDefinitionName: "own-path",
          type: "container",
          platformCapabilities: ["EC2"],
          containerProperties: {
            image: "alpine",
            command: ["/bin/sh", "-c", 'echo "$PATH"'],
            environment: [{ name: "PATH", value: "/opt/tools/bin:/usr/bin:/bin" }],
          },
        });
        const job = await runJob(backend, jobDefinitionArn);
        assert.equal(job.status, "SUCCEEDED", job.statusReason);
        assert.deepEqual(await logLines(backend, job.container?.logStreamName), [expected]);
        const run = (await calls()).find((c) => c.args[0] === "run")!;
        const paths = run.args.filter((a, i) => run.args[i - 1] === "-e" && a.startsWith("PATH"));
        assert.deepEqual(paths, [`PATH=${expected}`], "one PATH, by value");
      });
    }
  } finally {
    await Deno.remove(s3Dir, { recursive: true });
  }
});

Deno.test("LocalBackend docker runtime: `docker run` gets the image, command, environment, limits, name and mounts, values intact", async () => {
  const s3Dir = await Deno.makeTempDir({ prefix: "ezbatch-engine-s3-" });
  const tricky = `it's "quoted" $HOME \`id\` $(id) \\n`;
  const env = { AWS_REGION: "eu-west-3", AWS_ACCESS_KEY_ID: "AKIDFAKE", DB_PASSWORD: "p@ss w$rd 'x'", HOME: "/h" };
  try {
    await withFakeEngines({ docker: "up" }, { s3Dir, env }, async ({ backend, calls, stateDir }) => {
      const script = 'printf "[%s]\\n" "$@" "$GREETING" "$TRICKY" "$NEW" "$DB_PASSWORD"';
      const command = ["/bin/sh", "-c", script, "sh", "two words", tricky];
      const { jobDefinitionArn } = await backend.registerJobDefinition({
        jobDefinitionName: "train",
        type: "container",
        platformCapabilities: ["EC2"],
        containerProperties: {
          image: "registry.example/team/train:1.2",
          command,
          environment: [{ name: "GREETING", value: "hello" }, { name: "TRICKY", value: tricky }],
          secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-3:1:secret:db" }],
          resourceRequirements: [{ type: "VCPU", value: "2" }, { type: "MEMORY", value: "512" }],
        },
      });
      const job = await runJob(backend, jobDefinitionArn, {
        containerOverrides: {
          environment: [{ name: "GREETING", value: "hello  world" }, { name: "NEW", value: "$NEW" }],
          resourceRequirements: [{ type: "MEMORY", value: "768" }, { type: "GPU", value: "1" }],
        },
      });
      assert.equal(job.status, "SUCCEEDED");
      assert.deepEqual(await logLines(backend, job.container?.logStreamName), [
        "[two words]",
        `[${tricky}]`,
        "[hello  world]",
        `[${tricky}]`,
        "[$NEW]",
        `[${env.DB_PASSWORD}]`,
      ]);

      const state = await new StateStore(stateDir).read();
      const workDir: string = state.jobs[job.jobId]!.attempts[0]!.workDir;
      const run = (await calls()).find((c) => c.args[0] === "run")!;
      // The variables passed by name (`-e NAME`, value from the client's environment) in any order; the rest exact.
      const byName: string[] = [];
      const rest = run.args.filter((arg, i, all) => {
        const named = arg === "-e" && !all[i + 1]!.includes("=") || all[i - 1] === "-e" && !arg.includes("=");
        if (named && arg !== "-e") byName.push(arg);
        return !named;
      });
      const path = "PATH=/opt/ezbatch/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
      assert.deepEqual(rest, [
        ...["run", "--rm", "--init", "--name", `ezbatch-${job.jobId}-1`, "--cpus=2", "--memory=768m", "--gpus=1"],
        ...["-v", `${s3Dir}:${s3Dir}`, "-v", `${workDir}/bin:/opt/ezbatch/bin:ro`, "-e", path],
        "registry.example/team/train:1.2",
        ...command,
      ]);
      const batch = ["AWS_BATCH_CE_NAME", "AWS_BATCH_JOB_ATTEMPT", "AWS_BATCH_JOB_ID", "AWS_BATCH_JQ_NAME"];
      const names = ["AWS_ACCESS_KEY_ID", ...batch, "AWS_REGION", "DB_PASSWORD", "EZBATCH_S3_DIR", "GREETING", "NEW"];
      assert.deepEqual(byName.sort(), [...names, "TRICKY"]);
      assert.deepEqual(run.env!.sort(), [
        "AWS_ACCESS_KEY_ID=AKIDFAKE",
        "AWS_BATCH_CE_NAME=ezbatch-local",
        "AWS_BATCH_JOB_ATTEMPT=1",
        `AWS_BATCH_JOB_ID=${job.jobId}`,
        "AWS_BATCH_JQ_NAME=q",
        "AWS_REGION=eu-west-3",
        `DB_PASSWORD=${env.DB_PASSWORD}`,
        `EZBATCH_S3_DIR=${s3Dir}`,
        "GREETING=hello  world",
        "NEW=$NEW",
        path,
        `TRICKY=${tricky}`,
      ]);
      // The mounted bin directory holds the aws shim, executable.
      assert.equal(await Deno.readTextFile(join(workDir, "bin", "aws")), AWS_SHIM_SCRIPT);
      assert.equal((await Deno.stat(join(workDir, "bin", "aws"))).mode! & 0o111, 0o111);
    });
  } finally {
    await Deno.remove(s3Dir, { recursive: true });
  }
});

Deno.test("LocalBackend docker runtime: the container's output is the job's log and its exit code decides the job", async () => {
  await withFakeEngines({ docker: "up" }, {}, async ({ backend }) => {
    const ok = await runJob(backend, await define(backend, "ok", "echo out; sleep 0.1; echo err >&2"));
    assert.equal(ok.status, "SUCCEEDED");
    assert.equal(ok.container?.exitCode, 0);
    assert.deepEqual(await logLines(backend, ok.container?.logStreamName), ["out", "err"]);
    const bad = await runJob(backend, await define(backend, "bad", "echo failing; exit 7"));
    assert.equal(bad.status, "FAILED");
    assert.equal(bad.statusReason, "Essential container in task exited");
    assert.equal(bad.container?.exitCode, 7);
    assert.deepEqual(await logLines(backend, bad.container?.logStreamName), ["failing"]);
  });
});

const IMAGE = "public.ecr.aws/docker/library/alpine:3.20";

Deno.test("LocalBackend docker runtime: a job without a command runs the image's CMD", async () => {
  await withFakeEngines({ docker: "up" }, {}, async ({ backend, calls }) => {
    const definition = await define(backend, "cmdless", "", { containerProperties: { image: IMAGE } });
    const job = await runJob(backend, definition);
    assert.equal(job.status, "SUCCEEDED");
    assert.deepEqual(await logLines(backend, job.container?.logStreamName), [`default command of ${IMAGE}`]);
    assert.equal((await calls()).find((c) => c.args[0] === "run")!.args.at(-1), IMAGE);
  });
});

/** Submits `script` and waits until its log shows `started`. */
async function startJob(backend: LocalBackend, script: string, extra = {}): Promise<string> {
  const definition = await define(backend, "long", `${script}`);
  const { jobId } = await backend.submitJob({ jobName: "long", jobQueue: "q", jobDefinition: definition, ...extra });
  await waitFor(backend, [jobId], ([j]) => j!.status === "RUNNING");
  const [job] = await backend.describeJobs([jobId]);
  const stream = job!.container?.logStreamName;
  for (let i = 0; !(await logLines(backend, stream).catch((): string[] => [])).includes("started"); i++) {
    if (i > 200) throw new Error("The job did not start");
    await new Promise((r) => setTimeout(r, 20));
  }
  return jobId;
}

const stops = (calls: EngineCall[]) => calls.filter((c) => c.args[0] === "stop" || c.args[0] === "kill");

Deno.test("LocalBackend docker runtime: terminateJob() stops the container through the engine, SIGTERM first", async () => {
  await withFakeEngines({ docker: "up" }, { killGraceMs: 1000 }, async ({ backend, calls }) => {
    const jobId = await startJob(
      backend,
      "trap 'echo got TERM; exit 143' TERM; echo started; while :; do sleep 0.1; done",
    );
    await backend.terminateJob(jobId, "Stopped by test");
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "FAILED");
    assert.equal(job!.statusReason, "Stopped by test");
    assert.equal(job!.container?.exitCode, 143);
    assert.deepEqual(await logLines(backend, job!.container?.logStreamName), ["started", "got TERM"]);
    assert.deepEqual(stops(await calls()).map((c) => c.args), [["stop", "--time=1", `ezbatch-${jobId}-1`]]);
  });
});

Deno.test("LocalBackend docker runtime: a timeout stops the container through the engine, SIGKILL after the grace", async () => {
  await withFakeEngines({ docker: "up" }, { killGraceMs: 1000 }, async ({ backend, calls }) => {
    // The job ignores SIGTERM: only the engine's SIGKILL ends it (a SIGKILL to the client never reaches it).
    const jobId = await startJob(backend, "trap '' TERM; echo started; sleep 30", {
      timeout: { attemptDurationSeconds: 1 },
    });
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "FAILED");
    assert.equal(job!.statusReason, "Job attempt duration exceeded timeout");
    assert.equal(job!.container?.exitCode, 137);
    assert.deepEqual(stops(await calls()).map((c) => c.args), [["stop", "--time=1", `ezbatch-${jobId}-1`]]);
  });
});
