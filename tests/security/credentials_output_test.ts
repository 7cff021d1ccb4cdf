/**
 * Credentials never reach the terminal: not from `config show`, and not from an error printed with `--verbose`
 * (its stack, its cause chain, a TOML excerpt of a credentials file given by mistake as the settings file).
 */
import assert from "node:assert/strict";
import { AwsCallError } from "../../core/errors.ts";
import { run } from "../commands/_run.ts";
import { runCliProcess } from "../support/cli_process.ts";
import { MemoryBackend } from "../support/memory_backend.ts";

// Shaped like real credentials (AWS's documented examples), so that pattern-based masking is exercised too.
const KEY_ID = "ASIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKENvalue+/abc";
const ENV = { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN };

function assertNoCredentials(text: string, values: string[] = [KEY_ID, SECRET, TOKEN]): void {
  for (const value of values) assert.ok(!text.includes(value), `'${value}' was printed:\n${text}`);
}

async function settingsFile(text: string): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".toml" });
  await Deno.writeTextFile(file, text);
  return file;
}

Deno.test("config show and config show --json print no credential from the environment", async () => {
  const file = await settingsFile(`[Settings]\nregion = "eu-west-1"\nqueue = "q"\n`);
  const env = { ...ENV, AWS_PROFILE: "dev", EZBATCH_CONFIG_PATH: file };
  for (const args of [["config", "show"], ["config", "show", "--json"], ["config", "show", "--verbose"]]) {
    const r = await run(args, { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /dev/, "the profile (a name, not a secret) is shown");
    assertNoCredentials(r.stdout + r.stderr);
  }
  await Deno.remove(file);
});

Deno.test("config show --verbose on an AWS credentials file given as the settings file masks every secret", async () => {
  // The mistake EZBATCH_CONFIG_PATH=~/.aws/credentials: not TOML, and the --verbose cause shows the lines around.
  const files = [
    `[default]\naws_session_token = ${TOKEN}\naws_secret_access_key = ${SECRET}\naws_access_key_id = ${KEY_ID}\n`,
    `[default]\naws_security_token=${TOKEN}\naws_access_key_id=${KEY_ID}\naws_secret_access_key=${SECRET}\n`,
    `[default]\naws_secret_access_key = "${SECRET}"\naws_session_token = "${TOKEN}"\n`,
  ];
  for (const text of files) {
    const file = await settingsFile(text);
    for (const verbose of [[], ["--verbose"]]) {
      const r = await run(["config", "show", ...verbose], { env: { EZBATCH_CONFIG_PATH: file } });
      assert.equal(r.code, 1, r.stderr);
      assertNoCredentials(r.stdout + r.stderr);
    }
    await Deno.remove(file);
  }
});

/** A backend whose every call fails with an AwsCallError, itself caused by `cause` (two levels down). */
function failingWith(message: string, cause: Error): MemoryBackend {
  return new MemoryBackend({
    fault: () =>
      new AwsCallError(
        { service: "Batch", operation: "ListJobs", code: "UnrecognizedClientException", requestId: "r-1" },
        message,
        { cause: new Error("signing failed", { cause }) },
      ),
  });
}

Deno.test("--verbose masks the environment's credentials anywhere in an error's cause chain, URL-encoded too", async () => {
  const backend = failingWith(
    `The security token included in the request is invalid (token ${TOKEN})`,
    new Error(
      `Signature mismatch for ${SECRET}; ` +
        `from https://batch.example/?X-Amz-Credential=${KEY_ID}%2F20240101&Token=${encodeURIComponent(TOKEN)}`,
    ),
  );
  const r = await run(["jobs", "list", "-q", "q", "--verbose"], { backend, env: ENV });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /caused by: Error: signing failed\n/, "the cause chain is printed");
  assert.match(r.stderr, /caused by: Error: Signature mismatch/);
  assertNoCredentials(r.stderr, [KEY_ID, SECRET, TOKEN, encodeURIComponent(TOKEN)]);
});

Deno.test("--verbose masks credentials an error labels, even when the environment does not hold them", async () => {
  // Credentials from a profile or SSO are not in the environment: only their labels can give them away.
  const backend = failingWith(
    `Request signed with ${KEY_ID} was refused`,
    new Error(
      `resolved {"accessKeyId":"${KEY_ID}","secretAccessKey":"${SECRET}","sessionToken":"${TOKEN}"} for ` +
        `https://batch.example/?X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-Signature=abc`,
    ),
  );
  const r = await run(["jobs", "list", "-q", "q", "--verbose"], { backend, env: {} });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /caused by: Error: resolved/);
  assertNoCredentials(r.stderr, [KEY_ID, SECRET, TOKEN, encodeURIComponent(TOKEN)]);
});

Deno.test("main.ts --verbose masks the environment's credentials in a failing command's output", async () => {
  const home = await Deno.makeTempDir();
  // A settings file with the secret key pasted as the region: the error quotes the value, and only the
  // environment that main.ts hands to the error report can tell that it is a secret.
  const file = `${home}/ezbatch.toml`;
  await Deno.writeTextFile(file, `[Settings]\nregion = "${SECRET}"\n`);
  const r = await runCliProcess(["jobs", "list", "-q", "q", "--verbose"], {
    ...ENV,
    HOME: home,
    EZBATCH_CONFIG_PATH: file,
    AWS_EC2_METADATA_DISABLED: "true",
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /region/);
  assertNoCredentials(r.stdout + r.stderr);
  await Deno.remove(home, { recursive: true });
});
