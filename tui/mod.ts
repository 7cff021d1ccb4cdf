/**
 * The terminal faces of ezbatch: the full-screen monitor (`ezbatch monitor`) and the prompt-driven interactive
 * mode (`ezbatch interactive`). Not part of the library (`mod.ts`); the CLI wires them.
 * @module
 */
export { type MonitorOptions, runMonitor } from "./monitor/run.tsx";
export { type InteractiveOptions, runInteractive } from "./interactive/run.ts";
