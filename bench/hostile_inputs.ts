/**
 * The hostile workflow files of issue 12, and the time and peak memory `workflow validate` takes on each.
 *
 * `deno run -A bench/hostile_inputs.ts [--dir=DIR] [--timeout=60] [--only=NAME]` writes the files to DIR (default a
 * temporary folder; they are large, do not commit them), then runs `/usr/bin/time -v deno run -A main.ts workflow
 * validate FILE` on each (stdin for the `stdin` case) with a 4 GiB V8 heap and a time limit, and prints a Markdown
 * table: seconds, peak resident memory, exit code and the first line of stderr.
 * @module
 */

/** One hostile input: a file's text, or a special path such as /dev/zero. */
export interface HostileInput {
  name: string;
  what: string;
  text?: string;
  path?: string;
  stdin?: string;
}

const header = 'name = "hostile"\n';

/** The reproductions of issue 12, point 1 and point 2. */
export function hostileInputs(): HostileInput[] {
  const long = (n: number) => "a".repeat(n);
  const longName = (n: number) =>
    `${header}[jobs.${long(n)}]\nimage = "alpine"\n[dependencies]\n${long(n)} = ["${long(n)}b"]\n`;
  const unknownDeps = (() => {
    const jobs: string[] = [header];
    const deps: string[] = ["[dependencies]\n"];
    for (let i = 0; i < 10_000; i++) {
      jobs.push(`[jobs.job${i}]\nimage = "alpine"\n`);
      deps.push(`job${i} = ["missing${i}"]\n`);
    }
    return jobs.join("") + deps.join("");
  })();
  const cycles = (() => {
    // a0 -> a1 -> ... -> a9999, and every other ai also waits for a0: 9,999 overlapping cycles through a0.
    const jobs: string[] = [header];
    const deps: string[] = ["[dependencies]\n"];
    for (let i = 0; i < 10_000; i++) {
      jobs.push(`[jobs.a${i}]\nimage = "alpine"\n`);
      deps.push(`a${i} = [${[...(i < 9_999 ? [`"a${i + 1}"`] : []), ...(i > 0 ? ['"a0"'] : [])].join(", ")}]\n`);
    }
    return jobs.join("") + deps.join("");
  })();
  const bigKey = `${header}[jobs.a]\nimage = "alpine"\n${"k".repeat(1_000_000)} = 1\n`;
  const deepHeader = `${header}[${Array(20_000).fill("a").join(".")}]\nx = 1\n`;
  const big = `${header}[jobs.a]\nimage = "alpine"\n` + `# ${"x".repeat(98)}\n`.repeat(50_000); // 5 MB
  const badValues = `${header}[jobs.t]\nimage = "alpine"\ntimeout = "99999999999999999999h"\n` +
    `[jobs.e]\nimage = "alpine"\nplatform = "EC2"\nvcpus = 1e300\ngpus = 9007199254740991\n` +
    `[jobs.c]\nimage = "alp\\u0000ine"\ncommand = "echo \\u0000"\nenvironment = { A = "x\\u0001" }\n` +
    `tags = { "k\\u0000" = "v" }\n`;
  return [
    {
      name: "long-name-20k",
      what: "job name of 20,000 chars depending on that name + 1 letter",
      text: longName(20_000),
    },
    {
      name: "long-name-50k",
      what: "job name of 50,000 chars depending on that name + 1 letter",
      text: longName(50_000),
    },
    { name: "unknown-deps", what: "10,000 jobs, each depending on a different unknown job", text: unknownDeps },
    { name: "cycles", what: "9,999 overlapping cycles", text: cycles },
    { name: "big-key", what: "an unknown key of 1 MB", text: bigKey },
    { name: "deep-header", what: "a TOML header 20,000 levels deep", text: deepHeader },
    { name: "big-file", what: "a 5 MB file (mostly comments)", text: big },
    { name: "dev-zero", what: "`workflow validate /dev/zero`", path: "/dev/zero" },
    { name: "stdin", what: "5 MB on stdin (`-`)", path: "-", stdin: big },
    { name: "bad-values", what: "timeout 99999999999999999999h, vcpus 1e300, gpus 2^53-1, NUL chars", text: badValues },
  ];
}

async function measure(input: HostileInput, file: string, timeout: number) {
  const args = [
    "-v",
    Deno.execPath(),
    "run",
    "-A",
    "--v8-flags=--max-old-space-size=4096",
    new URL("../main.ts", import.meta.url).pathname,
    "workflow",
    "validate",
    file,
  ];
  const start = performance.now();
  const child = new Deno.Command("/usr/bin/time", {
    args,
    stdin: input.stdin === undefined ? "null" : "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  if (input.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input.stdin)).catch(() => {});
    await writer.close().catch(() => {});
  }
  // Past the time limit, kill deno itself (not /usr/bin/time), so that time still reports its peak memory.
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      const children = Deno.readTextFileSync(`/proc/${child.pid}/task/${child.pid}/children`).trim().split(/\s+/);
      for (const pid of children) if (pid) Deno.kill(Number(pid), "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  }, timeout * 1000);
  const { stderr } = await child.output();
  clearTimeout(timer);
  const seconds = (performance.now() - start) / 1000;
  const text = new TextDecoder().decode(stderr);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? NaN);
  const status = killed
    ? `killed after ${timeout} s`
    : /Command terminated by signal (\d+)/.exec(text)?.[0] ?? /Exit status: (\d+)/.exec(text)?.[1] ?? "?";
  const first = text.split("\n").find((l) => l.trim() && !/^\s*(Command|User|System|Percent|Elapsed)/.test(l)) ?? "";
  return { seconds, rssMiB: rss / 1024, status, first: first.slice(0, 100), bytes: text.length };
}

if (import.meta.main) {
  const flag = (name: string) => Deno.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const dir = flag("dir") ?? await Deno.makeTempDir({ prefix: "ezbatch-hostile-" });
  const timeout = Number(flag("timeout") ?? 60);
  const only = flag("only")?.split(",");
  console.log("| input | seconds | peak RSS MiB | exit | first line of stderr |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const input of hostileInputs()) {
    if (only && !only.includes(input.name)) continue;
    let file = input.path ?? `${dir}/${input.name}.toml`;
    if (input.text !== undefined) await Deno.writeTextFile(file, input.text);
    if (input.path === "-") file = "-";
    const r = await measure(input, file, timeout);
    // deno-lint-ignore no-control-regex
    const first = r.first.replaceAll("|", "\\|").replace(/\x1b\[[0-9;]*m/g, "");
    console.log(`| ${input.what} | ${r.seconds.toFixed(2)} | ${r.rssMiB.toFixed(0)} | ${r.status} | ${first} |`);
  }
}
