/**
 * A real terminal for the scripted tests: a private tmux server (its own socket), one window `t` running a shell
 * command, keys sent as a person types them, and the screen read back with capture-pane.
 */
import { fileURLToPath } from "node:url";

/** The repository root (where the tests start ezbatch). */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** True when tmux can be run here. */
export function hasTmux(): boolean {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

/** One tmux server with a window `t`. */
export class Tmux {
  readonly socket = `ezbatch-test-${Deno.pid}-${Math.random().toString(36).slice(2, 8)}`;

  async run(...args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", { args: ["-L", this.socket, ...args], stderr: "piped" }).output();
    if (!out.success) throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout);
  }

  /** Starts `command` under `sh` in a `cols` x `rows` window at the repository root, with `env` added. */
  async start(command: string, options: { cols?: number; rows?: number; env?: Record<string, string> } = {}) {
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    await this.run(
      "new-session",
      "-d",
      "-s",
      "t",
      "-x",
      String(options.cols ?? 80),
      "-y",
      String(options.rows ?? 24),
      "-c",
      ROOT,
      ...env,
      command,
    );
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

  /** Sends keys one at a time, as a person types (tmux key names: "C-c", "Escape", "Down", "Enter"...). */
  async keys(...keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.run("send-keys", "-t", "t", key);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Resizes the window, as a person dragging the terminal's corner. */
  async resize(cols: number, rows: number): Promise<void> {
    await this.run("resize-window", "-t", "t", "-x", String(cols), "-y", String(rows));
  }

  /** "alternate-screen cursor-visible" flags, e.g. "0 1" once a full-screen program has restored the terminal. */
  async flags(): Promise<string> {
    return (await this.run("display-message", "-p", "-t", "t", "#{alternate_on} #{cursor_flag}")).trim();
  }

  /** Ends the server and everything in it. */
  async stop(): Promise<void> {
    await this.run("kill-server").catch(() => {});
  }
}
