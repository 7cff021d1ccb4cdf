/**
 * Run inside `unshare -n` (a network namespace with only loopback) by offline_aws_test.ts: serves an AWS
 * Batch-shaped endpoint on 127.0.0.1 (restJson1 as AWS speaks it: POST /v1/listjobs, /v1/describejobs,
 * /v1/submitjob, /v1/describejobdefinitions, JSON in and out, `x-amzn-errortype` on errors), runs the bundle
 * `Deno.args[0]` against it with an empty DENO_DIR, and prints what happened as JSON on stdout.
 * No npm imports: this file must run where no registry is reachable.
 * @module
 */
const [bundle, denoDir] = Deno.args as [string, string];
const requests: { path: string; body: Record<string, unknown> }[] = [];
const created = 1_767_225_600_000;
const summary = {
  jobArn: "arn:aws:batch:us-east-1:123456789012:job/11111111-2222-3333-4444-555555555555",
  jobId: "11111111-2222-3333-4444-555555555555",
  jobName: "hello",
  createdAt: created,
  status: "RUNNING",
  startedAt: created + 1000,
  container: {},
  jobDefinition: "arn:aws:batch:us-east-1:123456789012:job-definition/hello:1",
};
const definition = {
  jobDefinitionName: "hello",
  jobDefinitionArn: "arn:aws:batch:us-east-1:123456789012:job-definition/hello:1",
  revision: 1,
  status: "ACTIVE",
  type: "container",
  platformCapabilities: ["EC2"],
  containerProperties: {
    image: "alpine",
    command: ["echo", "hi"],
    resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "2048" }],
  },
};

function answer(path: string, body: Record<string, unknown>): [number, unknown] {
  switch (path) {
    case "/v1/listjobs":
      return [200, { jobSummaryList: body.jobStatus && body.jobStatus !== "RUNNING" ? [] : [summary] }];
    case "/v1/describejobs":
      return [200, {
        jobs: ((body.jobs as string[]) ?? []).filter((id) => id === summary.jobId).map(() => ({
          ...summary,
          jobQueue: "arn:aws:batch:us-east-1:123456789012:job-queue/q",
          dependsOn: [],
          tags: {},
          container: { image: "alpine", command: ["echo", "hi"], logStreamName: "hello/default/abc" },
        })),
      }];
    case "/v1/submitjob":
      return [200, {
        jobArn: "arn:aws:batch:us-east-1:123456789012:job/99999999-0000-0000-0000-000000000000",
        jobName: body.jobName,
        jobId: "99999999-0000-0000-0000-000000000000",
      }];
    case "/v1/describejobdefinitions":
      return [200, { jobDefinitions: [definition] }];
    default:
      return [400, { __type: "ClientException", message: `${path} is not in the fake` }];
  }
}

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
  const path = new URL(request.url).pathname;
  const text = await request.text();
  const body = text ? JSON.parse(text) : {};
  requests.push({ path, body });
  const [status, payload] = answer(path, body);
  const headers: Record<string, string> = { "content-type": "application/json", "x-amzn-requestid": "fake-1" };
  if (status !== 200) headers["x-amzn-errortype"] = "ClientException";
  return new Response(JSON.stringify(payload), { status, headers });
});

async function run(...args: string[]) {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "--no-config", "--no-lock", "-A", bundle, ...args],
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: denoDir + "-home",
      DENO_DIR: denoDir,
      NO_COLOR: "1",
      // Any attempt at a registry goes to an address that does not exist in this namespace.
      NPM_CONFIG_REGISTRY: "http://registry.invalid/",
      AWS_ENDPOINT_URL: `http://127.0.0.1:${server.addr.port}`,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIDFAKE",
      AWS_SECRET_ACCESS_KEY: "fake-secret",
      AWS_EC2_METADATA_DISABLED: "true",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    args,
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
    seconds: (performance.now() - started) / 1000,
  };
}

await Deno.mkdir(denoDir + "-home", { recursive: true });
const runs = [
  await run("jobs", "list", "--queue", "q", "--json"),
  await run("jobs", "describe", summary.jobId, "--json"),
  await run("jobs", "submit", "--definition", "hello", "--queue", "q", "--name", "offline", "--json"),
];
await server.shutdown();
console.log(JSON.stringify({ runs, requests }));
