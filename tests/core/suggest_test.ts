import assert from "node:assert/strict";
import { closest, editDistance, formatPath, quote, shorten, Suggester } from "../../core/_suggest.ts";
import { fc } from "../support/deps.ts";

/** The textbook O(n·m) optimal string alignment distance, to check the banded one against. */
function fullDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

Deno.test("property: the banded editDistance() equals the full one, or says 'more than the limit'", () => {
  const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "A"), maxLength: 10 });
  fc.assert(
    fc.property(word, word, fc.nat(5), (a, b, limit) => {
      const full = fullDistance(a, b);
      assert.equal(editDistance(a, b), full);
      assert.equal(editDistance(a, b, limit), full <= limit ? full : limit + 1);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("editDistance() with a limit is fast on strings of a million characters", () => {
  const start = performance.now();
  assert.equal(editDistance("a".repeat(1_000_000), "b".repeat(1_000_000), 3), 4);
  assert.equal(editDistance("a".repeat(1_000_000), "a".repeat(999_000), 3), 4, "lengths too far apart: no work");
  assert.ok(performance.now() - start < 2000);
});

Deno.test("closest() suggests typos, and nothing for long words or far candidates", () => {
  assert.equal(closest("vcpu", ["vcpus", "memory"]), "vcpus");
  assert.equal(closest("memroy", ["vcpus", "memory"]), "memory");
  assert.equal(closest("xyz", ["vcpus", "memory"]), undefined);
  const long = "a".repeat(65);
  assert.equal(closest(long, [long + "b"]), undefined, "past 64 characters no suggestion is looked for");
  assert.equal(closest("a".repeat(64), ["a".repeat(63) + "b"]), "a".repeat(63) + "b");
});

Deno.test("a Suggester stops suggesting once its budget is spent, so 10,000 x 10,000 names stay cheap", () => {
  const names = Array.from({ length: 10_000 }, (_, i) => `job${String(i).padStart(5, "0")}`);
  const suggester = new Suggester(names, 100_000);
  assert.equal(suggester.closest("job00001x"), "job00001");
  const start = performance.now();
  let found = 0;
  for (let i = 0; i < 10_000; i++) if (suggester.closest(`jbo${String(i).padStart(5, "0")}`)) found++;
  assert.ok(found < 10_000, "the budget ran out");
  assert.equal(suggester.didYouMean("job00002x"), "", "nothing after the budget is spent");
  assert.ok(performance.now() - start < 2000);
});

Deno.test("quote() shortens to 60 characters and escapes control characters; formatPath() keeps valid names", () => {
  assert.equal(quote("a".repeat(61)), `'${"a".repeat(59)}…'`);
  assert.equal(quote("a".repeat(60)), `'${"a".repeat(60)}'`);
  assert.equal(quote("k\u0000\n\u007f"), "'k\\u0000\\n\\u007f'");
  assert.equal(shorten("😀".repeat(40), 4), "😀…", "never cuts a surrogate pair in two");
  assert.equal(formatPath(["jobs", "a".repeat(128)]), `jobs.${"a".repeat(128)}`);
  assert.equal(formatPath(["jobs", "a".repeat(50_000)]), `jobs.${JSON.stringify("a".repeat(129) + "…")}`);
});
