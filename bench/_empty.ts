// The empty script of the start-up benchmark: what `deno run` costs before any of ezbatch loads.
