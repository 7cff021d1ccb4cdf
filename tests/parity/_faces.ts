/**
 * Runs one action through several faces against the real AwsBackend over mocked SDK clients, and collects the
 * requests that change something (creates, registers, submits, stops) and the STS look-ups, so a test can assert
 * that every face sent the same ones. Reads made only to offer choices (listings) are a face's own business.
 */
import { AwsBackend } from "../../core/aws/aws_backend.ts";
import type { ActionSettings } from "../../core/actions/roles.ts";
import { runInteractive } from "../../tui/mod.ts";
import { BatchClient, GetCallerIdentityCommand, mockClient, STSClient } from "../support/deps.ts";
import { run } from "../commands/_run.ts";
import { ScriptedTerminal } from "../tui/_terminal.ts";

/** Queue 'q' as DescribeJobQueues returns it: ENABLED and VALID, named by its ARN too (AWS Batch API reference). */
export const QUEUE_Q = {
  jobQueueName: "q",
  jobQueueArn: "arn:aws:batch:us-east-1:123456789012:job-queue/q",
  state: "ENABLED" as const,
  status: "VALID" as const,
  priority: 1,
  computeEnvironmentOrder: [],
};

/** A mocked AWS account: the backend, the Batch mock to program, and what was sent. */
export function mockAccount() {
  const client = new BatchClient({ region: "us-east-1" });
  const sts = new STSClient({ region: "us-east-1" });
  const batch = mockClient(client);
  const stsMock = mockClient(sts);
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
  const backend = new AwsBackend({ inject: { batch: client, sts } });
  const CHANGES = /^(Create|Register|Submit|Cancel|Terminate|Update|Delete|Deregister)/;
  return {
    backend,
    batch,
    /** The requests that change something, in order, as [operation, input]. */
    changes: () =>
      batch.calls().map((c) => {
        const command = c.args[0] as { constructor: { name: string }; input: unknown };
        return [command.constructor.name.replace(/Command$/, ""), command.input] as const;
      }).filter(([name]) => CHANGES.test(name)),
    /** How many times the account id was asked for. */
    stsCalls: () => stsMock.commandCalls(GetCallerIdentityCommand).length,
  };
}

/** Starts the interactive mode on `backend` with exactly these settings. */
export function interactive(backend: AwsBackend, settings: ActionSettings) {
  const term = new ScriptedTerminal();
  const done = runInteractive({
    backend: () => Promise.resolve(backend),
    settings: () => Promise.resolve(settings),
    stdin: term.input,
    stdout: term.output,
    pollMs: 0,
    waitMs: 1000,
  });
  return { term, done };
}

/** Splits a shell line as `shellQuote` writes it (plain words and '...' with '\'' inside). */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] !== undefined ? m[1].replaceAll(`'\\''`, "'") : m[2]!);
  return words;
}

/** The arguments of the last "CLI: ezbatch ..." line the interactive mode printed. */
export function cliArgs(text: string): string[] {
  const lines = [...text.matchAll(/CLI: ezbatch (.+)/g)].map((m) => m[1]!.trim());
  if (!lines.length) throw new Error(`No CLI line in:\n${text}`);
  return shellSplit(lines.at(-1)!);
}

/** Runs the CLI with these arguments on `backend` with exactly these settings. */
export function cli(args: string[], backend: AwsBackend, settings: ActionSettings) {
  return run(args, { backend, settings });
}
