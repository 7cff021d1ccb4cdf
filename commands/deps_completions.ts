/**
 * The shell-completion package, in a module of its own so that only the completion commands load it (see deps.ts).
 * @module
 */
export { RootCommand } from "npm:@bomb.sh/tab@^0.0.22";
