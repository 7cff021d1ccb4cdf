/** Multi-node jobs with per-node-range containers: the checks (cover every node once) and the AWS requests. */
import assert from "node:assert/strict";
import { parseWorkflow, planWorkflow, submitJobRequest } from "../../mod.ts";
import { parseTargets } from "../../core/job_nodes_check.ts";
import { issuesOf, oneJob } from "../support/workflow_issues.ts";

const ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
const MPI = 'platform = "EC2"\nmemory = 8192\nnodes = 4';
const RANGES = `[[jobs.a.node_ranges]]\ntargets = "0"\ncommand = "mpirun -np 4 ./solve"\nvcpus = 2\n` +
  `[[jobs.a.node_ranges]]\ntargets = "1:"\nimage = "my/worker:2"\ncommand = ["/usr/sbin/sshd", "-D"]\n` +
  `environment = { ROLE = "worker" }`;

function plan(body: string) {
  const wf = parseWorkflow(
    `name = "w"\nqueue = "q"\n\n[jobs.a]\nimage = "my/mpi:1"\ncommand = "true"\n${body}`,
  );
  return planWorkflow(wf, { runId: "r1", executionRoleArn: ROLE });
}

Deno.test("parseTargets() reads AWS's N, START:, :END and START:END forms, inclusive, within the nodes", () => {
  assert.deepEqual(parseTargets("0", 4), { start: 0, end: 0 });
  assert.deepEqual(parseTargets("1:", 4), { start: 1, end: 3 });
  assert.deepEqual(parseTargets(":2", 4), { start: 0, end: 2 });
  assert.deepEqual(parseTargets("1:2", 4), { start: 1, end: 2 });
  assert.match(parseTargets("1-3", 4) as string, /Expected node indexes like '0', '1:', ':3' or '2:5', got '1-3'/);
  assert.match(parseTargets(":", 4) as string, /Expected node indexes/);
  assert.match(parseTargets("3:1", 4) as string, /starts after it ends/);
  assert.match(parseTargets("2:9", 4) as string, /reaches node 9, but the job has nodes 0 to 3/);
});

Deno.test("node_ranges render one nodeRangeProperties entry per range with its image, and per-range nodeOverrides", () => {
  const p = plan(`${MPI}\n${RANGES}`);
  const def = p.definitions[0]!.input;
  assert.equal(def.type, "multinode");
  assert.equal(def.containerProperties, undefined);
  const ranges = def.nodeProperties!.nodeRangeProperties;
  assert.deepEqual(ranges.map((r) => [r.targetNodes, r.container?.image]), [["0", "my/mpi:1"], ["1:", "my/worker:2"]]);
  const request = submitJobRequest(p.submissions[0]!, { definition: "d:1", jobIds: {} });
  assert.equal(request.containerOverrides, undefined);
  const overrides = request.nodeOverrides!.nodePropertyOverrides!;
  assert.deepEqual(overrides.map((o) => o.targetNodes), ["0", "1:"]);
  assert.deepEqual(overrides[0]!.containerOverrides!.command, ["/bin/sh", "-c", "mpirun -np 4 ./solve"]);
  assert.deepEqual(overrides[0]!.containerOverrides!.resourceRequirements, [
    { type: "VCPU", value: "2" },
    { type: "MEMORY", value: "8192" },
  ]);
  assert.deepEqual(overrides[1]!.containerOverrides!.command, ["/usr/sbin/sshd", "-D"]);
  assert.deepEqual(overrides[1]!.containerOverrides!.environment, [{ name: "ROLE", value: "worker" }]);
});

Deno.test("without node_ranges a multi-node job keeps one range 0: for every node", () => {
  const p = plan(MPI);
  assert.deepEqual(p.definitions[0]!.input.nodeProperties!.nodeRangeProperties.map((r) => r.targetNodes), ["0:"]);
});

Deno.test("node_ranges must cover every node once, include the main node, and need nodes", () => {
  const range = (targets: string) => `[[jobs.a.node_ranges]]\ntargets = "${targets}"`;
  const issues = (body: string) => issuesOf(oneJob(body)).join("\n");
  assert.doesNotThrow(() => parseWorkflow(oneJob(`${MPI}\n${range("0")}\n${range("1:")}`)));
  assert.match(
    issues(`${MPI}\n${range("0:2")}\n${range("2:")}`),
    /node_ranges\[1\]\.targets: Node 2 is in two ranges: '0:2' and '2:'/,
  );
  assert.match(
    issues(`${MPI}\n${range("0")}\n${range("2:")}`),
    /Node 1 is in no range: the ranges must cover nodes 0 to 3/,
  );
  assert.match(issues(`${MPI}\nmain_node = 3\n${range(":2")}`), /The main node \(3\) is in no range/);
  assert.match(issues(`${MPI}\n${range("0:7")}`), /reaches node 7, but the job has nodes 0 to 3/);
  assert.match(issues(`${MPI}\n${range("a")}`), /Expected node indexes like/);
  assert.match(issues(range("0:")), /node_ranges needs nodes = N/);
  assert.match(issues(`${MPI}\n${range("0:")}\nvcpus = 0.5`), /Expected a whole number of vCPUs of 1 or more on EC2/);
});
