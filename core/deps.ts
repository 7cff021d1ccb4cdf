/**
 * Third-party code used by core, with full `npm:` specifiers so that importing ezbatch by URL works without our
 * deno.json. Versions live here and in `deps_zod.ts` (zod has its own module so that only its users load it). The
 * AWS SDK is loaded lazily: `--help` and validation never pay for it.
 * @module
 */
export { parse as parseToml, stringify as stringifyToml, TomlError } from "npm:smol-toml@^1.4.0";
import type { PackedSdk } from "./_embedded_sdk.ts";

/**
 * `import(specifier)` through a variable. Deno resolves and prepares every literal `import("npm:...")` of the module
 * graph when the program starts, called or not: for the AWS SDK that tripled `ezbatch --help`. A specifier in a
 * variable is only resolved when called; `typeof import(...)` keeps the types (type positions cost nothing at run
 * time). `deno compile` must then be told to embed the SDK: see the `compile` task and docs/distribution.md.
 */
/**
 * Where the single-file bundle puts the SDK it carries (scripts/bundle.ts): packed CommonJS that exports one loader
 * per package, so a command evaluates only the clients it uses; core/_embedded_sdk.ts unpacks it once into a
 * per-user cache file.
 */
const EMBEDDED_SDK = Symbol.for("ezbatch.embeddedSdk");
let embeddedLoaders: Promise<SdkLoaders> | undefined;

const lazy = <K extends keyof EmbeddedSdk>(specifier: string, key: K) => (): Promise<EmbeddedSdk[K]> => {
  const embedded = (globalThis as Record<symbol, unknown>)[EMBEDDED_SDK] as PackedSdk | undefined;
  if (!embedded) return import(specifier);
  // Imported only here: running from source never loads the cache code (nor node:module).
  embeddedLoaders ??= import("./_embedded_sdk.ts").then(({ loadPackedSdk }) => loadPackedSdk(embedded))
    .then(({ exports }) => exports as SdkLoaders);
  return embeddedLoaders.then((loaders) => loaders[key]());
};

/**
 * The packages loaded lazily, by the key under which `core/_aws_sdk_embed.ts` and `scripts/_sdk_loaders.ts` carry
 * them (types only: they load nothing, and keep that module out of the program's graph).
 */
export interface EmbeddedSdk {
  batch: typeof import("npm:@aws-sdk/client-batch@^3.1000.0");
  s3: typeof import("npm:@aws-sdk/client-s3@^3.1000.0");
  logs: typeof import("npm:@aws-sdk/client-cloudwatch-logs@^3.1000.0");
  sts: typeof import("npm:@aws-sdk/client-sts@^3.1000.0");
  ec2: typeof import("npm:@aws-sdk/client-ec2@^3.1000.0");
  iam: typeof import("npm:@aws-sdk/client-iam@^3.1000.0");
  pricing: typeof import("npm:@aws-sdk/client-pricing@^3.1000.0");
  dagre: typeof import("npm:@dagrejs/dagre@^3.0.0");
  credentials: typeof import("npm:@aws-sdk/credential-providers@^3.1000.0");
  retry: typeof import("npm:@smithy/core@^3.41.0/retry");
}
type SdkLoaders = { [K in keyof EmbeddedSdk]: () => Promise<EmbeddedSdk[K]> };

/** The version range of the AWS SDK packages below (`ezbatch version` reports it without loading the SDK). */
export const AWS_SDK_RANGE = "^3.1000.0";

/** Loads the AWS Batch client module on first use. */
export const loadBatchSdk = lazy("npm:@aws-sdk/client-batch@^3.1000.0", "batch");
/** Loads the S3 client module on first use. */
export const loadS3Sdk = lazy("npm:@aws-sdk/client-s3@^3.1000.0", "s3");
/** Loads the CloudWatch Logs client module on first use. */
export const loadLogsSdk = lazy("npm:@aws-sdk/client-cloudwatch-logs@^3.1000.0", "logs");
/** Loads the STS client module on first use (account id for default role ARNs). */
export const loadStsSdk = lazy("npm:@aws-sdk/client-sts@^3.1000.0", "sts");
/** Loads the EC2 client module on first use (subnets, security groups, instance types for setup). */
export const loadEc2Sdk = lazy("npm:@aws-sdk/client-ec2@^3.1000.0", "ec2");
/** Loads the IAM client module on first use (roles and instance profiles for `ezbatch setup`). */
export const loadIamSdk = lazy("npm:@aws-sdk/client-iam@^3.1000.0", "iam");
/** Loads the AWS Price List client module on first use (cost estimates of run reports). */
export const loadPricingSdk = lazy("npm:@aws-sdk/client-pricing@^3.1000.0", "pricing");
/** Loads @dagrejs/dagre on first use: it lays out the DAG of an HTML run report, and nothing else needs it. */
export const loadDagre = lazy("npm:@dagrejs/dagre@^3.0.0", "dagre");
/** Loads the shared-ini credential provider (profiles) on first use. */
export const loadCredentialProviders = lazy("npm:@aws-sdk/credential-providers@^3.1000.0", "credentials");

/** Loads the SDK's retry strategies on first use (core/aws/_fail_fast.ts wraps the adaptive one). */
export const loadRetrySdk = lazy("npm:@smithy/core@^3.41.0/retry", "retry");

/** SDK shapes, as types only (erased at run time: they never load the SDK). */
export type {
  BatchClient,
  ComputeEnvironmentDetail as SdkComputeEnvironment,
  JobDefinition as SdkJobDefinition,
  JobDetail as SdkJobDetail,
  JobQueueDetail as SdkJobQueue,
  JobSummary as SdkJobSummary,
} from "npm:@aws-sdk/client-batch@^3.1000.0";
export type {
  CloudWatchLogsClient,
  OutputLogEvent as SdkLogEvent,
} from "npm:@aws-sdk/client-cloudwatch-logs@^3.1000.0";
export type { S3Client } from "npm:@aws-sdk/client-s3@^3.1000.0";
export type { STSClient } from "npm:@aws-sdk/client-sts@^3.1000.0";
export type { EC2Client } from "npm:@aws-sdk/client-ec2@^3.1000.0";
export type { IAMClient } from "npm:@aws-sdk/client-iam@^3.1000.0";
export type { PricingClient } from "npm:@aws-sdk/client-pricing@^3.1000.0";
