/**
 * Process liveness and killing on Linux, through /proc: a pid is "ours" only when its start time matches the one
 * recorded (pids are reused). Killing a job kills its process group, every descendant found by parent pid, and
 * every process whose environment carries the attempt's marker (`EZBATCH_LOCAL_ATTEMPT=<id>`, inherited by all
 * it starts): that finds processes that left the group with setsid and were re-parented when their parent died,
 * so nothing the job started is left running (unless it also cleared its environment).
 * @module
 */

/** The environment variable that marks every process of an attempt. */
export const ATTEMPT_MARKER = "EZBATCH_LOCAL_ATTEMPT";

/**
 * True for the error Deno raises when this process may not read /proc: it needs every permission (`-A`), and a
 * CLI run with `-A --deny-net` has not got them. Such a process cannot tell whether another one lives.
 */
function isDenied(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied;
}

/** The pids under /proc, or none when this process may not read it (see {@link isDenied}). */
function procPids(): Iterable<Deno.DirEntry> {
  try {
    return Deno.readDirSync("/proc");
  } catch (error) {
    if (isDenied(error)) return [];
    throw error;
  }
}

/** Processes whose environment holds `EZBATCH_LOCAL_ATTEMPT=<marker>`. */
export function markedProcesses(marker: string): number[] {
  return markedProcessesOf(new Set([marker])).get(marker) ?? [];
}

/**
 * The processes marked with each of `markers`, in one pass over /proc (markers with none are left out). With
 * `unmarked`, processes found unmarked are remembered there and skipped next time (see LeftoverReaper).
 */
export function markedProcessesOf(markers: Set<string>, unmarked?: Set<number>): Map<string, number[]> {
  const memory: ScanMemory = { unmarked: unmarked ?? new Set(), marked: new Map() };
  return scanMarked(markers, memory).found;
}

/**
 * What a scan remembers for the next one: processes whose environment carries no marker (or may not be read) and
 * processes marked for an attempt, by pid. Both keep what they are: a process drops its marker only by exec with
 * a new environment, never gains one, and a process we may not read stays so (another user's, or set-uid).
 */
export interface ScanMemory {
  /** Pids seen unmarked or unreadable: skipped. */
  unmarked: Set<number>;
  /** Pids seen marked, with their marker: read again only when their marker is searched for. */
  marked: Map<number, string>;
}

/** The result of {@link scanMarked}. */
export interface MarkedScan {
  /** The processes of each marker found (markers with none are left out). */
  found: Map<string, number[]>;
  /**
   * Whether some process showed an empty environment (in the middle of exec, or exiting) and may belong to one of
   * the markers: it is not in the session of one of `liveSessions`. When false, a marker not found has no process.
   */
  ambiguous: boolean;
}

/**
 * One pass over /proc for the processes marked with `markers`, skipping what `memory` knows (and updating it).
 * `liveSessions` are the pids of running job leaders (each leads its own session): a process of their session is
 * theirs, never one of an ended attempt's (a session is inherited; a pid is not reused while its session lives).
 */
export function scanMarked(
  markers: Set<string>,
  memory: ScanMemory,
  liveSessions: ReadonlySet<number> = new Set(),
): MarkedScan {
  const found = new Map<string, number[]>();
  let ambiguous = false;
  if (markers.size === 0) return { found, ambiguous };
  const needle = `\0${ATTEMPT_MARKER}=`;
  const decoder = new TextDecoder("latin1");
  const present = new Set<number>();
  for (const entry of procPids()) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid) || pid === Deno.pid) continue;
    present.add(pid);
    if (memory.unmarked.has(pid)) continue;
    const known = memory.marked.get(pid);
    if (known !== undefined && !markers.has(known)) continue;
    let env: string;
    try {
      env = "\0" + decoder.decode(Deno.readFileSync(`/proc/${pid}/environ`));
    } catch (error) {
      // Not ours to read, or a kernel thread (recent kernels answer ESRCH for those): remembered; else gone.
      if (isDenied(error) || !(error instanceof Deno.errors.NotFound) && neverMarked(pid)) memory.unmarked.add(pid);
      continue;
    }
    const at = env.indexOf(needle);
    if (at < 0) {
      memory.marked.delete(pid);
      // An empty environment may be a job's process in the middle of exec, however often it is read so under load:
      // only a kernel thread (a child of kthreadd, pid 2) or a zombie, which never gain one, is remembered empty.
      if (env.length > 1) memory.unmarked.add(pid);
      else if (neverMarked(pid)) memory.unmarked.add(pid);
      else if (!inLiveSession(pid, liveSessions)) ambiguous = true;
      continue;
    }
    const start = at + needle.length;
    const end = env.indexOf("\0", start);
    const marker = env.slice(start, end < 0 ? undefined : end);
    memory.marked.set(pid, marker);
    if (markers.has(marker)) found.set(marker, [...(found.get(marker) ?? []), pid]);
  }
  for (const pid of memory.unmarked) if (!present.has(pid)) memory.unmarked.delete(pid);
  for (const pid of memory.marked.keys()) if (!present.has(pid)) memory.marked.delete(pid);
  return { found, ambiguous };
}

/** True when `pid` is in the session led by one of `sessions` (field 6 of /proc/PID/stat). */
function inLiveSession(pid: number, sessions: ReadonlySet<number>): boolean {
  if (sessions.size === 0) return false;
  const fields = statFields(pid);
  return Array.isArray(fields) && sessions.has(Number(fields[3]));
}

/** The fields of /proc/PID/stat after the name; undefined when the process is gone, "denied" when we may not look. */
function statFields(pid: number): string[] | undefined | "denied" {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch (error) {
    return isDenied(error) ? "denied" : undefined;
  }
}

/** True for a process that can never carry a marker: a kernel thread or a zombie. */
function neverMarked(pid: number): boolean {
  const fields = statFields(pid);
  if (fields === undefined || fields === "denied") return false;
  return fields[0] === "Z" || fields[0] === "X" || pid === 2 || fields[1] === "2";
}

/** The start time of a process (ticks since boot, field 22 of /proc/PID/stat), or undefined when it is gone. */
export function processStart(pid: number): string | undefined {
  const fields = statFields(pid);
  return fields === "denied" ? undefined : fields?.[19];
}

/** The session id of a process (field 6 of /proc/PID/stat), or undefined when it is gone or may not be read. */
export function processSession(pid: number): string | undefined {
  const fields = statFields(pid);
  return fields === "denied" ? undefined : fields?.[3];
}

/**
 * True when `pid` runs (not a zombie) and, when `start` is given, is the process that started then. A process that
 * may not read /proc cannot tell, and says true: taking a live supervisor for dead would fail its jobs, while the
 * supervisor's heartbeat still tells a dead one.
 */
export function processAlive(pid: number, start?: string): boolean {
  const fields = statFields(pid);
  if (fields === "denied") return true;
  if (!fields || fields[0] === "Z" || fields[0] === "X") return false;
  return start === undefined || fields[19] === start;
}

/** Every descendant of `pid` (children, grandchildren...), found by parent pid. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of procPids()) {
    const child = Number(entry.name);
    if (!Number.isInteger(child)) continue;
    const fields = statFields(child);
    const parent = Number(fields === "denied" ? undefined : fields?.[1]);
    if (!Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    for (const child of children.get(todo.pop()!) ?? []) {
      found.push(child);
      todo.push(child);
    }
  }
  return found;
}

function send(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(pid, signal);
  } catch { /* gone already */ }
}

/** Sends `signal` to every process marked with `marker`; returns their pids. */
export function signalMarked(marker: string, signal: Deno.Signal): number[] {
  const pids = markedProcesses(marker);
  for (const pid of pids) send(pid, signal);
  return pids;
}

/**
 * Sends `signal` to the process group led by `pid`, to every descendant of `pid`, to the processes marked with
 * `marker` and to `extra`. Returns the pids signalled besides the group.
 */
export function signalTree(pid: number, signal: Deno.Signal, extra: number[] = [], marker?: string): number[] {
  const marked = marker ? markedProcesses(marker) : [];
  const all = [...new Set([...descendants(pid), ...marked, ...extra])];
  send(-pid, signal);
  send(pid, signal);
  for (const child of all) send(child, signal);
  return all;
}

/** Kills a job's processes: SIGTERM to the tree, then SIGKILL after `graceMs` to whatever is left. */
export async function killTree(
  pid: number,
  options: { graceMs: number; exited?: Promise<unknown>; marker?: string },
): Promise<void> {
  const seen = signalTree(pid, "SIGTERM", [], options.marker);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, options.graceMs)));
  await (options.exited ? Promise.race([options.exited, deadline]) : deadline);
  clearTimeout(timer);
  signalTree(pid, "SIGKILL", seen.filter((p) => processAlive(p)), options.marker);
}
