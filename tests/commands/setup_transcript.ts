/**
 * A transcript of `ezbatch setup` on an empty AWS-shaped fake account: the plan (no terminal, so setup stops after
 * showing it), `--yes`, a second run (idempotent), `--destroy --yes`, and `--destroy` once more. The CLI runs in
 * this process with the real AwsBackend over AWS-shaped fakes of IAM and EC2 (tests/core/setup/_fake_account.ts)
 * and Batch (tests/core/setup/_fake_batch.ts), all on aws-sdk-client-mock. setup_transcript_test.ts checks it;
 * print it with
 *
 *     deno run --lock=deno.lock -A tests/commands/setup_transcript.ts [--buckets my-data]
 *
 * @module
 */
import { FakeAccount } from "../core/setup/_fake_account.ts";
import { fakeAwsBackend, FakeBatch } from "../core/setup/_fake_batch.ts";
import { run } from "./_run.ts";

/** One command of the transcript and what it printed. */
export interface TranscriptStep {
  /** The command line. */
  command: string;
  /** Exit code. */
  code: number;
  /** stderr then stdout, as a terminal shows them when stdout follows stderr. */
  output: string;
  /** The IAM and EC2 calls, then the Batch calls, that created, changed or deleted something. */
  changes: string[];
}

/** Runs the transcript; `extra` goes after `setup` on every creating run (e.g. `--buckets my-data`). */
export async function setupTranscript(extra: string[] = []): Promise<TranscriptStep[]> {
  const dir = await Deno.makeTempDir();
  const account = new FakeAccount();
  const batch = new FakeBatch();
  const env = { EZBATCH_CONFIG_PATH: `${dir}/ezbatch.toml` };
  const steps: TranscriptStep[] = [];
  try {
    for (
      const args of [["setup", ...extra], ["setup", ...extra, "--yes"], ["setup", ...extra], [
        "setup",
        "--destroy",
        "--yes",
      ], ["setup", "--destroy"]]
    ) {
      account.calls = [];
      batch.requests = [];
      const r = await run(args, { backend: fakeAwsBackend(account, batch), env });
      steps.push({
        command: `ezbatch ${args.join(" ")}`,
        code: r.code,
        output: `${r.stderr}${r.stdout}`.replaceAll(dir, "~/.config"),
        changes: [...account.calls, ...batch.requests.map((q) => q.operation)]
          .filter((c) => /^(Create|Attach|Add|Put|Delete|Detach|Remove|Update)/.test(c)),
      });
    }
    return steps;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The transcript as a terminal would show it. */
export function renderTranscript(steps: TranscriptStep[]): string {
  return steps.map((s) => `$ ${s.command}\n${s.output.trimEnd()}\n[exit ${s.code}]`).join("\n\n") + "\n";
}

if (import.meta.main) console.log(renderTranscript(await setupTranscript(Deno.args)));
