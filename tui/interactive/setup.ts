/**
 * "Set up AWS Batch": the interactive face of `ezbatch setup`. It gathers the choices (an EC2 environment too? which buckets?),
 * shows the same plan table, asks, and calls the same core functions (planSetup, applySetup, writeSetupSettings);
 * then prints the CLI line that does the same.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import type { SetupClients } from "../../core/setup/_cloud.ts";
import { explainDenied } from "../../core/setup/destroy.ts";
import { SETUP_PLAN_HEADER, setupPlanRows, writeSetupSettings } from "../../core/setup/present.ts";
import { applySetup, bucketNames, planSetup, type SetupOptions } from "../../core/setup/setup.ts";
import { type Session, table, waitFor } from "./context.ts";

/** Runs the setup action on `session`'s backend. */
export async function setUpAwsBatch(session: Session): Promise<void> {
  const { p } = session;
  const backend = await session.backend();
  const clients = (backend as Backend & { clients?: SetupClients }).clients;
  if (backend.kind === "local" || !clients) {
    p.say('Set up prepares an AWS account: it has nothing to do with the local backend (set backend = "aws").');
    return;
  }
  const ec2 = await p.confirm("Also an EC2 environment and queue (with their instance role and profile)?", {
    default: false,
  });
  const split = (text: string) => text.split(",").map((b) => b.trim()).filter(Boolean);
  const answer = await p.text(
    "Limit the job role's S3 access to these buckets (comma-separated; empty: every bucket, AmazonS3FullAccess)",
    {
      required: false,
      validate: (v) => {
        try {
          bucketNames(split(v));
          return undefined;
        } catch (error) {
          return (error as Error).message.replace(/^--buckets: /, "");
        }
      },
    },
  );
  const buckets = bucketNames(split(answer));
  const options: SetupOptions = { ...(ec2 ? { ec2: true } : {}), ...(buckets.length ? { buckets } : {}) };
  const args = [
    "setup",
    ...(ec2 ? ["--ec2"] : []),
    ...(buckets.length ? ["--buckets", buckets.join(",")] : []),
    "--yes",
  ];
  try {
    const plan = await planSetup(backend, clients, options);
    p.say(...table(SETUP_PLAN_HEADER, setupPlanRows(plan)));
    const missing = plan.steps.filter((s) => s.action === "create").length;
    let settings = plan.settings;
    if (missing === 0) p.say("Everything setup makes exists already: nothing to create.");
    else {
      if (!(await p.confirm(`Create ${missing} resource(s)?`, { default: false }))) return p.say("Nothing created.");
      settings = await applySetup(backend, clients, plan, {
        ...options,
        progress: (m) => p.say(m),
        settle: (name) => settled(session, backend, name),
        sleep: (ms) => new Promise((r) => setTimeout(r, session.pollMs ? ms : 0)),
      });
    }
    const path = await writeSetupSettings(settings, session.configPath ? { path: session.configPath } : {});
    p.say(`Ready: submit to queue '${settings.queue}' (settings written to ${path}).`);
    p.command(args);
  } catch (error) {
    throw explainDenied(error);
  }
}

async function settled(session: Session, backend: Backend, name: string): Promise<void> {
  await waitFor(
    session,
    `compute environment '${name}' to become VALID`,
    async () => (await backend.describeComputeEnvironments([name])).computeEnvironments[0],
    (ce) => ce?.status === "VALID" || ce?.status === "INVALID",
    (ce) => ce?.status ?? "missing",
  );
}
