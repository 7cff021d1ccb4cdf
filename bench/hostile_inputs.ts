/**
 * The hostile workflow files of issue 12, and the time and peak memory `workflow validate` takes on each.
 *
 * `deno run -A bench/hostile_inputs.ts [--dir=DIR] [--timeout=60] [--only=NAME]` writes the files to DIR (default a
 * temporary folder; they are large, do not commit them), then runs `/usr/bin/time -v deno run -A main.ts workflow
 * validate FILE` on each (stdin for the `stdin` case) with a 4 GiB V8 heap and a time limit, and prints a Markdown
 * table: seconds, peak resident memory, exit code and the first line of stderr.
 * @module
 */

import { type HostileInput, hostileInputs } from "../tests/support/hostile_inputs.ts";

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
