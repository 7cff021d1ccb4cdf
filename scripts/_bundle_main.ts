/**
 * The entry of the single-file bundle (scripts/bundle.ts): the registry of lazily imported modules first, then the
 * CLI (`deno bundle` makes `import.meta.main` false outside the entry, so this calls main.ts's `main()`).
 * @module
 */
import "./_lazy_modules.ts";
import { main } from "../main.ts";

await main();
