/**
 * The module graph of an entry, from `deno info --json`: what Deno loads before the entry runs (dynamic imports are
 * left out, as they load only when called), or with `{ dynamic: true }` what it prepares when the entry starts (literal
 * dynamic imports included; type-only imports, such as `typeof import("./x.ts")`, never).
 * @module
 */

/**
 * The modules `entry` loads before it runs (static imports, followed through), and the npm packages among them;
 * with `dynamic`, the literal dynamic imports too.
 */
export async function staticGraph(
  entry: string,
  options: { dynamic?: boolean } = {},
): Promise<{ modules: Set<string>; npm: Set<string> }> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", entry], stdout: "piped" }).output();
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean; npmPackage?: string }[];
    }[];
    redirects: Record<string, string>;
  };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const npm = new Set<string>();
  const seen = new Set<string>();
  const stack = [new URL(entry, "file:///").href];
  while (stack.length) {
    const spec = stack.pop()!;
    if (seen.has(spec)) continue;
    seen.add(spec);
    for (const dep of bySpecifier.get(spec)?.dependencies ?? []) {
      if ((dep.isDynamic && !options.dynamic) || !dep.code) continue;
      if (dep.npmPackage) npm.add(dep.npmPackage);
      const target = graph.redirects[dep.code.specifier] ?? dep.code.specifier;
      stack.push(target.startsWith("file:") ? target : new URL(target, spec).href);
    }
  }
  return { modules: seen, npm };
}
