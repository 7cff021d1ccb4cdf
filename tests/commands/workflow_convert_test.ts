import assert from "node:assert/strict";
import { parseWorkflow } from "../../core/load.ts";
import { run } from "./_run.ts";

const LEGACY = {
  name: "legacy",
  jobs: {
    fetch: {
      image: "alpine",
      command: "echo fetch",
      environment: { STAGE: "1" },
      mounts: { read: [{ source: "s3://bucket/in/", destination: "/data/in", recursive: true }], write: [] },
      vcpus: 1,
      memory: 2048,
      queue: null,
    },
    report: { image: "alpine", command: "echo done" },
  },
  dependencies: { report: ["fetch"] },
};

Deno.test("workflow convert turns an ezbatch JSON workflow into TOML that loads to the same workflow", async () => {
  const dir = await Deno.makeTempDir();
  const input = `${dir}/legacy.json`;
  await Deno.writeTextFile(input, JSON.stringify(LEGACY));
  const printed = await run(["workflow", "convert", input]);
  assert.equal(printed.code, 0, printed.stderr);
  const fromToml = parseWorkflow(printed.stdout);
  const fromJson = parseWorkflow(JSON.stringify(LEGACY), { format: "json" });
  assert.deepEqual(fromToml, fromJson);

  const out = `${dir}/wf.toml`;
  const written = await run(["workflow", "convert", input, out]);
  assert.equal(written.stdout, `${out}\n`);
  assert.deepEqual(parseWorkflow(await Deno.readTextFile(out)), fromJson);
  const again = await run(["workflow", "convert", input, out]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists: pass --force/);
  assert.equal((await run(["workflow", "convert", input, out, "--force"])).code, 0);

  const json = await run(["workflow", "convert", out, "--to", "json"]);
  assert.deepEqual(parseWorkflow(json.stdout, { format: "json" }), fromJson);
  const bad = await run(["workflow", "convert", `${dir}/missing.json`]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /does not exist/);
  await Deno.remove(dir, { recursive: true });
});
