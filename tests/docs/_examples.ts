/**
 * The ezbatch commands the project suggests to its users: in `--help` (every `examples(...)` of commands/), in
 * README.md and docs/ (sh and console blocks) and in the comments of examples/*.toml.
 */
const ROOT = new URL("../../", import.meta.url).pathname;

/** One suggested command and where it was written. */
export interface Example {
  /** The command line as written (without a `$ ` prompt or a trailing comment). */
  line: string;
  /** The file that suggests it. */
  source: string;
}

function withoutComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) quote = ch === quote ? "" : quote;
    else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "#" && /\s/.test(line[i - 1] ?? " ")) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

function fromMarkdown(text: string, source: string): Example[] {
  const out: Example[] = [];
  let fence: string | undefined;
  // A line ending in a backslash continues on the next, as in sh.
  for (const raw of text.replace(/\\\n\s*/g, "").split("\n")) {
    const trimmed = raw.trim();
    if (trimmed.startsWith("```")) {
      fence = fence === undefined ? trimmed.slice(3) : undefined;
      continue;
    }
    if (fence !== "sh" && fence !== "console") continue;
    const line = trimmed.startsWith("$ ") ? trimmed.slice(2) : trimmed;
    if (line.startsWith("ezbatch ") && !line.startsWith("ezbatch <")) out.push({ line: withoutComment(line), source });
  }
  return out;
}

function fromHelp(text: string, source: string): Example[] {
  const out: Example[] = [];
  for (const call of text.matchAll(/\bexamples\(([\s\S]*?)\);/g)) {
    for (const literal of call[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const line = JSON.parse(`"${literal[1]}"`) as string;
      if (line.startsWith("ezbatch ")) out.push({ line: withoutComment(line), source });
    }
  }
  return out;
}

async function files(dir: string, ext: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${ROOT}${dir}`)) {
    if (entry.isFile && entry.name.endsWith(ext)) names.push(`${dir}/${entry.name}`);
  }
  return names.sort();
}

/** Every suggested command, in the order a reader meets them, each once. */
export async function collectExamples(): Promise<Example[]> {
  const all: Example[] = [];
  for (const source of ["README.md", ...await files("docs", ".md")]) {
    all.push(...fromMarkdown(await Deno.readTextFile(`${ROOT}${source}`), source));
  }
  for (const source of await files("commands", ".ts")) {
    all.push(...fromHelp(await Deno.readTextFile(`${ROOT}${source}`), source));
  }
  for (const source of await files("examples", ".toml")) {
    for (const m of (await Deno.readTextFile(`${ROOT}${source}`)).matchAll(/`(ezbatch [^`]*)`/g)) {
      all.push({ line: m[1]!, source });
    }
  }
  const seen = new Set<string>();
  return all.filter((e) => !seen.has(e.line) && seen.add(e.line));
}

/** Splits a command line into words as sh would for these simple lines (quotes, no expansions). */
export function words(line: string): string[] {
  const out: string[] = [];
  let word = "";
  let quote = "";
  let inWord = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = "";
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}
