/**
 * Fake container engines for the local backend's docker/podman runtime, which no test machine has. The fakes
 * (`_fake_engine.sh`) go first on the PATH of a daemon supervisor only: PATH is process-wide and `deno test
 * --parallel` runs every test file in one process, so changing this process's PATH would reach other tests.
 */
import { join } from "node:path";
import { LocalBackend, type LocalBackendOptions } from "../../../core/local/backend.ts";
import { processAlive } from "../../../core/local/process_tree.ts";
import { StateStore } from "../../../core/local/store.ts";

/** Which fake engines exist, and whether their `info` answers (`up`) or fails (`down`). */
export type Engines = { docker?: "up" | "down"; podman?: "up" | "down" };

/** One recorded engine call. */
export interface EngineCall {
  /** `docker` or `podman`. */
  engine: string;
  /** Its arguments. */
  args: string[];
  /** For `run`: the container's environment as `NAME=value` (what `-e` gave it), in order. */
  env?: string[];
}

/** A test's fakes and backend. */
export interface EngineSetup {
  /** A daemon-mode backend whose supervisor sees only the fakes, /usr/bin and /bin on its PATH. */
  backend: LocalBackend;
  /** The backend's state directory. */
  stateDir: string;
  /** The calls recorded so far, oldest first. */
  calls(): Promise<EngineCall[]>;
}

const script = new URL("./_fake_engine.sh", import.meta.url);
const supervisorMain = new URL("../../../core/local/supervisor_main.ts", import.meta.url).pathname;
const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** Writes the fake engines into `bin`, recording into `rec`. */
export async function writeFakeEngines(bin: string, rec: string, engines: Engines): Promise<void> {
  const text = await Deno.readTextFile(script);
  await Deno.mkdir(bin, { recursive: true });
  for (const [engine, state] of Object.entries(engines)) {
    const body = text.replace("@REC@", quote(rec)).replace("@UP@", state === "up" ? "1" : "0");
    await Deno.writeTextFile(join(bin, engine), body, { mode: 0o755 });
  }
}

/** Reads the calls recorded in `rec`, oldest first. */
export async function readCalls(rec: string): Promise<EngineCall[]> {
  const dir = join(rec, "calls");
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.name.startsWith(".") && !e.name.endsWith(".env")) names.push(e.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const lines = (text: string) => text.split("\n").slice(0, -1);
  return await Promise.all(
    names.sort().map(async (name) => {
      const [engine, ...args] = lines(await Deno.readTextFile(join(dir, name)));
      const env = await Deno.readTextFile(join(dir, `${name}.env`)).then(lines, () => undefined);
      return { engine: engine!, args, ...(env ? { env } : {}) };
    }),
  );
}

/**
 * Runs `fn` with a daemon-mode backend over a fresh state directory whose supervisor finds `engines` first on its
 * PATH and has `env` in its environment; then waits for the daemon to leave and removes everything.
 */
export async function withFakeEngines(
  engines: Engines,
  options: LocalBackendOptions & { env?: Record<string, string> },
  fn: (setup: EngineSetup) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "ezbatch-engine-test-" });
  const bin = join(root, "bin");
  const rec = join(root, "rec");
  const stateDir = join(root, "state");
  await writeFakeEngines(bin, rec, engines);
  const { env = {}, ...rest } = options;
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  // The host's own AWS settings would otherwise reach the containers and the exact environments asserted.
  const unset = ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    .concat(["AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"]).flatMap((k) => ["-u", k]);
  const backend = new LocalBackend({
    stateDir,
    runtime: "auto",
    isolation: "none",
    vcpus: 8,
    memory: 8192,
    tickMs: 20,
    killGraceMs: 1000,
    idleExitMs: 300,
    supervisorCommand: ["/usr/bin/env", ...unset, `PATH=${bin}:/usr/bin:/bin`, ...assignments, Deno.execPath()]
      .concat(["run", "-A", supervisorMain]),
    ...rest,
  });
  try {
    await fn({ backend, stateDir, calls: () => readCalls(rec) });
  } finally {
    await awaitDaemonExit(stateDir);
    await Deno.remove(root, { recursive: true });
  }
}

/** Waits for the daemon of `dir` to leave when idle; kills it if it has not after `timeoutMs`. */
async function awaitDaemonExit(dir: string, timeoutMs = 8000): Promise<void> {
  const store = new StateStore(dir);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await store.readSupervisor().catch(() => undefined);
    if (!info || !processAlive(info.pid, info.pidStart)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const info = await store.readSupervisor();
  if (info) Deno.kill(info.pid, "SIGKILL");
}
