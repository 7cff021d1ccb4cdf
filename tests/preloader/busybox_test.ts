import assert from "node:assert/strict";
import { matrixCombination } from "../../preloader/mod.ts";
import { getObject, listKeys, putObject } from "../support/s3rver.ts";
import { BUSYBOX, job, mount, runWrapper, toolDir } from "./_wrapper.ts";
import { CAN_RUN, s3Test } from "./_s3.ts";

// Alpine images have BusyBox's ash and applets only: the wrapper must work there too.
if (!BUSYBOX) console.warn("SKIPPING BusyBox preloader tests: /usr/bin/busybox is missing (apt-get install busybox)");

Deno.test({
  name: "BusyBox sh runs the matrix wrapper and exports each child's values literally",
  ignore: !BUSYBOX,
  async fn() {
    const matrix = { A: ["a 0", "$x*"], B: ["x\ny", "q'\"\\"] };
    const path = await toolDir(false, { busybox: true });
    for (let index = 0; index < 4; index++) {
      const run = await runWrapper(job({ command: `printf '%s|%s' "$A" "$B"`, matrix }), {
        path,
        shell: [BUSYBOX!, "sh"],
        env: { AWS_BATCH_JOB_ARRAY_INDEX: String(index) },
      });
      const want = matrixCombination(matrix, index);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${want.A}|${want.B}`);
    }
  },
});

if (BUSYBOX && CAN_RUN) {
  s3Test("BusyBox sh stages mounts in and out around a failing command", async (s3, dir) => {
    await putObject(s3, "s3://bucket/in/a b.txt", "alpha");
    await putObject(s3, "s3://bucket/in/sub/$b*.txt", "beta");
    const j = job({
      command: `cat "${dir}/in/a b.txt" "${dir}/in/sub/\\$b*.txt" > "${dir}/out-$N.txt"; exit 5`,
      matrix: { N: ["1", "2"] },
      mounts: {
        read: [mount("s3://bucket/in/", `${dir}/in`, { recursive: true })],
        write: [mount(`${dir}/out-\${N}.txt`, "s3://bucket/out/${N}.txt")],
      },
    });
    const run = await runWrapper(j, {
      server: s3,
      path: await toolDir(true, { busybox: true }),
      shell: [BUSYBOX!, "sh"],
      env: { AWS_BATCH_JOB_ARRAY_INDEX: "1" },
    });
    assert.equal(run.code, 5, run.stderr);
    assert.match(run.stderr, /read 1\/1: done: 2 files, 9 bytes in \d+ s/);
    assert.deepEqual(await listKeys(s3, "bucket", "out/"), ["out/2.txt"]);
    assert.equal(await getObject(s3, "s3://bucket/out/2.txt"), "alphabeta");
  });
}
