/**
 * What every face of `ezbatch setup` shares besides the work itself: the plan as table rows (the CLI and the
 * interactive mode show the same table) and writing the settings setup found or made into the config file.
 * @module
 */
import { configPath, loadConfig, saveConfig } from "../config.ts";
import type { Settings } from "../config_keys.ts";
import { policyNames } from "./policies.ts";
import type { SetupPlan } from "./setup.ts";

/** The header of the plan table. */
export const SETUP_PLAN_HEADER = ["RESOURCE", "NAME", "ACTION", "POLICIES / NOTE"];

/** The plan's rows: kind, name, what setup does, the policies (by name) and a note. */
export function setupPlanRows(plan: SetupPlan): string[][] {
  return plan.steps.map((s) => [
    s.kind,
    s.name,
    s.action === "create" ? "create" : "exists (kept)",
    [policyNames(s).join(", "), s.note].filter(Boolean).join(" — "),
  ]);
}

/**
 * Writes `settings` (and `backend = "aws"`) into the config file, keeping its other keys: the file at `path`, else
 * the one the environment names (`EZBATCH_CONFIG_PATH`, else `~/.config/ezbatch.toml`). Returns its path.
 */
export async function writeSetupSettings(
  settings: Partial<Settings>,
  options: { path?: string; env?: Record<string, string | undefined> } = {},
): Promise<string> {
  const loaded = await loadConfig({
    ...(options.path ? { path: options.path } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const path = loaded.exists ? loaded.path : options.path ?? configPath(options.env);
  await saveConfig(path, { ...loaded.file, ...settings, backend: "aws" }, { overwrite: loaded.exists });
  return path;
}
