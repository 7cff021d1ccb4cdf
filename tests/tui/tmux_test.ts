/**
 * Drives the monitor in a real terminal (tmux, 80x24) over a LocalBackend running a small workflow: navigate to a
 * job, open its log, quit, and check the terminal is restored. Skipped, with a message, when tmux is missing.
 */
import assert from "node:assert/strict";
import { hasTmux, ROOT, Tmux } from "./_tmux.ts";

const TMUX = hasTmux();
if (!TMUX) console.log("tmux is not installed: skipping the scripted terminal test of the monitor");

Deno.test({
  name: "ezbatch monitor --local in tmux: a running local workflow's job, its log, quit, and the terminal restored",
  ignore: !TMUX,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmux = new Tmux();
    const state = await Deno.makeTempDir();
    const deno = Deno.execPath();
    try {
      await tmux.run(
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "80",
        "-y",
        "24",
        "-c",
        ROOT,
        "-e",
        `EZBATCH_STATE_DIR=${state}`,
        `${deno} run -A main.ts --local workflow submit tests/tui/_monitor_demo.toml >/dev/null && ` +
          `${deno} run -A main.ts --local monitor --interval 1 && echo "monitor closed"; echo "EXITED $?"; sleep 60`,
      );
      let screen = await tmux.waitFor(/demo-\w+-ticker\s+RUNNING/);
      assert.match(screen, /Queues \(2\)/);
      assert.match(screen, /›local-queue/, "starts on the queue that has jobs");
      assert.ok(screen.split("\n").every((line) => line.length <= 80));
      await tmux.keys("Tab", "Tab", "/", "t", "i", "c", "k", "e", "r", "Enter");
      await tmux.waitFor(/›demo-\w+-ticker/);
      await tmux.keys("l");
      screen = await tmux.waitFor("tick 2");
      assert.match(screen, /Log: demo-\w+-ticker \(following\)/);
      await tmux.keys("Escape", "Enter");
      await tmux.waitFor("Details: demo-");
      await tmux.keys("q");
      screen = await tmux.waitFor("EXITED 0");
      assert.match(screen, /monitor closed/);
      assert.ok(!screen.includes("Queues ("), "the monitor's screen is gone");
      const flags = await tmux.run("display-message", "-p", "-t", "t", "#{alternate_on} #{cursor_flag}");
      assert.equal(flags.trim(), "0 1", "normal screen, cursor visible");
    } finally {
      await tmux.run("kill-server").catch(() => {});
      await Deno.remove(state, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "runInteractive() in tmux: the monitor from the menu, back to working prompts, Ctrl-C twice to quit",
  ignore: !TMUX,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmux = new Tmux();
    try {
      await tmux.run(
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "80",
        "-y",
        "24",
        "-c",
        ROOT,
        `${Deno.execPath()} run -A tests/tui/_demo_interactive.ts; echo "EXITED $?"; sleep 60`,
      );
      await tmux.waitFor("What would you like to do?");
      await tmux.keys("Down", "Down", "Down", "Enter");
      await tmux.waitFor(/demo-ab12cd-train\s+RUNNING/);
      await tmux.keys("q");
      await tmux.waitFor("CLI: ezbatch monitor");
      await tmux.keys("Down", "Enter");
      await tmux.waitFor("Cancel or terminate a job");
      await tmux.keys("C-c");
      await tmux.waitFor("Cancelled: back to the main menu.");
      await tmux.keys("C-c");
      const screen = await tmux.waitFor("EXITED 0");
      assert.match(screen, /Bye\.\ninteractive closed/);
      assert.ok(!/ at |Error/.test(screen), screen);
    } finally {
      await tmux.run("kill-server").catch(() => {});
    }
  },
});
