/**
 * Multi-node jobs on the local backend: each node runs its own node range's container, as on AWS Batch. The
 * parent's spec keeps the nodes as segments of consecutive indexes that run the same container (the definition's
 * range for the node, with every `nodeOverrides` entry that names the node applied in order), so a thousand-node
 * job stores a handful of segments, and a node's spec is found from its index (`nodeSpec`).
 * @module
 */
import type { ContainerOverrides, ContainerProperties, JobDefinition, SubmitJobInput } from "../backend_types.ts";
import { parseTargets } from "../job_nodes_check.ts";
import type { JobSpec, NodeSegment } from "./_types.ts";
import { clientError } from "./registry.ts";

/** Builds a node's spec from its container and overrides (submit.ts's container merge). */
export type BuildNode = (container: ContainerProperties, overrides: ContainerOverrides) => NodeSegment["spec"];

/** The segments of a multi-node job (undefined for any other job). Throws a client error on node indexes AWS would
 * refuse. */
export function nodeSegments(
  definition: JobDefinition,
  input: SubmitJobInput,
  build: BuildNode,
): NodeSegment[] | undefined {
  const props = definition.nodeProperties;
  if (!props) return undefined;
  const count = input.nodeOverrides?.numNodes ?? props.numNodes;
  const ranges = props.nodeRangeProperties.map((r) => ({ ...span(r.targetNodes, count), container: r.container }));
  const overrides = (input.nodeOverrides?.nodePropertyOverrides ?? []).map((o) => ({
    ...span(o.targetNodes, count),
    overrides: o.containerOverrides ?? {},
  }));
  const segments: NodeSegment[] = [];
  let previous = "";
  for (let node = 0; node < count; node++) {
    const range = ranges.findIndex((r) => r.start <= node && node <= r.end);
    const applied = overrides.flatMap((o, i) => o.start <= node && node <= o.end ? [i] : []);
    const key = `${range}|${applied.join(",")}`;
    if (key === previous) {
      segments[segments.length - 1]!.end = node;
      continue;
    }
    previous = key;
    const container = ranges[range]?.container ?? { image: "" };
    const merged = applied.reduce<ContainerOverrides>((acc, i) => mergeOverrides(acc, overrides[i]!.overrides), {});
    segments.push({ start: node, end: node, spec: build(container, merged) });
  }
  return segments;
}

/** The spec node `index` of a multi-node job runs: its segment's container over the parent's spec. */
export function nodeSpec(parent: JobSpec, index: number | undefined): JobSpec {
  if (!parent.nodeSegments || index === undefined) return parent;
  const segment = parent.nodeSegments.find((s) => s.start <= index && index <= s.end);
  return segment ? { ...parent, ...segment.spec } : parent;
}

function span(targets: string, count: number): { start: number; end: number } {
  const r = parseTargets(targets, count);
  if (typeof r === "string") throw clientError("SubmitJob", `Node range '${targets}' is invalid: ${r}`);
  return r;
}

function mergeOverrides(a: ContainerOverrides, b: ContainerOverrides): ContainerOverrides {
  return {
    ...a,
    ...b,
    ...(a.environment || b.environment ? { environment: [...a.environment ?? [], ...b.environment ?? []] } : {}),
    ...(a.resourceRequirements || b.resourceRequirements
      ? { resourceRequirements: [...b.resourceRequirements ?? [], ...a.resourceRequirements ?? []] }
      : {}),
  };
}
