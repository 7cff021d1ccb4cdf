/**
 * Esc in `ezbatch interactive`, in a real terminal (tmux): it goes back one level (from a prompt inside a menu to
 * that menu, from a submenu to the main menu), and the next prompt still answers the arrows, Ctrl-C and Ctrl-D.
 * Aborting a prompt on the raw ESC byte left the ESC pending in readline's key decoder, and the next prompt lost
 * keys (the first test fails that way: its Up x3 after Esc did not reach Settings): keys pressed after each Esc
 * are checked for where they landed.
 */
import assert from "node:assert/strict";
import { cliEnv, stopDaemon } from "../support/cli_process.ts";
import { hasTmux, Tmux } from "./_tmux.ts";

const TMUX = hasTmux();

/** Starts `ezbatch --local interactive` (then the terminal's echo/icanon flags) and waits for the main menu. */
async function start(tmux: Tmux, state: string) {
  await tmux.start(
    `${Deno.execPath()} run -A main.ts --local interactive; echo "EXITED $?"; ` +
      `stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '; echo; sleep 60`,
    { cols: 160, rows: 60, env: { ...cliEnv({ EZBATCH_STATE_DIR: state }), HOME: state } },
  );
  await tmux.waitFor("What would you like to do?");
}

/** Occurrences of `text` on the screen. */
function count(screen: string, text: string): number {
  return screen.split(text).length - 1;
}

/** Asserts a clean exit with echo and line editing restored, no stray escape codes and no stack. */
async function assertQuitCleanly(tmux: Tmux) {
  const screen = await tmux.waitFor(/EXITED \d+\n.*(echo|icanon)/);
  assert.match(screen, /Bye\.\nEXITED 0\n(icanon echo|echo icanon)\b/, screen);
  assert.doesNotMatch(screen, /\^\[|Error:|\n\s+at /, screen);
  assert.equal(await tmux.flags(), "0 1");
}

Deno.test({
  name: "ezbatch interactive in tmux: Esc at a text prompt and at a select goes back one level, " +
    "then arrows and Ctrl-C still work; Ctrl-C at the main menu quits cleanly",
  ignore: !TMUX,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmux = new Tmux();
    const state = await Deno.makeTempDir();
    try {
      await start(tmux, state);
      // Jobs > Submit: Esc at the job name (a text prompt) comes back to the Jobs menu, not the main menu.
      await tmux.keys("Down", "Enter");
      await tmux.waitFor(/\? Jobs\n/);
      await tmux.keys("Enter");
      await tmux.waitFor("? Job name");
      await tmux.keys("Escape");
      await tmux.waitFor(/Back to the Jobs menu\.\n\? Jobs\n/);
      // The next prompt answers the arrows at once: two Downs land on the third entry.
      await tmux.keys("Down", "Down", "Enter");
      await tmux.waitFor("✔ Jobs Describe a job");
      await tmux.waitFor(/No matching jobs[^\n]*\n\? Jobs\n/);
      // Jobs > List: Esc at the "Which jobs?" select comes back to the Jobs menu.
      await tmux.keys("Down", "Enter");
      await tmux.waitFor("? Which jobs?");
      await tmux.keys("Escape");
      let screen = await tmux.waitFor(/✔ Jobs List jobs[\s\S]*Back to the Jobs menu\.\n\? Jobs\n/);
      assert.equal(count(screen, "Back to the Jobs menu."), 2);
      // Esc at the Jobs menu itself goes up to the main menu, whose arrows work: Up x3 wraps round to Settings.
      await tmux.keys("Escape");
      await tmux.waitFor(/Back to the main menu\.\n\? What would you like to do\?/);
      await tmux.keys("Up", "Up", "Up", "Enter");
      await tmux.waitFor("✔ What would you like to do? Settings");
      // Settings > Set a value > Esc at the key's select: back to Settings; then Ctrl-C there goes to the main menu.
      await tmux.keys("Down", "Down", "Enter");
      await tmux.waitFor("? Which setting?");
      await tmux.keys("Escape");
      await tmux.waitFor(/Back to Settings\.\n\? Settings/);
      await tmux.keys("C-c");
      screen = await tmux.waitFor("Cancelled: back to the main menu.");
      // Ctrl-C at the main menu quits, the terminal restored.
      await tmux.keys("C-c");
      await assertQuitCleanly(tmux);
    } finally {
      await tmux.stop();
      await stopDaemon(state);
      await Deno.remove(state, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "ezbatch interactive in tmux: Esc in the Workflows menu's forms goes back to it, a key pressed just after " +
    "Esc is not lost, and Ctrl-D at the main menu quits cleanly",
  ignore: !TMUX,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmux = new Tmux();
    const state = await Deno.makeTempDir();
    try {
      await start(tmux, state);
      await tmux.keys("Down", "Down", "Enter");
      await tmux.waitFor(/\? Workflows\n/);
      await tmux.keys("Enter");
      await tmux.waitFor("? Workflow name");
      // A quick hand: Down 150 ms after Esc (readline's default wait for the rest of an escape sequence is 500 ms)
      // must reach the menu, or Enter would open "Create" again.
      await tmux.run("send-keys", "-t", "t", "Escape");
      await new Promise((r) => setTimeout(r, 150));
      await tmux.keys("Down", "Enter");
      await tmux.waitFor(/Back to the Workflows menu\.\n[\s\S]*\? Workflow file \(TOML/);
      await tmux.run("send-keys", "-t", "t", "-l", "abc");
      await tmux.waitFor(/\? Workflow file \(TOML[^\n]*abc\n/);
      await tmux.keys("Escape");
      await tmux.waitFor(/Back to the Workflows menu\.\n[\s\S]*Back to the Workflows menu\.\n\? Workflows\n/);
      await tmux.keys("Escape");
      await tmux.waitFor("Back to the main menu.");
      await tmux.keys("C-d");
      await assertQuitCleanly(tmux);
    } finally {
      await tmux.stop();
      await stopDaemon(state);
      await Deno.remove(state, { recursive: true }).catch(() => {});
    }
  },
});
