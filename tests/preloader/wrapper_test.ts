import assert from "node:assert/strict";
import { matrixCombination, PRELOADER_EXIT_CODES } from "../../preloader/mod.ts";
import { job, mount, runWrapper, spawnWrapper, toolDir } from "./_wrapper.ts";

const MATRIX = { A: ["a0", "a 1"], B: ["$HOME", "*", "x\ny\\z", "quote'\"`"] };
const PRINT = `printf '%s|%s' "$A" "$B"`;

Deno.test("matrix wrapper exports each child's values from AWS_BATCH_JOB_ARRAY_INDEX, literally, without aws", async () => {
  const path = await toolDir(false);
  for (let index = 0; index < 8; index++) {
    const run = await runWrapper(job({ command: PRINT, preloader: false, matrix: MATRIX }), {
      path,
      env: { AWS_BATCH_JOB_ARRAY_INDEX: String(index) },
    });
    const want = matrixCombination(MATRIX, index);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${want.A}|${want.B}`, `child ${index}`);
    assert.match(run.stderr, new RegExp(`matrix child ${index} \\(${index + 1} of 8\\): A=`));
  }
});

Deno.test("matrix wrapper refuses a missing or out-of-range array index with status 96", async () => {
  const j = job({ command: "echo ran", preloader: false, matrix: MATRIX });
  const missing = await runWrapper(j, {});
  assert.equal(missing.code, PRELOADER_EXIT_CODES.badSetup);
  assert.match(missing.stderr, /AWS_BATCH_JOB_ARRAY_INDEX is not set: this matrix job must run as an array job of 8/);
  for (const bad of ["8", "-1", "x"]) {
    const run = await runWrapper(j, { env: { AWS_BATCH_JOB_ARRAY_INDEX: bad } });
    assert.equal(run.code, 96);
    assert.match(run.stderr, new RegExp(`AWS_BATCH_JOB_ARRAY_INDEX is '${bad}': expected 0 to 7`));
    assert.equal(run.stdout, "");
  }
  const single = await runWrapper(job({ command: 'echo "$N"', matrix: { N: ["only"] } }), {});
  assert.equal(single.code, 0, single.stderr);
  assert.equal(single.stdout, "only\n");
});

Deno.test("wrapper runs an exec-form command with its arguments intact and keeps its exit status", async () => {
  const run = await runWrapper(
    job({
      command: ["sh", "-c", 'printf "%s|" "$@"; exit 42', "sh", "a b", "'q'", "$X", "*", ""],
      matrix: { X: ["1"] },
    }),
    {},
  );
  assert.equal(run.code, 42);
  assert.equal(run.stdout, "a b|'q'|$X|*||");
  assert.match(run.stderr, /command exited with status 42/);
});

Deno.test("wrapper passes its standard input on to the command", async () => {
  const child = await spawnWrapper(job({ command: "cat", matrix: { N: ["1"] } }), { stdin: "piped" });
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("from stdin\n"));
  await writer.close();
  const out = await child.output();
  assert.equal(out.code, 0);
  assert.equal(new TextDecoder().decode(out.stdout), "from stdin\n");
});

Deno.test("wrapper exits 97 with a clear message when aws is missing, without running the command", async (t) => {
  const dir = await Deno.makeTempDir();
  const j = job({
    command: `touch ${dir}/ran`,
    mounts: { read: [mount("s3://bucket/x", `${dir}/x`)], write: [] },
  });
  const run = await runWrapper(j, { path: await toolDir(false) });
  assert.equal(run.code, PRELOADER_EXIT_CODES.noAwsCli);
  assert.match(
    run.stderr,
    /The AWS CLI \('aws'\) is not on PATH .*Use an image with the AWS CLI, or set install_aws_cli/,
  );
  await assert.rejects(Deno.stat(`${dir}/ran`));

  await t.step("and when installing it fails", async () => {
    const bin = await toolDir(false);
    await Deno.writeTextFile(`${bin}/apk`, "#!/bin/sh\necho 'apk: network unreachable' >&2\nexit 1\n");
    await Deno.chmod(`${bin}/apk`, 0o755);
    const failed = await runWrapper(j, { path: bin, installAwsCli: true });
    assert.equal(failed.code, 97);
    assert.match(failed.stderr, /installing it \(EZBATCH_INSTALL_AWS_CLI=1; this needs internet access\)/);
    assert.match(failed.stderr, /apk: network unreachable/);
    assert.match(failed.stderr, /Could not install the AWS CLI/);
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("wrapper passes SIGTERM on to the command and reports the command's status", async () => {
  const child = await spawnWrapper(job({ command: ["sleep", "30"], matrix: { N: ["1"] } }), {});
  const started = Date.now();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!log.includes("running the command")) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  await new Promise((r) => setTimeout(r, 200));
  child.kill("SIGTERM");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  const status = await child.status;
  assert.equal(status.code, 143, log);
  assert.ok(Date.now() - started < 20_000, "the command was stopped, not waited for");
  assert.match(log, /received SIGTERM; passing it on to the command/);
  assert.match(log, /command exited with status 143/);
  await child.stdout.cancel();
});

Deno.test("wrapper calls only `aws s3 cp` with the documented arguments (recursive only when asked, sse, endpoint)", async () => {
  const bin = await toolDir(false);
  const log = `${bin}/aws.log`;
  // A recording stand-in for aws: one argument per line, then a separator.
  await Deno.writeTextFile(
    `${bin}/aws`,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done >> '${log}'\necho -- >> '${log}'\n`,
  );
  await Deno.chmod(`${bin}/aws`, 0o755);
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/o.txt`, "o");
  const j = job({
    command: "true",
    mounts: {
      read: [mount("s3://b/one file", "/tmp/x y"), mount("s3://b/tree/", `${dir}/tree`, { recursive: true })],
      write: [
        mount(`${dir}/o.txt`, "s3://b/o.txt"),
        mount(dir, "s3://b/all/", { recursive: true, sse: "aws:kms", sse_kms_key_id: "key 1" }),
      ],
    },
  });
  const calls = async (env: Record<string, string>) => {
    await Deno.writeTextFile(log, "");
    const run = await runWrapper(j, { path: bin, env, sse: "AES256" });
    assert.equal(run.code, 0, run.stderr);
    return (await Deno.readTextFile(log)).split("--\n").filter(Boolean).map((c) => c.trimEnd().split("\n"));
  };
  const endpoint = ["--endpoint-url", "http://127.0.0.1:9"];
  assert.deepEqual(await calls({ AWS_ENDPOINT_URL: "http://127.0.0.1:9" }), [
    ["s3", "cp", ...endpoint, "--only-show-errors", "s3://b/one file", "/tmp/x y"],
    ["s3", "cp", ...endpoint, "--recursive", "--only-show-errors", "s3://b/tree/", `${dir}/tree`],
    ["s3", "cp", ...endpoint, "--sse", "AES256", "--only-show-errors", `${dir}/o.txt`, "s3://b/o.txt"],
    [
      "s3",
      "cp",
      ...endpoint,
      "--recursive",
      "--sse",
      "aws:kms",
      "--sse-kms-key-id",
      "key 1",
      "--only-show-errors",
      dir,
      "s3://b/all/",
    ],
  ]);
  const plain = await calls({ AWS_ENDPOINT_URL_S3: "http://s3.local:1", AWS_ENDPOINT_URL: "http://ignored" });
  assert.deepEqual(plain[0]!.slice(0, 4), ["s3", "cp", "--endpoint-url", "http://s3.local:1"]);
  const none = await calls({});
  assert.deepEqual(none[0], ["s3", "cp", "--only-show-errors", "s3://b/one file", "/tmp/x y"]);
  await Deno.remove(dir, { recursive: true });
});
