/**
 * Imports a module of the program when a command needs it, without Deno preparing it at start-up. Deno builds the
 * module graph through every literal `import("./x.ts")` when a program starts, whether it runs or not (the whole
 * program's graph, about 200 modules and the npm packages they name: 15 ms of every start, `--help` included,
 * measured). A specifier computed at run time is prepared only when imported. The bundle and the compiled binary
 * need to see these modules: `scripts/_lazy_modules.ts` names each one with a literal import, and the bundle runs it
 * first (it fills the registry below, which esbuild's inlined loaders answer from); `deno compile` includes it.
 * @module
 */

/** Where scripts/_lazy_modules.ts puts its loaders, by path from the repository root. */
export const LAZY_MODULES: unique symbol = Symbol.for("ezbatch.lazyModules") as never;

/** Loads `path` (from the repository root, e.g. `commands/jobs.ts`): from the bundle's registry, else by URL. */
export function importLazily<T>(path: string): Promise<T> {
  const loaders = (globalThis as Record<symbol, unknown>)[LAZY_MODULES] as
    | Record<string, () => Promise<unknown>>
    | undefined;
  const load = loaders?.[path];
  return (load ? load() : import(new URL(`../${path}`, import.meta.url).href)) as Promise<T>;
}
