/**
 * The questions that describe one container job: image, command, platform, resources (Fargate sizes offered from
 * the valid table), and for workflow jobs mounts and a matrix. Answers are checked with the library's validators.
 * @module
 */
import { FARGATE_VCPUS, fargateMemoryChoices } from "../../core/fargate.ts";
import type { Platform } from "../../core/model.ts";
import { s3UriProblem } from "../../core/s3_uri.ts";
import type { JobInput, S3MountInput } from "../../core/schema.ts";
import type { Session } from "./context.ts";
import type { Check } from "./prompter.ts";

/** Checks an image reference: no spaces, not empty. */
export const imageCheck: Check = (image) =>
  /\s/.test(image) ? `An image reference has no spaces (e.g. public.ecr.aws/docker/library/alpine:3.20)` : undefined;

/** Checks an absolute container path. */
export const containerPathCheck: Check = (path) =>
  path.startsWith("/") ? undefined : `Expected an absolute path in the container like '/data/in', got '${path}'`;

function commandText(command: JobInput["command"]): string | undefined {
  if (command === undefined) return undefined;
  return Array.isArray(command) ? command.join(" ") : command;
}

/** Asks for the container part of a job: image, command, platform and resources. */
export async function askContainer(session: Session, base: Partial<JobInput> = {}): Promise<JobInput> {
  const { p } = session;
  const image = await p.text("Image", {
    default: base.image ?? "public.ecr.aws/docker/library/alpine:3.20",
    validate: imageCheck,
  });
  const command = await p.text("Command (runs under /bin/sh -c; empty keeps the image's own)", {
    required: false,
    ...(commandText(base.command) ? { default: commandText(base.command)! } : {}),
  });
  const platform = await p.select<Platform>("Platform", [
    { name: "FARGATE (serverless)", value: "FARGATE" },
    { name: "EC2 (instances; needed for GPUs)", value: "EC2" },
  ], { default: base.platform ?? "FARGATE" });
  const job: JobInput = { image, platform };
  if (command) job.command = command;
  if (platform === "FARGATE") {
    const vcpus = await p.select(
      "vCPUs",
      FARGATE_VCPUS.map((v) => ({ name: String(v), value: v })),
      { default: FARGATE_VCPUS.includes(base.vcpus ?? 1) ? base.vcpus ?? 1 : 1 },
    );
    const choices = fargateMemoryChoices(vcpus);
    const memory = await p.select(
      `Memory with ${vcpus} vCPU on Fargate`,
      choices.map((m) => ({ name: `${m} MiB (${m / 1024} GiB)`, value: m })),
      { default: choices.includes(base.memory ?? 0) ? base.memory! : choices[0]! },
    );
    Object.assign(job, { vcpus, memory });
    const fallback = (await session.settings()).assignPublicIp ?? false;
    const publicIp = await p.confirm(
      "Give it a public IP? (yes on a subnet without a NAT gateway, e.g. a default VPC: else it cannot pull the image)",
      { default: base.assign_public_ip ?? fallback },
    );
    // Written down only when it differs from the settings (or was already written), so the settings keep deciding.
    if (publicIp !== fallback || base.assign_public_ip !== undefined) job.assign_public_ip = publicIp;
  } else {
    const vcpus = await p.number("vCPUs", { default: Math.max(1, Math.round(base.vcpus ?? 1)), min: 1, step: 1 });
    const memory = await p.number("Memory in MiB", { default: Math.max(4, base.memory ?? 2048), min: 4, step: 1 });
    const gpus = await p.number("GPUs", { default: base.gpus ?? 0, min: 0, max: 16, step: 1 });
    Object.assign(job, { vcpus, memory, ...(gpus ? { gpus } : {}) });
  }
  return job;
}

/** Asks for S3 mounts (read before, write after the command), one at a time. */
export async function askMounts(session: Session, base: JobInput["mounts"] = {}): Promise<JobInput["mounts"]> {
  const { p } = session;
  const read: S3MountInput[] = [...(base.read ?? [])];
  const write: S3MountInput[] = [...(base.write ?? [])];
  for (;;) {
    const what = await p.select(`S3 data (${read.length} read, ${write.length} written)`, [
      { name: "Done", value: "done" },
      { name: "Add an S3 location to download before the command", value: "read" },
      { name: "Add a folder to upload to S3 after the command", value: "write" },
      ...(read.length || write.length ? [{ name: "Remove every mount", value: "clear" }] : []),
    ]);
    if (what === "done") break;
    if (what === "clear") {
      read.length = write.length = 0;
      continue;
    }
    const s3 = await p.text(what === "read" ? "From (s3://bucket/prefix/)" : "To (s3://bucket/prefix/)", {
      validate: s3UriProblem,
    });
    const path = await p.text(what === "read" ? "Into (path in the container)" : "From (path in the container)", {
      validate: containerPathCheck,
    });
    const recursive = await p.confirm("Copy the whole folder or prefix (recursive)?", { default: true });
    if (what === "read") read.push({ source: s3, destination: path, recursive });
    else write.push({ source: path, destination: s3, recursive });
  }
  return { read, write };
}

/** Checks a matrix variable name (an environment variable name). */
export const variableCheck: Check = (name) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? undefined : `'${name}' is not an environment variable name (e.g. LR)`;

/** Asks for a parameter sweep: variables and their values (comma-separated). */
export async function askMatrix(
  session: Session,
  base: Record<string, unknown[]> = {},
): Promise<Record<string, string[]> | undefined> {
  const { p } = session;
  const matrix: Record<string, string[]> = Object.fromEntries(
    Object.entries(base).map(([k, v]) => [k, v.map(String)]),
  );
  for (;;) {
    const size = Object.values(matrix).reduce((n, v) => n * v.length, 1);
    const keys = Object.keys(matrix);
    const what = await p.select(
      keys.length
        ? `Matrix: ${keys.map((k) => `${k}=[${matrix[k]!.join(",")}]`).join(" ")} (${size} children)`
        : "Matrix",
      [
        { name: "Done", value: "done" },
        { name: "Add a variable to sweep", value: "add" },
        ...(keys.length ? [{ name: "Remove the matrix", value: "clear" }] : []),
      ],
    );
    if (what === "done") break;
    if (what === "clear") {
      for (const k of keys) delete matrix[k];
      continue;
    }
    const name = await p.text("Variable name", { validate: variableCheck });
    const values = await p.text("Values, comma-separated", {
      validate: (
        v,
      ) => (v.split(",").map((s) => s.trim()).filter(Boolean).length ? undefined : "Give one value or more"),
    });
    matrix[name] = values.split(",").map((s) => s.trim()).filter(Boolean);
  }
  return Object.keys(matrix).length ? matrix : undefined;
}
