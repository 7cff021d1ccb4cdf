import assert from "node:assert/strict";
import { join } from "node:path";
import { detectIsolation } from "../../../core/local/runner.ts";
import { define, logLines, waitDone, withBackend } from "./_support.ts";

const canIsolate = (await detectIsolation()) === "namespace";

Deno.test({
  name: "LocalBackend gives each job a private mount namespace: container paths like /data/in stay off the host",
  ignore: !canIsolate,
  fn: async () => {
    const s3 = await Deno.makeTempDir({ prefix: "ezbatch-ns-s3-" });
    await Deno.mkdir(join(s3, "bucket"), { recursive: true });
    await Deno.writeTextFile(join(s3, "bucket", "in.txt"), "data\n");
    const top = `/ezbatch-test-${crypto.randomUUID().slice(0, 8)}`;
    try {
      await withBackend({ s3Dir: s3, isolation: "namespace" }, async (backend, dir) => {
        await define(
          backend,
          "paths",
          `set -e; aws s3 cp s3://bucket/in.txt ${top}/in/in.txt; mkdir -p ${top}/out; ` +
            `cat ${top}/in/in.txt > ${top}/out/copy.txt; aws s3 cp ${top}/out/copy.txt s3://bucket/out/; ls ${dir}`,
        );
        const a = await backend.submitJob({ jobName: "a", jobQueue: "q", jobDefinition: "paths" });
        const b = await backend.submitJob({ jobName: "b", jobQueue: "q", jobDefinition: "paths" });
        const jobs = await waitDone(backend, [a.jobId, b.jobId]);
        for (const job of jobs) {
          const lines = await logLines(backend, job.container?.logStreamName);
          assert.equal(job.status, "SUCCEEDED", lines.join("\n"));
          assert.ok(lines.includes("state.json"), "host paths such as the state directory are visible");
        }
        assert.equal(await Deno.readTextFile(join(s3, "bucket", "out", "copy.txt")), "data\n");
        await assert.rejects(Deno.stat(top), Deno.errors.NotFound);
        const rootfs = join(dir, "work", a.jobId, "1", "rootfs");
        assert.equal(await Deno.readTextFile(join(rootfs, top, "out", "copy.txt")), "data\n");
        // The binds live only in the job's namespace: from here, the twin of /usr is an empty directory.
        assert.deepEqual([...Deno.readDirSync(join(rootfs, "usr"))], []);
      });
    } finally {
      await Deno.remove(s3, { recursive: true });
    }
  },
});

Deno.test("LocalBackend without isolation runs on the host and says so in the job's log", async () => {
  await withBackend({ isolation: "none" }, async (backend) => {
    await define(backend, "plain", "echo plain");
    const { jobId } = await backend.submitJob({ jobName: "plain", jobQueue: "q", jobDefinition: "plain" });
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "SUCCEEDED");
    const lines = await logLines(backend, job!.container?.logStreamName);
    assert.match(lines[0]!, /^\[ezbatch local\] No private mount namespace/);
    assert.equal(lines[1], "plain");
  });
});

Deno.test("LocalBackend fails a job without a command on the host runtime with a clear reason", async () => {
  await withBackend({}, async (backend) => {
    await backend.registerJobDefinition({
      jobDefinitionName: "image-cmd",
      type: "container",
      platformCapabilities: ["EC2"],
      containerProperties: { image: "alpine" },
    });
    const { jobId } = await backend.submitJob({ jobName: "cmd", jobQueue: "q", jobDefinition: "image-cmd" });
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "FAILED");
    assert.match(job!.container!.reason!, /^CannotStartContainerError: The job has no command/);
    assert.equal(job!.statusReason, "Task failed to start");
  });
});

Deno.test({
  name:
    "LocalBackend on the host as root binds a job's volumes in its private namespace: EFS as a state directory, a host path read-only",
  ignore: !canIsolate,
  fn: async () => {
    const id = crypto.randomUUID().slice(0, 8);
    const host = await Deno.makeTempDir({ prefix: "ezbatch-ns-host-" });
    await Deno.writeTextFile(join(host, "input.txt"), "from the host\n");
    const efsAt = `/ezbatch-efs-${id}`;
    const roAt = `/ezbatch-ro-${id}`;
    const missing = `/tmp/ezbatch-missing-${id}`;
    try {
      await withBackend({ isolation: "namespace" }, async (backend, dir) => {
        await backend.registerJobDefinition({
          jobDefinitionName: "volumes",
          type: "container",
          platformCapabilities: ["EC2"],
          containerProperties: {
            image: "alpine",
            command: [
              "/bin/sh",
              "-c",
              `set -e; echo written > ${efsAt}/from-job; cat ${roAt}/input.txt; ` +
              `if (echo x > ${roAt}/nope) 2>/dev/null; then echo WROTE; else echo read-only; fi; ls ${missing} || true`,
            ],
            resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "256" }],
            volumes: [
              { name: "efs", efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0", rootDirectory: "/a" } },
              { name: "host", host: { sourcePath: host } },
              { name: "nowhere", efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0" } },
            ],
            mountPoints: [
              { sourceVolume: "efs", containerPath: efsAt },
              { sourceVolume: "host", containerPath: roAt, readOnly: true },
              { sourceVolume: "nowhere", containerPath: missing },
            ],
          },
        });
        const { jobId } = await backend.submitJob({ jobName: "v", jobQueue: "q", jobDefinition: "volumes" });
        const [job] = await waitDone(backend, [jobId]);
        const lines = await logLines(backend, job!.container?.logStreamName);
        assert.equal(job!.status, "SUCCEEDED", lines.join("\n"));
        assert.ok(lines.includes("from the host"), lines.join("\n"));
        assert.ok(lines.includes("read-only"), lines.join("\n"));
        assert.ok(
          lines.includes(
            `[ezbatch local] Volume at ${missing} not mounted: it would create ${missing} on this machine`,
          ),
          lines.join("\n"),
        );
        assert.ok(!lines.some((l) => /Without docker or podman these are not applied: volumes/.test(l)));
        // What the job wrote is in the EFS stand-in directory, shared by every job of the state.
        assert.equal(await Deno.readTextFile(join(dir, "efs", "fs-0123456789abcdef0", "a", "from-job")), "written\n");
        // Nothing appeared on the host: not the mount points, not a file through the read-only mount.
        for (const path of [efsAt, roAt, missing, join(host, "nope")]) {
          await assert.rejects(Deno.stat(path), Deno.errors.NotFound, path);
        }
      });
    } finally {
      await Deno.remove(host, { recursive: true });
    }
  },
});
