/**
 * Third-party code used by the terminal faces of ezbatch (the ink monitor and the interactive prompts), with full
 * `npm:` specifiers so importing by URL works without our deno.json. Versions live here only. Every `.tsx` file
 * carries the same JSX pragmas:
 *
 * ```
 * /** @jsxRuntime automatic *\/
 * /** @jsxImportSource npm:react@^19.2.0 *\/
 * /** @jsxImportSourceTypes npm:@types/react@^19.2.0 *\/
 * ```
 * @module
 */
export { Box, render, Text, useApp, useInput, useStdout } from "npm:ink@^6.8.0";
export type { Instance as InkInstance, Key as InkKey } from "npm:ink@^6.8.0";
export { useEffect, useMemo, useReducer, useRef, useState } from "npm:react@^19.2.0";
export type { ReactNode } from "npm:react@^19.2.0";
export { checkbox, confirm, input, number, select, Separator } from "npm:@inquirer/prompts@^8.0.0";
