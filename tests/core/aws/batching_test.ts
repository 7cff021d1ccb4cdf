import assert from "node:assert/strict";
import {
  chunk,
  clampPageSize,
  describeDefinitionsBatched,
  isRevisionOrArn,
  NAME_LOOKUP_CONCURRENCY,
} from "../../../core/aws/_batching.ts";
import type { JobDefinition } from "../../../core/backend_types.ts";

Deno.test("chunk() and clampPageSize() split and bound as AWS requires", () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([], 100), []);
  assert.equal(clampPageSize(undefined, 100), undefined);
  assert.equal(clampPageSize(0, 100), 1);
  assert.equal(clampPageSize(250.7, 1000), 250);
  assert.equal(clampPageSize(5000, 1000), 1000);
});

Deno.test("isRevisionOrArn() tells the forms the jobDefinitions list accepts from plain names", () => {
  assert.ok(isRevisionOrArn("ezb-abc:3"));
  assert.ok(isRevisionOrArn("arn:aws:batch:us-east-1:123456789012:job-definition/ezb-abc:3"));
  assert.equal(isRevisionOrArn("ezb-abc"), false);
  assert.equal(isRevisionOrArn("ezb:abc"), false);
});

Deno.test("describeDefinitionsBatched() runs at most a few name lookups at once", async () => {
  let running = 0;
  let peak = 0;
  const definition = (name: string): JobDefinition => ({
    jobDefinitionName: name,
    jobDefinitionArn: `arn:def/${name}:1`,
    revision: 1,
    type: "container",
    platformCapabilities: ["FARGATE"],
    containerProperties: { image: "alpine" },
  });
  const names = Array.from({ length: 12 }, (_, i) => `n${i}`);
  const found = await describeDefinitionsBatched(names, {
    byName: async (name) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return { items: [definition(name)] };
    },
    byList: () => Promise.reject(new Error("no list lookups expected")),
  });
  assert.equal(found.length, 12);
  assert.equal(peak, NAME_LOOKUP_CONCURRENCY);
});

Deno.test("describeDefinitionsBatched() stops looking names up after one lookup fails", async () => {
  const asked: string[] = [];
  const names = Array.from({ length: 20 }, (_, i) => `n${i}`);
  await assert.rejects(
    describeDefinitionsBatched(names, {
      byName: async (name) => {
        asked.push(name);
        await new Promise((r) => setTimeout(r, 1));
        if (name === "n1") throw new Error("AccessDenied");
        return { items: [] };
      },
      byList: () => Promise.resolve([]),
    }),
    /AccessDenied/,
  );
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(asked.length <= NAME_LOOKUP_CONCURRENCY + 1, `asked ${asked.length} names`);
});
