/**
 * A first command from a fresh clone fetches only the npm packages that command needs. Deno installs every npm
 * package of a lockfile as soon as a program needs any npm package, so deno.json leaves the lockfile off for
 * running ezbatch (as when it is installed by URL) and the gate's tasks pass `--lock=deno.lock` (which also pins
 * the test-only packages and the AWS SDK). This test needs the npm registry, as a fresh clone does.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
/**
 * What `--version` and `workflow validate` need: commander to parse arguments, smol-toml and zod to validate (tables
 * and colours are ezbatch's own since issue 15; cli-table3, picocolors and @bomb.sh/tab are no longer fetched here).
 */
const CLI_PACKAGES = /^(@commander-js|commander|zod|smol-toml)$/;

async function fetched(denoDir: string): Promise<string[]> {
  const root = `${denoDir}/npm/registry.npmjs.org`;
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (!entry.name.startsWith("@")) names.push(entry.name);
      else for await (const scoped of Deno.readDir(`${root}/${entry.name}`)) names.push(`${entry.name}/${scoped.name}`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

async function ezbatch(denoDir: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: ROOT,
    env: { DENO_DIR: denoDir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("a first --version and workflow validate from a clone fetch only the CLI's own npm packages", async () => {
  const denoDir = await Deno.makeTempDir({ prefix: "ezbatch-first-" });
  try {
    const version = await ezbatch(denoDir, "--version");
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const validate = await ezbatch(denoDir, "workflow", "validate", "examples/hello.toml");
    assert.equal(validate.code, 0, validate.stderr);
    const names = await fetched(denoDir);
    const scopes = new Set(names.map((n) => n.split("/")[0]!));
    const extra = [...scopes].filter((n) => !CLI_PACKAGES.test(n));
    assert.deepEqual(extra, [], `fetched more than the CLI needs: ${extra.join(", ")}`);
    assert.ok(names.length <= 4, `fetched ${names.length} packages: ${names.join(", ")}`);
    // The progress of a download goes to stderr, never into the command's output.
    assert.doesNotMatch(validate.stdout, /Download/);
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("deno.json leaves the lockfile to the gate's tasks, which pin every package with --lock=deno.lock", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  assert.equal(config.lock, false);
  for (const task of ["test", "check", "bench"]) {
    assert.match(config.tasks[task], /--lock=deno\.lock/, `task ${task}`);
  }
  const lock = await Deno.readTextFile(`${ROOT}deno.lock`);
  for (const pinned of ["npm:@aws-sdk/client-batch", "npm:s3rver", "npm:ink"]) assert.ok(lock.includes(pinned), pinned);
});
