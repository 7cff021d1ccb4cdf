import assert from "node:assert/strict";
import { getObject, listKeys, putObject } from "../support/s3rver.ts";
import { AWS_CLI } from "../support/s3rver.ts";
import { job, mount, runWrapper, spawnWrapper, toolDir } from "./_wrapper.ts";
import { s3Test } from "./_s3.ts";

const NASTY = `we ird 'q' "dq" $HOME *?[x] back\\slash`;

s3Test("preloader keeps nasty paths (spaces, quotes, $, globs, backslash) intact both ways", async (s3, dir) => {
  await putObject(s3, `s3://bucket/in/${NASTY}/f $1 *.txt`, "nasty");
  await putObject(s3, `s3://bucket/in/${NASTY}/sub/[a]?`, "glob");
  await putObject(s3, `s3://bucket/one/${NASTY}.txt`, "single");
  const local = `${dir}/${NASTY}`;
  const j = job({
    command: [
      "sh",
      "-c",
      'cat "$1/in/f \\$1 *.txt" "$1/in/sub/[a]?" "$1/single.txt" && cp -r "$1/in" "$1/out"',
      "sh",
      local,
    ],
    mounts: {
      read: [
        mount(`s3://bucket/in/${NASTY}/`, `${local}/in`, { recursive: true }),
        mount(`s3://bucket/one/${NASTY}.txt`, `${local}/single.txt`),
      ],
      write: [
        mount(`${local}/out`, `s3://bucket/out/${NASTY}/`, { recursive: true }),
        mount(`${local}/single.txt`, `s3://bucket/copy/${NASTY}`),
      ],
    },
  });
  const path = await toolDir(true);
  await Deno.symlink(await Deno.realPath("/bin/cp"), `${path}/cp`);
  const run = await runWrapper(j, { server: s3, path });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "nastyglobsingle");
  assert.deepEqual(await listKeys(s3, "bucket", "out/"), [`out/${NASTY}/f $1 *.txt`, `out/${NASTY}/sub/[a]?`]);
  assert.equal(await getObject(s3, `s3://bucket/copy/${NASTY}`), "single");
  assert.ok(run.stderr.includes(`read 1/2: s3://bucket/in/${NASTY}/ -> ${local}/in (recursive)`), run.stderr);
});

s3Test("a matrix child expands ${KEY} in its mounts and uploads to its own prefix", async (s3, dir) => {
  await putObject(s3, "s3://bucket/data/0.01.csv", "lr,0.01");
  await putObject(s3, "s3://bucket/data/0.1.csv", "lr,0.1");
  const j = job({
    command: `cat ${dir}/in.csv > "${dir}/out-$LR-$DEPTH.txt"; echo " depth $DEPTH" >> "${dir}/out-$LR-$DEPTH.txt"`,
    matrix: { LR: ["0.1", "0.01"], DEPTH: ["3", "5"] },
    mounts: {
      read: [mount("s3://bucket/data/${LR}.csv", `${dir}/in.csv`)],
      write: [mount(`${dir}/out-\${LR}-\${DEPTH}.txt`, "s3://bucket/out/lr=${LR}/depth=${DEPTH}/result.txt")],
    },
  });
  const run = await runWrapper(j, { server: s3, env: { AWS_BATCH_JOB_ARRAY_INDEX: "3" } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /matrix child 3 \(4 of 4\): LR=0.01 DEPTH=5/);
  assert.deepEqual(await listKeys(s3, "bucket", "out/"), ["out/lr=0.01/depth=5/result.txt"]);
  assert.equal(await getObject(s3, "s3://bucket/out/lr=0.01/depth=5/result.txt"), "lr,0.01 depth 5\n");
});

s3Test("preloader uploads outputs after the job is terminated (SIGTERM) and exits 143", async (s3, dir) => {
  const j = job({
    command: ["sh", "-c", `echo partial > ${dir}/p.txt; exec sleep 30`],
    mounts: { read: [], write: [mount(`${dir}/p.txt`, "s3://bucket/p.txt")] },
  });
  const child = await spawnWrapper(j, { server: s3 });
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!log.includes("running the command")) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  await new Promise((r) => setTimeout(r, 300));
  child.kill("SIGTERM");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  assert.equal((await child.status).code, 143, log);
  await child.stdout.cancel();
  assert.match(log, /write 1\/1: done: 1 file, 8 bytes/);
  assert.equal(await getObject(s3, "s3://bucket/p.txt"), "partial\n");
});

s3Test("install_aws_cli installs the AWS CLI with the image's package manager when it is missing", async (s3, dir) => {
  const bin = await toolDir(false);
  // A stand-in for Alpine's apk: `apk add --no-cache aws-cli` puts the real CLI on PATH.
  await Deno.writeTextFile(
    `${bin}/apk`,
    `#!/bin/sh\n[ "$*" = "add --no-cache aws-cli" ] || exit 3\n/bin/ln -s ${AWS_CLI} "${bin}/aws"\n`,
  );
  await Deno.chmod(`${bin}/apk`, 0o755);
  await Deno.writeTextFile(`${dir}/r.txt`, "installed");
  const j = job({ command: "true", mounts: { read: [], write: [mount(`${dir}/r.txt`, "s3://bucket/r.txt")] } });
  const run = await runWrapper(j, { server: s3, path: bin, installAwsCli: true });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /installing it/);
  assert.equal(await getObject(s3, "s3://bucket/r.txt"), "installed");
});
