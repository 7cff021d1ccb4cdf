import assert from "node:assert/strict";

const TREE = new URL("../../../core/local/process_tree.ts", import.meta.url).href;

Deno.test({
  name: "process_tree: a CLI run without every permission (-A --deny-net) never takes a live process for dead",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
    const dir = await Deno.makeTempDir();
    try {
      const script = `${dir}/probe.ts`;
      await Deno.writeTextFile(
        script,
        `import { descendants, markedProcesses, processAlive } from "${TREE}";\n` +
          `console.log(JSON.stringify({ alive: processAlive(${sleeper.pid}), gone: processAlive(2147483646), ` +
          `marked: markedProcesses("x"), kids: descendants(${sleeper.pid}) }));\n`,
      );
      // The bundle test runs the CLI so, to prove it needs no network: /proc is then closed to it.
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-config", "--no-lock", "-A", "--deny-net", script],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, err);
      const probe = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.equal(probe.alive, true, "a live supervisor read without /proc access was taken for dead");
      assert.equal(probe.gone, true, "without /proc nothing can be told dead: the heartbeat decides");
      assert.deepEqual([probe.marked, probe.kids], [[], []]);
    } finally {
      sleeper.kill();
      await sleeper.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
});
