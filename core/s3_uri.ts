/**
 * S3 URI and bucket-name rules, checked offline (validation never touches anyone's bucket).
 * @module
 */

/** A parsed `s3://bucket/key` URI. */
export interface S3Location {
  /** The bucket name. */
  bucket: string;
  /** The object key or prefix; empty for the whole bucket. */
  key: string;
}

/**
 * Why `name` is not a valid S3 bucket name (general purpose buckets), or undefined when it is valid.
 *
 * @param name The bucket name.
 * @returns A message, or undefined.
 * @example
 * ```ts
 * import { bucketNameProblem } from "./s3_uri.ts";
 * console.log(bucketNameProblem("my-bucket")); // undefined
 * ```
 */
export function bucketNameProblem(name: string): string | undefined {
  const rule = "use 3–63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit";
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return `'${name}' is not a valid S3 bucket name: ${rule}`;
  if (name.includes("..")) return `'${name}' is not a valid S3 bucket name: it must not contain '..'`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    return `'${name}' is not a valid S3 bucket name: it must not look like an IP address`;
  }
  if (/^(xn--|sthree-)/.test(name) || /(-s3alias|--ol-s3|--x-s3)$/.test(name)) {
    return `'${name}' is not a valid S3 bucket name: the prefixes 'xn--', 'sthree-' and the suffixes ` +
      `'-s3alias', '--ol-s3', '--x-s3' are reserved`;
  }
  return undefined;
}

/**
 * Splits an `s3://bucket/key` URI; undefined when `uri` does not start with `s3://` and a valid bucket name.
 *
 * @param uri The URI.
 * @returns The bucket and key, or undefined.
 * @example
 * ```ts
 * import { parseS3Uri } from "./s3_uri.ts";
 * console.log(parseS3Uri("s3://ezbatch-demo/raw/")); // { bucket: "ezbatch-demo", key: "raw/" }
 * ```
 */
export function parseS3Uri(uri: string): S3Location | undefined {
  return s3UriProblem(uri) === undefined ? split(uri) : undefined;
}

function split(uri: string): S3Location {
  const rest = uri.slice("s3://".length);
  const slash = rest.indexOf("/");
  return slash < 0 ? { bucket: rest, key: "" } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/**
 * Why `uri` is not a well-formed `s3://bucket/key` URI, or undefined when it is.
 *
 * @param uri The URI.
 * @returns A message that says what would be valid, or undefined.
 * @example
 * ```ts
 * import { s3UriProblem } from "./s3_uri.ts";
 * console.log(s3UriProblem("/data")); // Expected an S3 URI like 's3://bucket/key', got '/data'
 * ```
 */
export function s3UriProblem(uri: string): string | undefined {
  if (!uri.startsWith("s3://")) return `Expected an S3 URI like 's3://bucket/key', got '${uri}'`;
  const { bucket, key } = split(uri);
  const problem = bucketNameProblem(bucket);
  if (problem) return `Bucket ${problem}`;
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return `The key of '${uri}' contains control characters`;
  if (new TextEncoder().encode(key).length > 1024) return `The key of '${uri}' is longer than 1024 bytes`;
  return undefined;
}
