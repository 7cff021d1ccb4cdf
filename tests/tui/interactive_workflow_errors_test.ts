/** The interactive workflow menu when something goes wrong: a file that is not TOML, an AWS error on submit. */
import assert from "node:assert/strict";
import { demoBackend } from "./_demo_backend.ts";
import { KEY } from "./_terminal.ts";
import { MENU, QUIT, start, WORKFLOWS } from "./_workflow_session.ts";

Deno.test("runInteractive() still reports a workflow file that is not TOML in one message and keeps the menu", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/broken.toml`, `name = "bad"\n[jobs.a\n`);
  const { term, done } = start(await demoBackend(), dir);
  await term.expect(MENU);
  await term.pick(WORKFLOWS);
  await term.pick(1);
  await term.type("broken.toml", KEY.enter);
  await term.expect(/Error: .*broken\.toml/);
  await term.expect(MENU);
  await term.pick(QUIT);
  await done;
});

Deno.test("runInteractive() keeps the open workflow after an AWS error in its menu and prints the CLI's advice", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/one.toml`, `name = "one"\nqueue = "main-queue"\n[jobs.a]\nimage = "alpine"\n`);
  const backend = await demoBackend({
    fault: (operation) =>
      operation === "describeJobQueues"
        ? new Error("CredentialsProviderError: Could not load credentials from any providers")
        : undefined,
  });
  const jobsBefore = backend.jobs.size;
  const { term, done } = start(backend, dir);
  await term.expect(MENU);
  await term.pick(WORKFLOWS);
  await term.pick(1);
  await term.type("one.toml", KEY.enter);
  await term.expect("Workflow 'one' (1 jobs)");
  await term.pick(6); // Submit
  await term.expect("Submit 'one' (1 jobs)?");
  await term.type(KEY.enter);
  await term.expect(/Error: Submitting run '\w+' of workflow 'one' failed: CredentialsProviderError: Could not load/);
  await term.expect("No AWS credentials found: run 'aws configure' or 'aws sso login'");
  await term.expect("Workflow 'one' (1 jobs)");
  assert.equal(backend.jobs.size, jobsBefore, "nothing was submitted");
  await term.pick(8);
  await term.pick(2);
  await term.pick(QUIT);
  await done;
});
