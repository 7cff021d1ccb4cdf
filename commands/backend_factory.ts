/**
 * Creates the backend a command talks to, from the global options, the environment and the settings: the local
 * backend with `--local`, EZBATCH_BACKEND=local or `backend = "local"` in the config; otherwise AWS. The modules
 * are imported on first use so that commands that need no backend never load the AWS SDK.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { CliContext, CliSettings } from "./context.ts";
import { importLazily } from "./_lazy.ts";

/** The hidden command that runs the local backend's daemon supervisor (see `CliEnvironment.selfCommand`). */
export const LOCAL_SUPERVISOR_COMMAND = "__local-supervisor";

export { LOCAL_EXECUTION_ROLE } from "../core/actions/roles.ts";

/** Loads the settings: the config file and environment, with `--region` and `--profile` on top. */
export async function loadSettings(ctx: CliContext): Promise<CliSettings> {
  const { loadConfig } = await importLazily<typeof import("../core/config.ts")>("core/config.ts");
  const { settings } = await loadConfig({ env: ctx.env });
  const merged: CliSettings = { ...settings };
  if (ctx.globals.region) merged.region = ctx.globals.region;
  if (ctx.globals.profile) merged.profile = ctx.globals.profile;
  return merged;
}

/** Creates the backend selected for `ctx`. */
export async function createBackend(ctx: CliContext): Promise<Backend> {
  const settings = await ctx.settings();
  if (ctx.wantsLocal || settings.backend === "local") {
    const { LocalBackend } = await importLazily<typeof import("../core/local/backend.ts")>("core/local/backend.ts");
    const stateDir = ctx.env.EZBATCH_STATE_DIR ?? settings.stateDir;
    const vcpus = ctx.globals.localVcpus ?? settings.localVcpus;
    const memory = ctx.globals.localMemory ?? settings.localMemory;
    return new LocalBackend({
      ...(stateDir ? { stateDir } : {}),
      ...(vcpus !== undefined ? { vcpus } : {}),
      ...(memory !== undefined ? { memory } : {}),
      ...(settings.s3Dir ? { s3Dir: settings.s3Dir } : {}),
      ...(ctx.selfCommand ? { supervisorCommand: [...ctx.selfCommand, LOCAL_SUPERVISOR_COMMAND] } : {}),
    });
  }
  const { AwsBackend } = await importLazily<typeof import("../core/aws/aws_backend.ts")>("core/aws/aws_backend.ts");
  return new AwsBackend({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    env: ctx.env,
  });
}

/**
 * The execution and job roles of Fargate definitions when the settings name none: on AWS the account's
 * `ecsTaskExecutionRole` (the account id is looked up now, once); locally a stand-in.
 */
export async function executionRolesFor(
  ctx: CliContext,
  backend: Backend,
): Promise<{ executionRoleArn: string; jobRoleArn: string }> {
  const { defaultExecutionRoles } = await importLazily<typeof import("../core/actions/roles.ts")>(
    "core/actions/roles.ts",
  );
  return await defaultExecutionRoles(backend, await ctx.settings());
}
