/** The job launcher (core/local/launcher.ts): one Perl process that starts jobs for the supervisor. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Launcher, type SpawnOptions } from "../../../core/local/launcher.ts";
import { isOutOfSpace } from "../../../core/local/_disk.ts";
import { processAlive } from "../../../core/local/process_tree.ts";

const ENV = { PATH: "/usr/bin:/bin", GREETING: "grüß dich" };

async function withLauncher(fn: (launcher: Launcher, dir: string) => Promise<void>): Promise<void> {
  const launcher = Launcher.start();
  assert.ok(launcher, "perl is on this machine");
  assert.equal(await launcher.ready, true);
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-launcher-test-" });
  try {
    await fn(launcher, dir);
  } finally {
    await launcher.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function run(launcher: Launcher, argv: string[], options: SpawnOptions) {
  const child = await launcher.spawn(argv, options);
  const lines: string[] = [];
  const [status] = await Promise.all([child.status, child.pump((more) => Promise.resolve(void lines.push(...more)))]);
  return { pid: child.pid, pidStart: child.pidStart, code: status.code, lines };
}

Deno.test("launcher: output lines, exit code, exactly the given environment, the job leads its own session and group", async () => {
  await withLauncher(async (launcher, dir) => {
    const script = 'echo "$GREETING $#"; echo oops >&2; env | sort | tr "\\n" ";"; echo; ' +
      "ps -o pid=,pgid=,sid= -p $$; pwd; exit 3";
    const r = await run(launcher, ["/bin/sh", "-c", script, "x", "", "b c"], { cwd: dir, env: ENV });
    assert.equal(r.code, 3);
    // stdout and stderr are two pipes: their lines interleave as they arrive.
    assert.equal(r.lines.filter((l) => l === "oops").length, 1);
    const [greeting, env, ids, cwd] = r.lines.filter((l) => l !== "oops");
    assert.equal(greeting, "grüß dich 2");
    const names = env!.split(";").filter((v) => v && !v.startsWith("PWD=")); // sh sets PWD
    assert.deepEqual(names, ["GREETING=grüß dich", "PATH=/usr/bin:/bin"]);
    assert.deepEqual(ids!.trim().split(/\s+/).map(Number), [r.pid, r.pid, r.pid]);
    assert.equal(cwd, dir);
    assert.match(r.pidStart ?? "", /^\d+$/);
  });
});

Deno.test("launcher: a signal ends the job with 128 + its number; many jobs at once all run", async () => {
  await withLauncher(async (launcher, dir) => {
    assert.equal((await run(launcher, ["/bin/sh", "-c", "kill -9 $$"], { cwd: dir, env: ENV })).code, 137);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => run(launcher, ["/bin/sh", "-c", `echo ${i}`], { cwd: dir, env: ENV })),
    );
    assert.deepEqual(results.map((r) => r.lines), results.map((_, i) => [`${i}`]));
    assert.ok(results.every((r) => r.code === 0));
  });
});

Deno.test("launcher: the job's process creates its directory and its log (0600, in a 0700 directory) with the first lines", async () => {
  await withLauncher(async (launcher, dir) => {
    const cwd = join(dir, "work", "a", "1", "cwd");
    const log = join(dir, "logs", "g", "s.jsonl");
    const head = new TextEncoder().encode('{"t":1,"m":"note"}\n');
    const r = await run(launcher, ["/bin/sh", "-c", "pwd"], { cwd, env: ENV, mkdir: true, log: { path: log, head } });
    assert.deepEqual(r.lines, [cwd]);
    assert.equal(await Deno.readTextFile(log), '{"t":1,"m":"note"}\n');
    assert.equal((await Deno.stat(log)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(join(dir, "logs", "g"))).mode! & 0o777, 0o700, "the log's directory is private");
  });
});

Deno.test("launcher: what cannot start is refused with the reason, and nothing runs", async () => {
  await withLauncher(async (launcher, dir) => {
    await assert.rejects(launcher.spawn(["no-such-program-x"], { cwd: dir, env: ENV }), /Failed to spawn/);
    await assert.rejects(
      launcher.spawn(["/bin/sh", "-c", "true"], { cwd: join(dir, "missing"), env: ENV }),
      /Cannot enter '.*missing': No such file or directory/,
    );
    const full = launcher.spawn(["/bin/sh", "-c", "touch ran"], {
      cwd: dir,
      env: ENV,
      log: { path: "/dev/full", head: new TextEncoder().encode("x\n") },
    });
    const error = await full.then(() => undefined, (e) => e);
    assert.ok(isOutOfSpace(error), String(error));
    await assert.rejects(launcher.spawn(["/bin/sh", "-c", "true"], { cwd: dir, env: { A: "a\0b" } }), /NUL/);
    assert.equal(await Deno.stat(join(dir, "ran")).catch(() => undefined), undefined);
    // The launcher goes on serving.
    assert.deepEqual((await run(launcher, ["/bin/sh", "-c", "echo ok"], { cwd: dir, env: ENV })).lines, ["ok"]);
  });
});

Deno.test("launcher: when it dies, its jobs end (code 1, a line saying so) and it is no longer alive", async () => {
  await withLauncher(async (launcher, dir) => {
    const child = await launcher.spawn(["/bin/sh", "-c", "echo started; exec sleep 30"], { cwd: dir, env: ENV });
    const lines: string[] = [];
    let first!: () => void;
    const started = new Promise<void>((resolve) => (first = resolve));
    const pumped = child.pump((more) => (lines.push(...more), first(), Promise.resolve()));
    await started;
    Deno.kill(launcher.pid, "SIGKILL");
    assert.deepEqual(await child.status, { code: 1 });
    await pumped;
    assert.equal(lines.length, 2);
    assert.equal(lines[0], "started");
    assert.match(lines[1]!, /^\[ezbatch local\] The job launcher \(pid \d+\) stopped/);
    assert.equal(launcher.alive, false);
    await assert.rejects(launcher.spawn(["/bin/true"], { cwd: dir, env: ENV }), /stopped/);
    Deno.kill(-child.pid, "SIGKILL");
  });
});

Deno.test("launcher: it exits when its supervisor is killed with SIGKILL (its stdin closes)", async () => {
  const script = `import { Launcher } from ${JSON.stringify(import.meta.resolve("../../../core/local/launcher.ts"))};
const launcher = Launcher.start()!;
await launcher.ready;
console.log(launcher.pid);
await new Promise(() => {});`;
  const owner = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-lock", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = owner.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const reader = owner.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const pid = Number((await reader.read()).value);
  assert.ok(processAlive(pid));
  owner.kill("SIGKILL");
  await owner.status;
  await reader.cancel();
  const deadline = Date.now() + 5000;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(processAlive(pid), false, "the launcher outlived its supervisor");
});
