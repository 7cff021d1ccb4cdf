/**
 * The command a person wrote, recovered from the one AWS runs. A job with preloader mounts or a matrix runs
 * `/bin/sh -c <the 8 KB wrapper script> ezbatch-preloader <the user's command...>`; showing that whole script as
 * "the command" buries what the user asked for.
 * @module
 */
import { WRAPPER_NAME } from "../preloader/launch.ts";

/** A container command split into what the user wrote and whether the preloader wrapper runs it. */
export interface JobCommand {
  /** The user's command (empty: the image's CMD). */
  command: string[];
  /** True when the ezbatch preloader wraps it (mounts staged, matrix values set). */
  preloader: boolean;
}

/**
 * Splits a container command as AWS reports it into the user's command and whether the preloader runs it.
 *
 * @param command `container.command` of a job (or a definition).
 * @returns The user's command, and `preloader: true` when it was wrapped; anything else is returned as it is.
 */
export function jobCommand(command: readonly string[]): JobCommand {
  const wrapped = command.length >= 4 && command[0] === "/bin/sh" && command[1] === "-c" &&
    command[3] === WRAPPER_NAME;
  return wrapped ? { command: command.slice(4), preloader: true } : { command: [...command], preloader: false };
}
