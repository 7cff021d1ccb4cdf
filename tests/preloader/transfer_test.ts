import assert from "node:assert/strict";
import { getObject, listKeys, putObject } from "../support/s3rver.ts";
import { job, mount, runWrapper } from "./_wrapper.ts";
import { s3Test } from "./_s3.ts";

s3Test(
  "preloader downloads single files and recursive folders, runs the command, uploads both kinds",
  async (s3, dir) => {
    await putObject(s3, "s3://bucket/raw/a.txt", "alpha");
    await putObject(s3, "s3://bucket/raw/sub/b.txt", "beta!");
    await putObject(s3, "s3://bucket/raw-other/c.txt", "not under raw/");
    await putObject(s3, "s3://bucket/config.json", "{}");
    const j = job({
      command: `cat ${dir}/in/a.txt ${dir}/in/sub/b.txt ${dir}/cfg/config.json; ` +
        `mkdir -p ${dir}/out/deep && echo one > ${dir}/out/1.txt && echo two > ${dir}/out/deep/2.txt && ` +
        `echo log > ${dir}/run.log`,
      mounts: {
        read: [
          mount("s3://bucket/raw/", `${dir}/in`, { recursive: true }),
          mount("s3://bucket/config.json", `${dir}/cfg/`),
        ],
        write: [
          mount(`${dir}/out`, "s3://bucket/results/", { recursive: true }),
          mount(`${dir}/run.log`, "s3://bucket/logs/run.log"),
        ],
      },
    });
    const run = await runWrapper(j, { server: s3 });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "alphabeta!{}");
    assert.deepEqual(await listKeys(s3, "bucket", "results/"), ["results/1.txt", "results/deep/2.txt"]);
    assert.equal(await getObject(s3, "s3://bucket/results/deep/2.txt"), "two\n");
    assert.equal(await getObject(s3, "s3://bucket/logs/run.log"), "log\n");
    assert.match(run.stderr, /\[ezbatch\] read 1\/2: s3:\/\/bucket\/raw\/ -> .*\/in \(recursive\)/);
    assert.match(run.stderr, /\[ezbatch\] read 1\/2: done: 2 files, 10 bytes in \d+ s/);
    assert.match(run.stderr, /\[ezbatch\] read 2\/2: done: 1 file, 2 bytes in \d+ s/);
    assert.match(run.stderr, /\[ezbatch\] write 1\/2: done: 2 files, 8 bytes in \d+ s/);
    assert.match(run.stderr, /\[ezbatch\] command exited with status 0 after \d+ s/);
  },
);

s3Test("preloader copies only the named object when recursive is false", async (s3, dir) => {
  await putObject(s3, "s3://bucket/data", "the file");
  await putObject(s3, "s3://bucket/data/inside.txt", "a key under the same name as a prefix");
  const j = job({
    command: `ls ${dir}/in`,
    mounts: { read: [mount("s3://bucket/data", `${dir}/in/data`)], write: [] },
  });
  const run = await runWrapper(j, { server: s3 });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "data\n");
  assert.equal(await Deno.readTextFile(`${dir}/in/data`), "the file");
});

s3Test("preloader keeps a failing command's exit status and still uploads its outputs", async (s3, dir) => {
  const j = job({
    command: `echo partial > ${dir}/partial.txt; echo oops >&2; exit 7`,
    mounts: { read: [], write: [mount(`${dir}/partial.txt`, "s3://bucket/out/partial.txt")] },
  });
  const run = await runWrapper(j, { server: s3 });
  assert.equal(run.code, 7);
  assert.match(run.stderr, /oops\n/);
  assert.match(run.stderr, /command exited with status 7/);
  assert.match(run.stderr, /exiting with status 7\n$/);
  assert.equal(await getObject(s3, "s3://bucket/out/partial.txt"), "partial\n");
});

s3Test("preloader fails the job with 99 naming the mount when an upload fails, after retrying", async (s3, dir) => {
  await Deno.writeTextFile(`${dir}/good.txt`, "good");
  await Deno.writeTextFile(`${dir}/bad.txt`, "bad");
  const j = job({
    command: "true",
    environment: { EZBATCH_TRANSFER_ATTEMPTS: "2" },
    mounts: {
      read: [],
      write: [
        mount(`${dir}/bad.txt`, "s3://no-such-bucket/bad.txt"),
        mount(`${dir}/good.txt`, "s3://bucket/good.txt"),
        mount(`${dir}/never-written`, "s3://bucket/missing/", { recursive: true }),
      ],
    },
  });
  const run = await runWrapper(j, { server: s3 });
  assert.equal(run.code, 99, run.stderr);
  assert.match(run.stderr, /write 1\/3: attempt 1 of 2 failed \(exit status \d+\); retrying in 0s/);
  assert.match(run.stderr, /write 1\/3: FAILED after 2 attempt\(s\)/);
  assert.match(run.stderr, /write 3\/3: FAILED: '.*never-written' does not exist/);
  assert.match(
    run.stderr,
    /Upload failed for:\n {2}write 1\/3: .*bad\.txt -> s3:\/\/no-such-bucket\/bad\.txt\n {2}write 3\/3: /,
  );
  assert.equal(await getObject(s3, "s3://bucket/good.txt"), "good", "the other mounts are still uploaded");
});

s3Test("preloader exits 98 without running the command when a download fails", async (s3, dir) => {
  const j = job({
    command: `touch ${dir}/ran`,
    environment: { EZBATCH_TRANSFER_ATTEMPTS: "1" },
    mounts: { read: [mount("s3://bucket/absent.txt", `${dir}/absent.txt`)], write: [] },
  });
  const run = await runWrapper(j, { server: s3 });
  assert.equal(run.code, 98);
  assert.match(
    run.stderr,
    /read 1\/1 failed: could not download s3:\/\/bucket\/absent\.txt to .*; the command was not run/,
  );
  await assert.rejects(Deno.stat(`${dir}/ran`));
});
