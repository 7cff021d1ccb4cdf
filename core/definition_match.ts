/**
 * Is a registered job definition the one we would register? DescribeJobDefinitions answers with more than
 * RegisterJobDefinition was sent: empty `volumes`, `environment`, `mountPoints`, `ulimits` and `secrets` lists,
 * empty `parameters` and `tags`, `propagateTags: false`, `containerOrchestrationType`, and Fargate defaults
 * (`runtimePlatform`, `assignPublicIp`, `platformVersion`). Comparing the raw answer with our request therefore
 * never matched, and every `jobs submit` registered one more revision. Here both sides are compared on what we
 * send, with AWS's defaults normalised away.
 * @module
 */
import type { JobDefinition, JobDefinitionInput } from "./backend_types.ts";
import { canonicalJson } from "./definitions.ts";

/** Values AWS fills in when a request leaves them out, by path in the definition. */
const AWS_DEFAULTS: Record<string, unknown> = {
  "propagateTags": false,
  "containerProperties.networkConfiguration.assignPublicIp": "DISABLED",
  "containerProperties.fargatePlatformConfiguration.platformVersion": "LATEST",
  "containerProperties.runtimePlatform.operatingSystemFamily": "LINUX",
  "containerProperties.runtimePlatform.cpuArchitecture": "X86_64",
};

/** The members of a definition its content consists of (identity, status and bookkeeping left out). */
const CONTENT_KEYS = [
  "type",
  "platformCapabilities",
  "containerProperties",
  "retryStrategy",
  "timeout",
  "propagateTags",
  "tags",
  "parameters",
] as const;

/** Drops what says nothing: undefined, null, empty lists and maps, and the values AWS uses when none is sent. */
function normalise(value: unknown, path: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (path in AWS_DEFAULTS && canonicalJson(AWS_DEFAULTS[path]) === canonicalJson(value)) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v, i) => normalise(v, `${path}[${i}]`)).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, normalise(v, path ? `${path}.${k}` : k)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

/** The canonical text of a definition's content, AWS's defaults normalised away. */
export function definitionContent(definition: JobDefinitionInput | JobDefinition): string {
  const picked = Object.fromEntries(
    CONTENT_KEYS.map((k) => [k, (definition as unknown as Record<string, unknown>)[k]]),
  );
  return canonicalJson(normalise(picked, "") ?? {});
}

/**
 * True when a described definition holds the same content as a request (names and revisions aside): equal on
 * every member either side sets, where AWS's filled-in defaults count as unset. A member the found definition
 * sets to something other than AWS's default (a volume, a ulimit) makes it different.
 *
 * @param found A definition as DescribeJobDefinitions returned it.
 * @param input The RegisterJobDefinition request we would send.
 * @returns Whether registering `input` would add nothing new.
 */
export function sameDefinitionContent(found: JobDefinition, input: JobDefinitionInput): boolean {
  return definitionContent(found) === definitionContent(input);
}
