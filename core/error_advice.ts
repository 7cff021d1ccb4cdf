/**
 * What a person can do about an error, as lines to print under it: the CLI (commands/report.ts) and the interactive
 * mode show the same advice for the same error.
 * @module
 */
import { AwsCallError, ConfigError } from "./errors.ts";

/** Advice for `error`: throttling, missing credentials; none when the message already says what to do. */
export function errorAdvice(error: unknown): string[] {
  const message = error instanceof Error ? error.message : String(error);
  const advice: string[] = [];
  if (error instanceof AwsCallError && error.code === "TooManyRequestsException") {
    advice.push("AWS is throttling requests: wait a moment and try again.");
  }
  // A ConfigError (e.g. a missing profile) already says what to do.
  if (
    /Could not load credentials|credential/i.test(message) && !/throttl/i.test(message) &&
    !(error instanceof ConfigError)
  ) {
    advice.push(
      "No AWS credentials found: run 'aws configure' or 'aws sso login', pick one with --profile, or try --local.",
    );
  }
  return advice;
}
