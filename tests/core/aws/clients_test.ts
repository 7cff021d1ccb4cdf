import assert from "node:assert/strict";
import { AwsClients, DEFAULT_MAX_ATTEMPTS } from "../../../core/aws/clients.ts";
import { AwsBackend } from "../../../core/aws/aws_backend.ts";
import { AwsCallError } from "../../../core/errors.ts";
import { GetCallerIdentityCommand, mockClient, STSClient } from "../../support/deps.ts";

const ROOT = new URL("../../../", import.meta.url);

interface DenoInfoDependency {
  specifier: string;
  code?: { specifier: string };
  isDynamic?: boolean;
}

Deno.test("importing mod.ts loads no @aws-sdk module: every SDK import in its graph is dynamic or type-only", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "mod.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; dependencies?: DenoInfoDependency[] }[];
  };
  const sdkEdges = graph.modules.flatMap((m) =>
    (m.dependencies ?? []).filter((d) => d.specifier.includes("@aws-sdk/")).map((d) => ({ from: m.specifier, ...d }))
  );
  assert.ok(sdkEdges.length > 0, "the SDK's types are in the graph");
  // core/deps.ts loads the SDK through variable specifiers (a literal import("npm:...") is prepared at start-up), so
  // no code edge to the SDK is left at all, dynamic or not.
  const eager = sdkEdges.filter((d) => d.code);
  assert.deepEqual(eager.map((d) => `${d.from} -> ${d.specifier}`), []);
});

Deno.test("AwsClients.clientConfig() asks for adaptive retry and sets only the options given", () => {
  assert.deepEqual(new AwsClients().clientConfig(), { retryMode: "adaptive", maxAttempts: DEFAULT_MAX_ATTEMPTS });
  const config = new AwsClients({ region: "eu-west-1", profile: "work", maxAttempts: 3 }).clientConfig();
  assert.deepEqual(config, { retryMode: "adaptive", maxAttempts: 3, region: "eu-west-1", profile: "work" });
  assert.equal("endpoint" in config, false, "an unset endpoint must not hide AWS_ENDPOINT_URL");
});

interface Seen {
  path: string;
  authorization: string;
}

/** A fake AWS Batch endpoint on 127.0.0.1 that answers each request with the next reply. */
async function withFakeBatch(
  replies: { status: number; body: unknown }[],
  body: (url: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    seen.push({ path: new URL(request.url).pathname, authorization: request.headers.get("authorization") ?? "" });
    const reply = replies[Math.min(seen.length, replies.length) - 1]!;
    const headers = { "content-type": "application/json", "x-amzn-requestid": `req-${seen.length}` };
    if (reply.status >= 400) Object.assign(headers, { "x-amzn-errortype": (reply.body as { __type: string }).__type });
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers });
  });
  try {
    await body(`http://127.0.0.1:${server.addr.port}`, seen);
  } finally {
    await server.shutdown();
  }
}

const QUEUES = {
  jobQueues: [{ jobQueueName: "q", jobQueueArn: "arn:aws:batch:eu-west-1:1:job-queue/q", priority: 1 }],
};
const THROTTLED = { status: 429, body: { __type: "TooManyRequestsException", message: "Too Many Requests" } };
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

Deno.test("AwsBackend retries throttled calls through the SDK and signs for the configured region", async () => {
  await withFakeBatch([THROTTLED, { status: 200, body: QUEUES }], async (endpoint, seen) => {
    const backend = new AwsBackend({ endpoint, region: "eu-west-1", credentials, maxAttempts: 3 });
    try {
      const page = await backend.describeJobQueues();
      assert.deepEqual(page.jobQueues.map((q) => q.jobQueueName), ["q"]);
      assert.equal(seen.length, 2);
      assert.match(seen[0]!.authorization, /AKIDTEST\/\d{8}\/eu-west-1\/batch\/aws4_request/);
      assert.equal(seen[0]!.path, "/v1/describejobqueues");
    } finally {
      await backend.clients.destroy();
    }
  });
});

Deno.test("AwsBackend gives up after maxAttempts with an AwsCallError carrying the code and request id", async () => {
  await withFakeBatch([THROTTLED], async (endpoint, seen) => {
    const backend = new AwsBackend({ endpoint, region: "eu-west-1", credentials, maxAttempts: 2 });
    try {
      await assert.rejects(backend.describeJobQueues(), (error: unknown) => {
        assert.ok(error instanceof AwsCallError);
        assert.equal(error.service, "Batch");
        assert.equal(error.operation, "DescribeJobQueues");
        assert.equal(error.code, "TooManyRequestsException");
        assert.equal(error.requestId, "req-2");
        assert.match(error.message, /^Batch DescribeJobQueues failed: .*Too Many Requests.*\(request id req-2\)$/);
        return true;
      });
      assert.equal(seen.length, 2);
    } finally {
      await backend.clients.destroy();
    }
  });
});

Deno.test("AwsBackend honours AWS_ENDPOINT_URL and a profile's credentials and region (in a child process)", async () => {
  const home = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${home}/.aws`);
    await Deno.writeTextFile(`${home}/.aws/config`, "[profile work]\nregion = ap-southeast-2\n");
    await Deno.writeTextFile(
      `${home}/.aws/credentials`,
      "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = s\n",
    );
    await withFakeBatch([{ status: 200, body: QUEUES }], async (endpoint, seen) => {
      const script = `import { AwsBackend } from ${JSON.stringify(new URL("core/aws/aws_backend.ts", ROOT).href)};
        const backend = new AwsBackend({ profile: "work" });
        const page = await backend.describeJobQueues();
        console.log(JSON.stringify(page.jobQueues.map((q) => q.jobQueueName)));
        await backend.clients.destroy();`;
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["eval", "--quiet", script],
        cwd: ROOT,
        clearEnv: true,
        env: {
          HOME: home,
          AWS_ENDPOINT_URL: endpoint,
          PATH: Deno.env.get("PATH") ?? "",
          DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.equal(new TextDecoder().decode(out.stdout).trim(), '["q"]');
      assert.equal(seen.length, 1);
      assert.match(seen[0]!.authorization, /AKIDWORK\/\d{8}\/ap-southeast-2\/batch\//);
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("AwsClients.accountId() asks STS once, and wraps its failure as AwsCallError", async () => {
  const sts = new STSClient({ region: "us-east-1" });
  const mock = mockClient(sts);
  mock.on(GetCallerIdentityCommand).resolvesOnce({ Account: "123456789012" });
  const clients = new AwsClients({}, { sts });
  assert.equal(await clients.accountId(), "123456789012");
  assert.equal(await clients.accountId(), "123456789012");
  assert.equal(mock.commandCalls(GetCallerIdentityCommand).length, 1);

  const failing = new STSClient({ region: "us-east-1" });
  mockClient(failing).on(GetCallerIdentityCommand).rejects(
    Object.assign(new Error("The security token included in the request is expired"), {
      name: "ExpiredToken",
      $metadata: { requestId: "r-sts" },
    }),
  );
  await assert.rejects(new AwsClients({}, { sts: failing }).accountId(), (error: unknown) => {
    assert.ok(error instanceof AwsCallError);
    assert.deepEqual([error.service, error.operation, error.code, error.requestId], [
      "STS",
      "GetCallerIdentity",
      "ExpiredToken",
      "r-sts",
    ]);
    return true;
  });
});

Deno.test("AwsClients' S3 client uses path-style addressing when an endpoint is overridden", async () => {
  assert.equal(new AwsClients({}, {}).s3Config().forcePathStyle, undefined);
  const env = { AWS_ENDPOINT_URL: "http://127.0.0.1:4569" };
  assert.equal(new AwsClients({ env }).s3Config().forcePathStyle, true);
  assert.equal(new AwsClients({ env: {} }).s3Config().forcePathStyle, undefined);
  assert.equal(new AwsClients({ env: { AWS_ENDPOINT_URL_S3: "http://x" } }).s3Config().forcePathStyle, true);
  assert.equal(new AwsClients({ env, s3ForcePathStyle: false }).s3Config().forcePathStyle, undefined);
  const clients = new AwsClients({ endpoint: "http://127.0.0.1:1", region: "us-east-1", env: {} });
  try {
    const s3 = await clients.s3();
    assert.equal(s3.config.forcePathStyle, true);
    assert.equal(s3, await clients.s3(), "made once, then reused");
  } finally {
    await clients.destroy();
  }
});

Deno.test("AwsClients.batchSingleAttempt() never resends (a resent SubmitJob could duplicate a job); batch() retries", async () => {
  const clients = new AwsClients({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  const single = await clients.batchSingleAttempt();
  const normal = await clients.batch();
  assert.equal(await single.config.maxAttempts(), 1);
  assert.equal(await normal.config.maxAttempts(), DEFAULT_MAX_ATTEMPTS);
  assert.notEqual(single, normal);
  clients.destroy();
});
