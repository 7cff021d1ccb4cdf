/** Test helpers for the s3rver-backed preloader tests: skip cleanly without Debian's AWS CLI. */
import { hasAwsCli, type S3rverHandle, startS3rver } from "../support/s3rver.ts";

/** True when the transfer tests can run. */
export const CAN_RUN = hasAwsCli();
if (!CAN_RUN) {
  console.warn("SKIPPING preloader transfer tests: /usr/bin/aws is missing (apt-get install awscli; CI installs it)");
}

/** Defines a test that gets a fresh s3rver (bucket `bucket`) and a temp folder; ignored without /usr/bin/aws. */
export function s3Test(name: string, fn: (server: S3rverHandle, dir: string) => Promise<void>): void {
  Deno.test({
    name,
    ignore: !CAN_RUN,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const server = await startS3rver();
      const dir = await Deno.makeTempDir({ prefix: "ezbatch-preloader-" });
      try {
        await fn(server, dir);
      } finally {
        await server.close();
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    },
  });
}
