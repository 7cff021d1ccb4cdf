import assert from "node:assert/strict";
import { RateLimiter, systemClock } from "../../core/rate_limiter.ts";
import { fakeClock } from "./_clock.ts";

Deno.test("RateLimiter lets a burst through at once, then one request per 1/rate seconds", async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter({ ratePerSecond: 10, burst: 3, clock });
  for (let i = 0; i < 3; i++) await limiter.take();
  assert.equal(clock.t, 0);
  for (let i = 0; i < 10; i++) await limiter.take();
  assert.equal(Math.round(clock.t), 1000);
  assert.ok(clock.sleeps.every((ms) => Math.round(ms) === 100), String(clock.sleeps));
});

Deno.test("RateLimiter refills while idle but never beyond its burst", async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter({ ratePerSecond: 10, burst: 2, clock });
  await limiter.take();
  await limiter.take();
  clock.t += 60_000;
  await limiter.take();
  await limiter.take();
  assert.equal(clock.sleeps.length, 0);
  await limiter.take();
  assert.equal(clock.sleeps.length, 1);
});

Deno.test("RateLimiter serves concurrent callers one slot apart", async () => {
  const limiter = new RateLimiter({ ratePerSecond: 100, burst: 1 });
  const start = Date.now();
  const times: number[] = [];
  await Promise.all(Array.from({ length: 6 }, () => limiter.take().then(() => times.push(Date.now() - start))));
  times.sort((a, b) => a - b);
  assert.ok(times[5]! >= 45, `6 requests at 100/s need about 50 ms, took ${times[5]}`);
});

Deno.test("RateLimiter.take() rejects when aborted and gives its slot back", async () => {
  const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
  await limiter.take();
  const controller = new AbortController();
  const waiting = limiter.take(controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
  await assert.rejects(limiter.take(AbortSignal.abort(new Error("already"))), /already/);
});

Deno.test("RateLimiter refuses a rate or burst that is not positive", () => {
  assert.throws(() => new RateLimiter({ ratePerSecond: 0 }), RangeError);
  assert.throws(() => new RateLimiter({ ratePerSecond: 5, burst: 0 }), /burst of at least 1/);
});

Deno.test("systemClock.sleep() can be aborted", async () => {
  const controller = new AbortController();
  const p = systemClock.sleep(10_000, controller.signal);
  controller.abort(new Error("bye"));
  await assert.rejects(p, /bye/);
});
