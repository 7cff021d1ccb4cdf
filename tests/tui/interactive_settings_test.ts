import assert from "node:assert/strict";
import { loadConfig } from "../../core/config.ts";
import { runInteractive } from "../../tui/mod.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { KEY, ScriptedTerminal } from "./_terminal.ts";

const MENU = "What would you like to do?";
const SETTINGS = 4;
const QUIT = 6;

Deno.test("runInteractive() creates the settings file, sets a checked value, shows it, and unsets it", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/ezbatch.toml`;
  const term = new ScriptedTerminal();
  const done = runInteractive({
    backend: () => Promise.resolve(new MemoryBackend()),
    stdin: term.input,
    stdout: term.output,
    configPath: path,
    pollMs: 0,
  });
  await term.expect(MENU);
  await term.pick(SETTINGS);
  await term.expect(`Settings (${path}, not created yet)`);
  await term.pick(1);
  await term.expect(`Created '${path}'`);
  await term.expect("CLI: ezbatch config init");
  await term.expect(`Settings (${path})`);
  await term.pick(1);
  await term.expect("Which setting?");
  await term.pick(2);
  await term.expect("queue (e.g. my-queue)");
  await term.type("not a queue!", KEY.enter);
  await term.expect(/> .*queue/i);
  await term.type(...Array(12).fill(KEY.backspace), "my-queue", KEY.enter);
  await term.expect(`Set 'queue' in '${path}'.`);
  await term.expect("CLI: ezbatch config set queue my-queue");
  assert.equal((await loadConfig({ path, env: {} })).file.queue, "my-queue");
  await term.pick(0);
  await term.expect(/queue\s+my-queue\s+file/);
  await term.expect("CLI: ezbatch config show");
  await term.pick(2);
  await term.expect("Unset which?");
  await term.pick(0);
  await term.expect("Unset 'queue'.");
  assert.equal((await loadConfig({ path, env: {} })).file.queue, undefined);
  await term.type(KEY.ctrlC);
  await term.expect("Cancelled: back to the main menu.");
  await term.pick(QUIT);
  await done;
});
