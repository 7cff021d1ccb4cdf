/**
 * The ezbatch command line. The only module that exits: it builds the program, runs it, and maps errors to
 * messages and exit codes (0 success, 1 runtime error, 2 usage error).
 * @module
 */
import { VERSION } from "./core/version.ts";

if (import.meta.main) {
  const args = Deno.args;
  if (args.includes("--version") || args.includes("-V")) {
    console.log(VERSION);
  } else {
    console.log(`ezbatch ${VERSION}: AWS Batch made easy.\n\nUsage: ezbatch <command> [options]`);
  }
}
