/**
 * An AWS Batch-shaped HTTP endpoint on loopback, answering as AWS does in restJson1: POST /v1/listjobs,
 * /v1/describejobs, /v1/submitjob and /v1/describejobdefinitions with JSON bodies, errors with
 * `x-amzn-errortype`. One job (`hello`, RUNNING) and one definition exist. No npm imports: the bundle's offline test
 * runs it where no registry is reachable.
 * @module
 */

/** A request the fake received. */
export interface FakeRequest {
  /** URL path, e.g. `/v1/listjobs`. */
  path: string;
  /** Its JSON body. */
  body: Record<string, unknown>;
}

const created = 1_767_225_600_000;
/** The one job the fake knows. */
export const FAKE_JOB = {
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
      return [200, { jobSummaryList: body.jobStatus && body.jobStatus !== "RUNNING" ? [] : [FAKE_JOB] }];
    case "/v1/describejobs":
      return [200, {
        jobs: ((body.jobs as string[]) ?? []).filter((id) => id === FAKE_JOB.jobId).map(() => ({
          ...FAKE_JOB,
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

/** Serves the fake on 127.0.0.1 (a free port), each answer after `latencyMs`; `url` goes in AWS_ENDPOINT_URL. */
export function serveBatchFake(
  options: { latencyMs?: number } = {},
): { url: string; requests: FakeRequest[]; shutdown: () => Promise<void> } {
  const requests: FakeRequest[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = new URL(request.url).pathname;
    const text = await request.text();
    const body = text ? JSON.parse(text) : {};
    requests.push({ path, body });
    // A round trip to a region, when asked for (benchmarks).
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const [status, payload] = answer(path, body);
    const headers: Record<string, string> = { "content-type": "application/json", "x-amzn-requestid": "fake-1" };
    if (status !== 200) headers["x-amzn-errortype"] = "ClientException";
    return new Response(JSON.stringify(payload), { status, headers });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, requests, shutdown: () => server.shutdown() };
}
