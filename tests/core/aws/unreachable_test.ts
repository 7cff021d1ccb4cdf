/**
 * An AWS endpoint nobody listens on (a closed loopback port) and a profile that does not exist: quick, clear
 * failures that name the call, the endpoint and the profile. Real SDK clients, real refused connections.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { AwsBackend } from "../../../core/aws/aws_backend.ts";
import { AwsClients } from "../../../core/aws/clients.ts";
import { AwsCallError, ConfigError, SubmissionError } from "../../../core/errors.ts";
import { Caller } from "../../../core/_caller.ts";
import { classifyError } from "../../../core/_retry.ts";
import { RateLimiter } from "../../../core/rate_limiter.ts";
import { submitWorkflow } from "../../../core/submit.ts";
import { job, ROLES, workflow } from "../_jobs.ts";

/** A loopback port that refuses connections: bound, then closed. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

Deno.test("AwsBackend against a refused endpoint fails in under 2 s, naming the call and the endpoint", async () => {
  const port = closedPort();
  const backend = new AwsBackend({ endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", credentials });
  try {
    const started = Date.now();
    const error = await backend.listJobs({ jobQueue: "q" }).then(() => undefined, (e) => e);
    const elapsed = Date.now() - started;
    assert.ok(error instanceof AwsCallError, String(error));
    assert.equal(error.operation, "ListJobs");
    assert.equal(error.code, "ECONNREFUSED");
    assert.equal(error.attempts, 3, "the SDK tries a refused connection 3 times, not 8");
    assert.match(error.message, new RegExp(`Batch ListJobs failed: the endpoint 127\\.0\\.0\\.1:${port} refused`));
    assert.ok(elapsed < 2000, `${elapsed} ms`);
  } finally {
    await backend.clients.destroy();
  }
});

Deno.test("submitWorkflow() against a refused endpoint names the call it was making (not the ListJobs lookup), within 3 s", async () => {
  const backend = new AwsBackend({ endpoint: `http://127.0.0.1:${closedPort()}`, region: "us-east-1", credentials });
  try {
    const started = Date.now();
    const wf = workflow({ a: job(), b: job({ command: "echo b" }) }, { b: ["a"] }, { name: "refused" });
    const error = await submitWorkflow(backend, wf, { ...ROLES, runId: "r1" }).then(() => undefined, (e) => e);
    const elapsed = Date.now() - started;
    assert.ok(error instanceof SubmissionError, String(error));
    // The first call is the check that the run's queues are ready: it names that call, and says nothing went out.
    assert.match(error.message, /Batch DescribeJobQueues failed: the endpoint 127\.0\.0\.1:\d+ refused the connection/);
    assert.match(error.message, /No job was submitted/);
    assert.doesNotMatch(error.message, /ListJobs/);
    assert.deepEqual(error.submitted, []);
    assert.ok(elapsed < 3000, `${elapsed} ms`);
  } finally {
    await backend.clients.destroy();
  }
});

Deno.test("the engine does not retry a call the SDK already retried, and tries an unsent request 3 times", async () => {
  const sdkGaveUp = new AwsCallError({ service: "Batch", operation: "ListJobs", attempts: 8 }, "socket hang up");
  assert.equal(classifyError(sdkGaveUp), "fatal");
  const refused = new AwsCallError({ service: "Batch", operation: "SubmitJob", code: "ECONNREFUSED" }, "refused");
  assert.equal(classifyError(refused), "unsent");
  const clock = { now: () => 0, sleep: () => Promise.resolve() };
  const caller = new Caller({
    limiter: new RateLimiter({ ratePerSecond: 1000, clock }),
    clock,
    random: () => 0,
    maxAttempts: 10,
  });
  let calls = 0;
  let lookups = 0;
  const beforeRetry = () => (lookups++, Promise.resolve(undefined));
  await assert.rejects(caller.call(() => (calls++, Promise.reject(refused)), { beforeRetry }), /refused/);
  assert.deepEqual([calls, lookups], [3, 0], "an unsent request needs no duplicate lookup");
  // A lookup that fails after a lost reply: the error is the call's, not the lookup's.
  const lost = new AwsCallError({ service: "Batch", operation: "SubmitJob" }, "connection reset");
  const failingLookup = () => Promise.reject(new AwsCallError({ service: "Batch", operation: "ListJobs" }, "down"));
  await assert.rejects(caller.call(() => Promise.reject(lost), { beforeRetry: failingLookup }), /SubmitJob failed/);
});

Deno.test("AwsClients names a profile that does not exist, and the profiles that do, before any call", async () => {
  const home = await Deno.makeTempDir();
  try {
    const env = { HOME: home };
    const missing = new AwsClients({ profile: "nosuchprofile", region: "us-east-1", env });
    await assert.rejects(missing.batch(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /The AWS profile 'nosuchprofile' does not exist/);
      assert.match(error.message, /aws configure --profile nosuchprofile/);
      return true;
    });
    await Deno.mkdir(join(home, ".aws"));
    await Deno.writeTextFile(join(home, ".aws", "config"), "[default]\nregion = us-east-1\n[profile dev]\n");
    await Deno.writeTextFile(join(home, ".aws", "credentials"), "[ci]\naws_access_key_id = A\n");
    await assert.rejects(missing.batch(), /profiles there: 'ci', 'default', 'dev'/);
    const dev = new AwsClients({ profile: "dev", region: "us-east-1", env });
    await dev.batch();
    await new AwsClients({ profile: "ci", region: "us-east-1", env }).batch();
    await new AwsClients({ region: "us-east-1", env: { ...env, AWS_PROFILE: "ci" } }).batch();
    await assert.rejects(
      new AwsClients({ region: "us-east-1", env: { ...env, AWS_PROFILE: "typo" } }).batch(),
      /'typo' \(from AWS_PROFILE\) does not exist/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
