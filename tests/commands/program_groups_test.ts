import assert from "node:assert/strict";
import { CliContext } from "../../commands/context.ts";
import { type AnyCommand, buildProgram, GROUPS, type Lazy, pick } from "../../commands/program.ts";
import { JOBS_COMMANDS } from "../../commands/jobs.ts";
import { WORKFLOW_COMMANDS } from "../../commands/workflow.ts";
import { run } from "./_run.ts";

const namesOf = (command: AnyCommand) => command.commands.flatMap((c) => [c.name(), ...c.aliases()]);
const groupOf = (program: AnyCommand, name: string) => program.commands.find((c) => c.name() === name) as AnyCommand;
const workflowOf = (program: AnyCommand) => groupOf(program, "workflow");
const jobsOf = (program: AnyCommand) => groupOf(program, "jobs");

Deno.test("each lazily loaded group registers exactly the command names and aliases GROUPS lists for it", async () => {
  for (const group of GROUPS) {
    const program = await buildProgram(new CliContext(), [group.names[0]!]);
    const expected = group.names.includes("completions") ? ["completions", "complete"] : group.names;
    assert.deepEqual(namesOf(program), expected);
  }
});

Deno.test("each lazily loaded workflow command registers exactly the names WORKFLOW_COMMANDS lists for it", async () => {
  for (const entry of WORKFLOW_COMMANDS) {
    for (const name of entry.names) {
      const program = await buildProgram(new CliContext(), ["--json", "wf", name, "x.toml"]);
      assert.deepEqual(namesOf(program), ["workflow", "wf"]);
      assert.deepEqual(namesOf(workflowOf(program)), entry.names, name);
    }
  }
});

Deno.test("each lazily loaded jobs command registers exactly the names JOBS_COMMANDS lists for it", async () => {
  for (const entry of JOBS_COMMANDS) {
    for (const name of entry.names) {
      const program = await buildProgram(new CliContext(), ["--json", "job", name, "x"]);
      assert.deepEqual(namesOf(program), ["jobs", "job"]);
      assert.deepEqual(namesOf(jobsOf(program)), entry.names, name);
    }
  }
});

Deno.test("the whole program holds every group, workflow and jobs command in table order, as without lazy loading", async () => {
  const program = await buildProgram(new CliContext());
  assert.deepEqual(namesOf(program).filter((n) => n !== "complete"), GROUPS.flatMap((g) => g.names));
  assert.deepEqual(namesOf(workflowOf(program)), WORKFLOW_COMMANDS.flatMap((g) => g.names));
  assert.deepEqual(namesOf(jobsOf(program)), JOBS_COMMANDS.flatMap((g) => g.names));
  assert.deepEqual(
    namesOf(jobsOf(program)),
    ["submit", "list", "ls", "describe", "stop", "cancel", "terminate", "logs", "watch"],
    "the order of help before the jobs commands loaded lazily",
  );
  const unknown = await buildProgram(new CliContext(), ["workflow", "valdate"]);
  assert.deepEqual(namesOf(workflowOf(unknown)), WORKFLOW_COMMANDS.flatMap((g) => g.names));
});

Deno.test("pick() takes the entry the first command word names and the words after it, else every entry", () => {
  const workflow = GROUPS.find((g) => g.names.includes("workflow")) as Lazy;
  assert.deepEqual(pick(["workflow", "validate", "f.toml"], GROUPS), {
    chosen: [workflow],
    rest: ["validate", "f.toml"],
  });
  assert.deepEqual(pick(["--region", "jobs", "--json", "wf", "plan"], GROUPS), { chosen: [workflow], rest: ["plan"] });
  assert.deepEqual(pick(["--local-vcpus=2", "-v", "wf"], GROUPS), { chosen: [workflow], rest: [] });
  for (const args of [[], ["help", "workflow"], ["complete", "--", "wo"], ["wrkflow"], ["--json"], ["--", "wf"]]) {
    assert.deepEqual(pick(args, GROUPS), { chosen: GROUPS }, args.join(" "));
  }
  assert.deepEqual(pick(undefined, GROUPS), { chosen: GROUPS });
});

Deno.test("a misspelt command or workflow command is still told the nearest name", async () => {
  const r = await run(["wrkflow"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'wrkflow'\n\(Did you mean workflow\?\)/);
  const w = await run(["workflow", "valdate"]);
  assert.equal(w.code, 2);
  assert.match(w.stderr, /unknown command 'valdate'\n\(Did you mean validate\?\)/);
  const j = await run(["jobs", "sbmit"]);
  assert.equal(j.code, 2);
  assert.match(j.stderr, /unknown command 'sbmit'\n\(Did you mean submit\?\)/);
});
