/** The CLI against an AWS endpoint nobody listens on, and with a profile that does not exist (black box). */
import assert from "node:assert/strict";
import { runCliProcess } from "../support/cli_process.ts";

Deno.test("ezbatch workflow submit against a refused AWS_ENDPOINT_URL fails in seconds and names the call it was making", async () => {
  const home = await Deno.makeTempDir();
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const file = `${home}/wf.toml`;
    await Deno.writeTextFile(
      file,
      'name = "refused"\nqueue = "q"\n[jobs.a]\nimage = "alpine:3.20"\ncommand = "true"\n',
    );
    const role = "arn:aws:iam::123456789012:role/x";
    const env = {
      HOME: home,
      AWS_ACCESS_KEY_ID: "AKIDTEST",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    };
    const started = Date.now();
    const r = await runCliProcess(["workflow", "submit", file, "--execution-role", role, "--job-role", role], env);
    const elapsed = Date.now() - started;
    assert.equal(r.code, 1, r.stderr);
    // The first call of a submission is the check that its queues exist and are ENABLED/VALID.
    assert.match(r.stderr, new RegExp(`Batch DescribeJobQueues failed: the endpoint 127\\.0\\.0\\.1:${port} refused`));
    assert.match(r.stderr, /No job was submitted/);
    assert.doesNotMatch(r.stderr, /ListJobs/);
    assert.ok(elapsed < 8000, `${elapsed} ms (was 28-41 s), start-up included`);

    const p = await runCliProcess(["--profile", "nosuchprofile", "jobs", "list", "--queue", "q"], {
      HOME: home,
      AWS_REGION: "us-east-1",
    });
    assert.equal(p.code, 1);
    assert.match(p.stderr, /The AWS profile 'nosuchprofile' does not exist/);
    assert.doesNotMatch(p.stderr, /No AWS credentials found/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
