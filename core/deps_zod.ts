/**
 * zod, in a module of its own: an `export ... from` loads its package whatever the importer uses, so when zod sat
 * in `core/deps.ts` every importer of smol-toml or of the AWS SDK loaders (settings, `jobs list`) loaded zod too
 * (about 30 ms before the first output). Only the workflow schema and the job features need it.
 * @module
 */
export { z } from "npm:zod@^4.1.0";
