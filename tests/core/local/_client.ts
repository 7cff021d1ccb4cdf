/**
 * A second process for the local backend tests: `_client.ts submit DIR SCRIPT`, `_client.ts describe DIR ID`,
 * `_client.ts register DIR NAME COUNT`. Prints JSON on stdout, then exits.
 */
import { LocalBackend } from "../../../core/local/backend.ts";

const [command, stateDir, ...rest] = Deno.args;
const backend = new LocalBackend({ stateDir: stateDir!, runtime: "host", idleExitMs: 1500, killGraceMs: 300 });
if (command === "submit") {
  await backend.registerJobDefinition({
    jobDefinitionName: "from-client",
    type: "container",
    platformCapabilities: ["EC2"],
    containerProperties: {
      image: "alpine",
      command: ["/bin/sh", "-c", rest[0]!],
      resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "128" }],
    },
  });
  const job = await backend.submitJob({
    jobName: "from-client",
    jobQueue: "client-queue",
    jobDefinition: "from-client",
  });
  console.log(JSON.stringify(job));
} else if (command === "describe") {
  const [job] = await backend.describeJobs([rest[0]!]);
  const stream = job?.container?.logStreamName;
  const log = stream
    ? await backend.getLogEvents({ group: "/aws/batch/job", stream }, { startFromHead: true })
    : undefined;
  console.log(JSON.stringify({ status: job?.status, lines: log?.events.map((e) => e.message) ?? [] }));
} else if (command === "register") {
  const revisions: number[] = [];
  for (let i = 0; i < Number(rest[1]); i++) {
    const { revision } = await backend.registerJobDefinition({
      jobDefinitionName: rest[0]!,
      type: "container",
      platformCapabilities: ["EC2"],
      containerProperties: { image: "alpine", command: ["true"] },
    });
    revisions.push(revision);
  }
  console.log(JSON.stringify(revisions));
}
