import assert from "node:assert/strict";
import { FARGATE_SIZES, FARGATE_VCPUS, fargateMemoryChoices, isValidFargateSize } from "../../mod.ts";

Deno.test("FARGATE_VCPUS lists the Fargate vCPU values in order", () => {
  assert.deepEqual(FARGATE_VCPUS, [0.25, 0.5, 1, 2, 4, 8, 16]);
  assert.ok(Object.isFrozen(FARGATE_SIZES) && Object.isFrozen(FARGATE_SIZES[0]!.memory));
});

Deno.test("fargateMemoryChoices() follows the table of aws-batch-rules.md", () => {
  assert.deepEqual(fargateMemoryChoices(0.25), [512, 1024, 2048]);
  assert.deepEqual(fargateMemoryChoices(0.5), [1024, 2048, 3072, 4096]);
  assert.deepEqual(fargateMemoryChoices(1), [2048, 3072, 4096, 5120, 6144, 7168, 8192]);
  const two = fargateMemoryChoices(2);
  assert.deepEqual([two[0], two.at(-1), two.length], [4096, 16384, 13]);
  const four = fargateMemoryChoices(4);
  assert.deepEqual([four[0], four.at(-1), four.length], [8192, 30720, 23]);
  const eight = fargateMemoryChoices(8);
  assert.deepEqual([eight[0], eight[1], eight.at(-1), eight.length], [16384, 20480, 61440, 12]);
  const sixteen = fargateMemoryChoices(16);
  assert.deepEqual([sixteen[0], sixteen[1], sixteen.at(-1), sixteen.length], [32768, 40960, 122880, 12]);
  assert.deepEqual(fargateMemoryChoices(3), []);
  // Callers get a copy they may change.
  fargateMemoryChoices(1).push(1);
  assert.equal(fargateMemoryChoices(1).length, 7);
});

Deno.test("isValidFargateSize() accepts exactly the pairs of the table", () => {
  assert.ok(isValidFargateSize(0.25, 512));
  assert.ok(!isValidFargateSize(0.25, 1536));
  assert.ok(isValidFargateSize(16, 122880));
  assert.ok(!isValidFargateSize(16, 124000));
  assert.ok(!isValidFargateSize(8, 17408));
  assert.ok(!isValidFargateSize(3, 8192));
});
