import assert from "node:assert/strict";
import { RateLimiter, systemClock } from "../../core/rate_limiter.ts";
import { fakeClock } from "./_clock.ts";
import { fc } from "../support/deps.ts";

Deno.test("RateLimiter lets the whole rate through at once, then waits for the first to leave the window", async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter({ ratePerSecond: 10, slackMs: 0, clock });
  for (let i = 0; i < 10; i++) await limiter.take();
  assert.equal(clock.t, 0);
  await limiter.take();
  assert.equal(clock.t, 1000, "the 11th goes when the 1st leaves the one-second window");
  for (let i = 0; i < 9; i++) await limiter.take();
  assert.equal(clock.t, 1000, "the 2nd to 10th left at the same time as the 1st");
  await limiter.take();
  assert.equal(clock.t, 2000);
});

Deno.test("RateLimiter never lets more than the rate into any one-second window (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 0, max: 50 }),
      fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 120 }),
      async (rate, slackMs, gaps) => {
        const clock = fakeClock();
        const limiter = new RateLimiter({ ratePerSecond: rate, slackMs, clock });
        const sent: number[] = [];
        for (const gap of gaps) {
          clock.t += gap; // the caller comes back after some work
          await limiter.take();
          sent.push(clock.t);
        }
        for (let i = rate; i < sent.length; i++) {
          assert.ok(sent[i]! - sent[i - rate]! >= 1000 + slackMs, String(sent));
        }
        // and it never makes a caller wait when the window has room
        if (gaps.every((g) => g >= 1000 + slackMs)) assert.equal(clock.sleeps.length, 0);
      },
    ),
  );
});

Deno.test("RateLimiter measures its window 25 ms longer than a second by default", async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter({ ratePerSecond: 50, clock });
  for (let i = 0; i < 51; i++) await limiter.take();
  assert.deepEqual(clock.sleeps, [1025]);
});

Deno.test("RateLimiter below one request per second spaces requests 1/rate seconds apart", async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter({ ratePerSecond: 0.5, slackMs: 0, clock });
  await limiter.take();
  await limiter.take();
  await limiter.take();
  assert.deepEqual(clock.sleeps, [2000, 2000]);
});

Deno.test("RateLimiter serves concurrent callers in turn, a window apart", async () => {
  const limiter = new RateLimiter({ ratePerSecond: 2, slackMs: 0 });
  const start = Date.now();
  const times: number[] = [];
  await Promise.all(Array.from({ length: 3 }, () => limiter.take().then(() => times.push(Date.now() - start))));
  times.sort((a, b) => a - b);
  assert.ok(times[1]! < 500, `the first two go at once, took ${times[1]}`);
  assert.ok(times[2]! >= 990, `the third waits for the first to leave the window, took ${times[2]}`);
});

Deno.test("RateLimiter.take() rejects when aborted and gives its slot back", async () => {
  await assert.rejects(new RateLimiter().take(AbortSignal.abort(new Error("already"))), /already/);
  const clock = fakeClock(1000);
  const limiter = new RateLimiter({ ratePerSecond: 1, slackMs: 0, clock });
  await limiter.take();
  const controller = new AbortController();
  const sleep = clock.sleep;
  clock.sleep = (_ms, signal) => { // the caller gives up while it waits for the slot at t=2000
    controller.abort(new Error("stop"));
    return sleep(0, signal);
  };
  await assert.rejects(limiter.take(controller.signal), /stop/);
  clock.sleep = sleep;
  clock.t = 2000;
  await limiter.take();
  assert.deepEqual(clock.sleeps, [], "the slot at t=2000 was given back: no wait");
});

Deno.test("RateLimiter refuses a rate that is not a positive number", () => {
  assert.throws(() => new RateLimiter({ ratePerSecond: 0 }), RangeError);
  assert.throws(() => new RateLimiter({ ratePerSecond: -5 }), /above 0/);
  assert.throws(() => new RateLimiter({ ratePerSecond: Infinity }), RangeError);
  assert.throws(() => new RateLimiter({ slackMs: -1 }), /Slack -1 ms/);
});

Deno.test("systemClock.sleep() can be aborted", async () => {
  const controller = new AbortController();
  const p = systemClock.sleep(10_000, controller.signal);
  controller.abort(new Error("bye"));
  await assert.rejects(p, /bye/);
});
