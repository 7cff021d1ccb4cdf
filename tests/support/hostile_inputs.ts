/**
 * The hostile workflow files of issue 12 (used by tests/core/hostile_input_test.ts and bench/hostile_inputs.ts):
 * long names, many jobs, overlapping cycles, a huge key, deep headers, large and endless inputs, nonsense values.
 * @module
 */

/** One hostile input: a file's text, or a special path such as /dev/zero. */
export interface HostileInput {
  name: string;
  what: string;
  text?: string;
  path?: string;
  stdin?: string;
}

const header = 'name = "hostile"\n';

/** The reproductions of issue 12, point 1 and point 2. */
export function hostileInputs(): HostileInput[] {
  const long = (n: number) => "a".repeat(n);
  const longName = (n: number) =>
    `${header}[jobs.${long(n)}]\nimage = "alpine"\n[dependencies]\n${long(n)} = ["${long(n)}b"]\n`;
  const unknownDeps = (() => {
    const jobs: string[] = [header];
    const deps: string[] = ["[dependencies]\n"];
    for (let i = 0; i < 10_000; i++) {
      jobs.push(`[jobs.job${i}]\nimage = "alpine"\n`);
      deps.push(`job${i} = ["missing${i}"]\n`);
    }
    return jobs.join("") + deps.join("");
  })();
  const cycles = (() => {
    // a0 -> a1 -> ... -> a9999, and every other ai also waits for a0: 9,999 overlapping cycles through a0.
    const jobs: string[] = [header];
    const deps: string[] = ["[dependencies]\n"];
    for (let i = 0; i < 10_000; i++) {
      jobs.push(`[jobs.a${i}]\nimage = "alpine"\n`);
      deps.push(`a${i} = [${[...(i < 9_999 ? [`"a${i + 1}"`] : []), ...(i > 0 ? ['"a0"'] : [])].join(", ")}]\n`);
    }
    return jobs.join("") + deps.join("");
  })();
  const bigKey = `${header}[jobs.a]\nimage = "alpine"\n${"k".repeat(1_000_000)} = 1\n`;
  const deepHeader = `${header}[${Array(20_000).fill("a").join(".")}]\nx = 1\n`;
  const big = `${header}[jobs.a]\nimage = "alpine"\n` + `# ${"x".repeat(98)}\n`.repeat(50_000); // 5 MB
  const badValues = `${header}[jobs.t]\nimage = "alpine"\ntimeout = "99999999999999999999h"\n` +
    `[jobs.e]\nimage = "alpine"\nplatform = "EC2"\nvcpus = 1e300\ngpus = 9007199254740991\n` +
    `[jobs.c]\nimage = "alp\\u0000ine"\ncommand = "echo \\u0000"\nenvironment = { A = "x\\u0001" }\n` +
    `tags = { "k\\u0000" = "v" }\n`;
  return [
    {
      name: "long-name-20k",
      what: "job name of 20,000 chars depending on that name + 1 letter",
      text: longName(20_000),
    },
    {
      name: "long-name-50k",
      what: "job name of 50,000 chars depending on that name + 1 letter",
      text: longName(50_000),
    },
    { name: "unknown-deps", what: "10,000 jobs, each depending on a different unknown job", text: unknownDeps },
    { name: "cycles", what: "9,999 overlapping cycles", text: cycles },
    { name: "big-key", what: "an unknown key of 1 MB", text: bigKey },
    { name: "deep-header", what: "a TOML header 20,000 levels deep", text: deepHeader },
    { name: "big-file", what: "a 5 MB file (mostly comments)", text: big },
    { name: "dev-zero", what: "`workflow validate /dev/zero`", path: "/dev/zero" },
    { name: "stdin", what: "5 MB on stdin (`-`)", path: "-", stdin: big },
    { name: "bad-values", what: "timeout 99999999999999999999h, vcpus 1e300, gpus 2^53-1, NUL chars", text: badValues },
  ];
}
