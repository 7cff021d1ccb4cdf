/**
 * Plain environment variables whose names look like secrets. Their values end up in the job definition, the
 * SubmitJob request and DescribeJobs output, where anyone with read access to Batch sees them; `secrets` (valueFrom a
 * Secrets Manager or SSM ARN) keeps them out. This is a warning, not an error: `TOKEN_LIMIT` may be harmless.
 * @module
 */
import type { EZBatchWorkflow } from "./model.ts";

/** An environment variable (or matrix key) of a job whose name looks like it holds a secret. */
export interface SecretLikeName {
  /** The workflow's name for the job. */
  job: string;
  /** The variable name, as written. */
  name: string;
  /** Where the name is set: the job's `environment` or its `matrix`. */
  field: "environment" | "matrix";
  /** A one-line warning that says what to do instead. */
  message: string;
}

/** Words that make a name look secret, matched as whole words of the name (`DB_PASSWORD`, `apiKey`). */
const SECRET_WORDS = new Set([
  "PASSWORD",
  "PASSWD",
  "PASS",
  "PWD",
  "SECRET",
  "TOKEN",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
  "PRIVATEKEY",
  "PASSPHRASE",
]);
/** `X_KEY` is a secret for these X (an `S3_KEY` is an object key, not a secret). */
const KEY_PREFIXES = new Set(["API", "PRIVATE", "SECRET", "ACCESS", "SIGNING", "ENCRYPTION", "CLIENT", "SESSION"]);

/** Splits `dbPassword`, `DB_PASSWORD`, `db-password` into upper-case words. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
}

/**
 * Says whether an environment variable name looks like it holds a secret (password, token, API key, private
 * key, credentials). `PWD` on its own is the shell's working directory and does not count.
 *
 * @param name The variable name.
 * @returns True when the name looks secret.
 * @example
 * ```ts
 * import { looksLikeSecretName } from "./mod.ts";
 * console.log(looksLikeSecretName("DB_PASSWORD"), looksLikeSecretName("apiKey"), looksLikeSecretName("S3_KEY"));
 * // true true false
 * ```
 */
export function looksLikeSecretName(name: string): boolean {
  if (name === "PWD") return false;
  const w = words(name);
  return w.some((word, i) => SECRET_WORDS.has(word) || (word === "KEY" && i > 0 && KEY_PREFIXES.has(w[i - 1]!)));
}

/**
 * Lists the plain environment variables (and matrix keys, which become environment variables) of a workflow whose
 * names look like secrets, so a caller can warn before submitting. Never throws and never reads the values.
 *
 * @param workflow A validated workflow.
 * @returns One entry per suspicious name, in job order, then name order.
 * @example
 * ```ts
 * import { secretLikeNames } from "./mod.ts";
 * const job = {
 *   image: "alpine:3.20", command: "env", environment: { DB_PASSWORD: "hunter2", STAGE: "dev" }, secrets: {},
 *   mounts: { read: [], write: [] }, vcpus: 1, memory: 2048, gpus: 0, platform: "EC2" as const, tags: {},
 *   preloader: false,
 * };
 * for (const w of secretLikeNames({ name: "wf", queue: "q", jobs: { app: job }, dependencies: {} })) {
 *   console.error(`warning: ${w.message}`);
 * }
 * ```
 */
export function secretLikeNames(workflow: EZBatchWorkflow): SecretLikeName[] {
  const found: SecretLikeName[] = [];
  for (const [job, spec] of Object.entries(workflow.jobs)) {
    const fields = [["environment", spec.environment ?? {}], ["matrix", spec.matrix ?? {}]] as const;
    for (const [field, values] of fields) {
      for (const name of Object.keys(values).sort()) {
        if (!looksLikeSecretName(name)) continue;
        found.push({
          job,
          name,
          field,
          message: `Job '${job}' sets ${field === "matrix" ? "matrix variable" : "environment variable"} '${name}' ` +
            "in plain text, visible in the job definition and DescribeJobs: if it is a secret, move it to " +
            `'secrets' (${name} = "arn:aws:secretsmanager:..." or an SSM parameter)`,
        });
      }
    }
  }
  return found;
}
