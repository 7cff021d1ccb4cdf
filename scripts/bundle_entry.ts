/**
 * The entry of `deno task bundle`: main.ts with the AWS SDK carried inside the one file. The literal import below
 * lets the bundler put `core/_aws_sdk_embed.ts` (the SDK packages) in the file as code that is evaluated only when
 * a command first talks to AWS; main.ts itself must not hold it, because Deno prepares the npm packages of every
 * literal dynamic import at start-up when run from source.
 * @module
 */
import { embedSdk } from "../core/deps.ts";

embedSdk(() => import("../core/_aws_sdk_embed.ts"));
// The bundler turns import.meta.main into false in every module but this one: main.ts is run from here.
const { runMain } = await import("../main.ts");
await runMain();
