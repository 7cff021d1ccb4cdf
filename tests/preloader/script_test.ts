import assert from "node:assert/strict";
import { PRELOADER_SCRIPT } from "../../preloader/_script.ts";
import { minifyShell } from "../../preloader/_minify.ts";
import { SHELL } from "./_wrapper.ts";

const SOURCE = new URL("../../preloader/ezbatch_preloader.sh", import.meta.url);

async function syntaxCheck(script: string): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(SHELL, { args: ["-n", "-c", script], stderr: "piped" }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("PRELOADER_SCRIPT is the minified preloader/ezbatch_preloader.sh (run preloader/build_script.ts)", async () => {
  const source = await Deno.readTextFile(SOURCE);
  assert.equal(
    PRELOADER_SCRIPT,
    minifyShell(source),
    "preloader/_script.ts is stale: run `deno run -A preloader/build_script.ts`",
  );
});

Deno.test("the preloader script and its embedded form pass dash -n", async () => {
  const source = await Deno.readTextFile(SOURCE);
  for (const script of [source, PRELOADER_SCRIPT]) {
    const res = await syntaxCheck(script);
    assert.equal(res.code, 0, res.stderr);
  }
});

Deno.test("dash -n rejects a broken script (the syntax check can fail)", async () => {
  const res = await syntaxCheck(PRELOADER_SCRIPT.replace("done", "dnoe"));
  assert.notEqual(res.code, 0);
});

Deno.test("the preloader script uses no bash-only syntax", async () => {
  const source = await Deno.readTextFile(SOURCE);
  const code = source.split("\n").filter((l) => !l.trim().startsWith("#")).join("\n");
  for (
    const bashism of [
      "[[",
      "function ",
      "local ",
      "declare ",
      "$'",
      "<<<",
      "${!",
      "source ",
      "pipefail",
      "$RANDOM",
    ]
  ) {
    assert.ok(!code.includes(bashism), `found bash-only '${bashism}'`);
  }
  assert.ok(!/\[ [^\]\n]* == /.test(code), "found bash-only '[ a == b ]'");
  assert.ok(!/\beval\b/.test(code), "the script must not use eval");
});

Deno.test("minifyShell() drops comments, blank lines and indentation but keeps code", () => {
  assert.equal(
    minifyShell('#!/bin/sh\n# c\n\n  if x; then\n    ezb_y "$ezb_z" # keep\n  fi\n'),
    'if x; then\n_y "$_z" # keep\nfi\n',
  );
});
