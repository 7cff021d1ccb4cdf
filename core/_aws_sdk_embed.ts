/**
 * Imported by nothing. `core/deps.ts` loads the AWS SDK (and dagre, for HTML reports) through variable specifiers
 * so that start-up does not pay for it, which hides them from `deno compile`; `deno task compile` passes
 * `--include core/_aws_sdk_embed.ts` so the binary embeds these packages and the lazy imports find them. Its type
 * names the loaders' keys; scripts/_sdk_loaders.ts is its twin for the bundle. Keep the three in step.
 * @module
 */
export * as batch from "npm:@aws-sdk/client-batch@^3.1000.0";
export * as s3 from "npm:@aws-sdk/client-s3@^3.1000.0";
export * as logs from "npm:@aws-sdk/client-cloudwatch-logs@^3.1000.0";
export * as sts from "npm:@aws-sdk/client-sts@^3.1000.0";
export * as ec2 from "npm:@aws-sdk/client-ec2@^3.1000.0";
export * as iam from "npm:@aws-sdk/client-iam@^3.1000.0";
export * as pricing from "npm:@aws-sdk/client-pricing@^3.1000.0";
export * as dagre from "npm:@dagrejs/dagre@^3.0.0";
export * as credentials from "npm:@aws-sdk/credential-providers@^3.1000.0";
export * as retry from "npm:@smithy/core@^3.41.0/retry";
