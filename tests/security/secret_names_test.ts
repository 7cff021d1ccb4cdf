import assert from "node:assert/strict";
import { looksLikeSecretName, secretLikeNames } from "../../core/secret_names.ts";
import type { EZBatchJob, EZBatchWorkflow } from "../../core/model.ts";
import { job as baseJob } from "../support/jobs.ts";

function job(fields: Partial<EZBatchJob> = {}): EZBatchJob {
  return baseJob({ image: "alpine:3.20", command: "env", platform: "EC2", ...fields });
}

const wf = (jobs: Record<string, EZBatchJob>): EZBatchWorkflow => ({ name: "wf", queue: "q", jobs, dependencies: {} });

Deno.test("looksLikeSecretName() flags passwords, tokens, API and private keys in any spelling", () => {
  for (
    const name of [
      "PASSWORD",
      "DB_PASSWORD",
      "db_pass",
      "MYSQL_PWD",
      "dbPassword",
      "GITHUB_TOKEN",
      "AWS_SESSION_TOKEN",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_ACCESS_KEY_ID",
      "API_KEY",
      "apiKey",
      "OPENAI_APIKEY",
      "STRIPE_SECRET",
      "client-secret",
      "PRIVATE_KEY",
      "SSH_PRIVATE_KEY_PATH",
      "GOOGLE_APPLICATION_CREDENTIALS",
      "GPG_PASSPHRASE",
    ]
  ) assert.equal(looksLikeSecretName(name), true, name);
});

Deno.test("looksLikeSecretName() leaves ordinary names alone", () => {
  for (
    const name of [
      "PWD",
      "PATH",
      "STAGE",
      "S3_KEY",
      "KEY",
      "SORT_KEY",
      "MAX_TOKENS",
      "TOKENIZER",
      "PASSENGER_COUNT",
      "SECRETARY",
      "COMPASS",
      "LR",
      "",
    ]
  ) assert.equal(looksLikeSecretName(name), false, name);
});

Deno.test("secretLikeNames() lists suspicious environment and matrix names per job, with a warning", () => {
  const found = secretLikeNames(wf({
    app: job({ environment: { STAGE: "dev", DB_PASSWORD: "hunter2", API_TOKEN: "t" } }),
    clean: job({ environment: { STAGE: "dev" }, secrets: { DB_PASSWORD: "arn:aws:secretsmanager:x" } }),
    sweep: job({ matrix: { API_KEY: ["a", "b"], LR: ["0.1"] } }),
  }));
  assert.deepEqual(found.map((f) => [f.job, f.field, f.name]), [
    ["app", "environment", "API_TOKEN"],
    ["app", "environment", "DB_PASSWORD"],
    ["sweep", "matrix", "API_KEY"],
  ]);
  assert.match(found[1]!.message, /^Job 'app' sets environment variable 'DB_PASSWORD' in plain text/);
  assert.match(found[1]!.message, /'secrets'/);
  assert.doesNotMatch(found.map((f) => f.message).join("\n"), /hunter2/, "the warning never repeats a value");
  assert.deepEqual(secretLikeNames(wf({ a: job({ environment: { STAGE: "x" } }) })), []);
});
