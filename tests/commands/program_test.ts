import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { redact } from "../../commands/report.ts";
import { run } from "./_run.ts";

Deno.test("runCli() with no arguments prints the help with examples on stdout and returns 0", async () => {
  const r = await run([]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: ezbatch \[options\] \[command\]/);
  assert.match(r.stdout, /compute-environment\|ce/);
  assert.match(r.stdout, /Examples:\n {2}\$ ezbatch/);
  assert.equal(r.stderr, "");
});

Deno.test("runCli() prints the version with --version and -V", async () => {
  for (const flag of ["--version", "-V"]) {
    const r = await run([flag]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  }
});

Deno.test("every command has help text with an example", async () => {
  const root = await run(["--help"]);
  const commandsOf = (help: string) =>
    [...(help.split("Commands:\n")[1] ?? "").split("\n\n")[0]!.matchAll(/^ {2}([a-z-]+)/gm)]
      .map((m) => m[1]!).filter((c) => c !== "help");
  const groups = commandsOf(root.stdout);
  assert.ok(groups.length >= 2);
  for (const group of groups) {
    const g = await run([group, "--help"]);
    assert.equal(g.code, 0, group);
    assert.match(g.stdout, /Examples:\n {2}\$ ezbatch /, group);
    const subs = commandsOf(g.stdout);
    if (!g.stdout.includes("Commands:")) continue; // a command without subcommands
    assert.ok(subs.length >= 3, `${group}: ${subs}`);
    for (const sub of subs) {
      const s = await run([group, sub, "--help"]);
      assert.equal(s.code, 0, `${group} ${sub}`);
      assert.match(s.stdout, new RegExp(`Usage: ezbatch ${group} ${sub}`));
      assert.match(s.stdout, /Examples:\n {2}\$ ezbatch /, `${group} ${sub}`);
    }
  }
});

Deno.test("an unknown command or option is a usage error: exit 2, one line and a hint", async () => {
  const r = await run(["compute-environment", "lst"]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    "error: unknown command 'lst'\n(Did you mean one of list, ls?)\nRun 'ezbatch compute-environment --help' for usage.\n",
  );
  const opt = await run(["job-queue", "list", "--bogus"]);
  assert.equal(opt.code, 2);
  assert.equal(opt.stderr, "error: unknown option '--bogus'\nRun 'ezbatch job-queue list --help' for usage.\n");
  const group = await run(["job-queue"]);
  assert.equal(group.code, 2);
  assert.match(group.stderr, /Usage: ezbatch job-queue/);
});

Deno.test("errors are red on a terminal unless NO_COLOR or --no-color; tables stay plain off a terminal", async () => {
  const chunks: string[] = [];
  const tty = { isTTY: true, write: (s: string) => void chunks.push(s) };
  await run(["ce", "describe", "nope"], { backend: new MemoryBackend(), stderr: tty });
  assert.ok(chunks.join("").includes("\x1b[31merror: Compute environment 'nope'"), chunks.join(""));
  for (const extra of [{ args: ["--no-color"], env: {} }, { args: [], env: { NO_COLOR: "1" } }]) {
    chunks.length = 0;
    await run(["ce", "describe", "nope", ...extra.args], { backend: new MemoryBackend(), stderr: tty, env: extra.env });
    assert.ok(!chunks.join("").includes("\x1b["), chunks.join(""));
  }
});

Deno.test("global options are accepted before and after the command", async () => {
  const backend = new MemoryBackend();
  const before = await run(["--json", "ce", "list"], { backend });
  const after = await run(["ce", "list", "--json"], { backend });
  assert.equal(before.stdout, "[]\n");
  assert.equal(after.stdout, "[]\n");
});

Deno.test("an unexpected error is one line with a --verbose hint; --verbose adds the stack and the cause", async () => {
  const backend = new MemoryBackend({
    fault: () => new Error("socket hang up", { cause: new Error("ECONNRESET") }),
  });
  const r = await run(["ce", "list"], { backend });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "error: socket hang up\nRun again with --verbose for details.\n");
  const v = await run(["ce", "list", "--verbose"], { backend });
  assert.match(v.stderr, /Error: socket hang up\n\s+at /);
  assert.match(v.stderr, /caused by: Error: ECONNRESET/);
});

Deno.test("redact() masks access keys, secret assignments and secret environment values", () => {
  const text = "key AKIAABCDEFGHIJKLMNOP aws_secret_access_key=abc/def+ghi token sessionToken: 'xyz' and s3cr3tvalue!";
  const out = redact(text, { AWS_SECRET_ACCESS_KEY: "s3cr3tvalue!" });
  assert.equal(
    out,
    "key AKIA**************** aws_secret_access_key=**** token sessionToken: '****' and ****",
  );
});
