import assert from "node:assert/strict";
import { raiseBudgetHint } from "../../../core/local/options.ts";

Deno.test("raiseBudgetHint() names the flag and setting of each resource the job exceeds, and only those", () => {
  const budget = { vcpus: 2, memory: 4096 };
  const cpu = raiseBudgetHint({ vcpus: 4, memory: 1024 }, budget);
  assert.match(cpu, /--local-vcpus 4 \(setting localVcpus\)/);
  assert.match(cpu, /'ezbatch config set localVcpus 4'/);
  assert.doesNotMatch(cpu, /local-memory|localMemory/);
  const mem = raiseBudgetHint({ vcpus: 0.5, memory: 8192 }, budget);
  assert.match(mem, /--local-memory 8192 \(setting localMemory\)/);
  assert.match(mem, /'ezbatch config set localMemory 8192'/);
  assert.doesNotMatch(mem, /local-vcpus|localVcpus/);
  const both = raiseBudgetHint({ vcpus: 2.5, memory: 8192 }, budget);
  assert.match(both, /--local-vcpus 3 \(setting localVcpus\) and --local-memory 8192/);
});
