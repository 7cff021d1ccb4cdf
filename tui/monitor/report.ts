/**
 * Reads a run's report for the monitor's summary overlay, in the background: one read at a time, the previous one
 * aborted when another run is asked for or the overlay closes.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { reportRun } from "../../core/report.ts";
import type { RunReport } from "../../core/report_types.ts";

/** Callbacks of a report reader. */
export interface ReportReaderOptions {
  /** The report of `key` was read. */
  onReport: (key: string, report: RunReport) => void;
  /** Reading the report of `key` failed; `text` is ready for the overlay. */
  onError: (key: string, text: string) => void;
}

/** Reads one run's report at a time; `read` never waits for the network. */
export class ReportReader {
  #backend: Backend;
  #options: ReportReaderOptions;
  #abort: AbortController | undefined;

  /** Creates an idle reader. */
  constructor(backend: Backend, options: ReportReaderOptions) {
    this.#backend = backend;
    this.#options = options;
  }

  /** Starts reading the report of `workflow`'s run `runId` (stops the read under way, if any). */
  read(key: string, workflow: string, runId: string): void {
    this.stop();
    const abort = (this.#abort = new AbortController());
    const { signal } = abort;
    reportRun(this.#backend, { workflow, runId, signal }).then(
      (report) => !signal.aborted && this.#options.onReport(key, report),
      (error) => {
        if (signal.aborted) return;
        this.#options.onError(key, `Could not read the report: ${error instanceof Error ? error.message : error}`);
      },
    );
  }

  /** Stops the read under way. */
  stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
  }
}
