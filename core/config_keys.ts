/**
 * The keys of the settings file: their types, defaults, and how a raw value (from TOML, the environment or a
 * command line) is checked and converted.
 * @module
 */

/** Which backend runs jobs: AWS Batch, or processes on this machine. */
export type BackendKind = "aws" | "local";

/** Server-side encryption the preloader asks S3 for when it uploads. */
export type SseKind = "AES256" | "aws:kms" | "aws:kms:dsse";

/** The effective settings of ezbatch, with defaults filled in. Optional keys are absent when nobody set them. */
export interface Settings {
  /** AWS region; when absent the SDK's own chain (profile, instance metadata) decides. */
  region?: string;
  /** Named profile of `~/.aws/config` and `~/.aws/credentials`. */
  profile?: string;
  /** Default job queue for submissions without a queue. */
  queue?: string;
  /** `aws` (default) or `local`. */
  backend: BackendKind;
  /** Role ECS uses to pull images and write logs; default `arn:aws:iam::<account>:role/ecsTaskExecutionRole`. */
  executionRoleArn?: string;
  /** Role the job's code runs as; default the same as the execution role (as the Python ezbatch did). */
  taskRoleArn?: string;
  /** AWS Batch service role (name or ARN) for new compute environments; absent = the service-linked role. */
  serviceRole?: string;
  /** Instance profile (name or ARN) of EC2 compute environments; default `ecsInstanceRole`. */
  instanceRole?: string;
  /** Default subnets of new compute environments. */
  subnets: string[];
  /** Default security groups of new compute environments. */
  securityGroupIds: string[];
  /**
   * Give Fargate tasks a public IP by default. Needed to pull images on a subnet without a NAT gateway (the
   * default VPC of a new account); absent = false, AWS's default.
   */
  assignPublicIp?: boolean;
  /** Default maximum vCPUs of new compute environments (256). */
  maxvCpus: number;
  /** Default server-side encryption of uploads (`aws:kms`, as the Python ezbatch). */
  sse: SseKind;
  /** KMS key for `sse = "aws:kms"`; absent = the AWS managed key. */
  sseKmsKeyId?: string;
  /** Local backend: serve `s3://bucket/key` from `<s3Dir>/bucket/key` instead of S3. */
  s3Dir?: string;
  /** Local backend: where job state and logs are kept (default under XDG_STATE_HOME). */
  stateDir?: string;
  /** Prices of run reports' cost estimates that replace the Price List API's and the built-in table's. */
  prices?: string;
}

/** The name of one setting. */
export type SettingKey = keyof Settings;

/** What kind of value a key holds, for messages and parsing. */
type KeyKind = "string" | "string[]" | "count" | "enum" | "boolean";

interface KeySpec {
  kind: KeyKind;
  /** What is valid, in words, for error messages. */
  expected: string;
  values?: readonly string[];
  pattern?: RegExp;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const IAM_NAME_OR_ARN = /^(arn:aws[a-z-]*:iam::\d{12}:[a-z-]+\/.+|[\w+=,.@/-]{1,512})$/;

const SPECS: Record<SettingKey, KeySpec> = {
  region: { kind: "string", expected: "a region name such as 'us-east-1'", pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/ },
  profile: { kind: "string", expected: "a profile name", pattern: /^[\w.@+-]+$/ },
  queue: { kind: "string", expected: "a job queue name or ARN", pattern: /^([\w-]{1,128}|arn:aws[a-z-]*:batch:.+)$/ },
  backend: { kind: "enum", expected: "'aws' or 'local'", values: ["aws", "local"] },
  executionRoleArn: {
    kind: "string",
    expected: "an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
    pattern: ROLE_ARN,
  },
  taskRoleArn: { kind: "string", expected: "an IAM role ARN (arn:aws:iam::<account>:role/<name>)", pattern: ROLE_ARN },
  serviceRole: { kind: "string", expected: "an IAM role name or ARN", pattern: IAM_NAME_OR_ARN },
  instanceRole: { kind: "string", expected: "an instance profile name or ARN", pattern: IAM_NAME_OR_ARN },
  subnets: {
    kind: "string[]",
    expected: "a list of subnet ids such as ['subnet-0abc']",
    pattern: /^subnet-[0-9a-f]+$/,
  },
  securityGroupIds: {
    kind: "string[]",
    expected: "a list of security group ids such as ['sg-0abc']",
    pattern: /^sg-[0-9a-f]+$/,
  },
  assignPublicIp: { kind: "boolean", expected: "true or false" },
  maxvCpus: { kind: "count", expected: "a whole number from 1 to 1000000" },
  sse: {
    kind: "enum",
    expected: "'AES256', 'aws:kms' or 'aws:kms:dsse'",
    values: ["AES256", "aws:kms", "aws:kms:dsse"],
  },
  sseKmsKeyId: { kind: "string", expected: "a KMS key id, alias or ARN", pattern: /^\S+$/ },
  s3Dir: { kind: "string", expected: "a directory path", pattern: /./ },
  stateDir: { kind: "string", expected: "a directory path", pattern: /./ },
  prices: {
    kind: "string",
    expected: "comma-separated key=USD pairs such as 'ec2_vcpu_hour=0.05,spot_factor=0.35' (keys: " +
      "fargate_vcpu_hour, fargate_gib_hour, fargate_arm_vcpu_hour, fargate_arm_gib_hour, ec2_vcpu_hour, " +
      "ec2_gpu_hour, spot_factor)",
    pattern: /^\s*[a-z_]+\s*=\s*[0-9.]+\s*(,\s*[a-z_]+\s*=\s*[0-9.]+\s*)*$/,
  },
};

/** What a setting is for, and an example value (for `config init`, `config show` and the settings prompts). */
export interface SettingHelp {
  /** One sentence. */
  description: string;
  /** A typical value. */
  example: string | number | string[];
}

const HELP: Record<SettingKey, SettingHelp> = {
  region: { description: "AWS region (default: AWS_REGION or the profile's region)", example: "us-east-1" },
  profile: { description: "Named profile of ~/.aws/config for credentials and region", example: "default" },
  queue: { description: "Job queue used when a workflow or command names none", example: "my-queue" },
  backend: { description: "Where jobs run: 'aws' (AWS Batch) or 'local' (processes on this machine)", example: "aws" },
  executionRoleArn: {
    description: "Role ECS uses to pull images and write logs (default ecsTaskExecutionRole of your account)",
    example: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  },
  taskRoleArn: {
    description: "Role your job's code runs as, e.g. to read and write S3 (default: the execution role)",
    example: "arn:aws:iam::123456789012:role/ezbatchJobRole",
  },
  serviceRole: {
    description: "AWS Batch service role of new compute environments (default: the service-linked role)",
    example: "arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch",
  },
  instanceRole: {
    description: "Instance profile of new EC2 compute environments (default ecsInstanceRole)",
    example: "ecsInstanceRole",
  },
  subnets: { description: "Subnets of new compute environments", example: ["subnet-0123456789abcdef0"] },
  securityGroupIds: {
    description: "Security groups of new compute environments",
    example: ["sg-0123456789abcdef0"],
  },
  assignPublicIp: {
    description:
      "Fargate jobs get a public IP: needed to pull images on a subnet without a NAT gateway (default false)",
    example: "true",
  },
  maxvCpus: { description: "Maximum vCPUs of new compute environments", example: 256 },
  sse: { description: "Server-side encryption of uploads: AES256, aws:kms or aws:kms:dsse", example: "aws:kms" },
  sseKmsKeyId: { description: "KMS key for sse = 'aws:kms' (default: the AWS managed key)", example: "alias/my-key" },
  s3Dir: { description: "Local backend: serve s3://bucket/key from <s3Dir>/bucket/key", example: "./s3" },
  stateDir: { description: "Local backend: where job state and logs are kept", example: "~/.local/state/ezbatch" },
  prices: {
    description: "Prices (USD per hour) of run reports' cost estimates, replacing the Price List API's",
    example: "ec2_vcpu_hour=0.05,ec2_gpu_hour=0.9",
  },
};

/**
 * What a setting is for and an example value.
 * @param key A setting.
 * @returns Its description and example.
 * @example
 * ```ts
 * import { settingHelp } from "./mod.ts";
 * console.log(settingHelp("subnets").description);
 * ```
 */
export function settingHelp(key: SettingKey): SettingHelp {
  return HELP[key];
}

/** Every setting key, in the order `config show` lists them. */
export const SETTING_KEYS: readonly SettingKey[] = Object.keys(SPECS) as SettingKey[];

/** The defaults of the keys that always have a value. */
export const SETTING_DEFAULTS: Readonly<
  Pick<Settings, "backend" | "subnets" | "securityGroupIds" | "maxvCpus" | "sse">
> = {
  backend: "aws",
  subnets: [],
  securityGroupIds: [],
  maxvCpus: 256,
  sse: "aws:kms",
};

/**
 * True when `key` names a setting.
 * @param key Any text, e.g. a `config set` argument.
 * @returns Whether it is one of `SETTING_KEYS` (and narrows its type).
 * @example
 * ```ts
 * import { isSettingKey } from "./mod.ts";
 * console.log(isSettingKey("subnets"), isSettingKey("subnet")); // true false
 * ```
 */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SPECS, key);
}

/**
 * A phrase saying what values `key` accepts, for prompts and messages.
 * @param key A setting.
 * @returns E.g. `'aws' or 'local'` for `backend`.
 * @example
 * ```ts
 * import { expectedValue } from "./mod.ts";
 * console.log(`maxvCpus: ${expectedValue("maxvCpus")}`);
 * ```
 */
export function expectedValue(key: SettingKey): string {
  return SPECS[key].expected;
}

function show(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

/**
 * Checks a value read from TOML (or built in code) for `key`; returns the value, or a message saying what is wrong
 * and what would be valid. Empty strings mean "unset" and return `undefined`.
 */
export function checkSettingValue(key: SettingKey, value: unknown): { value: unknown } | { error: string } {
  const spec = SPECS[key];
  const bad = (got: unknown) => ({ error: `expected ${spec.expected}, got ${show(got)}` });
  switch (spec.kind) {
    case "string":
      if (typeof value !== "string") return bad(value);
      if (value === "") return { value: undefined };
      return spec.pattern && !spec.pattern.test(value) ? bad(value) : { value };
    case "enum":
      return typeof value === "string" && spec.values?.includes(value) ? { value } : bad(value);
    case "boolean":
      return typeof value === "boolean" ? { value } : bad(value);
    case "count":
      return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 1_000_000
        ? { value }
        : bad(value);
    case "string[]": {
      if (!Array.isArray(value)) return bad(value);
      const wrong = value.find((v) => typeof v !== "string" || !spec.pattern?.test(v));
      return wrong === undefined ? { value: [...value] } : bad(wrong);
    }
  }
}

/**
 * Converts a value typed as text (environment variable, `config set KEY VALUE`) to the type of `key`: lists are
 * comma-separated, numbers are whole numbers, other values are checked against what the key accepts.
 * @param key The setting.
 * @param text The value as typed.
 * @returns `{ value }` (the typed value; `undefined` for an empty string) or `{ error }` saying what is valid.
 * @example
 * ```ts
 * import { parseSettingText } from "./mod.ts";
 * console.log(parseSettingText("subnets", "subnet-0a,subnet-0b")); // { value: ["subnet-0a", "subnet-0b"] }
 * console.log(parseSettingText("maxvCpus", "many")); // { error: "expected a whole number ..." }
 * ```
 */
export function parseSettingText(key: SettingKey, text: string): { value: unknown } | { error: string } {
  const spec = SPECS[key];
  if (spec.kind === "string[]") {
    const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
    return checkSettingValue(key, items);
  }
  if (spec.kind === "boolean") {
    const t = text.trim().toLowerCase();
    if (t === "") return { value: undefined };
    return t === "true" || t === "false"
      ? { value: t === "true" }
      : { error: `expected ${spec.expected}, got '${text}'` };
  }
  if (spec.kind === "count") {
    const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
    return Number.isNaN(n) ? { error: `expected ${spec.expected}, got '${text}'` } : checkSettingValue(key, n);
  }
  return checkSettingValue(key, text.trim());
}

/** The known key closest to `key` (for "did you mean"), when one is close enough. */
export function closestSettingKey(key: string): SettingKey | undefined {
  let best: SettingKey | undefined;
  let bestDistance = Infinity;
  for (const candidate of SETTING_KEYS) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
