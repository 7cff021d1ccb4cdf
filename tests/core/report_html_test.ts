import assert from "node:assert/strict";
import { reportRun } from "../../core/report.ts";
import { renderReportHtml } from "../../core/report_html.ts";
import { builtInPrices } from "../../core/pricing.ts";
import { chromiumPath, openPage } from "../support/chromium.ts";
import { seededRun, T0 } from "./_report_run.ts";

const ARTIFACTS = new URL("../../.artifacts/", import.meta.url);

async function page(): Promise<{ html: string; attempts: number }> {
  const report = await reportRun(seededRun(), {
    workflow: "wf",
    runId: "r1",
    queues: ["arn:aws:batch:eu-west-1:123456789012:job-queue/q"],
    prices: builtInPrices("eu-west-1"),
    now: () => T0 + 999_000,
  });
  return { html: await renderReportHtml(report), attempts: report.rows.flatMap((r) => r.attempts).length };
}

Deno.test("renderReportHtml() makes one page with no external resource", async () => {
  const { html } = await page();
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i);
  assert.doesNotMatch(html, /url\((?!#)/);
  assert.doesNotMatch(html, /@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)[^"']*\.(js|css|woff2?)/);
  assert.match(html, /Cost is an estimate, not a bill: ezbatch's built-in price table of/);
});

Deno.test({
  name: "the HTML report loads in headless chromium: no console error, no request, one bar per attempt",
  ignore: !chromiumPath(),
  async fn() {
    const { html, attempts } = await page();
    const dir = await Deno.makeTempDir({ prefix: "ezbatch-report-" });
    const file = `${dir}/report.html`;
    await Deno.writeTextFile(file, html);
    const browser = await openPage(`file://${file}`);
    try {
      assert.deepEqual(browser.errors, []);
      assert.deepEqual(browser.requests, [`file://${file}`]);
      assert.equal(await browser.evaluate("document.querySelectorAll('#plot g.attempt').length"), attempts);
      assert.equal(
        await browser.evaluate("document.querySelectorAll('#plot g.attempt[data-outcome=FAILED]').length"),
        1,
      );
      assert.equal(await browser.evaluate("document.querySelectorAll('#dag svg rect').length"), 4);
      assert.equal(await browser.evaluate("document.querySelectorAll('#jobs tr').length"), 5);
      // The filter redraws the timeline with the matching rows only.
      await browser.evaluate(
        "const f=document.getElementById('filter');f.value='d[';f.dispatchEvent(new Event('input'))",
      );
      assert.equal(await browser.evaluate("document.querySelectorAll('#plot g.attempt').length"), 2);
      await browser.evaluate(
        "const g=document.getElementById('filter');g.value='';g.dispatchEvent(new Event('input'))",
      );
      const png = await browser.screenshot();
      assert.ok(png.length > 10_000);
      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await Deno.writeFile(new URL("report_html_test.png", ARTIFACTS), png);
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
