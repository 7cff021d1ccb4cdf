/**
 * The line-based encoding of mounts and matrix values in the container's environment (no jq needed): one field
 * per line, each line escaped so that `printf %b` restores it (backslash as `\\`, newline as `\n`).
 * @module
 */
import type { S3Mount } from "../core/model.ts";
import { matrixSize, matrixStrides } from "./matrix.ts";

/** Escapes one field onto one line: `\` becomes `\\` and a newline becomes `\n`. */
export function escapeLine(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

/** Decodes a line written by {@link escapeLine} (what the script's `printf %b` does). */
export function unescapeLine(line: string): string {
  return line.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));
}

function lines(fields: string[]): string {
  return fields.map((f) => escapeLine(f) + "\n").join("");
}

/** Encodes read mounts for `EZBATCH_READ`: a count line, then flags, S3 source and local path per mount. */
export function encodeReadMounts(mounts: readonly S3Mount[]): string {
  const fields = [String(mounts.length)];
  for (const m of mounts) fields.push(m.recursive ? "R" : "", m.source, m.destination);
  return lines(fields);
}

/** Server-side encryption used by default for uploads (a mount's own settings win). */
export interface SseDefaults {
  /** e.g. `AES256` or `aws:kms`. */
  sse?: string;
  /** The KMS key for `aws:kms`. */
  sseKmsKeyId?: string;
}

/** Resolves `--sse` and `--sse-kms-key-id` values: a KMS key without `sse` means `aws:kms`. */
export function resolveSse(sse: string | undefined, kms: string | undefined): { sse: string; kms: string } {
  return { sse: sse ?? (kms ? "aws:kms" : ""), kms: kms ?? "" };
}

/**
 * Encodes write mounts for `EZBATCH_WRITE`: a count line, then flags, local path, S3 URI, sse and KMS key per mount.
 * A mount without its own encryption gets empty sse and key lines: the script then uses `EZBATCH_SSE` and
 * `EZBATCH_SSE_KMS_KEY_ID` (the defaults, written once rather than per mount).
 */
export function encodeWriteMounts(mounts: readonly S3Mount[]): string {
  const fields = [String(mounts.length)];
  for (const m of mounts) {
    const { sse, kms } = resolveSse(m.sse, m.sse_kms_key_id);
    fields.push(m.recursive ? "R" : "", m.source, m.destination, sse, kms);
  }
  return lines(fields);
}

/** Encodes a matrix for `EZBATCH_MATRIX`: the total, then per key its name, stride, count and values. */
export function encodeMatrix(matrix: Record<string, readonly string[]>): string {
  const fields = [String(matrixSize(matrix))];
  for (const [key, values, stride] of matrixStrides(matrix)) {
    fields.push(key, String(stride), String(values.length), ...values);
  }
  return lines(fields);
}
