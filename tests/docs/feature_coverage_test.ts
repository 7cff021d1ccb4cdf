/**
 * Every job feature of issue 17 is documented where a user looks: the JSON Schema (with a description), the
 * commented example `workflow init` writes, a TOML example of README.md (and those examples are valid workflow
 * files), and docs/cli.md (its flag, for those that have one).
 */
import assert from "node:assert/strict";
import { FEATURE_KEYS } from "../../core/job_features.ts";
import { parseWorkflow } from "../../core/load.ts";
import { workflowJsonSchema } from "../../core/schema.ts";
import { initTemplate } from "../../commands/workflow_files.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const README = await Deno.readTextFile(`${ROOT}README.md`);
const CLI = await Deno.readTextFile(`${ROOT}docs/cli.md`);
/** The README's TOML blocks that hold jobs. */
const JOB_BLOCKS = [...README.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) =>
  b.includes("[jobs.")
);
/** Flags of the features that have one (commands/_feature_flags.ts, plus --job-role of the job flags). */
const FLAGS: Record<string, string> = {
  volumes: "--volume",
  shared_memory: "--shared-memory",
  ulimits: "--ulimit",
  architecture: "--architecture",
  job_role: "--job-role",
  privileged: "--privileged",
  user: "--user",
  priority: "--priority",
  share: "--share",
  nodes: "--nodes",
  main_node: "--main-node",
  consumable_resources: "--consumable-resource",
};

const mentions = (text: string, key: string) => new RegExp(`(^|[\\s\\[.{#])${key}\\b`, "m").test(text);

Deno.test("every feature key is in the JSON Schema with a description, and in workflow init's commented example", () => {
  const schema = workflowJsonSchema() as {
    properties: { jobs: { additionalProperties: { properties: Record<string, { description?: string }> } } };
  };
  const job = schema.properties.jobs.additionalProperties.properties;
  const template = initTemplate("t");
  for (const key of FEATURE_KEYS) {
    assert.ok(job[key]?.description, `schema: ${key}`);
    assert.ok(mentions(template, key), `workflow init: ${key}`);
  }
  assert.match(template, /AWS_BATCH_JOB_NODE_INDEX/);
});

Deno.test("README.md shows every feature key in a TOML example, and its TOML examples are valid workflow files", () => {
  assert.ok(JOB_BLOCKS.length >= 3);
  for (const key of FEATURE_KEYS) assert.ok(JOB_BLOCKS.some((b) => mentions(b, key)), `README: ${key}`);
  for (const block of JOB_BLOCKS) {
    const text = block.includes("\nname =") || block.startsWith("name =") ? block : `name = "w"\nqueue = "q"\n${block}`;
    const uncommented = text.replace(/^# (nodes = \d+)/m, "$1");
    assert.doesNotThrow(() => parseWorkflow(text), block);
    if (uncommented !== text) assert.doesNotThrow(() => parseWorkflow(uncommented), "with nodes uncommented");
  }
  for (const v of ["AWS_BATCH_JOB_NODE_INDEX", "AWS_BATCH_JOB_MAIN_NODE_INDEX"]) assert.match(README, new RegExp(v));
});

Deno.test("docs/cli.md names the flag of every feature that has one", () => {
  for (const [key, flag] of Object.entries(FLAGS)) {
    assert.ok(CLI.includes(`\`${flag}`), `docs/cli.md: ${flag} (${key})`);
  }
  for (const key of FEATURE_KEYS) {
    if (!(key in FLAGS)) assert.ok(["node_ranges"].includes(key), `${key} has no flag: add it to FLAGS or docs`);
  }
});
