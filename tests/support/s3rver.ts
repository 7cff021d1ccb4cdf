/**
 * A real S3 server on 127.0.0.1 for tests (s3rver, in-process), helpers to drive Debian's AWS CLI against it, and
 * quick in-process object helpers (AWS SDK v3) to set up and check its contents.
 *
 * The server runs in this process's event loop: talk to it only with async calls (`new Deno.Command(...).output()`
 * or `.spawn()`), never `outputSync()`, which would block the server and hang.
 * @module
 */
import { loadS3Sdk } from "../../core/deps.ts";
import { S3rver } from "./deps.ts";

/** Debian's AWS CLI v2 (apt package awscli), the real client the preloader drives. */
export const AWS_CLI = "/usr/bin/aws";

/** True when {@link AWS_CLI} is installed; tests that need it are skipped (with a message) otherwise. */
export function hasAwsCli(): boolean {
  try {
    return Deno.statSync(AWS_CLI).isFile;
  } catch {
    return false;
  }
}

/** A running s3rver. */
export interface S3rverHandle {
  /** `http://127.0.0.1:PORT`. */
  endpoint: string;
  /** The port it listens on. */
  port: number;
  /** Environment for an AWS client: dummy credentials, region, `AWS_ENDPOINT_URL`, no config files. */
  env: Record<string, string>;
  /** Stops the server and deletes its data. */
  close(): Promise<void>;
}

/** Options of {@link startS3rver}. */
export interface StartS3rverOptions {
  /** Buckets created at start. Default `["bucket"]`. */
  buckets?: string[];
}

/** Starts s3rver on 127.0.0.1 with a free port and a fresh temporary directory. */
export async function startS3rver(options: StartS3rverOptions = {}): Promise<S3rverHandle> {
  const directory = await Deno.makeTempDir({ prefix: "ezbatch-s3rver-" });
  const buckets = options.buckets ?? ["bucket"];
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const info = await server.run() as { port: number };
  const endpoint = `http://127.0.0.1:${info.port}`;
  return {
    endpoint,
    port: info.port,
    env: awsClientEnv(endpoint),
    async close() {
      await server.close();
      await Deno.remove(directory, { recursive: true }).catch(() => {});
    },
  };
}

/** Environment for the AWS CLI against a local endpoint: dummy credentials, a region, no config or metadata calls. */
export function awsClientEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: "/nonexistent/ezbatch-test-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/ezbatch-test-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
  };
}

/** Result of {@link runAws}. */
export interface AwsResult {
  /** Exit status. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs `/usr/bin/aws --endpoint-url ENDPOINT ARGS...` against the server (async; safe with in-process s3rver). */
export async function runAws(server: S3rverHandle, args: string[]): Promise<AwsResult> {
  const out = await new Deno.Command(AWS_CLI, {
    args: ["--endpoint-url", server.endpoint, ...args],
    env: server.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function client(server: S3rverHandle) {
  const { S3Client } = await loadS3Sdk();
  return new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
}

function parseUri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/s.exec(uri);
  if (!m) throw new Error(`Not an s3:// URI: '${uri}'`);
  return { bucket: m[1]!, key: m[2]! };
}

/** Puts an object with the AWS SDK (in-process: much faster than spawning the CLI). */
export async function putObject(server: S3rverHandle, uri: string, body: string | Uint8Array): Promise<void> {
  const { PutObjectCommand } = await loadS3Sdk();
  const { bucket, key } = parseUri(uri);
  const s3 = await client(server);
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  } finally {
    s3.destroy();
  }
}

/** Reads an object's text with the AWS SDK; undefined when it does not exist. */
export async function getObject(server: S3rverHandle, uri: string): Promise<string | undefined> {
  const { GetObjectCommand } = await loadS3Sdk();
  const { bucket, key } = parseUri(uri);
  const s3 = await client(server);
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await res.Body!.transformToString();
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return undefined;
    throw e;
  } finally {
    s3.destroy();
  }
}

/** Lists every key under `s3://bucket/prefix` (recursive), sorted, with the AWS SDK. */
export async function listKeys(server: S3rverHandle, bucket: string, prefix = ""): Promise<string[]> {
  const { ListObjectsV2Command } = await loadS3Sdk();
  const s3 = await client(server);
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) keys.push(o.Key!);
      token = res.NextContinuationToken;
    } while (token);
    return keys.sort();
  } finally {
    s3.destroy();
  }
}
