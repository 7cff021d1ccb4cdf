/**
 * The Settings menu: show the settings in force and where each came from, create the settings file, set or unset a
 * value (checked with the config module's own rules before anything is written).
 * @module
 */
import { loadConfig, saveConfig } from "../../core/config.ts";
import { parseSettingText, SETTING_KEYS, settingHelp, type SettingKey, type Settings } from "../../core/config_keys.ts";
import type { Session } from "./context.ts";
import { table } from "./context.ts";

function show(value: unknown): string {
  if (value === undefined) return "";
  return Array.isArray(value) ? value.join(",") : String(value);
}

async function load(session: Session) {
  return await loadConfig(session.configPath ? { path: session.configPath } : {});
}

/** The Settings menu; returns on Back. */
export async function settingsMenu(session: Session): Promise<void> {
  const { p } = session;
  for (;;) {
    const config = await load(session);
    const action = await p.select(`Settings (${config.path}${config.exists ? "" : ", not created yet"})`, [
      { name: "Show the settings in force", value: "show" },
      ...(config.exists ? [] : [{ name: "Create the settings file", value: "init" }]),
      { name: "Set a value", value: "set" },
      ...(Object.keys(config.file).length ? [{ name: "Unset a value", value: "unset" }] : []),
      { name: "Back", value: "back" },
    ]);
    if (action === "back") return;
    if (action === "show") {
      p.say(
        ...table(
          ["KEY", "VALUE", "FROM"],
          SETTING_KEYS.map((key) => [
            key,
            show(config.settings[key]),
            config.sources[key] === "environment" ? `environment (${config.envVars[key]})` : config.sources[key],
          ]),
        ),
      );
      p.command(["config", "show"]);
    }
    if (action === "init") {
      await saveConfig(config.path, {});
      p.say(`Created '${config.path}' (every key is listed there, commented out, with an example).`);
      p.command(["config", "init"]);
    }
    if (action === "set") await p.inMenu("Settings", () => set(session, config.path, config.file, config.exists));
    if (action === "unset") {
      await p.inMenu("Settings", async () => {
        const key = await p.select<SettingKey>(
          "Unset which?",
          (Object.keys(config.file) as SettingKey[]).map((k) => ({ name: `${k} = ${show(config.file[k])}`, value: k })),
        );
        const file = { ...config.file };
        delete file[key];
        await saveConfig(config.path, file, { overwrite: true });
        p.say(`Unset '${key}'.`);
        p.command(["config", "set", key, ""]);
      });
    }
  }
}

async function set(session: Session, path: string, file: Partial<Settings>, exists: boolean): Promise<void> {
  const { p } = session;
  const key = await p.select<SettingKey>(
    "Which setting?",
    SETTING_KEYS.map((k) => ({
      name: `${k}${file[k] !== undefined ? ` = ${show(file[k])}` : ""}`,
      value: k,
      description: settingHelp(k).description,
    })),
  );
  const example = show(settingHelp(key).example);
  const text = await p.text(`${key} (e.g. ${example})`, {
    ...(file[key] !== undefined ? { default: show(file[key]) } : {}),
    validate: (value) => {
      const parsed = parseSettingText(key, value);
      return "error" in parsed ? parsed.error : undefined;
    },
  });
  const parsed = parseSettingText(key, text);
  if ("error" in parsed) return p.say(parsed.error);
  await saveConfig(path, { ...file, [key]: parsed.value } as Partial<Settings>, { overwrite: exists });
  p.say(`Set '${key}' in '${path}'.`);
  p.command(["config", "set", key, text]);
}
