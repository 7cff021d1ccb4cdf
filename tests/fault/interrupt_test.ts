import assert from "node:assert/strict";

const CHILD = new URL("./_interrupt_child.ts", import.meta.url).pathname;

Deno.test({
  name: "an interrupted submission (SIGINT) terminates what it submitted before the process exits",
  ignore: Deno.build.os === "windows",
  async fn() {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CHILD],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new Response(child.stdout).text();
    let progress = "";
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    while (!/submitted 10\//.test(progress)) {
      const { value, done } = await reader.read();
      if (done) break;
      progress += value;
    }
    child.kill("SIGINT");
    const rest = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        progress += value;
      }
    })();
    const [status, out] = await Promise.all([child.status, stdout, rest]).then(([s, o]) => [s, o] as const);
    const result = JSON.parse(out);
    assert.equal(status.code, 130, progress);
    assert.equal(result.ok, false);
    assert.match(result.message, /Interrupted/);
    assert.ok(result.submitted >= 10 && result.submitted < 200, `${result.submitted} submitted`);
    assert.equal(result.terminated, result.submitted);
    assert.equal(result.server.length, result.submitted, "every job on the server is one the error lists");
    assert.deepEqual(result.server.filter((j: { terminated: boolean }) => !j.terminated), []);
  },
});
