/**
 * Batching and page-size helpers of the AWS backend.
 * @module
 */
import type { JobDefinition } from "../backend_types.ts";

/** Splits `items` into consecutive slices of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A page size within 1..max, or `undefined` to let the service choose. */
export function clampPageSize(requested: number | undefined, max: number): number | undefined {
  if (requested === undefined) return undefined;
  return Math.min(max, Math.max(1, Math.floor(requested)));
}

/** True for `name:revision` and job definition ARNs, the forms the `jobDefinitions` list accepts. */
export function isRevisionOrArn(definition: string): boolean {
  return definition.startsWith("arn:") || /^[\w-]+:\d+$/.test(definition);
}

/** How `describeDefinitionsBatched()` reaches the service. */
export interface DefinitionLookups {
  /** One page of ACTIVE revisions of one plain name. */
  byName(name: string, nextToken?: string): Promise<{ items: JobDefinition[]; nextToken?: string | undefined }>;
  /** ACTIVE definitions among up to 100 `name:revision` or ARN entries. */
  byList(list: string[]): Promise<JobDefinition[]>;
}

/** How many plain-name lookups run at once. */
export const NAME_LOOKUP_CONCURRENCY = 4;

/**
 * Looks definitions up the way DescribeJobDefinitions allows: plain names one per call (every page, a few names
 * at a time), `name:revision` and ARNs 100 per call. Returns each definition once, in the order found.
 */
export async function describeDefinitionsBatched(
  names: readonly string[],
  lookups: DefinitionLookups,
): Promise<JobDefinition[]> {
  const unique = [...new Set(names)];
  const plain = unique.filter((n) => !isRevisionOrArn(n));
  const listed = unique.filter(isRevisionOrArn);
  const results: JobDefinition[][] = plain.map(() => []);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < plain.length) {
      const index = next++;
      let token: string | undefined;
      try {
        do {
          const page = await lookups.byName(plain[index]!, token);
          results[index]!.push(...page.items);
          token = page.nextToken;
        } while (token);
      } catch (error) {
        failed = true; // the other workers stop after their current lookup
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(NAME_LOOKUP_CONCURRENCY, plain.length) }, worker));
  for (const list of chunk(listed, 100)) results.push(await lookups.byList(list));
  const seen = new Set<string>();
  return results.flat().filter((d) => !seen.has(d.jobDefinitionArn) && seen.add(d.jobDefinitionArn));
}
