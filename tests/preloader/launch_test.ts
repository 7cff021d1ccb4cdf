import assert from "node:assert/strict";
import {
  containerLaunch,
  matrixCombination,
  matrixSize,
  needsWrapper,
  PRELOADER_EXIT_CODES,
} from "../../preloader/mod.ts";
import { PRELOADER_SCRIPT } from "../../preloader/_script.ts";
import { escapeLine, unescapeLine } from "../../preloader/encode.ts";
import { job, mount } from "./_wrapper.ts";

Deno.test("containerLaunch() runs a plain string command under /bin/sh -c with no wrapper", () => {
  const launch = containerLaunch(job({ command: "echo 'a b' && ls", environment: { A: "1" }, preloader: false }));
  assert.deepEqual(launch, { command: ["/bin/sh", "-c", "echo 'a b' && ls"], environment: { A: "1" } });
});

Deno.test("containerLaunch() keeps an array command as exec form and no command as empty", () => {
  assert.deepEqual(containerLaunch(job({ command: ["python", "train.py", "--lr", "0.1"] })).command, [
    "python",
    "train.py",
    "--lr",
    "0.1",
  ]);
  assert.deepEqual(containerLaunch(job({})).command, []);
});

Deno.test("containerLaunch() adds no wrapper for preloader without mounts or mounts without preloader", () => {
  const read = [mount("s3://b/in", "/in")];
  for (const j of [job({ command: "x" }), job({ command: "x", preloader: false, mounts: { read, write: [] } })]) {
    assert.equal(needsWrapper(j), false);
    assert.deepEqual(containerLaunch(j), { command: ["/bin/sh", "-c", "x"], environment: {} });
  }
});

Deno.test("containerLaunch() wraps a preloader job: script, $0, then the user's command as arguments", () => {
  const j = job({
    command: "python train.py",
    environment: { STAGE: "train" },
    mounts: {
      read: [mount("s3://b/raw/", "/data/in", { recursive: true }), mount("s3://b/a\\b\nc", "/data/x y")],
      write: [mount("/data/out", "s3://b/out/", { recursive: true })],
    },
  });
  const launch = containerLaunch(j);
  assert.deepEqual(launch.command, [
    "/bin/sh",
    "-c",
    PRELOADER_SCRIPT,
    "ezbatch-preloader",
    "/bin/sh",
    "-c",
    "python train.py",
  ]);
  assert.deepEqual(launch.environment, {
    STAGE: "train",
    EZBATCH_READ: "2\nR\ns3://b/raw/\n/data/in\n\ns3://b/a\\\\b\\nc\n/data/x y\n",
    EZBATCH_WRITE: "1\nR\n/data/out\ns3://b/out/\n\n\n",
  });
  const exec = containerLaunch({ ...j, command: ["python", "a b.py"] });
  assert.deepEqual(exec.command.slice(3), ["ezbatch-preloader", "python", "a b.py"]);
});

Deno.test("containerLaunch() takes upload encryption from the mount, else the defaults; a KMS key implies aws:kms", () => {
  const write = [
    mount("/o1", "s3://b/1"),
    mount("/o2", "s3://b/2", { sse: "AES256" }),
    mount("/o3", "s3://b/3", { sse_kms_key_id: "key-3" }),
  ];
  const env = containerLaunch(job({ command: "x", mounts: { read: [], write } }), {
    sse: "aws:kms",
    sseKmsKeyId: "default-key",
    installAwsCli: true,
  }).environment;
  assert.equal(
    env.EZBATCH_WRITE,
    "3\n\n/o1\ns3://b/1\n\n\n\n/o2\ns3://b/2\nAES256\n\n\n/o3\ns3://b/3\naws:kms\nkey-3\n",
  );
  assert.equal(env.EZBATCH_SSE, "aws:kms");
  assert.equal(env.EZBATCH_SSE_KMS_KEY_ID, "default-key");
  const kmsOnly = containerLaunch(job({ command: "x", mounts: { read: [], write } }), { sseKmsKeyId: "k" });
  assert.equal(kmsOnly.environment.EZBATCH_SSE, "aws:kms");
  assert.equal(env.EZBATCH_INSTALL_AWS_CLI, "1");
  assert.equal(env.EZBATCH_READ, undefined);
  const plain = containerLaunch(job({ command: "x", mounts: { read: [], write: [mount("/o", "s3://b/o")] } }));
  assert.equal(plain.environment.EZBATCH_WRITE, "1\n\n/o\ns3://b/o\n\n\n");
  assert.equal(plain.environment.EZBATCH_INSTALL_AWS_CLI, undefined);
});

Deno.test("containerLaunch() wraps a matrix-only job and encodes total, strides and values", () => {
  const launch = containerLaunch(job({
    command: "echo $LR",
    preloader: false,
    matrix: { LR: ["0.1", "0.01"], DEPTH: ["3", "5", "line\nbreak"] },
  }));
  assert.equal(launch.command[2], PRELOADER_SCRIPT);
  assert.deepEqual(launch.environment, {
    EZBATCH_MATRIX: "6\nLR\n3\n2\n0.1\n0.01\nDEPTH\n1\n3\n3\n5\nline\\nbreak\n",
  });
});

Deno.test("matrixCombination() orders children as nested loops, last key fastest, and rejects bad indexes", () => {
  const matrix = { A: ["a0", "a1"], B: ["b0", "b1", "b2"] };
  assert.equal(matrixSize(matrix), 6);
  const all = Array.from({ length: 6 }, (_, i) => matrixCombination(matrix, i));
  assert.deepEqual(all.map((c) => `${c.A}/${c.B}`), ["a0/b0", "a0/b1", "a0/b2", "a1/b0", "a1/b1", "a1/b2"]);
  for (const bad of [-1, 6, 1.5, NaN]) assert.throws(() => matrixCombination(matrix, bad), RangeError);
});

Deno.test("escapeLine() puts any text on one line and unescapeLine() restores it", () => {
  const nasty = ["", "plain", "a\\b", "\\n literal", "line\nbreak\n", "\\\\\n\\", "tab\tquote'\"$x*?[a]{b}`c`", "é ✓"];
  for (const s of nasty) {
    const line = escapeLine(s);
    assert.ok(!line.includes("\n"), `escaped ${JSON.stringify(s)} has a newline`);
    assert.equal(unescapeLine(line), s);
  }
});

Deno.test("PRELOADER_EXIT_CODES are distinct and outside the shell's own 126-128+ range", () => {
  const codes = Object.values(PRELOADER_EXIT_CODES);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.ok(c > 0 && c < 126);
});
