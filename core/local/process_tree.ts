/**
 * Process liveness and killing on Linux, through /proc: a pid is "ours" only when its start time matches the one
 * recorded (pids are reused), and killing a job kills its process group plus every descendant found by parent
 * pid, so nothing the job started is left running.
 * @module
 */

function statFields(pid: number): string[] | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The start time of a process (ticks since boot, field 22 of /proc/PID/stat), or undefined when it is gone. */
export function processStart(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** True when `pid` runs (not a zombie) and, when `start` is given, is the process that started then. */
export function processAlive(pid: number, start?: string): boolean {
  const fields = statFields(pid);
  if (!fields || fields[0] === "Z" || fields[0] === "X") return false;
  return start === undefined || fields[19] === start;
}

/** Every descendant of `pid` (children, grandchildren...), found by parent pid. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    const child = Number(entry.name);
    if (!Number.isInteger(child)) continue;
    const parent = Number(statFields(child)?.[1]);
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

/** Sends `signal` to the process group led by `pid` and to every descendant of `pid`. */
export function signalTree(pid: number, signal: Deno.Signal, extra: number[] = []): number[] {
  const all = [...new Set([...descendants(pid), ...extra])];
  send(-pid, signal);
  send(pid, signal);
  for (const child of all) send(child, signal);
  return all;
}

/** Kills a job's processes: SIGTERM to the tree, then SIGKILL after `graceMs` to whatever is left. */
export async function killTree(pid: number, options: { graceMs: number; exited?: Promise<unknown> }): Promise<void> {
  const seen = signalTree(pid, "SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, options.graceMs)));
  await (options.exited ? Promise.race([options.exited, deadline]) : deadline);
  clearTimeout(timer);
  signalTree(pid, "SIGKILL", seen.filter((p) => processAlive(p)));
}
