/** @jsxRuntime automatic */
/** @jsxImportSource npm:react@^19.2.0 */
/** @jsxImportSourceTypes npm:@types/react@^19.2.0 */
/**
 * The monitor's panes as ink components: header, queues, runs, jobs, details, log and footer. They only draw a
 * `MonitorState`; keys and refreshes live in the app.
 * @module
 */
import { Box, type ReactNode, Text } from "../deps.ts";
import { cell, detailLines, jobAge, runAdvice, runLine, statusColor } from "./format.ts";
import { keyHelp } from "./keys.ts";
import { type MonitorState, runsOf, selectedJob, selectedQueue, visibleJobs } from "./state.ts";

/** Rows `count` long around `selected`, so the cursor stays visible. */
export function windowOf(length: number, selected: number, count: number): [number, number] {
  if (length <= count) return [0, length];
  const start = Math.max(0, Math.min(selected - Math.floor(count / 2), length - count));
  return [start, start + count];
}

function Pane(props: { title: string; focused: boolean; width: number; height: number; children: ReactNode }) {
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={props.focused ? "cyan" : "gray"}
      width={props.width}
      height={props.height}
      overflow="hidden"
    >
      <Text bold={props.focused} color={props.focused ? "cyan" : "white"} wrap="truncate">{props.title}</Text>
      {props.children}
    </Box>
  );
}

function QueuesPane(props: { state: MonitorState; width: number; height: number }) {
  const { state, width, height } = props;
  const inner = width - 2;
  const queue = selectedQueue(state);
  const reason = queue?.statusReason ?? queue?.environments.find((e) => e.statusReason)?.statusReason;
  const rows = Math.max(1, height - 3 - (reason ? 1 : 0));
  const [from, to] = windowOf(state.queues.length, state.queueIndex, rows);
  return (
    <Pane title={`Queues (${state.queues.length})`} focused={state.focus === "queues"} width={width} height={height}>
      {state.queues.length === 0 && <Text color="gray">{state.loading ? "loading…" : "no queues"}</Text>}
      {state.queues.slice(from, to).map((q, i) => {
        const at = from + i;
        const mark = at === state.queueIndex ? "›" : " ";
        const tag = `${q.state === "DISABLED" ? "off" : "on"} ${q.status ?? ""}`;
        return (
          <Text key={i} wrap="truncate" inverse={at === state.queueIndex && state.focus === "queues"}>
            {mark}
            {cell(q.name, inner - tag.length - 2)} <Text color={statusColor(q.status)}>{tag}</Text>
          </Text>
        );
      })}
      {reason && <Text color="yellow" wrap="truncate">{cell(reason, inner)}</Text>}
    </Pane>
  );
}

function RunsPane(props: { state: MonitorState; width: number; height: number }) {
  const { state, width, height } = props;
  const runs = runsOf(state);
  const [from, to] = windowOf(runs.length, state.runIndex, Math.max(1, height - 3));
  return (
    <Pane title={`Runs (${runs.length})`} focused={state.focus === "runs"} width={width} height={height}>
      {runs.length === 0 && <Text color="gray">no workflow runs</Text>}
      {runs.slice(from, to).map((run, i) => {
        const at = from + i;
        const active = state.runFilter === run.key || state.runFilter === run.run;
        return (
          <Text key={i} wrap="truncate" inverse={at === state.runIndex && state.focus === "runs"}>
            {active ? "›" : " "}
            {runLine(run, width - 3)}
          </Text>
        );
      })}
    </Pane>
  );
}

function JobsPane(props: { state: MonitorState; width: number; height: number; now: number }) {
  const { state, width, height, now } = props;
  const jobs = visibleJobs(state);
  const [from, to] = windowOf(jobs.length, state.jobIndex, Math.max(1, height - 3));
  const nameWidth = width - 2 - 1 - 1 - 10 - 5 - 6;
  const scope = [state.statusFilter === "ALL" ? "" : state.statusFilter, state.nameFilter && `"${state.nameFilter}"`]
    .filter(Boolean).join(" ");
  return (
    <Pane
      title={`Jobs (${jobs.length}/${state.jobs.length})${scope ? ` ${scope}` : ""}`}
      focused={state.focus === "jobs"}
      width={width}
      height={height}
    >
      {jobs.length === 0 && <Text color="gray">{state.loading && !state.lastRefresh ? "loading…" : "no jobs"}</Text>}
      {jobs.slice(from, to).map((job, i) => {
        const at = from + i;
        const exit = job.exitCode === undefined ? "" : String(job.exitCode);
        return (
          <Text key={i} wrap="truncate" inverse={at === state.jobIndex && state.focus === "jobs"}>
            {at === state.jobIndex ? "›" : " "}
            {cell(job.jobName, nameWidth)} <Text color={statusColor(job.status)}>{cell(job.status, 10)}</Text>
            {cell(exit, 5)}
            {cell(jobAge(job, now), 6)}
          </Text>
        );
      })}
    </Pane>
  );
}

function DetailsPane(props: { state: MonitorState; width: number; height: number }) {
  const job = selectedJob(props.state);
  const lines = job ? detailLines(job, selectedQueue(props.state)) : ["No job selected"];
  return (
    <Pane title={`Details: ${job?.jobName ?? ""}`} focused width={props.width} height={props.height}>
      {lines.slice(0, props.height - 3).map((line, i) => <Text key={i} wrap="truncate">{line}</Text>)}
    </Pane>
  );
}

function LogPane(props: { state: MonitorState; width: number; height: number }) {
  const { log } = props.state;
  const job = props.state.jobs.find((j) => j.jobId === log.jobId);
  const rows = props.height - 3;
  const status = log.done ? "ended" : log.exists ? "following" : "waiting for the log stream";
  const body = log.lines.length ? log.lines.slice(-rows) : [
    log.exists ? "(no lines yet)" : "No log yet: the stream appears once the job is RUNNING.",
  ];
  return (
    <Pane
      title={`Log: ${job?.jobName ?? log.jobId ?? ""} (${status})`}
      focused
      width={props.width}
      height={props.height}
    >
      {body.map((line, i) => <Text key={i} wrap="truncate">{line}</Text>)}
    </Pane>
  );
}

function Header(props: { state: MonitorState; now: number }) {
  const { state } = props;
  const parts = [`queue ${selectedQueue(state)?.name ?? "-"}`, `status ${state.statusFilter}`];
  if (state.nameFilter) parts.push(`name "${state.nameFilter}"`);
  if (state.runFilter) parts.push(`run ${state.runFilter}`);
  const when = state.lastRefresh ? new Date(state.lastRefresh).toTimeString().slice(0, 8) : "--:--:--";
  return (
    <Box width={state.size.columns} justifyContent="space-between">
      <Text bold wrap="truncate">ezbatch monitor · {parts.join(" · ")}</Text>
      <Text color="gray">{state.loading ? "⟳ " : "  "}{when}</Text>
    </Box>
  );
}

function Footer(props: { state: MonitorState }) {
  const { state } = props;
  const run = state.focus === "runs" ? runsOf(state)[state.runIndex] : undefined;
  const alarm = state.message?.kind === "error" || state.message?.kind === "failed";
  const advice = run && !alarm ? runAdvice(run) : undefined;
  let line: ReactNode = <Text color="gray" wrap="truncate">{state.message?.text ?? ""}</Text>;
  if (advice) line = <Text color="yellow" wrap="truncate">{advice}</Text>;
  if (state.message?.kind === "error" || state.message?.kind === "failed") {
    line = <Text color="red" wrap="truncate">{state.message.text}</Text>;
  }
  if (state.nameDraft !== undefined) {
    line = <Text color="cyan" wrap="truncate">Name filter: {state.nameDraft}█ (enter apply, esc cancel)</Text>;
  }
  if (state.confirm) {
    const verb = state.confirm.action === "cancel" ? "Cancel" : "Terminate";
    line = (
      <Text color="yellow" bold wrap="truncate">
        {verb} job '{state.confirm.jobName}' ({state.confirm.jobId})? y to confirm, any other key to keep it
      </Text>
    );
  }
  return (
    <Box flexDirection="column" width={state.size.columns}>
      <Text color="gray" wrap="truncate">{keyHelp(state.size.columns)}</Text>
      {line}
    </Box>
  );
}

/** The whole screen for a state. */
export function MonitorView(props: { state: MonitorState; now: number }) {
  const { state, now } = props;
  const { columns, rows } = state.size;
  const main = Math.max(8, rows - 3);
  const left = Math.max(20, Math.min(34, Math.floor(columns * 0.34)));
  const right = Math.max(20, columns - left);
  const queuesHeight = Math.max(4, Math.floor(main / 2));
  let pane = <JobsPane state={state} width={right} height={main} now={now} />;
  if (state.overlay === "details") pane = <DetailsPane state={state} width={right} height={main} />;
  if (state.overlay === "logs") pane = <LogPane state={state} width={right} height={main} />;
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Header state={state} now={now} />
      <Box flexDirection="row" height={main}>
        <Box flexDirection="column" width={left}>
          <QueuesPane state={state} width={left} height={queuesHeight} />
          <RunsPane state={state} width={left} height={main - queuesHeight} />
        </Box>
        {pane}
      </Box>
      <Footer state={state} />
    </Box>
  );
}
