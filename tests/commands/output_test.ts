/**
 * The table renderer and colours of commands/output.ts and commands/_colors.ts, which replaced cli-table3 and
 * picocolors (issue 15, point 4): the expected strings are what those packages printed for the same input.
 */
import assert from "node:assert/strict";
import { createColors } from "../../commands/_colors.ts";
import { displayWidth, formatDuration, renderTable } from "../../commands/output.ts";

const c = createColors(true);

Deno.test("renderTable() aligns colour codes, wide characters, emoji and combining marks as cli-table3 did", () => {
  const rows = [["a", "RUNNING", undefined], ["日本語", c.red("FAILED"), "line\nbreak"], ["😀e\u0301", "ok", ""]];
  assert.equal(
    renderTable(["NAME", "STATUS", "REASON"], rows, { colors: c }),
    "\u001b[1mNAME\u001b[22m    \u001b[1mSTATUS\u001b[22m   \u001b[1mREASON\u001b[22m\n" +
      "a       RUNNING  -\n日本語  \u001b[31mFAILED\u001b[39m   line break\n😀e\u0301     ok       -",
  );
});

Deno.test("renderTable() pads columns by two spaces, trims line ends and prints the empty text", () => {
  assert.equal(renderTable(["ID", "N"], [["x", 1], ["long-id", true]]), "ID       N\nx        1\nlong-id  true");
  assert.equal(renderTable(["ID", "NOTE"], [["x", null]]), "ID  NOTE\nx   -");
  assert.equal(renderTable(["ID"], []), "No results.");
  assert.equal(renderTable(["ID"], [], { emptyText: "No jobs." }), "No jobs.");
});

Deno.test("displayWidth() counts terminal columns", () => {
  assert.equal(displayWidth("abc"), 3);
  assert.equal(displayWidth(c.bold(c.red("abc"))), 3);
  assert.equal(displayWidth("日本"), 4);
  assert.equal(displayWidth("👍🏽"), 2);
  assert.equal(displayWidth("e\u0301"), 1);
  assert.equal(displayWidth("a\u0007b"), 2);
});

Deno.test("colours match picocolors, nested closes re-opened; off, they are the identity", () => {
  assert.equal(c.red("a " + c.dim("b") + " c"), "\u001b[31ma \u001b[2mb\u001b[22m c\u001b[39m");
  assert.equal(c.bold("x" + c.dim("y") + "z"), "\u001b[1mx\u001b[2my\u001b[22m\u001b[1mz\u001b[22m");
  assert.equal(c.dim(5), "\u001b[2m5\u001b[22m");
  const off = createColors(false);
  assert.equal(off.red("a"), "a");
  assert.equal(off.bold(5), "5");
  assert.equal(off.isColorSupported, false);
});

Deno.test("formatDuration() of the tables: '<1s' for a job shorter than half a second, '-' for none", () => {
  assert.deepEqual([undefined, -1, 0, 30, 499, 500, 61_000, 3_720_000].map(formatDuration), [
    "-",
    "-",
    "0s",
    "<1s",
    "<1s",
    "1s",
    "1m 1s",
    "1h 2m",
  ]);
});
