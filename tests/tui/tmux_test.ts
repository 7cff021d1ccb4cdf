/**
 * Drives the monitor in a real terminal (tmux, 80x24) over a LocalBackend running a small workflow: navigate to a
 * job, open its log, quit, and check the terminal is restored. Skipped, with a message, when tmux is missing.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function hasTmux(): boolean {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

const TMUX = hasTmux();
if (!TMUX) console.log("tmux is not installed: skipping the scripted terminal test of the monitor");

class Tmux {
  readonly socket = `ezbatch-test-${Deno.pid}-${Math.random().toString(36).slice(2, 8)}`;

  async run(...args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", { args: ["-L", this.socket, ...args], stderr: "piped" }).output();
    if (!out.success) throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout);
  }

  screen(): Promise<string> {
    return this.run("capture-pane", "-p", "-t", "t");
  }

  async waitFor(what: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const start = Date.now();
    for (;;) {
      const screen = await this.screen();
      if (typeof what === "string" ? screen.includes(what) : what.test(screen)) return screen;
      if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}; the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends keys one at a time, as a person types. */
  async keys(...keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.run("send-keys", "-t", "t", key);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

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
