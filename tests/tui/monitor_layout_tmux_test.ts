/**
 * The monitor's layout in a real terminal (tmux) over the demo MemoryBackend with an array job: at 80x24, then
 * resized to 120x40 and back, through every filter and overlay and the stop confirmation, the screen keeps its
 * header on the first row, the panes' bottom border above a two-line footer, and no line wider than the terminal.
 * Skipped, with a message, when tmux is missing.
 */
import assert from "node:assert/strict";
import { hasTmux, Tmux } from "./_tmux.ts";

const TMUX = hasTmux();
if (!TMUX) console.log("tmux is not installed: skipping the layout test of the monitor");

/** The screen as the terminal shows it: `rows` rows, the header's clock on the first, the footer on the last two. */
function assertLayout(screen: string, columns: number, rows: number, step: string): void {
  const lines = screen.replace(/\n$/, "").split("\n");
  assert.equal(lines.length, rows, `${step}: ${lines.length} rows\n${screen}`);
  assert.ok(lines.every((l) => l.length <= columns), `${step}: a line wider than ${columns}\n${screen}`);
  assert.match(lines[0]!, /\d\d:\d\d:\d\d\s*$/, `${step}: the header's clock on the first row\n${screen}`);
  assert.match(lines[1]!, /^╭─/, `${step}: the panes start on row 2\n${screen}`);
  assert.match(lines[rows - 3]!, /^╰─.*╯$/, `${step}: the panes end above the footer\n${screen}`);
}

Deno.test({
  name: "ezbatch monitor in tmux fits 80x24 and 120x40 with filters, children, logs, details, report and stop",
  ignore: !TMUX,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmux = new Tmux();
    let [columns, rows] = [80, 24];
    const step = async (name: string, keys: string[], what: string | RegExp) => {
      await tmux.keys(...keys);
      const screen = await tmux.waitFor(what, 15_000);
      assertLayout(await tmux.screen(), columns, rows, name);
      return screen;
    };
    const resize = async (cols: number, height: number) => {
      await tmux.resize(cols, height);
      [columns, rows] = [cols, height];
      await tmux.waitFor(new RegExp(`^╭[^\\n]{${cols - 2}}╮$`, "m"), 15_000); // redrawn at the new width
    };
    try {
      await tmux.start(`${Deno.execPath()} run -A tests/tui/_demo_monitor.ts; echo "EXITED $?"; sleep 60`);
      await tmux.waitFor("demo-ab12cd-train", 60_000);
      await step("start", [], "q quit");
      await step("run filter", ["Tab", "Enter"], "run demo/ab12cd");
      await step("name prompt", ["/", "a-long-name-filter-that-goes-on-and-on"], /Name filter: .*on█/);
      await step("both filters", ["Enter"], /run demo\/ab12cd · status ALL · name "a-long/);
      await step("status filter", ["s", "s"], /Jobs \(0\/7\) PENDING/);
      await step("name cleared", ["/", "C-u", ...Array(40).fill("BSpace"), "sweep", "Enter"], /›demo-ab12cd-sweep/);
      await step("status cleared", ["s", "s", "s", "s", "s", "s"], /status ALL/);
      await step("children", ["o"], /sweep:4\s+RUNNING/);
      await resize(120, 40);
      await step("wider", [], /Children \(5\/5\) "sweep": 3 RUNNING, 2 SUCCEEDED/);
      await step("running children", ["s", "s", "s", "s", "s"], /Children \(3\/5\) RUNNING "sweep": 3 RUNNING/);
      await step("all states", ["s", "s", "s"], /Children \(5\/5\) "sweep"/);
      await step("child log", ["j", "j", "l"], /Log: demo-ab12cd-sweep:2 \(following\)/);
      await step("child details", ["Escape", "Enter"], "Details: demo-ab12cd-sweep:2");
      await resize(80, 24);
      const confirm = await step("stop confirmation", ["Escape", "c"], "? y to confirm, any other key keeps it");
      assert.match(confirm, /Job id job-\d{6}:2\s*$/m, "the whole id of the child");
      assert.match(confirm, /Terminate job 'demo-ab12cd-sweep:2'\?/);
      await step("kept", ["n"], "Nothing stopped");
      await step("report", ["v"], /Run 'ab12cd' of workflow 'demo'/);
      await step("report scrolled", ["j", "j"], "Report: demo ab12cd");
      await step("parent log", ["Escape", "Escape", "l"], /Log: demo-ab12cd-sweep \(array job\)/);
      await tmux.keys("q");
      await tmux.waitFor("EXITED 0");
      assert.equal(await tmux.flags(), "0 1", "normal screen, cursor visible");
    } finally {
      await tmux.stop();
    }
  },
});
