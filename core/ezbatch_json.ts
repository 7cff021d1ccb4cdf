/**
 * Compatibility with the Python ezbatch's JSON workflow files.
 *
 * What the Python package writes (found in vanandrew/ezbatch: `ezbatch/workflow.py`, `ezbatch/s3.py` and the
 * fixture `tests/test_workflow.json` that `tests/test_workflow.py` saves): `EZBatchWorkflow.save()` dumps the
 * dataclass with dataclasses-json (`to_dict(encode_json=True)`), then drops keys starting with `_` (internal maps
 * such as `_job_map`, `_job_name`). So a file has `name`, `jobs` (name -> `image`, `command` (a string),
 * `environment`, `mounts`, `vcpus`, `memory`, `storage_size` (null when unset), `platform`, `tags`, `preloader`)
 * and `dependencies` (name -> list of names). Each mount is `source`, `destination`, `recursive`, `sse`,
 * `sse_kms_key_id` (null when unset) plus the `options` string its `__post_init__` built for `aws s3 cp`:
 * `--quiet`, then `--recursive` whenever `recursive` is not null, `--sse X`, `--sse-kms-key-id K`.
 * There is no `queue` in the file (it was an argument of `submit()`).
 *
 * Loading rules: `null` means unset; keys starting with `_` at workflow and job level are ignored; `options` is
 * read back into `recursive`, `sse` and `sse_kms_key_id` (explicit fields win); any other flag is reported.
 * @module
 */
import type { PathIssue } from "./_zod_issues.ts";
import type { KeyPath } from "./source_map.ts";

/** Removes `null` object properties everywhere, and `_`-prefixed keys at workflow and job level. */
export function cleanEzbatchJson(doc: unknown): unknown {
  const cleaned = stripNulls(doc);
  if (!isTable(cleaned)) return cleaned;
  const top = dropPrivate(cleaned);
  if (isTable(top.jobs)) {
    top.jobs = Object.fromEntries(
      Object.entries(top.jobs).map(([name, job]) => [name, isTable(job) ? dropPrivate(job) : job]),
    );
  }
  return top;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isTable(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, stripNulls(x)]));
}

function dropPrivate(t: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith("_")));
}

/** What an `options` string says. */
export interface MountOptions {
  /** `--recursive` was given. */
  recursive: boolean;
  /** The value of `--sse`. */
  sse?: string;
  /** The value of `--sse-kms-key-id`. */
  sse_kms_key_id?: string;
}

/** Reads an `aws s3 cp` options string of the Python ezbatch; reports flags ezbatch cannot honour. */
export function parseMountOptions(options: string, path: KeyPath, issues: PathIssue[]): MountOptions {
  const out: MountOptions = { recursive: false };
  const tokens = options.split(/\s+/).filter(Boolean).flatMap((t) => {
    const eq = t.indexOf("=");
    return t.startsWith("--") && eq > 0 ? [t.slice(0, eq), t.slice(eq + 1)] : [t];
  });
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "--quiet" || token === "--only-show-errors" || token === "--no-progress") continue;
    if (token === "--recursive") {
      out.recursive = true;
    } else if (token === "--sse" || token === "--sse-kms-key-id") {
      const value = tokens[i + 1];
      if (value === undefined || value.startsWith("--")) {
        issues.push({ path, message: `Option '${token}' needs a value` });
        continue;
      }
      i++;
      if (token === "--sse") out.sse = value;
      else out.sse_kms_key_id = value;
    } else {
      issues.push({
        path,
        message: `Unsupported option '${token}': ezbatch understands --quiet, --recursive, --sse VALUE and ` +
          `--sse-kms-key-id VALUE`,
      });
    }
  }
  return out;
}
