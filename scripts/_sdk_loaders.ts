/**
 * The entry of the AWS SDK part of the bundle (scripts/bundle.ts): one loader per package that `core/deps.ts` loads
 * lazily, each a literal import that the bundler turns into code evaluated only when that loader is called. Keep
 * the keys and specifiers in step with `core/deps.ts` and `core/_aws_sdk_embed.ts`. Not imported by the program.
 * @module
 */
import type { EmbeddedSdk } from "../core/deps.ts";

export const batch = () => import("npm:@aws-sdk/client-batch@^3.1000.0");
export const s3 = () => import("npm:@aws-sdk/client-s3@^3.1000.0");
export const logs = () => import("npm:@aws-sdk/client-cloudwatch-logs@^3.1000.0");
export const sts = () => import("npm:@aws-sdk/client-sts@^3.1000.0");
export const ec2 = () => import("npm:@aws-sdk/client-ec2@^3.1000.0");
export const iam = () => import("npm:@aws-sdk/client-iam@^3.1000.0");
export const pricing = () => import("npm:@aws-sdk/client-pricing@^3.1000.0");
export const dagre = () => import("npm:@dagrejs/dagre@^3.0.0");
export const credentials = () => import("npm:@aws-sdk/credential-providers@^3.1000.0");
export const retry = () => import("npm:@smithy/core@^3.41.0/retry");

// `deno task check` fails here when a loader is missing or loads another package than core/deps.ts expects.
const _sameAsCore: { [K in keyof EmbeddedSdk]: () => Promise<EmbeddedSdk[K]> } = {
  batch,
  s3,
  logs,
  sts,
  ec2,
  iam,
  pricing,
  dagre,
  credentials,
  retry,
};
