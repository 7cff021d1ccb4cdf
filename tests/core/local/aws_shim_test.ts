import assert from "node:assert/strict";
import { join } from "node:path";
import { AWS_SHIM_SCRIPT } from "../../../core/local/aws_shim.ts";
import { define, logLines, waitDone, withBackend } from "./_support.ts";

async function withShim(
  fn: (
    run: (...args: string[]) => Promise<{ code: number; out: string; err: string }>,
    s3: string,
    tmp: string,
  ) => Promise<void>,
) {
  const tmp = await Deno.makeTempDir({ prefix: "ezbatch-shim-test-" });
  const s3 = join(tmp, "s3");
  await Deno.mkdir(join(s3, "bucket", "raw", "nested dir"), { recursive: true });
  await Deno.writeTextFile(join(s3, "bucket", "raw", "a.txt"), "alpha\n");
  await Deno.writeTextFile(join(s3, "bucket", "raw", "nested dir", "b $x.txt"), "beta\n");
  const shim = join(tmp, "aws");
  await Deno.writeTextFile(shim, AWS_SHIM_SCRIPT, { mode: 0o755 });
  const run = async (...args: string[]) => {
    const out = await new Deno.Command("/bin/sh", { args: [shim, ...args], env: { EZBATCH_S3_DIR: s3 }, cwd: tmp })
      .output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, out: decode(out.stdout), err: decode(out.stderr) };
  };
  try {
    await fn(run, s3, tmp);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

Deno.test("aws shim copies single files between s3://bucket/key and DIR/bucket/key", async () => {
  await withShim(async (run, s3, tmp) => {
    const down = await run(
      "s3",
      "cp",
      "--only-show-errors",
      "--no-progress",
      "s3://bucket/raw/a.txt",
      `${tmp}/in/x.txt`,
    );
    assert.equal(down.code, 0, down.err);
    assert.equal(down.out, "");
    assert.equal(await Deno.readTextFile(`${tmp}/in/x.txt`), "alpha\n");
    assert.equal((await run("s3", "cp", "s3://bucket/raw/a.txt", `${tmp}/in/`)).code, 0);
    assert.equal(await Deno.readTextFile(`${tmp}/in/a.txt`), "alpha\n");
    const up = await run(
      "s3",
      "cp",
      "--sse",
      "aws:kms",
      "--sse-kms-key-id",
      "k1",
      "--endpoint-url",
      "http://x",
      `${tmp}/in/x.txt`,
      "s3://bucket/out/",
    );
    assert.equal(up.code, 0, up.err);
    assert.match(up.out, /^upload: /);
    assert.equal(await Deno.readTextFile(`${s3}/bucket/out/x.txt`), "alpha\n");
    assert.equal((await run("s3", "cp", "--sse", "AES256", `${tmp}/in/x.txt`, "s3://bucket/out/renamed.txt")).code, 0);
    assert.equal(await Deno.readTextFile(`${s3}/bucket/out/renamed.txt`), "alpha\n");
  });
});

Deno.test("aws shim copies prefixes recursively, keeping nested names with spaces and $", async () => {
  await withShim(async (run, s3, tmp) => {
    const down = await run("s3", "cp", "--recursive", "s3://bucket/raw/", `${tmp}/data in`);
    assert.equal(down.code, 0, down.err);
    assert.match(down.out, /download: s3:\/\/bucket\/raw\/ to .* \(2 files\)/);
    assert.equal(await Deno.readTextFile(`${tmp}/data in/nested dir/b $x.txt`), "beta\n");
    const up = await run("s3", "cp", "--recursive", `${tmp}/data in`, "s3://bucket/copy");
    assert.equal(up.code, 0, up.err);
    assert.equal(await Deno.readTextFile(`${s3}/bucket/copy/nested dir/b $x.txt`), "beta\n");
    assert.equal(await Deno.readTextFile(`${s3}/bucket/copy/a.txt`), "alpha\n");
    const empty = await run("s3", "cp", "--recursive", "s3://bucket/nothing-here/", `${tmp}/empty`);
    assert.equal(empty.code, 0);
  });
});

Deno.test("aws shim fails like the AWS CLI: missing bucket, key or local path, and unsupported commands", async () => {
  await withShim(async (run, _s3, tmp) => {
    const noBucket = await run("s3", "cp", "s3://other/a.txt", `${tmp}/a`);
    assert.equal(noBucket.code, 1);
    assert.match(noBucket.err, /NoSuchBucket.*'other'/);
    const noKey = await run("s3", "cp", "s3://bucket/raw/missing.txt", `${tmp}/a`);
    assert.equal(noKey.code, 1);
    assert.match(noKey.err, /Key "raw\/missing.txt" does not exist/);
    const noLocal = await run("s3", "cp", `${tmp}/missing`, "s3://bucket/x");
    assert.equal(noLocal.code, 255);
    assert.match(noLocal.err, /does not exist/);
    const ls = await run("s3", "ls", "s3://bucket/");
    assert.equal(ls.code, 252);
    assert.match(ls.err, /only 'aws s3 cp'/);
    assert.equal((await run("s3", "cp", "--weird", "s3://bucket/raw/a.txt", `${tmp}/a`)).code, 252);
    assert.equal((await run("s3", "cp", `${tmp}`, "s3://bucket/dir")).code, 252);
  });
});

Deno.test("LocalBackend with s3Dir stages S3 data in and out of a job through the aws shim", async () => {
  const s3 = await Deno.makeTempDir({ prefix: "ezbatch-s3dir-" });
  await Deno.mkdir(join(s3, "bucket", "raw"), { recursive: true });
  await Deno.writeTextFile(join(s3, "bucket", "raw", "in.txt"), "hello\n");
  try {
    await withBackend({ s3Dir: s3 }, async (backend) => {
      await define(
        backend,
        "stage",
        "set -e; aws s3 cp --recursive s3://bucket/raw/ ./in; mkdir -p out; tr a-z A-Z < in/in.txt > out/up.txt; " +
          "aws s3 cp --recursive out s3://bucket/done/; exit 2",
      );
      const { jobId } = await backend.submitJob({ jobName: "stage", jobQueue: "q", jobDefinition: "stage" });
      const [job] = await waitDone(backend, [jobId]);
      assert.equal(job!.status, "FAILED");
      assert.equal(job!.container?.exitCode, 2);
      assert.equal(await Deno.readTextFile(join(s3, "bucket", "done", "up.txt")), "HELLO\n");
      const lines = await logLines(backend, job!.container?.logStreamName);
      assert.ok(lines.some((l) => l.startsWith("upload: ")), lines.join("\n"));
    });
  } finally {
    await Deno.remove(s3, { recursive: true });
  }
});

Deno.test("aws shim: concurrent uploads to one key all succeed and leave one whole object, as on S3", async () => {
  await withShim(async (run, s3, tmp) => {
    const sources = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const file = join(tmp, `part-${i}.txt`);
      await Deno.writeTextFile(file, `writer ${i}\n`.repeat(2000));
      return file;
    }));
    const results = await Promise.all(sources.map((f) => run("s3", "cp", f, "s3://bucket/out/same.txt")));
    assert.deepEqual(results.filter((r) => r.code !== 0).map((r) => r.err), []);
    const text = await Deno.readTextFile(join(s3, "bucket", "out", "same.txt"));
    assert.match(text, /^(writer \d+\n)\1{1999}$/, "one writer's whole content, never a mix");
    assert.deepEqual([...Deno.readDirSync(join(s3, "bucket", "out"))].map((e) => e.name), ["same.txt"]);
  });
});

Deno.test("aws shim keeps keys with '..', '.' and empty segments inside DIR/bucket, for reads and writes", async () => {
  await withShim(async (run, s3, tmp) => {
    await Deno.writeTextFile(join(tmp, "secret.txt"), "outside\n");
    const read = await run("s3", "cp", "s3://bucket/../secret.txt", `${tmp}/got.txt`);
    assert.equal(read.code, 1, "a key '../secret.txt' does not exist in the bucket");
    assert.match(read.err, /Key "\.\.\/secret\.txt" does not exist/);
    assert.equal((await run("s3", "cp", "s3://bucket/../../x", `${tmp}/got.txt`)).code, 1);
    await assert.rejects(Deno.stat(`${tmp}/got.txt`), Deno.errors.NotFound);

    // as a path, DIR/bucket/../../out is TMP/out: the escape would stay inside this test's directory
    const write = await run("s3", "cp", "--recursive", `${s3}/bucket/raw`, "s3://bucket/../../out/");
    assert.equal(write.code, 0, write.err);
    await assert.rejects(Deno.stat(join(tmp, "out")), Deno.errors.NotFound);
    assert.equal(await Deno.readTextFile(`${s3}/bucket/%../%../out/a.txt`), "alpha\n");
    const single = await run("s3", "cp", `${tmp}/secret.txt`, "s3://bucket/../s.txt");
    assert.equal(single.code, 0, single.err);
    await assert.rejects(Deno.stat(join(s3, "s.txt")), Deno.errors.NotFound);
    // the same key reads back what was written: S3 semantics, not a path
    assert.equal((await run("s3", "cp", "s3://bucket/../s.txt", `${tmp}/back.txt`)).code, 0);
    assert.equal(await Deno.readTextFile(`${tmp}/back.txt`), "outside\n");

    for (const key of ["./dot", "a//b", "/lead", "%../pct", ".."]) {
      const put = await run("s3", "cp", `${tmp}/secret.txt`, `s3://bucket/${key}`);
      assert.equal(put.code, 0, `${key}: ${put.err}`);
    }
    const names: string[] = [];
    for await (const e of Deno.readDir(`${s3}/bucket`)) names.push(e.name);
    assert.deepEqual(names.sort(), ["%", "%%..", "%.", "%..", "a", "raw"]);
    assert.equal(await Deno.readTextFile(`${s3}/bucket/a/%/b`), "outside\n");
    assert.equal(await Deno.readTextFile(`${s3}/bucket/%%../pct`), "outside\n");
  });
});

Deno.test("aws shim refuses bucket names that are paths ('..', '.', leading dots)", async () => {
  await withShim(async (run, _s3, tmp) => {
    for (const uri of ["s3://../x", "s3://./bucket/raw/a.txt", "s3://..bucket/x"]) {
      const out = await run("s3", "cp", uri, `${tmp}/got.txt`);
      assert.equal(out.code, 252, uri);
      assert.match(out.err, /Invalid bucket name/);
    }
    await assert.rejects(Deno.stat(`${tmp}/got.txt`), Deno.errors.NotFound);
  });
});
