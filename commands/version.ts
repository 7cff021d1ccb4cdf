/**
 * `ezbatch version`: ezbatch's version with the Deno runtime's and the AWS SDK range it loads, as other CLIs print
 * them (`aws --version`, `kubectl version`). The SDK is not loaded to answer: it is named by the range it would load.
 * @module
 */
import { VERSION } from "../core/version.ts";
import { AWS_SDK_RANGE } from "../core/deps.ts";
import type { CliContext } from "./context.ts";
import { type AnyCommand, examples } from "./program.ts";

/** The versions `ezbatch version` reports. */
export function versions(): Record<string, string> {
  return {
    ezbatch: VERSION,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    awsSdk: AWS_SDK_RANGE,
    platform: `${Deno.build.os}-${Deno.build.arch}`,
  };
}

/** Adds `version` to `program`. */
export function registerVersionCommand(program: AnyCommand, ctx: CliContext): void {
  const command = program.command("version")
    .description("print the versions of ezbatch, Deno and the AWS SDK")
    .action(() => {
      const v = versions();
      ctx.print(
        v,
        () =>
          `ezbatch ${v.ezbatch}\ndeno ${v.deno} (v8 ${v.v8}, typescript ${v.typescript}, ${v.platform})\n` +
          `AWS SDK for JavaScript v3 ${v.awsSdk} (npm:@aws-sdk/client-batch, loaded when a command first talks to AWS)`,
      );
    });
  examples(command, "ezbatch version", "ezbatch version --json");
}
