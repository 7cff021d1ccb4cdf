/**
 * `ezbatch interactive` in a real terminal (tmux), driven with the keys people press: Ctrl-C while a run is
 * watched goes back to the workflow's menu, Ctrl-C or Ctrl-D in a menu goes back one level and at the main
 * menu quits, and the terminal is left as it was (echo and line editing on). With --local a workflow without a
 * queue plans and submits on 'ezbatch-local', every "CLI:" line carries --local and runs as printed; without
 * --local the same plan fails in one line and the open workflow stays open.
 */
import assert from "node:assert/strict";
import { cliEnv, runCliProcess, stopDaemon } from "../support/cli_process.ts";
import { hasTmux, Tmux } from "./_tmux.ts";

const TMUX = hasTmux();
if (!TMUX) console.log("tmux is not installed: skipping the scripted terminal tests of interactive mode");

const EDITOR = /\? Workflow '(demo|hello)' \(\d jobs\)/;

/** Starts `ezbatch ARGS interactive` and waits for the main menu. */
async function start(tmux: Tmux, args: string, env: Record<string, string>) {
  const deno = Deno.execPath();
  await tmux.start(
    `${deno} run -A main.ts ${args} interactive; echo "EXITED $?"; stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '; echo; sleep 60`,
    { cols: 200, rows: 50, env: { ...cliEnv(env), HOME: env.HOME ?? "/nonexistent" } },
  );
  await tmux.waitFor("What would you like to do?");
}

/** Main menu -> Workflows -> Open `file`, and waits for the workflow's menu. */
async function openWorkflow(tmux: Tmux, file: string) {
  await tmux.keys("Down", "Down", "Enter");
  await tmux.waitFor("Create a new workflow file");
  await tmux.keys("Down", "Enter");
  await tmux.waitFor("Workflow file (TOML");
  await tmux.run("send-keys", "-t", "t", "-l", file);
  await tmux.keys("Enter");
  await tmux.waitFor(EDITOR);
}

/** The `CLI:` lines on screen, as printed. */
function cliLines(screen: string): string[] {
  return [...screen.matchAll(/CLI: ezbatch (.+)$/gm)].map((m) => m[1]!.trim());
}

Deno.test({
  name: "ezbatch --local interactive in tmux: plan and submit without a queue, Ctrl-C stops watching and goes back, " +
    "Ctrl-D quits, the terminal restored, and every CLI: line runs as printed",
  ignore: !TMUX,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmux = new Tmux();
    const state = await Deno.makeTempDir();
    const env = { EZBATCH_STATE_DIR: state, HOME: state };
    try {
      await start(tmux, "--local", env);
      await openWorkflow(tmux, "tests/tui/_monitor_demo.toml");
      // Plan: index 4 of the workflow's menu.
      await tmux.keys("Down", "Down", "Down", "Down", "Enter");
      const printed = new Set<string>();
      let screen = await tmux.waitFor(/CLI: ezbatch --local workflow plan \S+/);
      cliLines(screen).forEach((l) => printed.add(l));
      assert.match(screen, /ticker -> demo-\w+-ticker on local-queue/);
      await tmux.waitFor(EDITOR);
      // Submit and watch (index 6), confirm, watch here; Ctrl-C while the 20 s ticker runs.
      await tmux.keys("Down", "Down", "Down", "Down", "Down", "Down", "Enter");
      await tmux.waitFor("Submit 'demo'");
      await tmux.keys("Enter");
      await tmux.waitFor("Watch it?");
      await tmux.keys("Enter");
      await tmux.waitFor(/RUNNING 1/);
      await tmux.keys("C-c");
      screen = await tmux.waitFor("(stopped watching)");
      await tmux.waitFor(/\(stopped watching\)[\s\S]*\? Workflow 'demo'/);
      const runId = screen.match(/Submitted run (\w+)/)![1]!;
      screen = await tmux.screen();
      cliLines(screen).forEach((l) => printed.add(l));
      // Ctrl-C at the workflow's menu closes it (it is saved), then goes back to the main menu.
      await tmux.keys("C-c");
      await tmux.waitFor(/\? Workflows\n/);
      await tmux.keys("C-c");
      await tmux.waitFor("Cancelled: back to the main menu.");
      // Ctrl-D in a submenu goes back; the menu still answers the arrows afterwards (it used to freeze).
      await tmux.keys("Down", "Enter");
      await tmux.waitFor(/\? Jobs\n/);
      await tmux.keys("C-d");
      await tmux.waitFor(/Cancelled: back to the main menu\.[\s\S]*Cancelled: back to the main menu\./);
      await tmux.keys("Down", "Enter");
      await tmux.waitFor(/✔ What would you like to do\? Jobs[\s\S]*✔ What would you like to do\? Jobs/);
      await tmux.keys("C-c");
      await tmux.keys("C-d");
      screen = await tmux.waitFor("EXITED 0");
      assert.match(
        screen,
        /Bye\.\nEXITED 0\n(icanon echo|echo icanon)\b/,
        `quit cleanly, echo and line editing restored:\n${screen.split("\n").filter(Boolean).slice(-6).join("\n")}`,
      );
      assert.doesNotMatch(screen, /\^\[\[B|Error:|\n\s+at /);
      assert.equal(await tmux.flags(), "0 1");

      // Every CLI: line is the exact command: it carries --local and runs as printed.
      const lines = [...printed];
      assert.ok(lines.length >= 3, lines.join("\n"));
      assert.ok(lines.every((l) => l.startsWith("--local ")), lines.join("\n"));
      assert.ok(lines.includes(`--local workflow status demo ${runId} --watch`), lines.join("\n"));
      for (const line of lines) {
        const args = line.split(" ");
        const r = await runCliProcess(args, env);
        assert.equal(r.code, 0, `ezbatch ${line}: ${r.stderr}`);
      }
    } finally {
      await tmux.stop();
      await stopDaemon(state);
      await Deno.remove(state, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name:
    "ezbatch interactive in tmux: a failing plan (no queue, no --local) prints one line and keeps the workflow open",
  ignore: !TMUX,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmux = new Tmux();
    const home = await Deno.makeTempDir();
    try {
      await start(tmux, "", { HOME: home, AWS_REGION: "us-east-1" });
      await openWorkflow(tmux, "examples/hello.toml");
      await tmux.keys("Down", "Down", "Down", "Down", "Enter");
      const screen = await tmux.waitFor(/Error: [^\n]*No job queue[\s\S]*\? Workflow 'hello'/);
      assert.match(screen, /--queue NAME[\s\S]*--local/);
      // Ctrl-C goes back one level: from the workflow (still open after the error) to the Workflows menu.
      await tmux.keys("C-c");
      await tmux.waitFor(/\? Workflows\n/);
      await tmux.keys("C-c");
      await tmux.waitFor("Cancelled: back to the main menu.");
      await tmux.keys("Down", "Enter");
      await tmux.waitFor(/\? Jobs\n/);
      await tmux.keys("C-c");
      await tmux.waitFor(/Cancelled: back to the main menu\.[\s\S]*Cancelled: back to the main menu\./);
      await tmux.keys("C-c");
      await tmux.waitFor("EXITED 0");
    } finally {
      await tmux.stop();
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
});
