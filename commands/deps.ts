/**
 * Third-party code used by the CLI, with full `npm:` specifiers so that running `main.ts` by URL works without our
 * deno.json. Versions live here and in `deps_completions.ts`, one module per package that not every command needs:
 * an `export ... from` loads its package whatever the importer uses, so @bomb.sh/tab, which only the completion
 * commands use, has its own module (tables and colours are our own: commands/output.ts, commands/_colors.ts).
 * @module
 */
export {
  Argument,
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
} from "npm:@commander-js/extra-typings@^15.1.0";
