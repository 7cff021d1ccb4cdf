/**
 * fast-check arbitraries of workflow input: valid workflows (every feature of the file format, odd strings and
 * keys included) for round-trip properties, and mutations of them for the "never crashes" properties.
 * @module
 */
import { fc } from "./deps.ts";
import type { JobInput, Scalar, WorkflowInput } from "../../mod.ts";
import { FARGATE_SIZES } from "../../mod.ts";

const LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM = LOWER + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Strings of `min`..`max` characters from `chars` (much faster to generate than fc.stringMatching). */
function chars(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...Array.from(alphabet)), minLength: min, maxLength: max });
}

const name = fc.tuple(chars(ALNUM, 1, 1), chars(ALNUM + "_-", 0, 15)).map(([a, b]) => a + b);
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
// Mostly the characters that need quoting or escaping in TOML, sometimes any Unicode (but no control characters
// other than tabs and newlines, which a container would not accept).
const text = fc.oneof(
  { weight: 3, arbitrary: chars(ALNUM + " '\"\\\n\t#=[]{}.é😀", 0, 25) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }).filter((s) => !CONTROL.test(s)) },
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const scalar: fc.Arbitrary<Scalar> = fc.oneof(text, number);
// Tags: AWS allows letters, digits, spaces and _ . : / = + - @.
const tagText = chars(ALNUM + " _.:/=+-@é", 0, 20);
const bucket = fc.tuple(chars(LOWER, 1, 1), chars(LOWER + "-", 1, 20), chars(LOWER, 1, 1)).map((p) => p.join(""));
const s3 = fc.tuple(bucket, chars(ALNUM + "/._ -", 0, 30)).map(([b, k]) => `s3://${b}/${k}`);
const absolute = chars(ALNUM + "/._-", 0, 30).map((p) => "/" + p);

const duration = fc.tuple(fc.nat(5), fc.nat(59), fc.nat(59)).filter(([h, m, s]) => h * 3600 + m * 60 + s >= 60)
  .map(([h, m, s]) => `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`);

function vars(prefix: string, value: fc.Arbitrary<Scalar>) {
  return fc.dictionary(chars(ALNUM + "_", 0, 8).map((k) => `${prefix}_${k}`), value, { maxKeys: 4 });
}

const mount = (kind: "read" | "write") =>
  fc.record({
    source: kind === "read" ? s3 : absolute,
    destination: kind === "read" ? absolute : s3,
    recursive: fc.option(fc.boolean(), { nil: undefined }),
    sse: fc.option(fc.constantFrom("AES256" as const, "aws:kms" as const), { nil: undefined }),
  }, { requiredKeys: ["source", "destination"] }).chain((m) =>
    m.sse === "aws:kms"
      ? fc.option(chars(LOWER + "-", 1, 20), { nil: undefined }).map((k) =>
        k === undefined ? m : { ...m, sse_kms_key_id: k }
      )
      : fc.constant(m)
  );

const size = fc.oneof(
  fc.constantFrom(...FARGATE_SIZES).chain((row) =>
    fc.record({
      platform: fc.constantFrom("FARGATE" as const, undefined),
      vcpus: fc.constant(row.vcpus),
      memory: fc.constantFrom(...row.memory),
      storage_size: fc.option(fc.integer({ min: 21, max: 200 }), { nil: undefined }),
    })
  ),
  fc.record({
    platform: fc.constant("EC2" as const),
    vcpus: fc.integer({ min: 1, max: 96 }),
    memory: fc.integer({ min: 4, max: 500_000 }),
    gpus: fc.integer({ min: 0, max: 8 }),
  }),
);

const rule = fc.record({
  on_exit_code: fc.option(fc.tuple(chars("0123456789", 1, 3), fc.boolean()).map(([d, star]) => star ? d + "*" : d), {
    nil: undefined,
  }),
  on_reason: fc.option(fc.tuple(chars(ALNUM + ".: ", 0, 20), fc.boolean()).map(([d, star]) => star ? d + "*" : d), {
    nil: undefined,
  }),
  action: fc.constantFrom("RETRY" as const, "EXIT" as const),
}).filter((r) => r.on_exit_code !== undefined || r.on_reason !== undefined);

const matrix = fc.dictionary(
  chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", 0, 6).map((k) => `M_${k}`),
  fc.array(scalar, { minLength: 1, maxLength: 4 }),
  {
    minKeys: 1,
    maxKeys: 3,
  },
).filter((m) => {
  const n = Object.values(m).reduce((p, v) => p * v.length, 1);
  return n >= 2 && n <= 10_000;
});

/** A valid job (before normalisation). */
export const jobInput: fc.Arbitrary<JobInput> = fc.record({
  image: fc.tuple(chars(LOWER, 1, 1), chars(LOWER + "./:@-", 0, 40)).map(([a, b]) => a + b),
  command: fc.option(
    fc.oneof(
      text.filter((s) => s.length > 0),
      fc.array(text, { minLength: 1, maxLength: 4 }).filter((a) => a[0] !== ""),
    ),
    { nil: undefined },
  ),
  environment: fc.option(vars("E", scalar), { nil: undefined }),
  secrets: fc.option(vars("S", chars(LOWER + ":/-", 1, 30).map((k) => `arn:aws:ssm:${k}`)), { nil: undefined }),
  tags: fc.option(
    fc.dictionary(
      tagText.filter((k) => k.length > 0 && !k.toLowerCase().startsWith("aws:")),
      fc.oneof(tagText, number),
      {
        maxKeys: 4,
      },
    ),
    { nil: undefined },
  ),
  queue: fc.option(name, { nil: undefined }),
  retry: fc.option(
    fc.record({ attempts: fc.integer({ min: 1, max: 10 }), evaluate_on_exit: fc.array(rule, { maxLength: 5 }) }, {
      requiredKeys: ["attempts"],
    }),
    { nil: undefined },
  ),
  timeout: fc.option(
    fc.oneof(fc.integer({ min: 60, max: 1_000_000 }), duration),
    { nil: undefined },
  ),
  matrix: fc.option(matrix, { nil: undefined }),
  mounts: fc.option(
    fc.record({ read: fc.array(mount("read"), { maxLength: 2 }), write: fc.array(mount("write"), { maxLength: 2 }) }),
    {
      nil: undefined,
    },
  ),
  extra: fc.option(fc.boolean(), { nil: undefined }),
  size,
}).map(({ size, extra, ...job }) => {
  const out: Record<string, unknown> = { ...job, ...size };
  const hasMounts = (job.mounts?.read.length ?? 0) + (job.mounts?.write.length ?? 0) > 0;
  if (extra !== undefined) out.preloader = hasMounts ? true : extra;
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out as unknown as JobInput;
});

/** A valid workflow: 1–5 jobs, each depending only on earlier ones (so there are no cycles). */
export const workflowInput: fc.Arbitrary<WorkflowInput> = fc.record({
  name,
  queue: fc.option(name, { nil: undefined }),
  jobs: fc.uniqueArray(fc.tuple(name, jobInput), { minLength: 1, maxLength: 5, selector: ([n]) => n }),
  picks: fc.array(fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 3 }), { minLength: 5, maxLength: 5 }),
}).map(({ name, queue, jobs, picks }) => {
  const dependencies: Record<string, (string | { job: string })[]> = {};
  jobs.forEach(([job], i) => {
    if (i === 0) return;
    const chosen = [...new Map(picks[i]!.map(([n, plain]) => [jobs[n % i]![0], plain])).entries()];
    if (chosen.length > 0) dependencies[job] = chosen.map(([dep, plain]) => plain ? dep : { job: dep });
  });
  const wf: WorkflowInput = { name, jobs: Object.fromEntries(jobs), dependencies };
  if (queue !== undefined) wf.queue = queue;
  return wf;
});
