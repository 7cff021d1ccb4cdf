/** @jsxRuntime automatic */
/** @jsxImportSource npm:react@^19.2.0 */
/** @jsxImportSourceTypes npm:@types/react@^19.2.0 */
/**
 * The monitor's panes as ink components: header, queues, runs, jobs, details, log and footer. They only draw a
 * `MonitorState`; keys and refreshes live in the app.
 * @module
 */
import { Box, type ReactNode, Text } from "../deps.ts";
import { renderReportText } from "../../core/report_text.ts";
import {
  cell,
  childrenSummary,
  childrenTag,
  detailLines,
  fitLine,
  jobAge,
  runAdvice,
  runLine,
  statusColor,
} from "./format.ts";
import { keyHelp } from "./keys.ts";
import { jobById, type JobRow, type MonitorState, runsOf, selectedJob, selectedQueue, visibleJobs } from "./state.ts";

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
      <Text bold={props.focused} color={props.focused ? "cyan" : "white"} wrap="truncate">
        {cell(props.title, props.width - 2)}
      </Text>
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

function jobsTitle(state: MonitorState, shown: number): string {
  const scope = [state.statusFilter === "ALL" ? "" : state.statusFilter, state.nameFilter && `"${state.nameFilter}"`]
    .filter(Boolean).join(" ");
  const kids = state.children;
  if (!kids) return `Jobs (${shown}/${state.jobs.length})${scope ? ` ${scope}` : ""}`;
  const summary = jobById(state, kids.parentId)?.array?.summary;
  const counts = summary ? childrenSummary(summary) : "";
  // The parent's name is in the header: the title keeps room for the counts.
  return `Children (${shown}/${kids.jobs.length})${scope ? ` ${scope}` : ""}${counts ? `: ${counts}` : ""}`;
}

/** A job's name, with its children's states after an array parent's (short when space is short). */
function nameCell(job: JobRow, width: number): string {
  if (!job.array) return cell(job.jobName, width);
  // An array parent stays PENDING while its children run: the tag says how they are doing.
  const full = ` ${childrenTag(job.array)}`;
  const short = ` [${job.array.size}]`;
  const tag = job.jobName.length + full.length <= width ? full : short;
  return width - tag.length >= 12 ? cell(job.jobName, width - tag.length) + tag : cell(job.jobName, width);
}

function JobsPane(props: { state: MonitorState; width: number; height: number; now: number }) {
  const { state, width, height, now } = props;
  const jobs = visibleJobs(state);
  const [from, to] = windowOf(jobs.length, state.jobIndex, Math.max(1, height - 3));
  const nameWidth = width - 2 - 1 - 1 - 10 - 5 - 6;
  const listed = !state.children || state.children.loaded;
  const all = state.children ? state.children.jobs.length : state.jobs.length;
  const empty = all ? "none match the filters (s, /)" : state.children ? "no children" : "no jobs";
  return (
    <Pane title={jobsTitle(state, jobs.length)} focused={state.focus === "jobs"} width={width} height={height}>
      {jobs.length === 0 && (
        <Text color="gray">{(state.loading && !state.lastRefresh) || !listed ? "loading…" : empty}</Text>
      )}
      {jobs.slice(from, to).map((job, i) => {
        const at = from + i;
        const exit = job.exitCode === undefined ? "" : String(job.exitCode);
        // An array parent stays PENDING while its children run: the tag says how they are doing.
        const name = nameCell(job, nameWidth);
        return (
          <Text key={i} wrap="truncate" inverse={at === state.jobIndex && state.focus === "jobs"}>
            {at === state.jobIndex ? "›" : " "}
            {cell(name, nameWidth)} <Text color={statusColor(job.status)}>{cell(job.status, 10)}</Text>
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
      {lines.slice(0, props.height - 3).map((line, i) => (
        <Text key={i} wrap="truncate">{cell(line, props.width - 2)}</Text>
      ))}
    </Pane>
  );
}

function LogPane(props: { state: MonitorState; width: number; height: number }) {
  const { log } = props.state;
  const job = jobById(props.state, log.jobId);
  const rows = props.height - 3;
  let status = log.done ? "ended" : log.exists ? "following" : "waiting for the log stream";
  let body = log.lines.length ? log.lines.slice(-rows) : [
    log.exists ? "(no lines yet)" : "No log yet: the stream appears once the job is RUNNING.",
  ];
  if (job?.array) {
    status = "array job";
    const counts = childrenSummary(job.array.summary);
    body = [
      `An array job has no log of its own: each of its ${job.array.size} children has one.`,
      ...(counts ? [`Children: ${counts}.`] : []),
      "Press o to list them, then l on one to follow its log.",
    ];
  }
  return (
    <Pane
      title={`Log: ${job?.jobName ?? log.jobId ?? ""} (${status})`}
      focused
      width={props.width}
      height={props.height}
    >
      {body.map((line, i) => <Text key={i} wrap="truncate">{cell(line, props.width - 2)}</Text>)}
    </Pane>
  );
}

function ReportPane(props: { state: MonitorState; width: number; height: number }) {
  const view = props.state.report;
  const rows = Math.max(1, props.height - 3);
  const inner = props.width - 2;
  let lines = ["No run selected"];
  if (view?.report) lines = renderReportText(view.report, { width: inner, maxRows: 1000 }).split("\n");
  else if (view?.error) lines = [view.error];
  else if (view) lines = ["Reading the run's jobs…"];
  const scroll = Math.min(view?.scroll ?? 0, Math.max(0, lines.length - rows));
  const state = view?.loading ? "reading…" : view?.error ? "failed" : lines.length > rows ? "↑↓ scroll" : "";
  return (
    <Pane
      title={`Report: ${view?.workflow ?? ""} ${view?.run ?? ""}${state ? ` (${state})` : ""}`}
      focused
      width={props.width}
      height={props.height}
    >
      {lines.slice(scroll, scroll + rows).map((line, i) => (
        <Text key={i} wrap="truncate" {...(view?.error && !view.report ? { color: "red" } : {})}>
          {cell(line, inner)}
        </Text>
      ))}
    </Pane>
  );
}

function Header(props: { state: MonitorState; now: number }) {
  const { state } = props;
  const parts = [`queue ${selectedQueue(state)?.name ?? "-"}`];
  if (state.runFilter) parts.push(`run ${state.runFilter}`);
  if (state.children) parts.push(`array ${state.children.parentName}`);
  parts.push(`status ${state.statusFilter}`);
  if (state.nameFilter) parts.push(`name "${state.nameFilter}"`);
  const when = state.lastRefresh ? new Date(state.lastRefresh).toTimeString().slice(0, 8) : "--:--:--";
  const right = `${state.loading ? "⟳ " : "  "}${when}`;
  // One line whatever the filters: the title goes first, then the end is cut (a wrapped header pushed the frame
  // past the terminal's last row).
  const left = fitLine("ezbatch monitor", parts, state.size.columns - right.length - 1);
  return (
    <Box width={state.size.columns} height={1}>
      <Text bold wrap="truncate">{cell(left, state.size.columns - right.length)}</Text>
      <Text color="gray">{right}</Text>
    </Box>
  );
}

/** The footer's two lines for a state: key help (or the prompt's subject) and a message (or the prompt). */
export function footerLines(state: MonitorState): { keys: string; line: string; color: string; bold?: boolean } {
  const columns = state.size.columns;
  const fit = (text: string) => cell(text, columns).trimEnd();
  if (state.confirm) {
    const { confirm } = state;
    const verb = confirm.action === "cancel" ? "Cancel" : "Terminate";
    const ask = "? y to confirm, any other key keeps it";
    const name = cell(confirm.jobName, Math.max(8, columns - verb.length - 7 - ask.length)).trimEnd();
    return {
      keys: fit(`Job id ${confirm.jobId}`),
      line: fit(`${verb} job '${name}'${ask}`),
      color: "yellow",
      bold: true,
    };
  }
  if (state.nameDraft !== undefined) {
    const prompt = "Name filter: ";
    // The end of a long draft stays in view, as in a shell.
    const room = columns - prompt.length - 1;
    const draft = state.nameDraft.length > room ? `…${state.nameDraft.slice(-(room - 1))}` : state.nameDraft;
    return {
      keys: fit(`${prompt}${draft}█`),
      line: fit("enter applies, esc cancels, backspace deletes"),
      color: "cyan",
    };
  }
  const keys = keyHelp(state, columns);
  const alarm = state.message?.kind === "error" || state.message?.kind === "failed";
  if (alarm) return { keys, line: fit(state.message!.text), color: "red" };
  const run = state.focus === "runs" ? runsOf(state)[state.runIndex] : undefined;
  const advice = run ? runAdvice(run) : undefined;
  if (advice) return { keys, line: fit(advice), color: "yellow" };
  const job = state.focus === "jobs" && state.overlay === "none" ? selectedJob(state) : undefined;
  if (job?.array && !state.message) {
    const counts = childrenSummary(job.array.summary);
    const text = `Array job of ${job.array.size}${counts ? `: ${counts}` : ""}. o lists its children`;
    return { keys, line: fit(text), color: "gray" };
  }
  return { keys, line: fit(state.message?.text ?? ""), color: "gray" };
}

function Footer(props: { state: MonitorState }) {
  const { keys, line, color, bold } = footerLines(props.state);
  const prompt = props.state.confirm || props.state.nameDraft !== undefined;
  return (
    <Box flexDirection="column" width={props.state.size.columns} height={2}>
      <Text color={prompt ? color : "gray"} bold={!!bold} wrap="truncate">{keys}</Text>
      <Text color={color} bold={!!bold} wrap="truncate">{line}</Text>
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
  if (state.overlay === "report") pane = <ReportPane state={state} width={right} height={main} />;
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
