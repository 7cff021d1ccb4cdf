/**
 * `deno task demo`: runs examples/demo.toml to the end on the local backend (no AWS account needed), with its S3
 * mounts served from a copy of examples/s3/, then prints each job's state and the tail of its log, writes the run's
 * report (terminal summary and timeline, and an HTML page), says where it is and what to try next.
 * The run stays in the local backend's usual state folder (EZBATCH_STATE_DIR, else $XDG_STATE_HOME/ezbatch/local),
 * so `workflow runs --local`, `workflow status --local` and `monitor --local` find it afterwards.
 * Everything goes through the real CLI (`runCli`), exactly as `ezbatch --local ...` would.
 * @module
 */
import { runCli } from "../main.ts";

const here = new URL(".", import.meta.url);
// Only the S3 folder is a scratch copy (the run writes into it); the state is the local backend's own.
const work = await Deno.makeTempDir({ prefix: "ezbatch-demo-" });
const s3Dir = `${work}/s3`;
await copyTree(new URL("s3/", here).pathname, s3Dir);

const env = { ...Deno.env.toObject(), EZBATCH_S3_DIR: s3Dir };
const run = (args: string[], stdout = Deno.stdout) =>
  runCli(["--local", ...args], { env, stdout: sink(stdout), stderr: sink(Deno.stderr) });

console.error(`ezbatch demo: S3 folder in ${s3Dir}\n`);
let captured = "";
const submitted = await runCli([
  "--local",
  "--json",
  "workflow",
  "submit",
  new URL("demo.toml", here).pathname,
  "--queue",
  "demo-queue",
], {
  env,
  stdout: { write: (text: string) => void (captured += text) },
  stderr: sink(Deno.stderr),
});
if (submitted !== 0) Deno.exit(submitted);
const result = JSON.parse(captured) as { runId: string; jobs: Record<string, string> };
console.log(`Submitted run '${result.runId}' of workflow 'demo':`);
const watched = await run(["workflow", "status", "demo", result.runId, "--watch"]);

for (const [job, id] of Object.entries(result.jobs)) {
  console.log(`\n--- ${job} (${id}): last lines of its log`);
  await run(["jobs", "logs", id, ...(job === "sweep" || job === "check" ? ["--index", "0"] : [])]);
}
console.log(`\nOutputs written to the demo's S3 folder (${s3Dir}/ezbatch-demo/prepared):`);
for await (const entry of Deno.readDir(`${s3Dir}/ezbatch-demo/prepared`)) {
  console.log(`  ${entry.name}: ${(await Deno.readTextFile(`${s3Dir}/ezbatch-demo/prepared/${entry.name}`)).trim()}`);
}
// Where the time (and, on AWS, the money) went: the report in the terminal, and as a page to open in a browser.
const reportPath = `${work}/report.html`;
console.log("");
const reported = await run(["workflow", "report", "demo", result.runId, "-o", reportPath]);
console.log(`\nThe run's report is in ${reportPath}: open it in a browser.`);
const cli = "deno run -A main.ts";
console.log(`
What to try next (from this folder):
  ${cli} workflow runs --local                      # the demo's run, and any other
  ${cli} workflow status demo ${result.runId} --local      # its jobs again
  ${cli} monitor --local                             # the full-screen monitor (q quits)
  ${cli} workflow init hello.toml && ${cli} workflow submit hello.toml --local --watch
  ${cli} interactive --local                         # menus for all of the above`);
Deno.exit(watched || reported);

function sink(file: typeof Deno.stdout) {
  const encoder = new TextEncoder();
  return { write: (text: string) => void file.writeSync(encoder.encode(text)), isTTY: false };
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}
