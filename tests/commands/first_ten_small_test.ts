/** The smaller first-ten-minutes points: `version`, `jobs list --local` without -q, the built-in environment kept. */
import assert from "node:assert/strict";
import { runCliProcess, stopDaemon } from "../support/cli_process.ts";
import { AWS_SDK_RANGE } from "../../core/deps.ts";
import { VERSION } from "../../core/version.ts";

Deno.test("ezbatch version prints ezbatch's, Deno's and the AWS SDK's versions, as text and --json", async () => {
  const text = await runCliProcess(["version"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^ezbatch ${VERSION}\\ndeno ${Deno.version.deno} `));
  assert.ok(text.stdout.includes(AWS_SDK_RANGE));
  const json = JSON.parse((await runCliProcess(["version", "--json"])).stdout);
  assert.equal(json.ezbatch, VERSION);
  assert.equal(json.deno, Deno.version.deno);
  const deps = await Deno.readTextFile(new URL("../../core/deps.ts", import.meta.url));
  assert.ok(deps.includes(`"npm:@aws-sdk/client-batch@${AWS_SDK_RANGE}"`), "the range is the one the SDK loads with");
});

Deno.test("jobs list --local needs no -q, and the built-in ezbatch-local environment cannot be deleted", async () => {
  const state = await Deno.makeTempDir();
  const env = { EZBATCH_STATE_DIR: state };
  try {
    const list = await runCliProcess(["--local", "jobs", "list"], env);
    assert.equal(list.code, 0, list.stderr);
    const del = await runCliProcess(["--local", "compute-environment", "delete", "ezbatch-local", "--force"], env);
    assert.equal(del.code, 1);
    assert.match(del.stderr, /'ezbatch-local' is the local backend's own compute environment and cannot be deleted/);
    const ce = await runCliProcess(["--local", "--json", "compute-environment", "describe", "ezbatch-local"], env);
    assert.equal(JSON.parse(ce.stdout).state, "ENABLED", "left as it was, not disabled first");
  } finally {
    await stopDaemon(state);
    await Deno.remove(state, { recursive: true });
  }
});
