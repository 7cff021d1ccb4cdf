/** The state journal on disk: what kill -9 can leave (a torn last line, a fold cut short) reads back correctly. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { registerDefinition } from "../../../core/local/registry.ts";
import { StateStore } from "../../../core/local/store.ts";
import { submitToState } from "../../../core/local/submit.ts";
import { LocalStateError } from "../../../core/local/state_check.ts";

async function withStore(fn: (store: StateStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-journal-" });
  try {
    await fn(new StateStore(dir), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function submit(store: StateStore, name: string): Promise<string> {
  return await store.update((state) => {
    if (!state.definitions.length) {
      registerDefinition(state, {
        jobDefinitionName: "d",
        type: "container",
        platformCapabilities: ["EC2"],
        containerProperties: { image: "alpine", command: ["true"] },
      });
    }
    return submitToState(state, { jobName: name, jobQueue: "q", jobDefinition: "d" }, {
      now: 1,
      autoCreateQueues: true,
    }).jobId;
  });
}

Deno.test("a change after the first is one journal line; state.json is left alone until the fold", async () => {
  await withStore(async (store, dir) => {
    await submit(store, "a");
    const snapshot = await Deno.readTextFile(join(dir, "state.json"));
    await submit(store, "b");
    await submit(store, "c");
    assert.equal(await Deno.readTextFile(join(dir, "state.json")), snapshot);
    const lines = (await Deno.readTextFile(store.journalPath)).split("\n");
    assert.equal(lines.length, 3, "two lines and the final newline");
    const names = Object.values((await store.read()).jobs).map((j) => j.jobName).sort();
    assert.deepEqual(names, ["a", "b", "c"]);
    await store.compact();
    assert.equal(await Deno.readTextFile(store.journalPath), "");
    assert.deepEqual(Object.values((await store.read()).jobs).map((j) => j.jobName).sort(), names);
  });
});

Deno.test("a torn last line (kill -9 mid-write) is ignored, and the next writer cuts it off", async () => {
  await withStore(async (store) => {
    await submit(store, "a");
    await submit(store, "b");
    const whole = await Deno.readTextFile(store.journalPath);
    await Deno.writeTextFile(store.journalPath, '{"jobs":{"x":{"jobId":"x","jobNa', { append: true });
    assert.deepEqual(Object.keys((await store.read()).jobs).length, 2);
    await submit(store, "c");
    const text = await Deno.readTextFile(store.journalPath);
    assert.ok(text.startsWith(whole) && !text.includes('"jobId":"x"') && text.endsWith("\n"));
    assert.equal(text.split("\n").length, 3);
    assert.equal(Object.keys((await store.read()).jobs).length, 3);
  });
});

Deno.test("a fold cut short after state.json was replaced replays the old lines to the same state", async () => {
  await withStore(async (store) => {
    await submit(store, "a");
    await submit(store, "b");
    const journal = await Deno.readTextFile(store.journalPath);
    const before = await store.read();
    await store.compact();
    await Deno.writeTextFile(store.journalPath, journal); // as if killed before the journal was emptied
    assert.deepEqual(await store.read(), before);
  });
});

Deno.test("a damaged whole line of the journal stops readers and writers with the way out", async () => {
  await withStore(async (store) => {
    await submit(store, "a");
    await submit(store, "b");
    const journal = await Deno.readTextFile(store.journalPath);
    await Deno.writeTextFile(store.journalPath, "not json\n" + journal);
    for (const call of [() => store.read(), () => submit(store, "c")]) {
      const error = await call().then(() => undefined, (e) => e);
      assert.ok(error instanceof LocalStateError, String(error));
      assert.match(error.message, /journal '.*state\.json\.journal' is damaged: the line at byte 0 is not valid JSON/);
      assert.match(error.message, /mv '.*journal' '.*journal\.damaged'/);
    }
    assert.equal(await Deno.readTextFile(store.journalPath), "not json\n" + journal, "nothing written over it");
  });
});
