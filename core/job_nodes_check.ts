/**
 * Offline checks of a multi-node job's node ranges against AWS Batch's rules (NodeRangeProperty.targetNodes):
 * each range is `N`, `START:`, `:END` or `START:END` with inclusive ends inside 0..nodes-1, the ranges cover every
 * node exactly once (so the main node has a container), and each range's size is a valid EC2 size.
 * @module
 */
import { quote } from "./_suggest.ts";
import type { FeatureAt, FeatureJob } from "./job_features_check.ts";

const TARGETS = /^(\d*)(:?)(\d*)$/;

/** The inclusive node indexes `targets` names among `nodes`, or a problem. */
export function parseTargets(targets: string, nodes: number): { start: number; end: number } | string {
  const m = TARGETS.exec(targets);
  if (!m || targets === "" || targets === ":" || (m[2] === "" && m[3] !== "")) {
    return `Expected node indexes like '0', '1:', ':3' or '2:5', got ${quote(targets)}`;
  }
  const start = m[1] === "" ? 0 : Number(m[1]);
  const end = m[2] === "" ? start : m[3] === "" ? nodes - 1 : Number(m[3]);
  if (start > end) return `The range ${quote(targets)} starts after it ends`;
  if (end >= nodes) return `The range ${quote(targets)} reaches node ${end}, but the job has nodes 0 to ${nodes - 1}`;
  return { start, end };
}

/** Every problem of `job.node_ranges`, reported through `at`. */
export function checkNodeRanges(job: FeatureJob, at: FeatureAt): void {
  const ranges = job.node_ranges;
  if (ranges === undefined) return;
  if (job.nodes === undefined) return at("node_ranges", "node_ranges needs nodes = N (a multi-node parallel job)");
  if (ranges.length === 0) return at("node_ranges", "node_ranges is empty: remove it, or give at least one range");
  const owner = new Array<number | undefined>(job.nodes).fill(undefined);
  let parsed = true;
  for (const [i, range] of ranges.entries()) {
    const where = ["node_ranges", i];
    const r = parseTargets(range.targets, job.nodes);
    if (typeof r === "string") {
      at([...where, "targets"], r);
      parsed = false;
      continue;
    }
    for (let n = r.start; n <= r.end; n++) {
      const other = owner[n];
      if (other !== undefined) {
        at(
          [...where, "targets"],
          `Node ${n} is in two ranges: ${quote(ranges[other]!.targets)} and ${quote(range.targets)}`,
        );
        parsed = false;
        break;
      }
      owner[n] = i;
    }
    if (range.image !== undefined && !/^\S+$/.test(range.image)) {
      at([...where, "image"], `Expected an image like 'my-repo/mpi:1', got ${quote(range.image)}`);
    }
    if (range.vcpus !== undefined && !(Number.isInteger(range.vcpus) && range.vcpus >= 1)) {
      at([...where, "vcpus"], `Expected a whole number of vCPUs of 1 or more on EC2, got ${range.vcpus}`);
    }
    if (range.memory !== undefined && range.memory < 4) {
      at([...where, "memory"], `Expected at least 4 MiB of memory on EC2, got ${range.memory}`);
    }
  }
  if (!parsed) return;
  const missing = owner.flatMap((o, n) => o === undefined ? [n] : []);
  const main = job.main_node ?? 0;
  if (missing.includes(main)) {
    at("node_ranges", `The main node (${main}) is in no range: every node needs a container`);
  } else if (missing.length) {
    const which = missing.length === 1 ? `Node ${missing[0]} is` : `Nodes ${missing.join(", ")} are`;
    at("node_ranges", `${which} in no range: the ranges must cover nodes 0 to ${job.nodes - 1}`);
  }
}
