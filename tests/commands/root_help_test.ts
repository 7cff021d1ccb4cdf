/**
 * The fast path of `main.ts`: the root help and the version are printed without loading commander, from
 * `commands/_root_help.ts`, which must stay exactly what commander prints (regenerate with `deno task gen-help`).
 */
import assert from "node:assert/strict";
import { runProgram } from "../../commands/_run_program.ts";
import { ROOT_HELP } from "../../commands/_root_help.ts";
import { VERSION } from "../../core/version.ts";
import { commanderRootHelp } from "../../scripts/gen_help.ts";
import { collector, run } from "./_run.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("commands/_root_help.ts is what commander prints for 'ezbatch --help' (else run 'deno task gen-help')", async () => {
  assert.equal(ROOT_HELP, await commanderRootHelp(), "commands/_root_help.ts is stale: run 'deno task gen-help'");
});

Deno.test("runCli() answers root help and version exactly as commander does", async () => {
  const cases = [
    [],
    ["--help"],
    ["-h"],
    ["help"],
    ["--version"],
    ["-V"],
    ["--json", "--help"],
    ["--no-color", "-h"],
    ["-v", "--local", "help"],
    ["--verbose", "--version"],
    ["--region", "eu-west-1", "--help"], // not on the fast path: commander answers
  ];
  for (const args of cases) {
    const fast = await run(args);
    const out = collector();
    const err = collector();
    const code = await runProgram(args, { stdout: out, stderr: err, env: {}, settings: {} });
    assert.deepEqual(fast, { code, stdout: out.text(), stderr: err.text() }, args.join(" "));
    assert.equal(fast.code, 0, args.join(" "));
  }
});

Deno.test("runCli() prints ROOT_HELP for --help, help and no arguments, and VERSION for -V", async () => {
  for (const args of [["--help"], ["help"], []]) {
    assert.deepEqual(await run(args), { code: 0, stdout: ROOT_HELP, stderr: "" });
  }
  assert.deepEqual(await run(["-V"]), { code: 0, stdout: `${VERSION}\n`, stderr: "" });
});

Deno.test("runCli() leaves 'help jobs', 'jobs --help' and lone global flags to commander", async () => {
  for (const args of [["help", "jobs"], ["jobs", "--help"]]) {
    const r = await run(args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: ezbatch jobs\|job \[options\] \[command\]/);
  }
  // Commander prints the help on stderr and fails when no command is given: not the fast path's answer.
  const lone = await run(["--json"]);
  assert.equal(lone.code, 2);
  assert.equal(lone.stdout, "");
  assert.equal(lone.stderr, ROOT_HELP);
});

Deno.test("'deno run main.ts --help' prints ROOT_HELP and exits 0", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--help"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assert.equal(out.code, 0, text.decode(out.stderr));
  assert.equal(text.decode(out.stdout), ROOT_HELP);
  assert.equal(text.decode(out.stderr), "");
});
