/**
 * `ezbatch completions bash|zsh|fish|powershell` prints a shell completion script (made by @bomb.sh/tab). The
 * script calls the hidden `ezbatch complete -- <words>` on each TAB, which answers from the command tree, with job
 * queue names (read from the backend, briefly) and the values of choice options such as job states.
 * @module
 */
import type { CliContext } from "./context.ts";
import { Argument } from "./deps.ts";
import { RootCommand } from "./deps_completions.ts";
import { completionsOf, QUEUE_NAMES } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";

/** The shells @bomb.sh/tab writes scripts for. */
export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;

const QUEUE_LOOKUP_MS = 3000;

/** Runs `fn` with console.log redirected into a string (@bomb.sh/tab prints with console.log). */
function captureConsole(fn: () => void): string {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => void lines.push(parts.map(String).join(" "));
  try {
    fn();
  } finally {
    console.log = original;
  }
  return lines.map((l) => `${l}\n`).join("");
}

type Values = () => readonly string[];

function valuesOf(target: object, choices: readonly string[] | undefined, queues: Values): Values | undefined {
  const recorded = completionsOf(target) ?? choices;
  if (!recorded) return undefined;
  return recorded === QUEUE_NAMES ? queues : () => recorded;
}

/** Builds the completion tree of @bomb.sh/tab from the commander program. */
export function completionTree(program: AnyCommand, queues: Values): RootCommand {
  const root = new RootCommand();
  const visit = (command: AnyCommand, path: string) => {
    const node = path ? root.command(path, command.description()) : root;
    for (const option of command.options) {
      if (option.hidden || !option.long) continue;
      const name = option.long.slice(2);
      const alias = option.short?.slice(1);
      const values = valuesOf(option, option.argChoices, queues);
      if (option.required || option.optional) {
        const handler = (complete: (value: string, description: string) => void) => {
          for (const v of values?.() ?? []) complete(v, "");
        };
        node.option(name, option.description, handler, alias);
      } else if (alias) node.option(name, option.description, alias);
      else node.option(name, option.description);
    }
    for (const argument of command.registeredArguments) {
      const values = valuesOf(argument, argument.argChoices, queues);
      node.argument(
        argument.name(),
        values ? (complete) => values().forEach((v) => complete(v, "")) : undefined,
        argument.variadic,
      );
    }
    for (const sub of command.commands) {
      if ((sub as unknown as { _hidden?: boolean })._hidden) continue;
      for (const name of [sub.name(), ...sub.aliases()]) visit(sub as AnyCommand, path ? `${path} ${name}` : name);
    }
  };
  visit(program, "");
  return root;
}

/** Global options that take a value (`--region us-east-1`), which the command words must skip. */
const GLOBAL_VALUED = ["--region", "--profile", "--local-vcpus", "--local-memory"];
/** Global flags without a value. */
const GLOBAL_FLAGS = ["--local", "--json", "--no-color", "--verbose", "-v"];

/** The typed words without the global options, e.g. `["--local", "jobs", "list"]` -> `["jobs", "list"]`. */
function withoutGlobals(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (GLOBAL_FLAGS.includes(word) || GLOBAL_VALUED.some((o) => word.startsWith(`${o}=`))) continue;
    if (GLOBAL_VALUED.includes(word)) i++;
    else out.push(word);
  }
  return out;
}

/**
 * The typed words as @bomb.sh/tab should see them: global options before the word being completed dropped (its
 * positional count would include them, so `--local job-queue describe <TAB>` offered nothing), unless that word is
 * a global option's value.
 */
export function commandWords(words: string[]): string[] {
  const before = words.slice(0, -1);
  if (GLOBAL_VALUED.includes(before.at(-1) ?? "")) return words;
  return [...withoutGlobals(before), ...words.slice(-1)];
}

/** The global options among the typed words that choose the backend the queue names come from. */
export function backendGlobalsOf(words: string[]): { local?: boolean; region?: string; profile?: string } {
  const out: { local?: boolean; region?: string; profile?: string } = {};
  words.forEach((word, i) => {
    if (word === "--local") out.local = true;
    for (const key of ["region", "profile"] as const) {
      if (word === `--${key}` && words[i + 1] !== undefined) out[key] = words[i + 1];
      if (word.startsWith(`--${key}=`)) out[key] = word.slice(key.length + 3);
    }
  });
  return out;
}

/** True when completing `words` may offer queue names (so it is worth asking the backend). */
export function wantsQueueNames(words: string[]): boolean {
  const before = words.slice(0, -1);
  const previous = before[before.length - 1];
  if (previous === "--queue" || previous === "-q" || (words.at(-1) ?? "").startsWith("--queue=")) return true;
  const command = withoutGlobals(before);
  const [group, verb] = command;
  return (group === "job-queue" || group === "queue") && command.length === 2 && verb !== "create" &&
    verb !== "list" && verb !== "ls";
}

async function queueNames(ctx: CliContext): Promise<string[]> {
  const lookup = (async () => {
    const backend = await ctx.backend();
    const page = await backend.describeJobQueues(undefined, { signal: ctx.signal });
    return page.jobQueues.map((q) => q.jobQueueName);
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), QUEUE_LOOKUP_MS)));
  try {
    return await Promise.race([lookup.catch(() => []), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Adds `completions` and the hidden `complete` to `program`. */
export function registerCompletionCommands(program: AnyCommand, ctx: CliContext): void {
  const completions = program.command("completions")
    .description("print a shell completion script (queue names and job states complete too)")
    .addArgument(new Argument("<shell>", "bash, zsh, fish or powershell").choices(SHELLS))
    .action((shell) => {
      const tree = completionTree(program, () => []);
      ctx.stdout.write(captureConsole(() => tree.setup("ezbatch", "ezbatch", shell)));
    });
  examples(
    completions,
    "ezbatch completions bash >> ~/.bashrc",
    "ezbatch completions zsh > ~/.zfunc/_ezbatch",
    "ezbatch completions fish > ~/.config/fish/completions/ezbatch.fish",
    "ezbatch completions powershell >> $PROFILE",
  );

  program.command("complete", { hidden: true })
    .description("answer a completion request of the shell script")
    .argument("[words...]", "the words typed so far, the last one being completed")
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words) => {
      // The names come from the backend the typed command would use: its own --local, --region, --profile.
      ctx.globals = { ...ctx.globals, ...backendGlobalsOf(words) };
      const names = wantsQueueNames(words) ? await queueNames(ctx) : [];
      const tree = completionTree(program, () => names);
      ctx.stdout.write(captureConsole(() => tree.parse(commandWords(words))));
    });
}
