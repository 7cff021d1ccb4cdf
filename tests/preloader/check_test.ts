import assert from "node:assert/strict";
import { checkLaunch } from "../../preloader/mod.ts";
import { job, mount } from "./_wrapper.ts";

const fields = (issues: { field?: string }[]) => issues.map((i) => i.field);

Deno.test("checkLaunch() accepts a valid preloader job, a matrix job and a plain job", () => {
  const ok = job({
    command: "run",
    matrix: { LR: ["0.1", "0.01"] },
    mounts: {
      read: [mount("s3://my-bucket/raw/", "/data/in", { recursive: true })],
      write: [mount("/data/out", "s3://my-bucket/out/${LR}/", { recursive: true, sse: "aws:kms" })],
    },
  });
  assert.deepEqual(checkLaunch("train", ok, { sse: "AES256" }), []);
  assert.deepEqual(checkLaunch("plain", job({ preloader: false })), []);
});

Deno.test("checkLaunch() rejects a write mount with a relative source and names job and field", () => {
  const issues = checkLaunch(
    "build",
    job({ command: "make", mounts: { read: [], write: [mount("out", "s3://my-bucket/o/")] } }),
  );
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.job, "build");
  assert.equal(issues[0]!.field, "mounts.write[0].source");
  assert.match(issues[0]!.message, /'out' must be an absolute path/);
});

Deno.test("checkLaunch() rejects read mounts that are not s3:// to an absolute path", () => {
  const issues = checkLaunch(
    "j",
    job({
      command: "x",
      mounts: { read: [mount("https://my-bucket/x", "data/in"), mount("s3://B/x", "/in")], write: [] },
    }),
  );
  assert.deepEqual(fields(issues), ["mounts.read[0].source", "mounts.read[0].destination", "mounts.read[1].source"]);
  assert.match(
    issues[0]!.message,
    /^The read mount's source: Expected an S3 URI like 's3:\/\/bucket\/key', got 'https:/,
  );
  assert.match(issues[2]!.message, /^The read mount's source: Bucket /);
});

Deno.test("checkLaunch() needs a command for a wrapped job but not for a plain one", () => {
  const read = [mount("s3://my-bucket/a", "/a")];
  const issues = checkLaunch("j", job({ mounts: { read, write: [] } }));
  assert.deepEqual(fields(issues), ["command"]);
  assert.match(issues[0]!.message, /uses the preloader but has no command/);
  assert.match(
    checkLaunch("m", job({ command: [], matrix: { A: ["1"] } }))[0]!.message,
    /has a matrix but has no command/,
  );
  assert.deepEqual(checkLaunch("p", job({ preloader: false, mounts: { read, write: [] } })), []);
});

Deno.test("checkLaunch() rejects bad matrix keys, empty value lists and too many children", () => {
  const issues = checkLaunch(
    "m",
    job({
      command: "x",
      matrix: { "1X": ["a"], "EZBATCH_X": ["a"], "AWS_BATCH_Y": ["a"], EMPTY: [] },
    }),
  );
  assert.deepEqual(fields(issues), ["matrix.1X", "matrix.EZBATCH_X", "matrix.AWS_BATCH_Y", "matrix.EMPTY"]);
  const big = Array.from({ length: 101 }, (_, i) => String(i));
  const tooMany = checkLaunch("m", job({ command: "x", matrix: { A: big, B: big } }));
  assert.match(tooMany[0]!.message, /10201 combinations: an array job has at most 10000 children/);
  assert.match(checkLaunch("m", job({ command: "x", matrix: {} }))[0]!.message, /The matrix is empty/);
});

Deno.test("checkLaunch() allows only ${KEY} of matrix keys in mounts", () => {
  const issues = checkLaunch(
    "m",
    job({
      command: "x",
      matrix: { LR: ["1", "2"] },
      mounts: {
        read: [mount("s3://my-bucket/${HOME}/x", "/in/$LR"), mount("s3://my-bucket/price$5/$x", "/in/${LR}")],
        write: [],
      },
    }),
  );
  assert.deepEqual(fields(issues), ["mounts.read[0].source", "mounts.read[0].destination"]);
  assert.match(
    issues[0]!.message,
    /uses '\$\{HOME\}', but only matrix values are expanded \(this job's matrix keys are LR\)/,
  );
  assert.match(issues[1]!.message, /uses '\$LR': write '\$\{LR\}'/);
});

Deno.test("checkLaunch() checks upload encryption of mounts and defaults", () => {
  const write = [
    mount("/o", "s3://my-bucket/o", { sse: "aes" }),
    mount("/p", "s3://my-bucket/p", { sse: "AES256", sse_kms_key_id: "k" }),
  ];
  const issues = checkLaunch("e", job({ command: "x", mounts: { read: [], write } }), { sse: "KMS" });
  assert.deepEqual(fields(issues), ["mounts.write[0].sse", "mounts.write[1].sse", "sse"]);
  assert.match(issues[0]!.message, /'aes' is not valid: expected AES256, aws:kms, aws:kms:dsse/);
  assert.match(issues[1]!.message, /a KMS key needs sse 'aws:kms'/);
});

Deno.test("checkLaunch() reserves EZBATCH_ variables and matrix key names in a wrapped job's environment", () => {
  const issues = checkLaunch(
    "r",
    job({ command: "x", matrix: { LR: ["1"] }, environment: { EZBATCH_READ: "", LR: "2", OK: "" } }),
  );
  assert.deepEqual(fields(issues), ["environment.EZBATCH_READ", "environment.LR"]);
});

Deno.test("checkLaunch() lets a job tune transfer attempts and retry delay with whole numbers", () => {
  const tuned = (environment: Record<string, string>) =>
    checkLaunch("t", job({ command: "x", matrix: { N: ["1", "2"] }, environment }));
  assert.deepEqual(tuned({ EZBATCH_TRANSFER_ATTEMPTS: "5", EZBATCH_RETRY_DELAY: "0" }), []);
  const issues = tuned({ EZBATCH_TRANSFER_ATTEMPTS: "0", EZBATCH_RETRY_DELAY: "1.5" });
  assert.deepEqual(fields(issues), ["environment.EZBATCH_TRANSFER_ATTEMPTS", "environment.EZBATCH_RETRY_DELAY"]);
  assert.match(issues[0]!.message, /'EZBATCH_TRANSFER_ATTEMPTS' must be a whole number of at least 1, got '0'/);
});
