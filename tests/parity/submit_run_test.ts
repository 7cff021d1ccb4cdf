/**
 * Submitting a workflow run: the interactive editor's "Submit" and its "CLI:" line (workflow submit) send the same
 * requests with the same settings, the account's default execution role included when the settings name none.
 */
import assert from "node:assert/strict";
import {
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from "../support/deps.ts";
import { KEY } from "../tui/_terminal.ts";
import { cli, cliArgs, interactive, mockAccount, QUEUE_Q } from "./_faces.ts";

const WORKFLOWS = 2;
const QUIT = 6;

function account() {
  const a = mockAccount();
  a.batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [QUEUE_Q] });
  a.batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [] });
  // Submitting by name first: AWS answers that no ACTIVE revision exists, then the definition is registered.
  let registered = false;
  a.batch.on(SubmitJobCommand).callsFake((input) => {
    if (!registered) {
      throw Object.assign(new Error("Job definition does not exist or is not in ACTIVE status"), {
        name: "ClientException",
        $metadata: { httpStatusCode: 400 },
      });
    }
    return { jobId: "id-1", jobName: input.jobName };
  });
  a.batch.on(RegisterJobDefinitionCommand).callsFake((input) => {
    registered = true;
    return {
      jobDefinitionName: input.jobDefinitionName,
      jobDefinitionArn: `arn:aws:batch:us-east-1:123456789012:job-definition/${input.jobDefinitionName}:1`,
      revision: 1,
    };
  });
  return a;
}

/** The requests with the run id (random in each face) replaced by RUN. */
function sameRun(changes: readonly (readonly [string, unknown])[], runId: string) {
  return JSON.parse(JSON.stringify(changes).replaceAll(runId, "RUN"));
}

Deno.test("submit a run: with no execution role in the settings the editor and 'workflow submit' look up the account's default role and send the same requests", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/fargate.toml`;
  await Deno.writeTextFile(file, `name = "fargate"\nqueue = "q"\n[jobs.a]\nimage = "alpine"\ncommand = "echo a"\n`);
  const face = account();
  const { term, done } = interactive(face.backend, {});
  await term.expect("What would you like to do?");
  await term.pick(WORKFLOWS);
  await term.pick(1);
  await term.type(file, KEY.enter);
  await term.expect("Workflow 'fargate' (1 jobs)");
  await term.pick(6); // Submit and watch
  await term.expect("Submit 'fargate' (1 jobs)?");
  await term.type(KEY.enter);
  const runId = (await term.expect(/Submitted run [a-z0-9]+/)).split(" ").at(-1)!;
  await term.expect("Watch it?");
  await term.pick(2); // No
  await term.expect("Workflow 'fargate' (1 jobs)");
  const args = cliArgs(term.text);
  await term.pick(8);
  await term.pick(2);
  await term.pick(QUIT);
  await done;

  assert.deepEqual(args, ["workflow", "submit", file]);
  const line = account();
  const r = await cli([...args, "--run-id", runId], line.backend, {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(face.stsCalls(), 1, "the editor found the account's default role");
  assert.equal(line.stsCalls(), 1);
  assert.deepEqual(sameRun(face.changes(), runId), sameRun(line.changes(), runId));
  // deno-lint-ignore no-explicit-any
  const registered = face.changes().find(([name]) => name === "RegisterJobDefinition")![1] as any;
  assert.equal(registered.containerProperties.executionRoleArn, "arn:aws:iam::123456789012:role/ecsTaskExecutionRole");
});
