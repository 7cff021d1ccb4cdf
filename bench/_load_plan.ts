/**
 * Library start-up: `deno run bench/_load_plan.ts FILE` loads and plans a workflow file through mod.ts, the path a
 * script importing ezbatch takes, and prints the number of submissions.
 * @module
 */
import { loadWorkflow, planWorkflow } from "../mod.ts";

const file = Deno.args[0];
if (!file) throw new Error("Usage: deno run -A bench/_load_plan.ts FILE");
const plan = planWorkflow(await loadWorkflow(file), { runId: "bench" });
console.log(plan.submissions.length);
