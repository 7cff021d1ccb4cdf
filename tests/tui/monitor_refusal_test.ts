import assert from "node:assert/strict";
import { UsageError } from "../../core/errors.ts";
import { runMonitor } from "../../tui/mod.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { hasTmux, Tmux } from "./_tmux.ts";

Deno.test("runMonitor() refuses politely when stdin is not a terminal (not ink's raw-mode message)", async () => {
  const out = { isTTY: true, write: () => true, on: () => undefined };
  await assert.rejects(
    runMonitor(new MemoryBackend(), { stdin: { isTTY: false, on: () => undefined }, stdout: out }),
    (e: Error) => e instanceof UsageError && /stdin is not one/.test(e.message) && /jobs list --json/.test(e.message),
  );
});

Deno.test({
  name: "ezbatch monitor --local < /dev/null on a terminal: one clear line, exit 2, nothing from ink",
  ignore: !hasTmux(),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmux = new Tmux();
    const state = await Deno.makeTempDir();
    try {
      await tmux.start(`${Deno.execPath()} run -A main.ts --local monitor < /dev/null; echo "EXITED $?"; sleep 30`, {
        env: { EZBATCH_STATE_DIR: state, NO_COLOR: "1" },
      });
      const screen = await tmux.waitFor("EXITED");
      assert.match(screen, /error: The monitor needs a terminal, and stdin is not one/);
      assert.match(screen, /EXITED 2/);
      assert.doesNotMatch(screen, /Raw mode|github\.com/);
    } finally {
      await tmux.stop();
      await Deno.remove(state, { recursive: true }).catch(() => {});
    }
  },
});
