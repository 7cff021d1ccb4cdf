/**
 * The hidden `__local-supervisor` command: the local backend's daemon, run through the CLI itself. A bundled or
 * compiled ezbatch has no `core/local/supervisor_main.ts` file that a new process could run, so it starts its
 * daemon as `<this ezbatch> __local-supervisor --state-dir DIR ...` instead (see `CliEnvironment.selfCommand`).
 * @module
 */
import { LOCAL_SUPERVISOR_COMMAND } from "./backend_factory.ts";
import type { AnyCommand } from "./program.ts";

/** Adds the hidden supervisor command to `program`. */
export function registerLocalSupervisorCommand(program: AnyCommand): void {
  program.command(LOCAL_SUPERVISOR_COMMAND, { hidden: true })
    .description("run the local backend's daemon supervisor (ezbatch starts it; not for people)")
    .argument("[flags...]", "the supervisor's flags: --state-dir DIR [--vcpus N] ...")
    .allowUnknownOption()
    .helpOption(false)
    .action(async (flags: string[]) => {
      const { supervisorMain } = await import("../core/local/supervisor_main.ts");
      await supervisorMain(flags);
    });
}
