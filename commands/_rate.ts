/**
 * `--rate` of `workflow submit`: AWS's SubmitJob quota is about 50 calls per second per account, but an emulator
 * (AWS_ENDPOINT_URL) or the local backend has no such quota, so a higher rate is allowed everywhere and warned
 * about only where it meets the quota.
 * @module
 */
import type { CliContext } from "./context.ts";

/** AWS Batch's SubmitJob quota, calls per second per account. */
export const SUBMIT_JOB_QUOTA = 50;

/** Warns when `rate` is above the SubmitJob quota and the calls go to AWS itself (no endpoint override). */
export function warnRateAboveQuota(ctx: CliContext, kind: "aws" | "local", rate: number | undefined): void {
  if (rate === undefined || rate <= SUBMIT_JOB_QUOTA || kind !== "aws") return;
  if (ctx.env.AWS_ENDPOINT_URL || ctx.env.AWS_ENDPOINT_URL_BATCH) return;
  ctx.warn(
    `--rate ${rate} is above AWS Batch's SubmitJob quota of about ${SUBMIT_JOB_QUOTA} per second per account: ` +
      "AWS will throttle the excess (the SDK retries), so the run is not submitted faster",
  );
}
