/**
 * Third-party code used by the CLI, with full `npm:` specifiers so that running `main.ts` by URL works without our
 * deno.json. Versions live here only.
 * @module
 */
export {
  Argument,
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
} from "npm:@commander-js/extra-typings@^15.1.0";
export { default as Table } from "npm:cli-table3@^0.6.5";
export { createColors } from "npm:picocolors@^1.1.1";
export { RootCommand } from "npm:@bomb.sh/tab@^0.0.22";
