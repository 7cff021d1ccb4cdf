/**
 * The single-file build: `deno bundle --platform=deno main.ts` gives one JavaScript file that runs with a fresh,
 * empty DENO_DIR, no config, no lockfile, `--cached-only` (nothing may be downloaded) and no network permission.
 */
import assert from "node:assert/strict";
import { stopDaemon } from "../support/cli_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function deno(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(options.env ? { env: options.env, clearEnv: true } : {}),
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** Files under `dir` (recursively), or none when it does not exist. */
async function filesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) found.push(...await filesIn(`${dir}/${entry.name}`));
      else found.push(`${dir}/${entry.name}`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found;
}

Deno.test("the bundle is one self-contained file that runs offline with an empty DENO_DIR", async (t) => {
  // Built into a temporary directory: the repository's dist/ is left alone.
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-bundle-" });
  const file = `${dir}/ezbatch.js`;
  const denoDir = `${dir}/deno_dir`;
  const home = `${dir}/home`;
  const stateDir = `${dir}/local-state`;
  await Deno.mkdir(home);
  const run = (...args: string[]) =>
    deno(["run", "--cached-only", "--no-config", "--no-lock", "-A", "--deny-net", file, ...args], {
      cwd: dir,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: home,
        DENO_DIR: denoDir,
        NO_COLOR: "1",
        EZBATCH_STATE_DIR: stateDir,
      },
    });
  try {
    const bundled = await deno(["run", "-A", "scripts/bundle.ts", file], { cwd: ROOT });
    assert.equal(bundled.code, 0, bundled.stderr);

    await t.step("it imports nothing but node: built-ins", async () => {
      const text = await Deno.readTextFile(file);
      const statics = [...text.matchAll(/^import\s[^;]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]!);
      const dynamics = [...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
      const specifiers = [...statics, ...dynamics];
      assert.ok(specifiers.includes("node:module"), "the pattern finds the bundle's own imports");
      const outside = specifiers.filter((s) => !s.startsWith("node:"));
      assert.deepEqual([...new Set(outside)], [], "no npm:, jsr:, https: or relative imports left");
    });

    await t.step("--help, --version and a usage error work offline", async () => {
      const help = await run("--help");
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /^Usage: ezbatch/);
      const version = await run("--version");
      assert.equal(version.code, 0, version.stderr);
      assert.match(version.stdout, /^\d+\.\d+\.\d+/);
      const bad = await run("no-such-command");
      assert.equal(bad.code, 2, "a usage error still exits 2");
      assert.match(bad.stderr, /unknown command 'no-such-command'/);
    });

    await t.step("workflow validate and workflow plan work offline", async () => {
      const demo = `${ROOT}examples/demo.toml`;
      const validate = await run("workflow", "validate", demo);
      assert.equal(validate.code, 0, validate.stderr);
      assert.match(validate.stdout + validate.stderr, /demo/);
      const plan = await run("workflow", "plan", demo, "--queue", "my-queue", "--run-id", "r1", "--json");
      assert.equal(plan.code, 0, plan.stderr);
      const parsed = JSON.parse(plan.stdout);
      const text = JSON.stringify(parsed);
      for (const job of ["prepare", "sweep", "check", "report"]) assert.ok(text.includes(`demo-r1-${job}`), job);
      const broken = await run("workflow", "validate", `${ROOT}tests/bundle/no-such-file.toml`);
      assert.notEqual(broken.code, 0);
      assert.match(broken.stderr, /no-such-file\.toml/);
    });

    await t.step(
      "a --local job runs to the end under the daemon the bundle starts as its own hidden command",
      async () => {
        const local = (...args: string[]) => run("--local", ...args);
        const flags = "jobs submit -q q --name hi --image alpine --json --command".split(" ");
        const submitted = await local(...flags, "echo from-bundle");
        assert.equal(submitted.code, 0, submitted.stderr);
        const { jobId } = JSON.parse(submitted.stdout) as { jobId: string };
        const watched = await local("jobs", "watch", jobId);
        const log = await Deno.readTextFile(`${stateDir}/supervisor.log`).catch(() => "");
        assert.equal(watched.code, 0, `${watched.stdout}${watched.stderr}\nsupervisor.log:\n${log}`);
        const logs = await local("jobs", "logs", jobId);
        assert.match(logs.stdout, /from-bundle/);
        const supervisor = JSON.parse(await Deno.readTextFile(`${stateDir}/supervisor.json`)) as { pid: number };
        const argv = (await Deno.readTextFile(`/proc/${supervisor.pid}/cmdline`).catch(() => "")).split("\0");
        // Still running: it leaves by itself 10 s after its last job ended.
        assert.ok(argv.includes(`file://${file}`) && argv.includes("__local-supervisor"), argv.join(" "));
      },
    );

    await t.step("nothing was downloaded into the empty DENO_DIR", async () => {
      assert.deepEqual((await filesIn(`${denoDir}/npm`)).filter((f) => !f.endsWith(".lock")), []);
    });
  } finally {
    await stopDaemon(stateDir); // before its directory goes: the daemon writes its state as it leaves
    await Deno.remove(dir, { recursive: true });
  }
});
