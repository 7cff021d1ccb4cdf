/**
 * AWS Batch name rules, checked before any call, and deterministic shortening of generated names.
 * @module
 */
import { createHash } from "node:crypto";

/** Longest name AWS Batch accepts for jobs, queues, definitions and compute environments. */
export const MAX_NAME_LENGTH = 128;

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const RESOURCE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** True when `name` is a valid job name: 1–128 letters, digits, `-`, `_`, starting with a letter or digit. */
export function isValidJobName(name: string): boolean {
  return JOB_NAME.test(name);
}

/** True when `name` is a valid queue, definition or compute environment name: 1–128 letters, digits, `-`, `_`. */
export function isValidResourceName(name: string): boolean {
  return RESOURCE_NAME.test(name);
}

/** Hex SHA-256 of a string (used for content addresses and name suffixes). */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Shortens `name` to at most `max` characters, deterministically: a name that fits is returned as it is; a longer
 * one keeps its head and ends with `-` and 8 hex digits of its hash, so distinct long names stay distinct.
 */
export function shortenName(name: string, max: number = MAX_NAME_LENGTH): string {
  if (name.length <= max) return name;
  const suffix = sha256Hex(name).slice(0, 8);
  return `${name.slice(0, max - suffix.length - 1)}-${suffix}`;
}

/**
 * The name at the end of an AWS Batch ARN (`arn:aws:batch:...:job-queue/my-queue` -> `my-queue`), or the text
 * itself when it is no ARN. AWS answers with ARNs where requests gave names; messages should show names.
 */
export function nameOfArn(nameOrArn: string): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1) : nameOrArn;
}
