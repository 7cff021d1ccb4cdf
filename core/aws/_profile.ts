/**
 * Is a named AWS profile there at all? With a missing profile the SDK's credential chain says only "Could not load
 * credentials from any providers"; reading the two shared files up front lets us name the profile and the files,
 * before any network call. Private to aws/.
 * @module
 */
import { join } from "node:path";
import { ConfigError } from "../errors.ts";

type Env = Readonly<Record<string, string | undefined>> | undefined;

function envGet(env: Env, name: string): string | undefined {
  if (env) return env[name];
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

async function sections(path: string, config: boolean): Promise<string[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const match of text.matchAll(/^\s*\[([^\]]+)\]/gm)) {
    const header = match[1]!.trim();
    // In the config file a profile is `[profile NAME]` (or `[default]`); other headers are sso-session, services...
    if (!config) names.push(header);
    else if (/^profile\s/.test(header)) names.push(header.replace(/^profile\s+/, ""));
    else if (!/\s/.test(header)) names.push(header);
  }
  return names;
}

/** Throws a `ConfigError` naming `profile` (else `AWS_PROFILE`) when neither shared file defines it. */
export async function checkProfile(profile: string | undefined, env?: Env): Promise<void> {
  // AWS_PROFILE beside static keys in the environment is not what the SDK uses: only a profile it would use counts.
  const name = profile ?? (envGet(env, "AWS_ACCESS_KEY_ID") ? undefined : envGet(env, "AWS_PROFILE"));
  if (!name) return;
  const home = envGet(env, "HOME") ?? envGet(env, "USERPROFILE") ?? "";
  const configFile = envGet(env, "AWS_CONFIG_FILE") ?? join(home, ".aws", "config");
  const credentialsFile = envGet(env, "AWS_SHARED_CREDENTIALS_FILE") ?? join(home, ".aws", "credentials");
  const known = new Set([...await sections(configFile, true), ...await sections(credentialsFile, false)]);
  if (known.has(name)) return;
  const there = known.size
    ? `profiles there: ${[...known].sort().slice(0, 20).map((p) => `'${p}'`).join(", ")}`
    : `no profile is defined there; create it with: aws configure --profile ${name}`;
  const source = profile !== undefined ? "" : " (from AWS_PROFILE)";
  throw new ConfigError(
    `The AWS profile '${name}'${source} does not exist: it is in neither '${configFile}' nor '${credentialsFile}' (${there})`,
  );
}
