/**
 * Settings of ezbatch: the `[Settings]` table of a TOML file (at `EZBATCH_CONFIG_PATH` or `~/.config/ezbatch.toml`,
 * the same file and keys as the Python ezbatch), overridden by environment variables. Loading makes no network
 * call and writes nothing; a missing file is fine.
 * @module
 */
import { parseToml, stringifyToml, TomlError } from "./deps.ts";
import { ConfigError } from "./errors.ts";
import {
  checkSettingValue,
  closestSettingKey,
  isSettingKey,
  parseSettingText,
  SETTING_DEFAULTS,
  SETTING_KEYS,
  settingHelp,
  type SettingKey,
  type Settings,
} from "./config_keys.ts";

/** Where an effective setting came from. */
export type SettingSource = "file" | "environment" | "default";

/** Environment variables as a plain record (missing = unset). */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

/** What `loadConfig()` found. */
export interface LoadedConfig {
  /** The settings file that was read (or would be). */
  path: string;
  /** Whether that file exists. */
  exists: boolean;
  /** The effective settings: defaults, then the file, then the environment. */
  settings: Settings;
  /** Where each key's effective value came from; keys nobody set are `default`. */
  sources: Record<SettingKey, SettingSource>;
  /** Only the values written in the file (what `config set` edits and saves back). */
  file: Partial<Settings>;
  /** For keys set by the environment: the variable that set them, e.g. `{ region: "AWS_REGION" }`. */
  envVars: Partial<Record<SettingKey, string>>;
}

/** The environment variables that override settings, in order of preference per key. */
export const SETTING_ENV: Readonly<Partial<Record<SettingKey, readonly string[]>>> = {
  region: ["AWS_REGION", "AWS_DEFAULT_REGION"],
  profile: ["AWS_PROFILE"],
  queue: ["EZBATCH_QUEUE"],
  backend: ["EZBATCH_BACKEND"],
  s3Dir: ["EZBATCH_S3_DIR"],
  stateDir: ["EZBATCH_STATE_DIR"],
  localVcpus: ["EZBATCH_LOCAL_VCPUS"],
  localMemory: ["EZBATCH_LOCAL_MEMORY"],
};

const ENV_NAMES = ["EZBATCH_CONFIG_PATH", "HOME", "USERPROFILE", ...Object.values(SETTING_ENV).flat()];

/**
 * Reads the environment variables ezbatch's settings use (only those, so a narrow `--allow-env` suffices; a
 * variable it may not read counts as unset).
 * @returns The variables of `SETTING_ENV` plus `EZBATCH_CONFIG_PATH`, `HOME` and `USERPROFILE`.
 * @example
 * ```ts
 * import { readSettingsEnv } from "./mod.ts";
 * console.log(readSettingsEnv().AWS_REGION ?? "(no region in the environment)");
 * ```
 */
export function readSettingsEnv(): EnvRecord {
  const env: Record<string, string | undefined> = {};
  for (const name of ENV_NAMES) {
    try {
      env[name] = Deno.env.get(name);
    } catch {
      env[name] = undefined; // no permission to read it: treat as unset
    }
  }
  return env;
}

/**
 * The settings file path: `EZBATCH_CONFIG_PATH`, else `~/.config/ezbatch.toml` (as the Python ezbatch).
 * @param env Environment to read; default the process environment.
 * @returns The path (the file need not exist).
 * @throws {ConfigError} When neither `EZBATCH_CONFIG_PATH` nor `HOME` is set.
 * @example
 * ```ts
 * import { configPath } from "./mod.ts";
 * console.log(configPath({ HOME: "/home/ada" })); // /home/ada/.config/ezbatch.toml
 * ```
 */
export function configPath(env: EnvRecord = readSettingsEnv()): string {
  const explicit = env.EZBATCH_CONFIG_PATH;
  if (explicit) return explicit;
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) {
    throw new ConfigError("Cannot find the settings file: neither EZBATCH_CONFIG_PATH nor HOME is set");
  }
  return `${home}/.config/ezbatch.toml`;
}

/**
 * Checks the content of a settings document (the parsed TOML) and returns the values it sets. Throws
 * `ConfigError` naming the key, the file and what would be valid.
 */
export function parseSettingsDocument(doc: Record<string, unknown>, file: string): Partial<Settings> {
  for (const top of Object.keys(doc)) {
    if (top !== "Settings") {
      const hint = isSettingKey(top) ? ` (put '${top}' inside the [Settings] table)` : "";
      throw new ConfigError(`Unknown table or key '${top}' in ${file}: only a [Settings] table is allowed${hint}`);
    }
  }
  const table = doc.Settings ?? {};
  const proto = typeof table === "object" && table !== null ? Object.getPrototypeOf(table) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new ConfigError(`'Settings' in ${file} must be a table ([Settings]), got ${JSON.stringify(table)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(table)) {
    if (!isSettingKey(key)) {
      const near = closestSettingKey(key);
      const hint = near ? `did you mean '${near}'? ` : "";
      throw new ConfigError(
        `Unknown key 'Settings.${key}' in ${file}: ${hint}valid keys are ${SETTING_KEYS.join(", ")}`,
      );
    }
    const checked = checkSettingValue(key, raw);
    if ("error" in checked) throw new ConfigError(`Bad value of 'Settings.${key}' in ${file}: ${checked.error}`);
    if (checked.value !== undefined) out[key] = checked.value;
  }
  return out as Partial<Settings>;
}

async function readFileSettings(path: string): Promise<Partial<Settings> | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new ConfigError(`Cannot read the settings file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? `:${error.line}:${error.column}` : "";
    const first = (error as Error).message.split("\n")[0];
    throw new ConfigError(`The settings file ${path}${where} is not valid TOML: ${first}`, { cause: error });
  }
  return parseSettingsDocument(doc, path);
}

/** Options of `loadConfig()`. */
export interface LoadConfigOptions {
  /** Settings file to read; default `configPath(env)`. */
  path?: string;
  /** Environment to read overrides from; default the process environment (only the names ezbatch uses). */
  env?: EnvRecord;
}

/**
 * Loads the effective settings: defaults, then the file's `[Settings]`, then environment overrides (`AWS_REGION`
 * or `AWS_DEFAULT_REGION`, `AWS_PROFILE`, `EZBATCH_QUEUE`, `EZBATCH_BACKEND`). Makes no network call, writes
 * nothing, and accepts a missing file.
 * @param options `path` of the file (default `configPath(env)`) and `env` (default the process environment).
 * @returns The settings, where each came from, and the file's own values.
 * @throws {ConfigError} For a file that cannot be read or is not TOML, an unknown key (with a "did you mean"), or
 * a value of the wrong type; the message names the key, the file and what would be valid.
 * @example
 * ```ts
 * import { loadConfig } from "./mod.ts";
 * const { settings, sources } = await loadConfig({ path: "/nonexistent/ezbatch.toml", env: { AWS_REGION: "eu-west-1" } });
 * console.log(settings.region, sources.region); // eu-west-1 environment
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? readSettingsEnv();
  const path = options.path ?? configPath(env);
  const fromFile = await readFileSettings(path);
  const settings: Record<string, unknown> = structuredClone(SETTING_DEFAULTS);
  const sources = Object.fromEntries(SETTING_KEYS.map((k) => [k, "default"])) as Record<SettingKey, SettingSource>;
  for (const [key, value] of Object.entries(fromFile ?? {})) {
    settings[key] = value;
    sources[key as SettingKey] = "file";
  }
  const envVars: Partial<Record<SettingKey, string>> = {};
  for (const [key, names] of Object.entries(SETTING_ENV) as [SettingKey, string[]][]) {
    const name = names.find((n) => env[n] !== undefined && env[n] !== "");
    if (name === undefined) continue;
    const parsed = parseSettingText(key, env[name]!);
    if ("error" in parsed) {
      throw new ConfigError(`Bad value of environment variable ${name} (setting '${key}'): ${parsed.error}`);
    }
    settings[key] = parsed.value;
    sources[key] = "environment";
    envVars[key] = name;
  }
  return {
    path,
    exists: fromFile !== undefined,
    settings: settings as unknown as Settings,
    sources,
    file: fromFile ?? {},
    envVars,
  };
}

/**
 * The text of a settings file: a `[Settings]` table with every key, each after a comment saying what it is for;
 * keys without a value appear commented out with an example, so the file documents itself.
 * @param settings The values to write (checked by the caller).
 * @returns TOML text that loads back to exactly `settings`.
 * @example
 * ```ts
 * import { renderSettingsToml } from "./mod.ts";
 * console.log(renderSettingsToml({ region: "eu-west-1", maxvCpus: 64 }));
 * ```
 */
export function renderSettingsToml(settings: Partial<Settings>): string {
  const lines = ["# ezbatch settings. 'ezbatch config show' prints the values in force and where each came from.", ""];
  lines.push("[Settings]");
  for (const key of SETTING_KEYS) {
    const help = settingHelp(key);
    const value = settings[key];
    const line = (v: unknown) => stringifyToml({ [key]: v }).trim();
    lines.push(`# ${help.description}`, value === undefined ? `# ${line(help.example)}` : line(value));
  }
  return `${lines.join("\n")}\n`;
}

/** Options of `saveConfig()`. */
export interface SaveConfigOptions {
  /** Replace an existing file; without it an existing file is an error. */
  overwrite?: boolean;
}

/**
 * Writes `settings` as the `[Settings]` table of the file at `path` (creating its folder), readable by its owner
 * only (mode 0600). Values are checked before anything is written; a replacement is written to a temporary file
 * and renamed over the old one.
 * @param path The settings file.
 * @param settings The values to store (usually `LoadedConfig.file` with changes).
 * @param options `overwrite: true` to replace an existing file.
 * @throws {ConfigError} For a bad key or value, an existing file without `overwrite`, or a failed write.
 * @example
 * ```ts
 * import { saveConfig } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * await saveConfig(`${dir}/ezbatch.toml`, { region: "us-east-1", queue: "my-queue" });
 * console.log(await Deno.readTextFile(`${dir}/ezbatch.toml`));
 * ```
 */
export async function saveConfig(
  path: string,
  settings: Partial<Settings>,
  options: SaveConfigOptions = {},
): Promise<void> {
  const table = parseSettingsDocument({ Settings: settings }, path);
  const text = renderSettingsToml(table);
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  try {
    if (dir) await Deno.mkdir(dir, { recursive: true });
    if (!options.overwrite) {
      await Deno.writeTextFile(path, text, { createNew: true, mode: 0o600 });
      return;
    }
    const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    await Deno.writeTextFile(temp, text, { createNew: true, mode: 0o600 });
    await Deno.chmod(temp, 0o600).catch(() => {}); // mode is masked by umask; chmod is not (no-op on Windows)
    await Deno.rename(temp, path);
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new ConfigError(`The settings file ${path} already exists: pass overwrite (--force) to replace it`);
    }
    throw new ConfigError(`Cannot write the settings file ${path}: ${(error as Error).message}`, { cause: error });
  }
}
