/**
 * The Infrastructure menu: list, create, enable or disable, and delete compute environments and job queues, with
 * live choices and the library's name rules; deletions confirm first and disable before deleting.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import {
  type CeType,
  computeEnvironmentInput,
  type ComputeEnvironmentRequest,
  createComputeEnvironment,
  isFargateType,
} from "../../core/actions/compute_environment.ts";
import { createJobQueue, type JobQueueRequest, queueEnvironmentsProblem } from "../../core/actions/job_queue.ts";
import type { ComputeEnvironment, JobQueue } from "../../core/backend_types.ts";
import { isValidResourceName } from "../../core/names.ts";
import { refuseBuiltInDelete } from "../../core/local/registry.ts";
import { computeEnvironmentArgs } from "./cli_line.ts";
import { describeCounts, unfinishedJobs } from "../../core/queue_jobs.ts";
import { allEnvironments, allQueues, nameOf, type Session, table, waitFor } from "./context.ts";
import type { Check } from "./prompter.ts";

/** Checks a queue or compute environment name against AWS's rules and the names already taken. */
export function resourceNameCheck(kind: string, taken: string[]): Check {
  return (name) => {
    if (!isValidResourceName(name)) return `A ${kind} name has 1 to 128 letters, digits, '-' or '_'`;
    if (taken.includes(name)) return `A ${kind} named '${name}' already exists`;
    return undefined;
  };
}

/** Checks a comma-separated list of AWS ids with a prefix (`subnet-`, `sg-`). */
export function idListCheck(prefix: string, required: boolean): Check {
  return (text) => {
    const ids = splitList(text);
    if (!ids.length) return required ? `Give at least one ${prefix}... id` : undefined;
    const bad = ids.find((id) => !new RegExp(`^${prefix}[0-9a-zA-Z]+$`).test(id));
    return bad ? `'${bad}' is not a ${prefix}... id (e.g. ${prefix}0abc123)` : undefined;
  };
}

/** Checks an instance profile: a name or an instance-profile ARN, never a role ARN. */
export const instanceProfileCheck: Check = (value) =>
  /^arn:aws[a-z-]*:iam::\d+:role\//.test(value)
    ? "That is a role ARN: give the instance profile's name or its arn:...:instance-profile/... ARN"
    : undefined;

/** Splits `a, b,c` into ids. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** The Infrastructure menu; returns on Back. */
export async function infrastructureMenu(session: Session): Promise<void> {
  const { p } = session;
  for (;;) {
    const action = await p.select("Infrastructure", [
      { name: "List compute environments and job queues", value: "list" },
      { name: "Create a compute environment", value: "create-ce" },
      { name: "Create a job queue", value: "create-queue" },
      { name: "Enable or disable", value: "toggle" },
      { name: "Delete", value: "delete" },
      { name: "Back", value: "back" },
    ]);
    if (action === "back") return;
    const backend = await session.backend();
    if (action === "list") await list(session, backend);
    if (action === "create-ce") await createEnvironment(session, backend);
    if (action === "create-queue") await createQueue(session, backend);
    if (action === "toggle") await toggle(session, backend);
    if (action === "delete") await remove(session, backend);
  }
}

async function list(session: Session, backend: Backend): Promise<void> {
  const [envs, queues] = await Promise.all([allEnvironments(backend), allQueues(backend)]);
  session.p.say(
    "Compute environments:",
    ...(envs.length
      ? table(
        ["NAME", "TYPE", "STATE", "STATUS", "MAX VCPUS", "REASON"],
        envs.map((e) => [
          e.computeEnvironmentName,
          e.computeResources?.type ?? e.type ?? "",
          e.state ?? "",
          e.status ?? "",
          String(e.computeResources?.maxvCpus ?? ""),
          e.statusReason ?? "",
        ]),
      ).map((l) => `  ${l}`)
      : ["  (none)"]),
    "Job queues:",
    ...(queues.length
      ? table(
        ["NAME", "STATE", "STATUS", "PRIORITY", "COMPUTE ENVIRONMENTS"],
        queues.map((q) => [
          q.jobQueueName,
          q.state ?? "",
          q.status ?? "",
          String(q.priority),
          orderOf(q).join(","),
        ]),
      ).map((l) => `  ${l}`)
      : ["  (none)"]),
  );
  session.p.command(["compute-environment", "list"]);
  session.p.command(["job-queue", "list"]);
}

function orderOf(queue: JobQueue): string[] {
  return [...queue.computeEnvironmentOrder].sort((a, b) => a.order - b.order).map((o) => nameOf(o.computeEnvironment));
}

/** What to know before picking the subnets of a Fargate environment (point of AWS networking, said once). */
export const SUBNET_ADVICE = [
  "Fargate jobs pull their image over the network of these subnets. A subnet without a NAT gateway (such as the",
  "default VPC of a new account) can only reach a public registry when the job has a public IP: then set",
  "assignPublicIp = true in Settings (or answer yes to 'public IP' when submitting). Private subnets need a NAT",
  "gateway or VPC endpoints instead.",
];

async function createEnvironment(session: Session, backend: Backend): Promise<void> {
  const { p } = session;
  const envs = await allEnvironments(backend);
  const name = await p.text("Name of the compute environment", {
    validate: resourceNameCheck("compute environment", envs.map((e) => e.computeEnvironmentName)),
  });
  const type = await p.select<CeType>("Type", [
    { name: "FARGATE (serverless, pay per task)", value: "FARGATE" },
    { name: "FARGATE_SPOT (serverless, cheaper, may be interrupted)", value: "FARGATE_SPOT" },
    { name: "EC2 (instances, needed for GPUs)", value: "EC2" },
    { name: "SPOT (EC2 Spot instances)", value: "SPOT" },
  ]);
  const settings = await session.settings();
  const maxVcpus = await p.number("Most vCPUs it may run at once", {
    default: settings.maxvCpus ?? 16,
    min: 1,
    max: 1_000_000,
    step: 1,
  });
  if (isFargateType(type)) p.say(...SUBNET_ADVICE);
  const known = [...new Set([...settings.subnets ?? [], ...envs.flatMap((e) => e.computeResources?.subnets ?? [])])];
  const subnets = await pickIds(session, "Subnets", "subnet-", known);
  const knownGroups = [
    ...new Set([
      ...settings.securityGroupIds ?? [],
      ...envs.flatMap((e) => e.computeResources?.securityGroupIds ?? []),
    ]),
  ];
  // AWS Batch needs at least one security group for every type (the action refuses none, so the form does too).
  const securityGroups = await pickIds(session, "Security groups", "sg-", knownGroups);
  const request: ComputeEnvironmentRequest = { name, type, maxVcpus, subnets, securityGroups };
  if (!isFargateType(type)) {
    request.instanceTypes = splitList(await p.text("Instance types (comma-separated)", { default: "optimal" }));
    request.instanceRole = await p.text("Instance profile (name or instance-profile ARN)", {
      default: settings.instanceRole ?? "ecsInstanceRole",
      validate: instanceProfileCheck,
    });
  }
  computeEnvironmentInput(request, settings); // refuse before the confirmation, with the action's own words
  if (!await p.confirm(`Create compute environment '${name}'?`, { default: true })) return p.say("Nothing created.");
  const { message } = await createComputeEnvironment(backend, request, { settings });
  await waitFor(
    session,
    `compute environment '${name}' to become VALID`,
    async () => {
      return (await backend.describeComputeEnvironments([name])).computeEnvironments[0];
    },
    (ce) => ce?.status === "VALID" || ce?.status === "INVALID",
    (ce) => ce?.status ?? "missing",
  );
  p.say(message);
  p.command(computeEnvironmentArgs(request));
}

async function pickIds(session: Session, label: string, prefix: string, known: string[]): Promise<string[]> {
  const { p } = session;
  let picked: string[] = [];
  if (known.length) {
    picked = await p.checkbox(`${label} (space to pick; from your settings and compute environments)`, [
      ...known.map((id) => ({ name: id, value: id })),
    ]);
  }
  const more = await p.text(`${known.length ? `Other ${label.toLowerCase()}` : label}, comma-separated`, {
    required: !picked.length,
    validate: idListCheck(prefix, !picked.length),
  });
  return [...new Set([...picked, ...splitList(more)])];
}

async function createQueue(session: Session, backend: Backend): Promise<void> {
  const { p } = session;
  const [envs, queues] = await Promise.all([allEnvironments(backend), allQueues(backend)]);
  if (!envs.length) return p.say("There is no compute environment yet: create one first.");
  const name = await p.text("Name of the job queue", {
    validate: resourceNameCheck("job queue", queues.map((q) => q.jobQueueName)),
  });
  const priority = await p.number("Priority (higher runs first)", { default: 1, min: 0, max: 1000, step: 1 });
  let chosen: string[] = [];
  for (;;) {
    chosen = await p.checkbox(
      "Compute environments (1 to 3; the higher in the list is preferred)",
      envs.map((e) => ({
        name: `${e.computeEnvironmentName} (${e.computeResources?.type ?? "?"}, ${e.status ?? "?"})`,
        value: e.computeEnvironmentName,
      })),
      { required: true },
    );
    const problem = queueEnvironmentsProblem(chosen.map((n) => envs.find((e) => e.computeEnvironmentName === n)!));
    if (!problem) break;
    p.say(problem);
  }
  const request: JobQueueRequest = { name, priority, computeEnvironments: chosen };
  if (!await p.confirm(`Create job queue '${name}'?`, { default: true })) return p.say("Nothing created.");
  const settle = (ce: string) =>
    waitFor(
      session,
      `compute environment '${ce}' to become VALID`,
      async () => (await backend.describeComputeEnvironments([ce])).computeEnvironments[0],
      (e) => e?.status === "VALID" || e?.status === "INVALID",
      (e) => e?.status ?? "missing",
    ).then(() => undefined);
  const { message } = await createJobQueue(backend, request, { settle });
  await waitFor(
    session,
    `job queue '${name}' to become VALID`,
    async () => {
      return (await backend.describeJobQueues([name])).jobQueues[0];
    },
    (q) => q?.status === "VALID" || q?.status === "INVALID",
    (q) => q?.status ?? "missing",
  );
  p.say(message);
  p.command(["job-queue", "create", name, "--compute-environments", chosen.join(","), "--priority", String(priority)]);
}

async function pickResource(session: Session, backend: Backend, verb: string) {
  const [envs, queues] = await Promise.all([allEnvironments(backend), allQueues(backend)]);
  if (!envs.length && !queues.length) {
    session.p.say("There are no compute environments or job queues.");
    return undefined;
  }
  return await session.p.select<{ kind: "ce"; item: ComputeEnvironment } | { kind: "queue"; item: JobQueue }>(
    `Which one to ${verb}?`,
    [
      ...queues.map((q) => ({
        name: `job queue ${q.jobQueueName} (${q.state ?? "?"})`,
        value: { kind: "queue" as const, item: q },
      })),
      ...envs.map((e) => ({
        name: `compute environment ${e.computeEnvironmentName} (${e.state ?? "?"})`,
        value: { kind: "ce" as const, item: e },
      })),
    ],
  ).then((picked) => ({ ...picked, envs, queues }));
}

async function toggle(session: Session, backend: Backend): Promise<void> {
  const picked = await pickResource(session, backend, "enable or disable");
  if (!picked) return;
  const name = picked.kind === "ce" ? picked.item.computeEnvironmentName : picked.item.jobQueueName;
  const state = picked.item.state === "DISABLED" ? "ENABLED" : "DISABLED";
  if (picked.kind === "ce") await backend.updateComputeEnvironment(name, { state });
  else await backend.updateJobQueue(name, { state });
  const group = picked.kind === "ce" ? "compute-environment" : "job-queue";
  session.p.say(`${state === "ENABLED" ? "Enabled" : "Disabled"} ${group.replace("-", " ")} '${name}'.`);
  session.p.command([group, state === "ENABLED" ? "enable" : "disable", name]);
}

async function remove(session: Session, backend: Backend): Promise<void> {
  const { p } = session;
  const picked = await pickResource(session, backend, "delete");
  if (!picked) return;
  if (picked.kind === "ce") {
    const name = picked.item.computeEnvironmentName;
    if (backend.kind === "local") refuseBuiltInDelete(name);
    const users = picked.queues.filter((q) => orderOf(q).includes(name));
    if (users.length) {
      return p.say(
        `Compute environment '${name}' is used by job queue ${users.map((q) => `'${q.jobQueueName}'`).join(", ")}: ` +
          "delete those queues first (or use 'ezbatch compute-environment delete --force').",
      );
    }
    if (!await p.confirm(`Delete compute environment '${name}'? This cannot be undone`)) return p.say("Kept it.");
    if (picked.item.state !== "DISABLED") await backend.updateComputeEnvironment(name, { state: "DISABLED" });
    await waitFor(
      session,
      `compute environment '${name}' to be disabled`,
      async () => {
        return (await backend.describeComputeEnvironments([name])).computeEnvironments[0];
      },
      (ce) => !ce || (ce.state === "DISABLED" && ce.status !== "UPDATING"),
      (ce) => ce?.status ?? "",
    );
    await backend.deleteComputeEnvironment(name);
    p.say(`Deleted compute environment '${name}'.`);
    return p.command(["compute-environment", "delete", name]);
  }
  const name = picked.item.jobQueueName;
  const open = await unfinishedJobs(backend, name);
  const question = open.total
    ? `Delete job queue '${name}'? It has ${describeCounts(open.byStatus)} ${open.total === 1 ? "job" : "jobs"}: ` +
      "AWS terminates them, RUNNING ones included"
    : `Delete job queue '${name}'? It has no unfinished jobs`;
  if (!await p.confirm(question)) return p.say("Kept it.");
  if (picked.item.state !== "DISABLED") await backend.updateJobQueue(name, { state: "DISABLED" });
  await waitFor(
    session,
    `job queue '${name}' to be disabled`,
    async () => {
      return (await backend.describeJobQueues([name])).jobQueues[0];
    },
    (q) => !q || (q.state === "DISABLED" && q.status !== "UPDATING"),
    (q) => q?.status ?? "",
  );
  await backend.deleteJobQueue(name);
  p.say(`Deleted job queue '${name}'.`);
  p.command(["job-queue", "delete", name, ...(open.total ? ["--force"] : [])]);
}
