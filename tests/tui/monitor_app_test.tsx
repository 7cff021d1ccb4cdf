/** @jsxRuntime automatic */
/** @jsxImportSource npm:react@^19.2.0 */
/** @jsxImportSourceTypes npm:@types/react@^19.2.0 */
import assert from "node:assert/strict";
import type { EventEmitter } from "node:events";
import { UsageError } from "../../core/errors.ts";
import { MonitorApp } from "../../tui/monitor/app.tsx";
import { runMonitor } from "../../tui/mod.ts";
import { renderInk } from "../support/deps.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { demoBackend } from "./_demo_backend.ts";
import { tick, waitFor } from "./_wait.ts";

const DOWN = "\x1b[B";
const ENTER = "\r";
const ESC = "\x1b";

function start(backend: MemoryBackend, props: { queue?: string; runId?: string } = {}) {
  const ui = renderInk(<MonitorApp backend={backend} intervalMs={40} logIntervalMs={10} {...props} />);
  const frame = () => ui.lastFrame() ?? "";
  const until = (what: string | RegExp) =>
    waitFor(() => (typeof what === "string" ? frame().includes(what) : what.test(frame())), `${what} in\n${frame()}`);
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      ui.stdin.write(key);
      await tick(15);
    }
  };
  return { ui, frame, until, press };
}

/** The line of the frame that holds `text`. */
function lineWith(frame: string, text: string): string {
  return frame.split("\n").find((l) => l.includes(text) && l.startsWith("│")) ?? "";
}

Deno.test("MonitorApp shows queues with their state, the first queue's jobs and the workflow run's progress", async () => {
  const { ui, until, frame } = start(await demoBackend());
  await until("demo-ab12cd-train");
  assert.match(lineWith(frame(), "main-queue"), /›main-queue\s+on VALID/);
  assert.match(lineWith(frame(), "demo-ab12cd-train"), /RUNNING/);
  assert.match(lineWith(frame(), "demo-ab12cd-prepare"), /SUCCEEDED 0/);
  assert.match(frame(), /demo-ab12cd\s+#+\.+ 1\/4/);
  assert.ok(!frame().includes("loose-job-3"), "a job of another queue is not listed");
  ui.unmount();
});

Deno.test("MonitorApp moves between queues with j/k and lists the selected queue's jobs", async () => {
  const { ui, until, press, frame } = start(await demoBackend());
  await until("demo-ab12cd-train");
  await press("j");
  await until("loose-job-3");
  assert.ok(!frame().includes("demo-ab12cd-train"));
  assert.match(lineWith(frame(), "spot-queue"), /›spot-queue/);
  await press("k");
  await until("demo-ab12cd-train");
  await press(DOWN);
  await until("loose-job-3");
  ui.unmount();
});

Deno.test("MonitorApp filters jobs by status with s and by name with /", async () => {
  const { ui, until, press, frame } = start(await demoBackend());
  await until("demo-ab12cd-train");
  await press("s", "s");
  await until("status PENDING");
  assert.match(frame(), /Jobs \(2\/6\) PENDING/);
  assert.ok(!frame().includes("demo-ab12cd-train"));
  await press("s", "s", "s", "s", "s", "s");
  await until("status ALL");
  await press("/", "l", "o", "o", "s");
  await until("Name filter: loos█");
  assert.match(frame(), /Jobs \(6\/6\)/, "not applied while typing");
  await press(ENTER);
  await until('name "loos"');
  assert.match(frame(), /Jobs \(2\/6\) "loos"/);
  assert.ok(!frame().includes("demo-ab12cd-train"));
  ui.unmount();
});

Deno.test("MonitorApp shows details, with the queue's and environment's reasons for a RUNNABLE job", async () => {
  const { ui, until, press } = start(await demoBackend());
  await until("demo-ab12cd-train");
  await press("\t", "\t", "/", "job-2", ENTER);
  await until(/›loose-job-2/);
  await press(ENTER);
  await until("Details: loose-job-2");
  await until("Waiting for capacity:");
  await until("env fargate-env: ENABLED VALID");
  await press(ESC);
  await until(/›loose-job-2\s+RUNNABLE/);
  ui.unmount();
});

Deno.test("MonitorApp scopes the job list to a run chosen in the runs pane, and starts on a given run", async () => {
  const backend = await demoBackend();
  const { ui, until, press, frame } = start(backend);
  await until("demo-ab12cd-train");
  await press("\t", ENTER);
  await until("run demo/ab12cd");
  assert.match(frame(), /Jobs \(4\/6\)/);
  ui.unmount();
  const second = start(backend, { runId: "ab12cd" });
  await second.until("Jobs (4/6)");
  second.ui.unmount();
});

Deno.test("MonitorApp follows the selected job's log with l", async () => {
  const backend = await demoBackend();
  const { ui, until, press } = start(backend);
  await until("demo-ab12cd-train");
  await press("\t", "\t", "/", "train", ENTER, "l");
  await until("Log: demo-ab12cd-train (following)");
  await until("train: step 1 of 3");
  const train = [...backend.jobs.values()].find((j) => j.jobName === "demo-ab12cd-train")!;
  backend.appendLog(train.container!.logStreamName!, ["train: epoch 7 done"]);
  await until("train: epoch 7 done");
  backend.setJobStatus(train.jobId, "SUCCEEDED", { exitCode: 0 });
  await until("Log: demo-ab12cd-train (ended)");
  await press("l");
  await until(/›demo-ab12cd-train\s+SUCCEEDED 0/);
  ui.unmount();
});

Deno.test("MonitorApp asks before stopping a job: n keeps it, y cancels a waiting job and terminates a running one", async () => {
  const backend = await demoBackend();
  const { ui, until, press, frame } = start(backend);
  await until("demo-ab12cd-train");
  await press("\t", "\t", "/", "loose-job-2", ENTER, "c");
  await until("Cancel job 'loose-job-2'");
  await press("n");
  await until("Nothing stopped");
  const waiting = [...backend.jobs.values()].find((j) => j.jobName === "loose-job-2")!;
  assert.equal(waiting.status, "RUNNABLE");
  await press("c", "y");
  await until("Cancelled job 'loose-job-2' (was RUNNABLE)");
  assert.equal(waiting.isCancelled, true);
  await until(/loose-job-2\s+FAILED/);
  await press("/", "\x7f".repeat(11), "train", ENTER, "c");
  await until("Terminate job 'demo-ab12cd-train'");
  await press("y");
  await until("Terminated job 'demo-ab12cd-train' (was RUNNING)");
  const running = [...backend.jobs.values()].find((j) => j.jobName === "demo-ab12cd-train")!;
  assert.equal(running.isTerminated, true);
  assert.ok(!frame().includes("Cancel job"));
  ui.unmount();
});

Deno.test("MonitorApp survives a failed refresh with a message in the footer and recovers", async () => {
  let failing = false;
  const backend = await demoBackend({
    fault: (op) => (failing && op === "describeJobQueues" ? new Error("Connection refused") : undefined),
  });
  const { ui, until, press, frame } = start(backend);
  await until("demo-ab12cd-train");
  failing = true;
  await press("r");
  await until("Refresh failed: Connection refused");
  assert.ok(frame().includes("demo-ab12cd-train"), "the last data stays on screen");
  await press("j");
  await until(/›spot-queue/);
  failing = false;
  await until("loose-job-3");
  assert.ok(!frame().includes("Refresh failed"));
  ui.unmount();
});

Deno.test("MonitorApp keeps a failed stop on screen through later refreshes until a key is pressed", async () => {
  let down = false;
  const backend = await demoBackend({ fault: () => (down ? new Error("Connection refused") : undefined) });
  const { ui, until, press, frame } = start(backend);
  await until("demo-ab12cd-train");
  await press("\t", "\t", "/", "train", ENTER, "c");
  await until("Terminate job 'demo-ab12cd-train'");
  down = true; // the endpoint goes away: the stop and every refresh after it fail
  await press("y");
  await until("Could not stop: Connection refused");
  await tick(300); // several refresh intervals (40 ms) fail meanwhile
  assert.match(frame(), /Could not stop: Connection refused/);
  assert.ok(!frame().includes("Refresh failed"), frame());
  down = false;
  await tick(200); // and good refreshes do not hide it either
  assert.match(frame(), /Could not stop: Connection refused/);
  await press("j"); // seen: the next key dismisses it
  await waitFor(() => !frame().includes("Could not stop"), `the message to go in\n${frame()}`);
  ui.unmount();
});

Deno.test("MonitorApp fits 80x24 and redraws on resize", async () => {
  const { ui, until, frame } = start(await demoBackend());
  await until("demo-ab12cd-train");
  const stdout = ui.stdout as unknown as EventEmitter & { columns: number; rows: number };
  Object.defineProperty(stdout, "columns", { value: 80, configurable: true });
  Object.defineProperty(stdout, "rows", { value: 24, configurable: true });
  stdout.emit("resize");
  await waitFor(() => frame().split("\n")[1]!.length === 80, "an 80-column frame");
  const lines = frame().split("\n");
  assert.ok(lines.length <= 24, `${lines.length} lines`);
  assert.ok(lines.every((l) => l.length <= 80), lines.find((l) => l.length > 80));
  assert.match(frame(), /q quit/);
  Object.defineProperty(stdout, "columns", { value: 120, configurable: true });
  stdout.emit("resize");
  await waitFor(() => frame().split("\n")[1]!.length === 120, "a 120-column frame");
  ui.unmount();
});

Deno.test("runMonitor() refuses politely when stdout is not a terminal", async () => {
  const out = { isTTY: false, write: () => true, on: () => undefined };
  await assert.rejects(
    runMonitor(new MemoryBackend(), { stdin: { on: () => undefined }, stdout: out }),
    (e: Error) => e instanceof UsageError && /jobs list --json/.test(e.message) && /jobs watch/.test(e.message),
  );
});

Deno.test("runMonitor() draws on the alternate screen, quits on q or when the signal aborts, and restores the screen", async () => {
  const { PassThrough } = await import("node:stream");
  const fakeTty = () => {
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: () => {},
      ref: () => {},
      unref: () => {},
    });
    let text = "";
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
    stdout.on("data", (chunk) => (text += String(chunk)));
    return { stdin, stdout, text: () => text };
  };
  const backend = await demoBackend();
  const first = fakeTty();
  const stop = new AbortController();
  const running = runMonitor(backend, {
    stdin: first.stdin,
    stdout: first.stdout,
    intervalMs: 30,
    signal: stop.signal,
  });
  await waitFor(() => first.text().includes("demo-ab12cd-train"), "the first frame");
  assert.ok(first.text().startsWith("\x1b[?1049h"), "enters the alternate screen");
  stop.abort();
  await running;
  assert.ok(first.text().endsWith("\x1b[?1049l"), "leaves the alternate screen last");

  const second = fakeTty();
  const quitting = runMonitor(backend, { stdin: second.stdin, stdout: second.stdout, intervalMs: 30 });
  await waitFor(() => second.text().includes("demo-ab12cd-train"), "the first frame");
  second.stdin.write("q");
  await quitting;
  assert.ok(second.text().endsWith("\x1b[?1049l"));
});
