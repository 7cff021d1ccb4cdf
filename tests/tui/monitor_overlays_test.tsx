/** @jsxRuntime automatic */
/** @jsxImportSource npm:react@^19.2.0 */
/** @jsxImportSourceTypes npm:@types/react@^19.2.0 */
/**
 * The monitor's array children, run report and layout, through the app and its keys (ink-testing-library): every
 * frame at 80x24 and 120x40 keeps each line within the width and the frame within the rows.
 */
import assert from "node:assert/strict";
import type { EventEmitter } from "node:events";
import type { Backend } from "../../core/backend.ts";
import type { ListJobsQuery } from "../../core/backend_types.ts";
import { MonitorApp } from "../../tui/monitor/app.tsx";
import { renderInk } from "../support/deps.ts";
import type { MemoryBackend } from "../support/memory_backend.ts";
import { addSweep, demoBackend } from "./_demo_backend.ts";
import { tick, waitFor } from "./_wait.ts";

const ENTER = "\r";
const ESC = "\x1b";

function start(backend: Backend) {
  const ui = renderInk(<MonitorApp backend={backend} intervalMs={40} logIntervalMs={10} />);
  const frame = () => ui.lastFrame() ?? "";
  const until = (what: string | RegExp) =>
    waitFor(() => (typeof what === "string" ? frame().includes(what) : what.test(frame())), `${what} in\n${frame()}`);
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      ui.stdin.write(key);
      await tick(15);
    }
  };
  const resize = async (columns: number, rows: number) => {
    const stdout = ui.stdout as unknown as EventEmitter & { columns: number; rows: number };
    Object.defineProperty(stdout, "columns", { value: columns, configurable: true });
    Object.defineProperty(stdout, "rows", { value: rows, configurable: true });
    stdout.emit("resize");
    await waitFor(() => frame().split("\n")[1]?.length === columns, `a ${columns}-column frame`);
  };
  return { ui, frame, until, press, resize };
}

async function sweepBackend(): Promise<{ backend: MemoryBackend; parent: string }> {
  const backend = await demoBackend();
  return { backend, parent: await addSweep(backend) };
}

Deno.test("MonitorApp lists an array job's children under it, with their states, and follows one child's log", async () => {
  const { backend, parent } = await sweepBackend();
  const { ui, until, press, frame } = start(backend);
  await until("demo-ab12cd-sweep");
  assert.ok(!frame().includes("sweep:"), "children are not listed among the queue's jobs");
  assert.match(frame(), /demo-ab12cd-sweep\s+\[3 run 2 ok\] PENDING/);
  await press("\t", "\t", "/", "sweep", ENTER);
  await until("Array job of 5: 3 RUNNING, 2 SUCCEEDED. o lists its children");
  await press("l");
  await until("Log: demo-ab12cd-sweep (array job)");
  await until("Press o to list them");
  await press("o");
  await until(`Children (5/5) "sweep": 3 RUNNING, 2 SUCCEEDED`);
  await until("array demo-ab12cd-sweep");
  await until(/sweep:4\s+RUNNING/);
  assert.match(frame(), /sweep:0\s+SUCCEEDED 0/);
  await press("j", "j", "l");
  await until("Log: demo-ab12cd-sweep:2 (following)");
  await until("sweep child 2: LR=0.2");
  backend.appendLog(`ezbatch/default/${parent}/2`, ["child 2 epoch 9"]);
  await until("child 2 epoch 9");
  backend.setJobStatus(`${parent}:2`, "SUCCEEDED", { exitCode: 0 });
  await until("Log: demo-ab12cd-sweep:2 (ended)");
  await press(ESC);
  await until(/›demo-ab12cd-sweep:2\s+SUCCEEDED 0/);
  await until(`Children (5/5) "sweep": 2 RUNNING, 3 SUCCEEDED`); // the parent's summary follows
  await press(ENTER);
  await until("Details: demo-ab12cd-sweep:2");
  await press(ESC, ESC);
  await until(/›demo-ab12cd-sweep\s+\[2 run 3 ok\]/);
  ui.unmount();
});

/** A backend whose run-report listings (ListJobs by name) wait until `release` is called. */
function slowReports(backend: MemoryBackend): { backend: Backend; release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const proxy = new Proxy(backend, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key !== "listJobs") return typeof value === "function" ? value.bind(target) : value;
      return async (q: ListJobsQuery, o: unknown) => {
        if (q.filter) await gate;
        return value.call(target, q, o);
      };
    },
  });
  return { backend: proxy, release };
}

Deno.test("MonitorApp shows the selected run's report with v, read in the background while keys keep working", async () => {
  const { backend: memory } = await sweepBackend();
  const { backend, release } = slowReports(memory);
  const { ui, until, press, frame } = start(backend);
  await until("demo-ab12cd-train");
  await press("\t");
  await until(/v report/);
  await press("v");
  await until("Report: demo ab12cd (reading…)");
  await until("Reading the run's jobs…");
  await press("\t", "\t", "j"); // keys go on while the report is read: back to the queues pane, next queue
  await until("loose-job-3");
  await press("k", "\t", "v");
  await until("Report: demo ab12cd (reading…)");
  release();
  await until("Run 'ab12cd' of workflow 'demo'");
  assert.match(frame(), /Jobs: 5 /);
  assert.match(frame(), /Estimated cost:/);
  await press("v");
  await waitFor(() => !frame().includes("Report:"), "the report to close");
  ui.unmount();
});

/** Every line within `columns`, the frame within `rows`, the header on one line and the key help at the bottom. */
function assertFits(frame: string, columns: number, rows: number, step: string): void {
  const lines = frame.split("\n");
  assert.ok(lines.length <= rows, `${step}: ${lines.length} lines > ${rows}\n${frame}`);
  const wide = lines.find((l) => l.length > columns);
  assert.equal(wide, undefined, `${step}: a line wider than ${columns}\n${frame}`);
  assert.match(lines[0]!, /\d\d:\d\d:\d\d$/, `${step}: the header keeps its clock on the first line\n${frame}`);
  assert.match(lines[1]!, /^╭/, `${step}: the panes start on the second line\n${frame}`);
  assert.match(lines[lines.length - 3]!, /╯$/, `${step}: the panes end above the footer\n${frame}`);
}

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
  Deno.test(`MonitorApp fits ${columns}x${rows} with every filter, overlay and the stop confirmation`, async () => {
    const { backend } = await sweepBackend();
    const { ui, until, press, frame, resize } = start(backend);
    await until("demo-ab12cd-train");
    await resize(columns, rows);
    const check = async (step: string, keys: string[], what: string | RegExp) => {
      await press(...keys);
      await until(what);
      assertFits(frame(), columns, rows, step);
    };
    await check("start", [], "q quit");
    await check("run filter", ["\t", ENTER], "run demo/ab12cd");
    await check("status filter", ["s", "s"], "status PENDING");
    await check("name prompt", ["/", "a-rather-long-name-filter-".repeat(4)], /Name filter: .*█/);
    await check("name filter", [ENTER], /name "a-rather/);
    await check("filters cleared", ["/", "\x7f".repeat(120), "sweep", ENTER], /›demo-ab12cd-sweep\s+\[/);
    await check("status back", ["s", "s", "s", "s", "s", "s"], "status ALL");
    await check("details", [ENTER], "Details: demo-ab12cd-sweep");
    await check("parent log", ["l"], "(array job)");
    await check("children", [ESC, "o"], /sweep:4\s+RUNNING/);
    await check("child log", ["j", "j", "l"], "sweep child 2");
    await check("child details", [ESC, ENTER], "Details: demo-ab12cd-sweep:2");
    await check("stop confirmation", [ESC, "c"], /Terminate job 'demo-ab12cd-sweep:2'\? y to confirm/);
    assert.match(frame(), /Job id [\w-]+:2/, "the whole child id");
    await check("declined", ["n"], "Nothing stopped");
    await check("report", ["v"], "Run 'ab12cd' of workflow 'demo'");
    await check("report scrolled", ["j", "j", "j"], "Report: demo ab12cd");
    ui.unmount();
  });
}
