import assert from "node:assert/strict";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

async function spawn(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env: { NO_COLOR: "", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("main.ts with no arguments prints help and exits 0", async () => {
  const r = await spawn([]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage: ezbatch/);
  assert.equal(r.stderr, "");
});

Deno.test("main.ts --version prints the version and exits 0", async () => {
  const r = await spawn(["--version"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

Deno.test("main.ts exits 2 on a usage error with one line and a hint, no stack", async () => {
  const r = await spawn(["job-queue", "create", "q", "--compute-environments", "a,b,c,d"]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    "error: A job queue takes 1 to 3 compute environments, in order; got 4\n" +
      "Run 'ezbatch job-queue create --help' for usage.\n",
  );
  assert.equal(r.stdout, "");
  const unknown = await spawn(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.doesNotMatch(unknown.stderr, /\bat /);
});

Deno.test("main.ts loads no AWS SDK module statically: help, validate and plan never pay for it", async () => {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", MAIN], stdout: "piped" }).output();
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean; npmPackage?: string }[];
    }[];
    redirects: Record<string, string>;
  };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const staticNpm = new Set<string>();
  const seen = new Set<string>();
  const stack = [new URL(MAIN, "file:///").href];
  while (stack.length) {
    const spec = stack.pop()!;
    if (seen.has(spec)) continue;
    seen.add(spec);
    for (const dep of bySpecifier.get(spec)?.dependencies ?? []) {
      if (dep.isDynamic || !dep.code) continue;
      if (dep.npmPackage) staticNpm.add(dep.npmPackage);
      const target = graph.redirects[dep.code.specifier] ?? dep.code.specifier;
      stack.push(target.startsWith("file:") ? target : new URL(target, spec).href);
    }
  }
  assert.ok(seen.size > 10, "the graph was read");
  assert.ok([...staticNpm].some((p) => p.startsWith("@commander-js/extra-typings@")), [...staticNpm].join(", "));
  assert.deepEqual([...staticNpm].filter((p) => p.startsWith("@aws-sdk/")), []);
});
