/**
 * `deno task compile`: the binary embeds the AWS SDK (which core/deps.ts loads through variable specifiers, so only
 * `--include core/_aws_sdk_embed.ts` puts it in) and the TUI (`--include tui/mod.ts`). `deno compile` needs the
 * Deno runtime for the target (denort): downloaded from dl.deno.land, or taken from DENORT_BIN. Where neither
 * works (our CI machines have no internet) the checks are skipped and the output says so.
 */
import assert from "node:assert/strict";
import { COMPILE_ARGS } from "../../scripts/compile.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const text = new TextDecoder();

/** The arguments `deno task compile` runs (scripts/compile.ts), with the output moved to `out`. */
function compileArgs(out: string): string[] {
  const args = [...COMPILE_ARGS];
  const o = args.indexOf("-o");
  assert.ok(o > 0, "the compile task names its output with -o");
  args[o + 1] = out;
  return args;
}

/** Runs the compile task's command into `binary`; `denort` replaces the runtime it would download. */
async function compile(binary: string, denort?: string) {
  const env = denort ? { DENORT_BIN: denort } : undefined;
  return await new Deno.Command(Deno.execPath(), {
    args: compileArgs(binary),
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    ...(env ? { env } : {}),
  }).output();
}

async function assertPayload(binary: string): Promise<void> {
  const bytes = text.decode(await Deno.readFile(binary));
  // deno compile stores every npm package of the lockfile whatever is included, so look for the modules the
  // --include flags add: the SDK gathering module's own source, the TUI's modules, and the command modules the
  // program imports lazily (scripts/_lazy_modules.ts), all absent without the flags.
  const needles = [
    'export * as batch from "npm:@aws-sdk/client-batch',
    'from "./monitor/run.tsx"',
    "monitor/",
    "function registerJobReadCommands(",
    "function registerWorkflowPlanCommand(",
  ];
  for (const needle of needles) assert.ok(bytes.includes(needle), `the binary holds ${needle}`);
}

Deno.test("deno task compile embeds the AWS SDK and the TUI in the binary", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-compile-" });
  try {
    const binary = `${dir}/ezbatch`;
    const args = await compileArgs(binary);
    assert.ok(args.includes("core/_aws_sdk_embed.ts") && args.includes("tui/mod.ts"), args.join(" "));
    assert.ok(args.includes("scripts/_lazy_modules.ts"), args.join(" "));
    const built = await compile(binary);
    const log = text.decode(built.stderr);
    if (!built.success && /denort|dl\.deno\.land|Setting up base binary/.test(log)) {
      const why = Deno.env.get("DENORT_BIN")
        ? `DENORT_BIN=${Deno.env.get("DENORT_BIN")} did not work`
        : "the Deno runtime (denort) cannot be fetched here and DENORT_BIN is not set";
      console.log(
        `compile_test: running the binary skipped: ${why} (docs/distribution.md says how to compile offline)`,
      );
      // What the task embeds does not depend on the runtime: build on a stand-in (deno itself, which cannot run
      // the payload) and look into the payload.
      await t.step("the payload holds the SDK and the TUI (built on a stand-in runtime)", async () => {
        const standIn = await compile(binary, Deno.execPath());
        assert.ok(standIn.success, text.decode(standIn.stderr));
        await assertPayload(binary);
      });
      await t.step({ name: `running the binary skipped: ${why}`, ignore: true, fn() {} });
      return;
    }
    assert.ok(built.success, log);
    await t.step("the binary holds the SDK and the TUI modules", () => assertPayload(binary));

    await t.step("--help runs, and jobs list reaches for AWS with the embedded SDK and an empty DENO_DIR", async () => {
      const env = {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: dir,
        DENO_DIR: `${dir}/deno_dir`,
        NO_COLOR: "1",
        NPM_CONFIG_REGISTRY: "http://registry.invalid/",
        // Port 1 refuses every connection: the call fails after the SDK loaded, naming the operation.
        AWS_ENDPOINT_URL: "http://127.0.0.1:1",
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIDFAKE",
        AWS_SECRET_ACCESS_KEY: "fake",
      };
      const run = (...a: string[]) =>
        new Deno.Command(binary, { args: a, env, clearEnv: true, stdout: "piped", stderr: "piped" }).output();
      const help = await run("--help");
      assert.equal(help.code, 0, text.decode(help.stderr));
      const list = await run("jobs", "list", "--queue", "q");
      assert.equal(list.code, 1);
      assert.match(text.decode(list.stderr), /ListJobs failed: .*refused the connection/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
