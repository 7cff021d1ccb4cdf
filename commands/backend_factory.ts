/**
 * Creates the backend a command talks to, from the global options, the environment and the settings: the local
 * backend with `--local`, EZBATCH_BACKEND=local or `backend = "local"` in the config; otherwise AWS. The modules
 * are imported on first use so that commands that need no backend never load the AWS SDK.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { ConfigError } from "../core/errors.ts";
import type { CliContext } from "./context.ts";

/** Creates the backend selected for `ctx`. */
export function createBackend(ctx: CliContext): Promise<Backend> {
  const kind = ctx.wantsLocal ? "local" : "aws";
  return Promise.reject(new ConfigError(`The ${kind} backend is not available in this build yet`));
}
