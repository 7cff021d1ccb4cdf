import assert from "node:assert/strict";
import { ConfigError } from "../../core/errors.ts";
import { configPath, loadConfig, parseSettingsDocument, renderSettingsToml, saveConfig } from "../../core/config.ts";
import { isSettingKey, parseSettingText, SETTING_KEYS } from "../../core/config_keys.ts";
import { fc } from "../support/deps.ts";

const PYTHON_FILE = `[Settings]
executionRoleArn = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
maxvCpus = 64
serviceRole = "arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"
instanceRole = "arn:aws:iam::123456789012:role/ecsInstanceRole"
securityGroupIds = ["sg-0123456789abcdef0"]
sse = "AES256"
sseKmsKeyId = ""
subnets = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
taskRoleArn = "arn:aws:iam::123456789012:role/jobRole"
`;

async function withFile(text: string, body: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ezbatch.toml`;
    await Deno.writeTextFile(path, text);
    await body(path, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("loadConfig() reads the Python ezbatch's [Settings] file unchanged and says each value came from the file", async () => {
  await withFile(PYTHON_FILE, async (path) => {
    const config = await loadConfig({ path, env: {} });
    assert.equal(config.exists, true);
    assert.equal(config.settings.maxvCpus, 64);
    assert.deepEqual(config.settings.subnets, ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]);
    assert.equal(config.settings.sse, "AES256");
    assert.equal(config.settings.sseKmsKeyId, undefined, "an empty string means unset");
    assert.equal(config.settings.taskRoleArn, "arn:aws:iam::123456789012:role/jobRole");
    assert.equal(config.settings.backend, "aws");
    assert.equal(config.sources.maxvCpus, "file");
    assert.equal(config.sources.backend, "default");
    assert.equal(config.sources.region, "default");
    assert.equal(config.file.maxvCpus, 64);
    assert.equal("backend" in config.file, false);
  });
});

Deno.test("loadConfig() accepts a missing file and fills in the defaults", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = await loadConfig({ path: `${dir}/nope.toml`, env: {} });
    assert.equal(config.exists, false);
    assert.deepEqual(config.settings, {
      backend: "aws",
      subnets: [],
      securityGroupIds: [],
      maxvCpus: 256,
      sse: "aws:kms",
    });
    assert.ok(Object.values(config.sources).every((s) => s === "default"));
    assert.deepEqual([...Deno.readDirSync(dir)], [], "loading created nothing");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig() lets the environment override the file, AWS_REGION before AWS_DEFAULT_REGION", async () => {
  const text = `[Settings]\nregion = "eu-west-1"\nqueue = "from-file"\nbackend = "aws"\nprofile = "work"\n`;
  await withFile(text, async (path) => {
    const env = {
      AWS_REGION: "us-west-2",
      AWS_DEFAULT_REGION: "ap-south-1",
      EZBATCH_QUEUE: "from-env",
      EZBATCH_BACKEND: "local",
    };
    const config = await loadConfig({ path, env });
    assert.equal(config.settings.region, "us-west-2");
    assert.equal(config.settings.queue, "from-env");
    assert.equal(config.settings.backend, "local");
    assert.equal(config.settings.profile, "work");
    assert.equal(config.sources.region, "environment");
    assert.equal(config.sources.profile, "file");
    assert.equal(config.file.region, "eu-west-1", "the file's own values stay visible");

    const fallback = await loadConfig({ path, env: { AWS_DEFAULT_REGION: "ap-south-1", AWS_REGION: "" } });
    assert.equal(fallback.settings.region, "ap-south-1");
  });
});

Deno.test("loadConfig() finds the file through EZBATCH_CONFIG_PATH, else under HOME", async () => {
  assert.equal(configPath({ EZBATCH_CONFIG_PATH: "/etc/ez.toml", HOME: "/home/a" }), "/etc/ez.toml");
  assert.equal(configPath({ HOME: "/home/a" }), "/home/a/.config/ezbatch.toml");
  assert.throws(() => configPath({}), ConfigError);
  await withFile(`[Settings]\nqueue = "q1"\n`, async (path) => {
    const config = await loadConfig({ env: { EZBATCH_CONFIG_PATH: path } });
    assert.equal(config.path, path);
    assert.equal(config.settings.queue, "q1");
  });
});

Deno.test("loadConfig() names the key, the file and what is valid for an unknown key", async () => {
  await withFile(`[Settings]\nsubnet = ["subnet-0abc"]\n`, async (path) => {
    await rejectsWith(
      loadConfig({ path, env: {} }),
      new RegExp(`^Unknown key 'Settings.subnet' in ${path}: did you mean 'subnets'\\? valid keys are region, `),
    );
  });
  await withFile(`region = "us-east-1"\n`, async (path) => {
    await rejectsWith(
      loadConfig({ path, env: {} }),
      /Unknown table or key 'region'.*put 'region' inside the \[Settings\]/,
    );
  });
});

Deno.test("loadConfig() rejects values of the wrong type, saying what would be valid", async () => {
  const cases: [string, RegExp][] = [
    [
      `maxvCpus = "lots"`,
      /Bad value of 'Settings.maxvCpus' in .*: expected a whole number from 1 to 1000000, got 'lots'/,
    ],
    [`maxvCpus = 0`, /maxvCpus.*got 0/],
    [`subnets = "subnet-0abc"`, /'Settings.subnets'.*expected a list of subnet ids/],
    [`subnets = ["subnet-0abc", "vpc-1"]`, /'Settings.subnets'.*got 'vpc-1'/],
    [`sse = "none"`, /'Settings.sse'.*expected 'AES256', 'aws:kms' or 'aws:kms:dsse', got 'none'/],
    [`backend = "k8s"`, /'Settings.backend'.*expected 'aws' or 'local', got 'k8s'/],
    [`executionRoleArn = "ecsTaskExecutionRole"`, /'Settings.executionRoleArn'.*IAM role ARN/],
    [`region = "Mars"`, /'Settings.region'.*region name such as 'us-east-1'/],
  ];
  for (const [line, pattern] of cases) {
    await withFile(`[Settings]\n${line}\n`, (path) => rejectsWith(loadConfig({ path, env: {} }), pattern));
  }
});

Deno.test("loadConfig() reports bad TOML with its line, and bad environment values with the variable", async () => {
  await withFile(`[Settings]\nqueue = \n`, async (path) => {
    await rejectsWith(loadConfig({ path, env: {} }), new RegExp(`${path}:2:\\d+ is not valid TOML`));
  });
  await withFile("", async (path) => {
    await rejectsWith(
      loadConfig({ path, env: { EZBATCH_BACKEND: "cloud" } }),
      /environment variable EZBATCH_BACKEND \(setting 'backend'\): expected 'aws' or 'local', got 'cloud'/,
    );
  });
});

Deno.test("saveConfig() writes a 0600 file that loads back, and never overwrites silently", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/nested/ezbatch.toml`;
    await saveConfig(path, { region: "us-east-1", subnets: ["subnet-0abc"], maxvCpus: 16, queue: "q" });
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const loaded = await loadConfig({ path, env: {} });
    assert.deepEqual(loaded.file, { region: "us-east-1", subnets: ["subnet-0abc"], maxvCpus: 16, queue: "q" });

    await rejectsWith(saveConfig(path, { queue: "other" }), /already exists: pass overwrite/);
    assert.equal((await loadConfig({ path, env: {} })).settings.queue, "q");

    await Deno.chmod(path, 0o644);
    await saveConfig(path, { queue: "other" }, { overwrite: true });
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual((await loadConfig({ path, env: {} })).file, { queue: "other" });
    assert.deepEqual([...Deno.readDirSync(`${dir}/nested`)].map((e) => e.name), ["ezbatch.toml"], "no temp file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveConfig() checks values before writing anything", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ezbatch.toml`;
    await rejectsWith(saveConfig(path, { maxvCpus: -1 }), /'Settings.maxvCpus'/);
    await rejectsWith(saveConfig(path, { colour: "red" } as never), /Unknown key 'Settings.colour'/);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseSettingText() converts typed text: comma lists, whole numbers, enums", () => {
  assert.deepEqual(parseSettingText("subnets", "subnet-0a, subnet-0b,"), { value: ["subnet-0a", "subnet-0b"] });
  assert.deepEqual(parseSettingText("maxvCpus", "32"), { value: 32 });
  assert.match((parseSettingText("maxvCpus", "3.5") as { error: string }).error, /whole number/);
  assert.deepEqual(parseSettingText("backend", "local"), { value: "local" });
  assert.match((parseSettingText("securityGroupIds", "sg-zz") as { error: string }).error, /got 'sg-zz'/);
});

Deno.test("parseSettingsDocument() never fails with anything but a ConfigError, whatever the document", () => {
  const keys = fc.oneof(fc.constantFrom(...SETTING_KEYS), fc.string({ maxLength: 12 }));
  const values = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), { maxLength: 3 }),
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  );
  const documents = fc.oneof(
    fc.record({ Settings: fc.dictionary(keys, values, { maxKeys: 6 }) }),
    fc.dictionary(keys, values, { maxKeys: 3 }),
    fc.record({ Settings: values }),
  );
  fc.assert(
    fc.property(documents, (doc) => {
      try {
        const parsed = parseSettingsDocument(doc as Record<string, unknown>, "p.toml");
        for (const key of Object.keys(parsed)) assert.ok(isSettingKey(key));
      } catch (error) {
        assert.ok(error instanceof ConfigError, `unexpected ${error}`);
        assert.match(error.message, /p\.toml/, "the message names the file");
      }
    }),
    { numRuns: 500 },
  );
});

Deno.test("loadConfig() rejects a [Settings] that is not a table", async () => {
  for (const text of [`Settings = 1979-05-27`, `Settings = ["a"]`, `Settings = 3`]) {
    await withFile(text, (path) => rejectsWith(loadConfig({ path, env: {} }), /'Settings' in .* must be a table/));
  }
});

Deno.test("renderSettingsToml() documents every key and loads back to exactly the values given", async () => {
  const values = { region: "eu-west-1", subnets: ["subnet-0a", "subnet-0b"], maxvCpus: 64, sse: "AES256" as const };
  const text = renderSettingsToml(values);
  assert.match(text, /^# Subnets of new compute environments\nsubnets = \[ "subnet-0a", "subnet-0b" \]$/m);
  assert.match(text, /^# Job queue used when a workflow or command names none\n# queue = "my-queue"$/m);
  for (const key of SETTING_KEYS) assert.match(text, new RegExp(`^#? ?${key} = `, "m"), key);
  await withFile(text, async (path) => {
    assert.deepEqual((await loadConfig({ path, env: {} })).file, values);
  });
});

Deno.test("loadConfig() names the variable behind each environment override", async () => {
  await withFile("", async (path) => {
    const config = await loadConfig({ path, env: { AWS_DEFAULT_REGION: "eu-north-1", EZBATCH_QUEUE: "fast" } });
    assert.deepEqual(config.envVars, { region: "AWS_DEFAULT_REGION", queue: "EZBATCH_QUEUE" });
  });
});
