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
