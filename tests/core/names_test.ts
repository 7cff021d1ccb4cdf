import assert from "node:assert/strict";
import { isValidJobName, isValidResourceName, MAX_NAME_LENGTH, shortenName } from "../../core/names.ts";

Deno.test("isValidJobName() follows the AWS rule: letter or digit first, then letters, digits, - and _", () => {
  assert.ok(isValidJobName("train-1_a"));
  assert.ok(isValidJobName("9lives"));
  assert.ok(!isValidJobName("-lead"));
  assert.ok(!isValidJobName("has space"));
  assert.ok(!isValidJobName(""));
  assert.ok(!isValidJobName("a".repeat(129)));
  assert.ok(isValidJobName("a".repeat(128)));
});

Deno.test("isValidResourceName() allows a leading - or _ but nothing outside the alphabet", () => {
  assert.ok(isValidResourceName("_queue"));
  assert.ok(!isValidResourceName("queue.1"));
});

Deno.test("shortenName() keeps short names and makes long ones fit, distinct and stable", () => {
  assert.equal(shortenName("short"), "short");
  const a = shortenName("x".repeat(200) + "a");
  const b = shortenName("x".repeat(200) + "b");
  assert.equal(a.length, MAX_NAME_LENGTH);
  assert.notEqual(a, b);
  assert.equal(a, shortenName("x".repeat(200) + "a"));
  assert.ok(isValidJobName(a));
});
