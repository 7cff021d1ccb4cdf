/** @jsxRuntime automatic */
/** @jsxImportSource npm:react@^19.2.0 */
/** @jsxImportSourceTypes npm:@types/react@^19.2.0 */
/**
 * The monitor app: the reducer's state, the keys, and the background refresher and log follower wired to it.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { useApp, useEffect, useInput, useReducer, useRef, useState, useStdout } from "../deps.ts";
import { type KeyFlags, keyToCommand, splitKeys } from "./keys.ts";
import { LogFollower, Refresher } from "./poller.ts";
import { reduce } from "./reduce.ts";
import { ReportReader } from "./report.ts";
import { initialState, jobById, type MonitorState, selectedQueue } from "./state.ts";
import { stopJobByState } from "./stop.ts";
import { MonitorView } from "./view.tsx";

/** Props of the monitor app. */
export interface MonitorAppProps {
  /** Where the jobs are. */
  backend: Backend;
  /** Queue selected first. */
  queue?: string;
  /** Show only this workflow run's jobs at first. */
  runId?: string;
  /** Wait between refreshes (ms). */
  intervalMs: number;
  /** Wait between log reads (ms); default min(interval, 1000). */
  logIntervalMs?: number;
  /** Clock (ms). */
  now?: () => number;
}

/** The monitor as an ink component. */
export function MonitorApp(props: MonitorAppProps) {
  const { backend } = props;
  const now = props.now ?? Date.now;
  const app = useApp();
  const { stdout } = useStdout();
  const [state, dispatch] = useReducer(
    reduce,
    undefined,
    () => initialState({ ...props, columns: stdout.columns || 80, rows: stdout.rows || 24 }),
  );
  const stateRef = useRef<MonitorState>(state);
  stateRef.current = state;
  const [clock, setClock] = useState(now());
  const refresher = useRef<Refresher | undefined>(undefined);
  const follower = useRef<LogFollower | undefined>(undefined);
  const reader = useRef<ReportReader | undefined>(undefined);

  useEffect(() => {
    const r = new Refresher(backend, {
      intervalMs: props.intervalMs,
      ...(props.runId ? { runId: props.runId } : {}),
      queue: () => selectedQueue(stateRef.current)?.name,
      arrayJobId: () => stateRef.current.children?.parentId,
      onStart: () => dispatch({ type: "refreshStarted" }),
      onSnapshot: (snapshot) => {
        setClock(now());
        dispatch({ type: "snapshot", snapshot });
      },
      onError: (text) => dispatch({ type: "refreshFailed", text }),
      now,
    });
    const f = new LogFollower(backend, {
      intervalMs: props.logIntervalMs ?? Math.min(props.intervalMs, 1000),
      onLines: (jobId, lines, exists, done) => dispatch({ type: "logLines", jobId, lines, exists, done }),
      onError: (text) => dispatch({ type: "message", text, kind: "error" }),
    });
    const reports = new ReportReader(backend, {
      onReport: (key, report) => dispatch({ type: "reportLoaded", key, report }),
      onError: (key, text) => dispatch({ type: "reportFailed", key, text }),
    });
    refresher.current = r;
    follower.current = f;
    reader.current = reports;
    r.start();
    return () => {
      r.stop();
      f.stop();
      reports.stop();
    };
  }, [backend]);

  const queueName = selectedQueue(state)?.name;
  useEffect(() => {
    if (state.lastRefresh !== undefined) refresher.current?.refreshNow();
  }, [queueName]);

  // Opening an array job's children lists them at once rather than at the next interval.
  const parentId = state.children?.parentId;
  useEffect(() => {
    if (parentId && state.lastRefresh !== undefined) refresher.current?.refreshNow();
  }, [parentId]);

  // An array parent has no log of its own: its children do (the pane says so).
  const logOfParent = !!jobById(state, state.log.jobId)?.array;
  useEffect(() => {
    if (state.overlay === "logs" && state.log.jobId && !logOfParent) follower.current?.follow(state.log.jobId);
    else follower.current?.stop();
  }, [state.overlay, state.log.jobId, logOfParent]);

  const report = state.overlay === "report" ? state.report : undefined;
  useEffect(() => {
    if (report) reader.current?.read(report.key, report.workflow, report.run);
    else reader.current?.stop();
  }, [report?.key, report?.nonce]);

  useEffect(() => {
    const onResize = () => dispatch({ type: "resize", columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on("resize", onResize);
    return () => void stdout.off("resize", onResize);
  }, [stdout]);

  const onKey = (input: string, key: KeyFlags) => {
    const current = stateRef.current;
    const command = keyToCommand(current, input, key);
    if (!command) return;
    if (current.message?.kind === "info" || current.message?.kind === "failed") {
      stateRef.current = reduce(stateRef.current, { type: "clearInfo" });
      dispatch({ type: "clearInfo" });
    }
    if (command.type === "quit") return app.exit();
    if (command.type === "refresh") {
      dispatch({ type: "message", text: "Refreshing…", kind: "info" });
      if (current.overlay === "report") dispatch({ type: "reloadReport" });
      return refresher.current?.refreshNow();
    }
    if (command.type === "confirmStop" && current.confirm) {
      const pending = current.confirm;
      stopJobByState(backend, pending).then(
        (text) => dispatch({ type: "message", text, kind: "info" }),
        (error) => dispatch({ type: "message", text: `Could not stop: ${error?.message ?? error}`, kind: "failed" }),
      ).finally(() => refresher.current?.refreshNow());
    }
    stateRef.current = reduce(stateRef.current, command);
    dispatch(command);
  };
  useInput((input, key) => {
    for (const [one, flags] of splitKeys(input, key)) onKey(one, flags);
  });

  return <MonitorView state={state} now={clock} />;
}
