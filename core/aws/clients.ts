/**
 * AWS SDK clients, created on first use through the lazy loaders of `core/deps.ts`: importing this module (or
 * `mod.ts`) never loads the SDK, so `--help` and offline validation stay fast and need no credentials.
 * @module
 */
import { loadBatchSdk, loadEc2Sdk, loadIamSdk, loadLogsSdk, loadRetrySdk, loadS3Sdk, loadStsSdk } from "../deps.ts";
import { callAws } from "./errors.ts";
import { failFast } from "./_fail_fast.ts";
import { checkProfile } from "./_profile.ts";

import type { BatchClient, CloudWatchLogsClient, EC2Client, IAMClient, S3Client, STSClient } from "../deps.ts";
export type { BatchClient, CloudWatchLogsClient, EC2Client, IAMClient, S3Client, STSClient };

/** Default number of attempts per call (the first try included) with the SDK's adaptive retry. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** How clients are configured. Unset values are left to the SDK (environment, `~/.aws/config`). */
export interface AwsClientOptions {
  /** Region; default the SDK's chain (`AWS_REGION`, the profile's region, ...). */
  region?: string;
  /** Named profile for credentials and region; default the SDK's chain (`AWS_PROFILE`, `default`). */
  profile?: string;
  /**
   * Endpoint of every service (LocalStack, moto). Leave unset to let the SDK read `AWS_ENDPOINT_URL` and
   * `AWS_ENDPOINT_URL_<SERVICE>` itself.
   */
  endpoint?: string;
  /** Attempts per call including retries (adaptive retry mode); default 8. */
  maxAttempts?: number;
  /** Static credentials (tests); default the SDK's credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * Address buckets as `endpoint/bucket` instead of `bucket.endpoint`. Default: on when an endpoint override is in
   * effect (`endpoint`, `AWS_ENDPOINT_URL` or `AWS_ENDPOINT_URL_S3`), as S3 look-alikes (s3rver, MinIO, LocalStack)
   * need it; off for AWS itself.
   */
  s3ForcePathStyle?: boolean;
  /** Environment consulted for the S3 default above; default the process environment. */
  env?: Readonly<Record<string, string | undefined>>;
}

function envGet(env: Readonly<Record<string, string | undefined>> | undefined, name: string): string | undefined {
  if (env) return env[name];
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** Clients made elsewhere (tests, embedding applications); they are used as they are. */
export interface InjectedClients {
  /** AWS Batch. */
  batch?: BatchClient;
  /** CloudWatch Logs. */
  logs?: CloudWatchLogsClient;
  /** S3. */
  s3?: S3Client;
  /** STS. */
  sts?: STSClient;
  /** EC2. */
  ec2?: EC2Client;
  /** IAM. */
  iam?: IAMClient;
}

/**
 * A lazy set of AWS clients sharing one configuration. Each client (and its SDK module) is created on first use
 * and then reused. Retries use the SDK's `adaptive` mode, which also rate-limits the client when AWS throttles.
 */
export class AwsClients {
  #options: AwsClientOptions;
  #made: Map<string, Promise<unknown>> = new Map();
  #accountId?: Promise<string>;

  /** Creates the set; nothing is loaded or contacted until a client is asked for. */
  constructor(options: AwsClientOptions = {}, injected: InjectedClients = {}) {
    this.#options = options;
    for (const [name, client] of Object.entries(injected)) {
      if (client) this.#made.set(name, Promise.resolve(client));
    }
  }

  /** The configuration passed to every client constructor (only the keys that are set). Never loads the SDK. */
  clientConfig(): Record<string, unknown> {
    const o = this.#options;
    const config: Record<string, unknown> = {
      retryMode: "adaptive",
      maxAttempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    };
    // An explicit `undefined` would hide AWS_ENDPOINT_URL and the profile's region from the SDK: set only what is given.
    if (o.region !== undefined) config.region = o.region;
    if (o.profile !== undefined) config.profile = o.profile;
    if (o.endpoint !== undefined) config.endpoint = o.endpoint;
    if (o.credentials !== undefined) config.credentials = o.credentials;
    return config;
  }

  /**
   * `config` with the retry strategy of `clientConfig()` made concrete: the SDK's adaptive strategy, giving up
   * early on a refused connection (see _fail_fast.ts). Also checks a named profile exists before the SDK would
   * hide that behind "Could not load credentials from any providers".
   */
  async #sdkConfig(config: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.#options.credentials) await checkProfile(this.#options.profile, this.#options.env);
    const attempts = Number(config.maxAttempts);
    if (!(attempts > 1)) return config;
    const { AdaptiveRetryStrategy } = await loadRetrySdk();
    return { ...config, retryStrategy: failFast(new AdaptiveRetryStrategy(() => Promise.resolve(attempts))) };
  }

  #get<T>(name: string, make: () => Promise<T>): Promise<T> {
    let client = this.#made.get(name) as Promise<T> | undefined;
    if (!client) {
      client = make();
      this.#made.set(name, client);
      client.catch(() => this.#made.delete(name)); // a failed import may be retried
    }
    return client;
  }

  /** The AWS Batch client. */
  batch(): Promise<BatchClient> {
    return this.#get(
      "batch",
      async () => new (await loadBatchSdk()).BatchClient(await this.#sdkConfig(this.clientConfig())),
    );
  }

  /**
   * A Batch client that sends each request once (no SDK retry), for SubmitJob: a resend after a lost reply could
   * create a duplicate job. `submitWorkflow` retries throttling itself and, after a network error, looks the job up
   * by its run-scoped name before trying again. An injected Batch client (tests) is used as it is.
   */
  batchSingleAttempt(): Promise<BatchClient> {
    if (this.#made.has("batch") && !this.#made.has("batch-single")) return this.batch();
    return this.#get(
      "batch-single",
      async () =>
        new (await loadBatchSdk()).BatchClient(await this.#sdkConfig({ ...this.clientConfig(), maxAttempts: 1 })),
    );
  }

  /** The CloudWatch Logs client. */
  logs(): Promise<CloudWatchLogsClient> {
    return this.#get(
      "logs",
      async () => new (await loadLogsSdk()).CloudWatchLogsClient(await this.#sdkConfig(this.clientConfig())),
    );
  }

  /** The configuration of the S3 client: `clientConfig()` plus `forcePathStyle` (see `s3ForcePathStyle`). */
  s3Config(): Record<string, unknown> {
    const o = this.#options;
    const overridden = o.endpoint !== undefined || !!envGet(o.env, "AWS_ENDPOINT_URL") ||
      !!envGet(o.env, "AWS_ENDPOINT_URL_S3");
    const pathStyle = o.s3ForcePathStyle ?? overridden;
    return pathStyle ? { ...this.clientConfig(), forcePathStyle: true } : this.clientConfig();
  }

  /** The S3 client. */
  s3(): Promise<S3Client> {
    return this.#get("s3", async () => new (await loadS3Sdk()).S3Client(await this.#sdkConfig(this.s3Config())));
  }

  /** The STS client. */
  sts(): Promise<STSClient> {
    return this.#get("sts", async () => new (await loadStsSdk()).STSClient(await this.#sdkConfig(this.clientConfig())));
  }

  /** The EC2 client. */
  ec2(): Promise<EC2Client> {
    return this.#get("ec2", async () => new (await loadEc2Sdk()).EC2Client(await this.#sdkConfig(this.clientConfig())));
  }

  /** The IAM client (a global service: the region only picks the endpoint's partition). */
  iam(): Promise<IAMClient> {
    return this.#get("iam", async () => new (await loadIamSdk()).IAMClient(await this.#sdkConfig(this.clientConfig())));
  }

  /** The account id of the current credentials (STS GetCallerIdentity), asked once and remembered. */
  accountId(): Promise<string> {
    if (!this.#accountId) {
      this.#accountId = (async () => {
        const [{ GetCallerIdentityCommand }, sts] = await Promise.all([loadStsSdk(), this.sts()]);
        const out = await callAws("STS", "GetCallerIdentity", () => sts.send(new GetCallerIdentityCommand({})));
        if (!out.Account) throw new Error("STS GetCallerIdentity returned no account id");
        return out.Account;
      })();
      this.#accountId.catch(() => (this.#accountId = undefined));
    }
    return this.#accountId;
  }

  /** Closes the clients that were created (their sockets); the set can be used again afterwards. */
  async destroy(): Promise<void> {
    const made = [...this.#made.values()];
    this.#made.clear();
    for (const client of await Promise.allSettled(made)) {
      if (client.status === "fulfilled") (client.value as { destroy?: () => void }).destroy?.();
    }
  }
}
