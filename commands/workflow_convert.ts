/**
 * `ezbatch workflow convert`: a Python ezbatch JSON workflow (or any workflow file) as TOML, or back to JSON.
 * @module
 */
import { workflowToJson, workflowToToml } from "../core/save.ts";
import type { CliContext } from "./context.ts";
import { choiceOption } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";
import { readWorkflow, writeNewFile } from "./workflow_files.ts";
import { allErrorsOption } from "./_issues.ts";

/** Adds `convert` to the `workflow` group. */
export function registerWorkflowConvertCommand(group: AnyCommand, ctx: CliContext): void {
  const convert = group.command("convert").argument("<input>", "workflow file: ezbatch JSON or TOML ('-' reads stdin)")
    .argument("[output]", "where to write (default: print it)")
    .description("turn a Python ezbatch JSON workflow into TOML (or a workflow into JSON with --to json)")
    .addOption(choiceOption("--to <format>", "toml (default) or json", ["toml", "json"] as const))
    .option("--force", "replace the output file if it exists")
    .action(async (input, output, flags) => {
      const wf = await readWorkflow(ctx, input);
      const format = flags.to ?? (output?.toLowerCase().endsWith(".json") ? "json" : "toml");
      const text = format === "json" ? workflowToJson(wf) : workflowToToml(wf);
      if (output === undefined || output === "-") {
        ctx.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
        return;
      }
      await writeNewFile(output, text, flags.force === true);
      ctx.note(`Wrote ${output}; check it with 'ezbatch workflow validate ${output}'.`);
      ctx.print({ input, output, format }, () => output);
    });
  allErrorsOption(convert);
  examples(
    convert,
    "ezbatch workflow convert old-workflow.json pipeline.toml",
    "ezbatch workflow convert old-workflow.json          # print the TOML",
    "ezbatch workflow convert pipeline.toml --to json > pipeline.json",
  );
}
