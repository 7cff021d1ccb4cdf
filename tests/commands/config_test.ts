import assert from "node:assert/strict";
import { run } from "./_run.ts";

async function tempConfig() {
  const dir = await Deno.makeTempDir();
  return { dir, path: `${dir}/sub/ezbatch.toml`, env: { EZBATCH_CONFIG_PATH: `${dir}/sub/ezbatch.toml` } };
}

Deno.test("config path prints EZBATCH_CONFIG_PATH, else ~/.config/ezbatch.toml", async () => {
  assert.equal((await run(["config", "path"], { env: { EZBATCH_CONFIG_PATH: "/x/y.toml" } })).stdout, "/x/y.toml\n");
  assert.equal((await run(["config", "path"], { env: { HOME: "/home/u" } })).stdout, "/home/u/.config/ezbatch.toml\n");
  const none = await run(["config", "path"], { env: {} });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /neither EZBATCH_CONFIG_PATH nor HOME is set/);
});

Deno.test("config init creates the file with the given settings and never replaces one silently", async () => {
  const { dir, path, env } = await tempConfig();
  const r = await run([
    "config",
    "init",
    "--region",
    "eu-west-1",
    "--set",
    "queue=q1",
    "--set",
    "subnets=subnet-0a,subnet-1b",
  ], {
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${path}\n`);
  const text = await Deno.readTextFile(path);
  assert.match(text, /\[Settings\]/);
  assert.match(text, /^region = "eu-west-1"$/m);
  assert.match(text, /subnets = \[ "subnet-0a", "subnet-1b" \]/);
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  const again = await run(["config", "init"], { env });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists: 'ezbatch config set' changes it, --force replaces it/);
  const forced = await run(["config", "init", "--force", "--local"], { env });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(await Deno.readTextFile(path), /^backend = "local"$/m);
  assert.doesNotMatch(await Deno.readTextFile(path), /^region =/m);
  const bad = await run(["config", "init", "--force", "--set", "subnet=subnet-0a"], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown setting 'subnet': did you mean 'subnets'\?/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("config show prints every setting with where it came from, as a table and as JSON", async () => {
  const { dir, path, env } = await tempConfig();
  await run(["config", "set", "queue", "from-file"], { env });
  const r = await run(["config", "show"], { env: { ...env, AWS_REGION: "us-west-2" } });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.equal(lines[0], path);
  assert.match(r.stdout, /\nSETTING +VALUE +FROM\n/);
  assert.match(r.stdout, /\nregion +us-west-2 +environment\n/);
  assert.match(r.stdout, /\nqueue +from-file +file\n/);
  assert.match(r.stdout, /\nmaxvCpus +256 +default\n/);
  const json = JSON.parse((await run(["config", "show", "--json"], { env })).stdout);
  assert.equal(json.settings.queue, "from-file");
  assert.equal(json.sources.queue, "file");
  assert.equal(json.exists, true);
  const missing = await run(["config", "show"], { env: { EZBATCH_CONFIG_PATH: `${dir}/none.toml` } });
  assert.match(missing.stdout, /does not exist: 'ezbatch config init' creates it/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("config set checks the key and value, writes the file, and unsets with ''", async () => {
  const { dir, path, env } = await tempConfig();
  const r = await run(["config", "set", "maxvCpus", "64"], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "maxvCpus = 64\n");
  assert.match(await Deno.readTextFile(path), /^maxvCpus = 64$/m);
  await run(["config", "set", "securityGroupIds", "sg-0a,sg-1b"], { env });
  assert.match(await Deno.readTextFile(path), /securityGroupIds = \[ "sg-0a", "sg-1b" \]/);
  assert.equal((await run(["config", "set", "maxvCpus", ""], { env })).code, 0);
  assert.doesNotMatch(await Deno.readTextFile(path), /^maxvCpus =/m);
  const badValue = await run(["config", "set", "maxvCpus", "lots"], { env });
  assert.equal(badValue.code, 2);
  assert.match(badValue.stderr, /^error: Bad value for 'maxvCpus': expected a whole number from 1 to 1000000/);
  const role = await run(["config", "set", "executionRoleArn", "ecsTaskExecutionRole"], { env });
  assert.equal(role.code, 2);
  assert.match(role.stderr, /expected an IAM role ARN/);
  const key = await run(["config", "set", "regoin", "us-east-1"], { env });
  assert.equal(key.code, 2);
  assert.match(key.stderr, /Unknown setting 'regoin': did you mean 'region'\?/);
  const shadowed = await run(["config", "set", "queue", "q"], { env: { ...env, EZBATCH_QUEUE: "other" } });
  assert.match(shadowed.stderr, /'queue' is also set in the environment, which wins over the file/);
  await Deno.writeTextFile(path, "[Settings]\nqueue = 3\n");
  const broken = await run(["config", "show"], { env });
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /^error: Bad value of 'Settings\.queue'/);
  await Deno.remove(dir, { recursive: true });
});
