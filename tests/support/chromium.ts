/**
 * Opens a page in Debian's headless chromium and watches it through the DevTools protocol: console errors,
 * uncaught exceptions and every network request, then evaluates expressions and takes a screenshot.
 */

/** What the page did while it loaded. */
export interface PageWatch {
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** URLs the page requested (the page itself included). */
  requests: string[];
  /** Evaluates an expression in the page; returns its value (JSON-serialisable). */
  evaluate(expression: string): Promise<unknown>;
  /** PNG of the viewport. */
  screenshot(): Promise<Uint8Array>;
  /** Closes the browser. */
  close(): Promise<void>;
}

/** The chromium binary, or undefined when it is not installed. */
export function chromiumPath(): string | undefined {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    try {
      Deno.statSync(p);
      return p;
    } catch { /* next */ }
  }
  return undefined;
}

/** Loads `url` in a fresh headless chromium (its own profile directory) and resolves once the page has loaded. */
export async function openPage(url: string, size = { width: 1280, height: 900 }): Promise<PageWatch> {
  const profile = await Deno.makeTempDir({ prefix: "ezbatch-chromium-" });
  const child = new Deno.Command(chromiumPath()!, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      `--window-size=${size.width},${size.height}`,
      "about:blank",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const browserWs = await devtoolsUrl(child.stderr);
  const port = new URL(browserWs).port;
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as {
    type: string;
    webSocketDebuggerUrl: string;
  }[];
  const ws = new WebSocket(targets.find((t) => t.type === "page")!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  const errors: string[] = [];
  const requests: string[] = [];
  let loaded!: () => void;
  const load = new Promise<void>((r) => (loaded = r));
  ws.onmessage = (event) => {
    const msg = JSON.parse(event.data);
    if (msg.id !== undefined) return pending.get(msg.id)?.(msg.result ?? { error: msg.error });
    const p = msg.params;
    if (msg.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) {
      errors.push(p.args.map((a: { value?: unknown; description?: string }) => a.value ?? a.description).join(" "));
    }
    if (msg.method === "Runtime.exceptionThrown") errors.push(p.exceptionDetails.exception?.description ?? "exception");
    if (msg.method === "Log.entryAdded" && p.entry.level === "error") errors.push(p.entry.text);
    if (msg.method === "Network.requestWillBeSent") requests.push(p.request.url);
    if (msg.method === "Page.loadEventFired") loaded();
  };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const n = ++id;
      pending.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  for (const domain of ["Runtime", "Log", "Network", "Page"]) await send(`${domain}.enable`);
  await send("Page.navigate", { url });
  await load;
  await new Promise((r) => setTimeout(r, 200)); // let the page's script settle (resize, first draw)
  return {
    errors,
    requests,
    async evaluate(expression) {
      const out = await send("Runtime.evaluate", { expression, returnByValue: true });
      return (out.result as { value?: unknown } | undefined)?.value;
    },
    async screenshot() {
      const out = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true });
      return Uint8Array.from(atob(out.data as string), (c) => c.charCodeAt(0));
    },
    async close() {
      ws.close();
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

async function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  const deadline = setTimeout(() => reader.cancel(), 30_000);
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
    if (m) {
      clearTimeout(deadline);
      // Keep draining stderr so chromium never blocks on a full pipe.
      (async () => {
        while (!(await reader.read().catch(() => ({ done: true }))).done) { /* drain */ }
      })();
      return m[1]!;
    }
  }
  clearTimeout(deadline);
  throw new Error(`chromium did not start its DevTools endpoint: ${text.slice(-500)}`);
}
