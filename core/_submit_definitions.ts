/**
 * Which job definition each SubmitJob of a submission names. Private to the submission engine.
 *
 * Definitions are content-addressed (`ezbatch-<image>-<hash of the content>`), so any ACTIVE revision under a
 * planned name holds exactly the planned content. The first submission of each definition therefore names it
 * without a revision (AWS takes the newest ACTIVE one) and costs no lookup; only when the service answers that no
 * ACTIVE revision exists is the definition registered and that submission sent again with the new revision. A warm
 * run is one call per job (a matrix: one call in all); a cold run adds one refused call and one registration per
 * definition.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobDefinition } from "./backend_types.ts";
import { NotFoundError } from "./errors.ts";
import type { PlannedDefinition } from "./plan.ts";
import type { Caller } from "./_caller.ts";

/** Is `error` the service saying that a definition has no ACTIVE revision? */
export function isMissingDefinition(error: unknown): boolean {
  return error instanceof NotFoundError && error.resource === "job-definition";
}

/** Resolves each planned definition once per submission: by name, or registered when missing. */
export class DefinitionResolver {
  /** `name:revision` of the definitions registered by this submission. */
  readonly registered: string[] = [];
  /** Names of the definitions found ACTIVE and used as they were. */
  readonly reused: string[] = [];
  readonly #backend: Backend;
  readonly #caller: Caller;
  readonly #planned: Map<string, PlannedDefinition>;
  readonly #signal: AbortSignal;
  readonly #refs = new Map<string, Promise<string>>();

  constructor(backend: Backend, caller: Caller, planned: PlannedDefinition[], signal: AbortSignal) {
    this.#backend = backend;
    this.#caller = caller;
    this.#planned = new Map(planned.map((d) => [d.name, d]));
    this.#signal = signal;
  }

  /**
   * Runs `submit` with the reference to give SubmitJob for the planned definition `name`. The first caller of a
   * definition probes by name (registering on a "not found" answer); later callers wait for its outcome, so a
   * definition is never registered twice by one submission and never probed by two jobs at once.
   */
  async submitWith<T>(name: string, submit: (definition: string) => Promise<T>): Promise<T> {
    const known = this.#refs.get(name);
    if (known) return submit(await known);
    const outcome = Promise.withResolvers<string>();
    outcome.promise.catch(() => {}); // a waiter rethrows it; the probe's own error is the one reported
    this.#refs.set(name, outcome.promise);
    let ref: string;
    try {
      const result = await submit(name);
      this.reused.push(name);
      outcome.resolve(name);
      return result;
    } catch (error) {
      if (!isMissingDefinition(error)) {
        outcome.reject(error);
        throw error;
      }
      try {
        ref = await this.#register(this.#planned.get(name)!);
      } catch (registerError) {
        outcome.reject(registerError);
        throw registerError;
      }
    }
    this.registered.push(ref);
    outcome.resolve(ref);
    return submit(ref);
  }

  /** Registers a definition; after a lost reply it looks again rather than add a second revision. */
  #register(planned: PlannedDefinition): Promise<string> {
    const signal = this.#signal;
    return this.#caller.call(
      async () => {
        const r = await this.#backend.registerJobDefinition(planned.input, { signal });
        return `${r.jobDefinitionName}:${r.revision}`;
      },
      {
        signal,
        beforeRetry: async (kind) =>
          kind === "transient"
            ? newestActive(await this.#backend.describeJobDefinitions([planned.name], { signal }), planned.name)
            : undefined,
      },
    );
  }
}

/** `name:revision` of the newest ACTIVE revision named `name`. */
function newestActive(definitions: JobDefinition[], name: string): string | undefined {
  const best = definitions
    .filter((d) => d.jobDefinitionName === name && (d.status ?? "ACTIVE") === "ACTIVE")
    .sort((a, b) => b.revision - a.revision)[0];
  return best ? `${best.jobDefinitionName}:${best.revision}` : undefined;
}
