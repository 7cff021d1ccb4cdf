/**
 * Local backend throughput, side by side with `xargs -P` running the same commands in the same run: a sweep of
 * trivial array children, a larger sweep with the supervisor's peak memory, and a 200-job DAG (layers of 20, each
 * job waiting for two of the layer before; xargs runs the layers one after the other). The supervisor is a daemon
 * (`deno run -A core/local/supervisor_main.ts`) started by a one-job warm-up before the clock starts; jobs run on
 * the host without isolation. Time of a run = last job's stoppedAt minus the start of the first submit.
 * `--before=DIR` also runs each case with the supervisor of another tree (a copy of an earlier commit: its
 * `core/local/supervisor_main.ts`, the client being this tree's), right after this tree's, against the same xargs
 * measurement: a before/after table from one run.
 * @module
 */
import { LocalBackend } from "../core/local/backend.ts";
import { seconds, table } from "./_table.ts";

const SLOT_VCPUS = 0.25;
const COMMAND = "echo $0 >/dev/null";

async function xargs(inputs: number, parallel: number): Promise<number> {
  const start = performance.now();
  const child = new Deno.Command("sh", {
    args: ["-c", `seq ${inputs} | xargs -P ${parallel} -n1 sh -c '${COMMAND}'`],
    stdout: "null",
  }).spawn();
  if (!(await child.status).success) throw new Error("xargs failed");
  return performance.now() - start;
}

async function xargsLayers(layers: number, width: number, parallel: number): Promise<number> {
  const start = performance.now();
  for (let l = 0; l < layers; l++) await xargs(width, parallel);
  return performance.now() - start;
}

/** Peak resident set (VmHWM) of a process, in MiB. */
function peakRss(pid: number): number | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function waitDone(backend: LocalBackend, ids: string[], pollMs: number): Promise<number> {
  while (true) {
    const details = await backend.describeJobs(ids);
    if (details.some((d) => d.status === "FAILED")) throw new Error(`A job failed: ${JSON.stringify(details[0])}`);
    if (details.length === ids.length && details.every((d) => d.status === "SUCCEEDED")) {
      return Math.max(...details.map((d) => d.stoppedAt ?? 0));
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Which supervisor runs the jobs: this tree's, or the `core/local/supervisor_main.ts` of another tree. */
type Tree = string | undefined;

async function withBackend<T>(
  tree: Tree,
  parallel: number,
  fn: (b: LocalBackend) => Promise<T>,
): Promise<T & { rss?: number }> {
  const stateDir = await Deno.makeTempDir({ prefix: "ezbatch-bench-local-" });
  const backend = new LocalBackend({
    stateDir,
    runtime: "host",
    isolation: "none",
    vcpus: parallel * SLOT_VCPUS,
    memory: 1 << 20,
    ...(tree
      ? {
        supervisorCommand: [
          Deno.execPath(),
          "run",
          "-A",
          `--config=${tree}/deno.json`,
          `--lock=${tree}/deno.lock`,
          `${tree}/core/local/supervisor_main.ts`,
        ],
      }
      : {}),
  });
  await backend.registerJobDefinition({
    jobDefinitionName: "trivial",
    type: "container",
    platformCapabilities: ["EC2"],
    containerProperties: {
      image: "alpine",
      command: ["/bin/sh", "-c", COMMAND, "x"],
      resourceRequirements: [{ type: "VCPU", value: String(SLOT_VCPUS) }, { type: "MEMORY", value: "512" }],
    },
  });
  const warm = await backend.submitJob({ jobName: "warm", jobQueue: "q", jobDefinition: "trivial" });
  await waitDone(backend, [warm.jobId], 50);
  const result = await fn(backend);
  const info = JSON.parse(await Deno.readTextFile(`${stateDir}/supervisor.json`)) as { pid: number };
  const rss = peakRss(info.pid);
  // Stop the daemon before its directory goes (it would otherwise idle for 10 s and write as it leaves).
  try {
    Deno.kill(info.pid, "SIGTERM");
    while (peakRss(info.pid) !== undefined) await new Promise((r) => setTimeout(r, 50));
  } catch { /* gone already */ }
  await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  return { ...result, ...(rss !== undefined ? { rss } : {}) };
}

async function sweep(tree: Tree, children: number, parallel: number): Promise<{ ms: number }> {
  return await withBackend(tree, parallel, async (backend) => {
    const start = Date.now();
    const { jobId } = await backend.submitJob({
      jobName: "sweep",
      jobQueue: "q",
      jobDefinition: "trivial",
      arrayProperties: { size: children },
    });
    // Each poll reads the whole state (10 MB at 10,000 children): poll rarely, the time comes from stoppedAt.
    const end = await waitDone(backend, [jobId], Math.max(200, children));
    return { ms: end - start };
  });
}

async function dag(tree: Tree, layers: number, width: number, parallel: number): Promise<{ ms: number }> {
  return await withBackend(tree, parallel, async (backend) => {
    const start = Date.now();
    let previous: string[] = [];
    const all: string[] = [];
    for (let l = 0; l < layers; l++) {
      const layer: string[] = [];
      for (let i = 0; i < width; i++) {
        const dependsOn = previous.length === 0 ? [] : [{ jobId: previous[i]! }, { jobId: previous[(i + 1) % width]! }];
        const { jobId } = await backend.submitJob({
          jobName: `j${l}-${i}`,
          jobQueue: "q",
          jobDefinition: "trivial",
          ...(dependsOn.length ? { dependsOn } : {}),
        });
        layer.push(jobId);
      }
      all.push(...layer);
      previous = layer;
    }
    const end = await waitDone(backend, all, 200);
    return { ms: end - start };
  });
}

/** Runs the local benchmarks (with `before`, also each case on that tree's supervisor); returns Markdown. */
export async function benchLocal(
  options: { children: number; large: number; parallel: number; before?: string },
): Promise<string> {
  const { children, large, parallel, before } = options;
  const rows: (string | number)[][] = [];
  const load = () => Deno.loadavg()[0]!.toFixed(1);
  const cases: {
    what: string;
    jobs: number;
    ours: (tree: Tree) => Promise<{ ms: number; rss?: number }>;
    xargs: () => Promise<number>;
  }[] = [
    {
      what: `${children.toLocaleString("en")}-child sweep`,
      jobs: children,
      ours: (tree) => sweep(tree, children, parallel),
      xargs: () => xargs(children, parallel),
    },
  ];
  if (large > 0) {
    cases.push({
      what: `${large.toLocaleString("en")}-child sweep`,
      jobs: large,
      ours: (tree) => sweep(tree, large, parallel),
      xargs: () => xargs(large, parallel),
    });
  }
  cases.push({
    what: "200-job DAG (10 layers of 20)",
    jobs: 200,
    ours: (tree) => dag(tree, 10, 20, parallel),
    xargs: () => xargsLayers(10, 20, parallel),
  });
  for (const c of cases) {
    const theirs = await c.xargs();
    const runs: [string, Tree][] = before ? [["after: ", undefined], ["before: ", before]] : [["", undefined]];
    for (const [label, tree] of runs) {
      const ours = await c.ours(tree);
      rows.push([
        label + c.what,
        seconds(ours.ms),
        seconds(theirs),
        (ours.ms / theirs).toFixed(1) + "x",
        (ours.ms / c.jobs).toFixed(2),
        ours.rss?.toFixed(0) ?? "",
        load(),
      ]);
    }
  }
  return [
    `\`${COMMAND}\` per job; ${parallel} at a time (ezbatch: ${parallel * SLOT_VCPUS} vCPU budget, ` +
    `${SLOT_VCPUS} vCPU per job; \`xargs -P ${parallel}\`).\n`,
    table(
      ["run", "ezbatch local s", "xargs s", "ratio", "ezbatch ms per job", "supervisor peak RSS MiB", "load"],
      rows,
    ),
  ].join("\n");
}

if (import.meta.main) {
  const flag = (name: string, fallback: string) =>
    Deno.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  console.log(
    await benchLocal({
      children: Number(flag("children", "1000")),
      large: Number(flag("large", "10000")),
      parallel: Number(flag("parallel", "8")),
      ...(Deno.args.some((a) => a.startsWith("--before=")) ? { before: flag("before", "") } : {}),
    }),
  );
}
