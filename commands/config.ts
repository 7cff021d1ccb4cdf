/**
 * `ezbatch config init|show|set|path`: the settings file (TOML, `[Settings]`), its values and where each came from.
 * Settings hold no secrets (credentials stay with the AWS SDK's own chain), and nothing here prints any.
 * @module
 */
import { configPath, loadConfig, saveConfig } from "../core/config.ts";
import {
  closestSettingKey,
  expectedValue,
  isSettingKey,
  parseSettingText,
  SETTING_KEYS,
  type SettingKey,
  type Settings,
} from "../core/config_keys.ts";
import { ConfigError, UsageError } from "../core/errors.ts";
import type { CliContext } from "./context.ts";
import { renderTable } from "./output.ts";
import { parseKeyValue } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";

function checkKey(key: string): SettingKey {
  if (isSettingKey(key)) return key;
  const near = closestSettingKey(key);
  throw new UsageError(
    `Unknown setting '${key}': ${near ? `did you mean '${near}'? ` : ""}the settings are ${SETTING_KEYS.join(", ")}`,
  );
}

function parseValue(key: SettingKey, text: string): unknown {
  if (text.trim() === "") return undefined;
  const parsed = parseSettingText(key, text);
  if ("error" in parsed) throw new UsageError(`Bad value for '${key}': ${parsed.error}`);
  return parsed.value;
}

function display(value: unknown): string {
  if (value === undefined) return "-";
  if (Array.isArray(value)) return value.length ? value.join(",") : "-";
  return String(value);
}

/** Adds the `config` group to `program`. */
export function registerConfigCommands(program: AnyCommand, ctx: CliContext): void {
  const group = program.command("config").description("create, show and change the settings file");
  examples(group, "ezbatch config show", "ezbatch config set queue my-queue");

  const path = group.command("path").description("print where the settings file is (EZBATCH_CONFIG_PATH overrides)")
    .action(() => {
      const file = configPath(ctx.env);
      ctx.print({ path: file }, () => file);
    });
  examples(path, "ezbatch config path", "EZBATCH_CONFIG_PATH=./ezbatch.toml ezbatch config path");

  const show = group.command("show").description("print the effective settings and where each came from")
    .action(async () => {
      const loaded = await loadConfig({ env: ctx.env });
      const rows = SETTING_KEYS.map((key) => ({ key, value: loaded.settings[key], source: loaded.sources[key] }));
      ctx.print(
        { path: loaded.path, exists: loaded.exists, settings: loaded.settings, sources: loaded.sources },
        () =>
          `${loaded.path}${loaded.exists ? "" : " (does not exist: 'ezbatch config init' creates it)"}\n\n` +
          renderTable(["SETTING", "VALUE", "FROM"], rows.map((r) => [r.key, display(r.value), r.source]), {
            colors: ctx.outColors,
          }),
      );
    });
  examples(show, "ezbatch config show", "ezbatch config show --json");

  const set = group.command("set").argument("<key>", `one of ${SETTING_KEYS.join(", ")}`)
    .argument("<value>", "the value; lists are comma-separated; '' unsets the key")
    .description("change one setting in the settings file (creating the file if needed)")
    .action(async (keyText, valueText) => {
      const key = checkKey(keyText);
      const value = parseValue(key, valueText);
      const loaded = await loadConfig({ env: ctx.env });
      const file: Record<string, unknown> = { ...loaded.file };
      if (value === undefined) delete file[key];
      else file[key] = value;
      await saveConfig(loaded.path, file as Partial<Settings>, { overwrite: loaded.exists });
      if (!loaded.exists) ctx.note(`Created ${loaded.path}.`);
      if (loaded.sources[key] === "environment") {
        ctx.warn(`'${key}' is also set in the environment, which wins over the file`);
      }
      ctx.print({ path: loaded.path, key, value: value ?? null }, () => `${key} = ${display(value)}`);
    });
  examples(
    set,
    "ezbatch config set queue my-queue",
    "ezbatch config set subnets subnet-0a1b,subnet-2c3d",
    "ezbatch config set executionRoleArn arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "ezbatch config set sseKmsKeyId ''   # unset",
  );

  const init = group.command("init").description("create the settings file (never replaces one without --force)")
    .option("--set <key=value>", "a setting to write (repeatable)", parseKeyValue)
    .option("--force", "replace an existing settings file")
    .action(async (flags) => {
      const settings: Record<string, unknown> = {};
      for (const [keyText, text] of Object.entries(flags.set ?? {})) {
        const key = checkKey(keyText);
        const value = parseValue(key, text);
        if (value !== undefined) settings[key] = value;
      }
      if (ctx.globals.region) settings.region = parseValue("region", ctx.globals.region);
      if (ctx.globals.profile) settings.profile = parseValue("profile", ctx.globals.profile);
      if (ctx.globals.local) settings.backend = "local";
      const file = configPath(ctx.env);
      try {
        await saveConfig(file, settings as Partial<Settings>, { overwrite: flags.force === true });
      } catch (error) {
        if (error instanceof ConfigError && /already exists/.test(error.message)) {
          throw new UsageError(`${file} already exists: 'ezbatch config set' changes it, --force replaces it`);
        }
        throw error;
      }
      ctx.note(`Wrote ${file}. Check it with 'ezbatch config show'.`);
      ctx.print({ path: file, settings }, () => file);
    });
  examples(
    init,
    "ezbatch config init --region us-east-1 --set queue=my-queue --set subnets=subnet-0a1b,subnet-2c3d",
    "ezbatch config init --local   # run jobs on this machine by default",
  );
  init.addHelpText("after", `\nSettings: ${SETTING_KEYS.map((k) => `${k} (${expectedValue(k)})`).join("; ")}`);
}
