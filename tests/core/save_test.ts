import assert from "node:assert/strict";
import {
  defineWorkflow,
  loadWorkflow,
  parseWorkflow,
  saveWorkflow,
  workflowToJson,
  workflowToToml,
} from "../../mod.ts";
import { fc } from "../support/deps.ts";
import { workflowInput } from "../support/arbitraries.ts";

Deno.test("workflowToToml() writes readable TOML: blank lines between jobs, defaults left out", () => {
  const wf = defineWorkflow({
    name: "hello",
    queue: "q",
    jobs: {
      greet: { image: "alpine", command: "echo hi", environment: { A: 1 }, timeout: 5400 },
      train: {
        image: "trainer",
        command: ["python", "train.py"],
        platform: "EC2",
        vcpus: 4,
        memory: 16384,
        gpus: 1,
        retry: { attempts: 3, evaluate_on_exit: [{ on_exit_code: "137", action: "RETRY" }] },
        matrix: { LR: [0.1, 0.01] },
        tags: { "cost center": "42" },
        mounts: { read: [{ source: "s3://bucket/in/", destination: "/in", recursive: true }] },
      },
    },
    dependencies: { train: ["greet"], greet: [] },
  });
  assert.equal(
    workflowToToml(wf),
    `name = "hello"
queue = "q"

[jobs.greet]
image = "alpine"
command = "echo hi"
vcpus = 1
memory = 2048
timeout = "1h30m"
environment = { A = "1" }

[jobs.train]
image = "trainer"
command = ["python", "train.py"]
platform = "EC2"
vcpus = 4
memory = 16384
gpus = 1
retry = { attempts = 3, evaluate_on_exit = [{ on_exit_code = "137", action = "RETRY" }] }
matrix = { LR = ["0.1", "0.01"] }
tags = { "cost center" = "42" }

[[jobs.train.mounts.read]]
source = "s3://bucket/in/"
destination = "/in"
recursive = true

[dependencies]
train = ["greet"]
`,
  );
});

Deno.test("workflowToToml() moves long tables into sections and multi-line commands into literal strings", () => {
  const environment = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`VARIABLE_${i}`, `value number ${i}`]));
  const wf = defineWorkflow({
    name: "long",
    jobs: { a: { image: "alpine", command: "set -e\necho 'one'\necho two\n", environment, preloader: true } },
  });
  const toml = workflowToToml(wf);
  assert.match(toml, /\n\[jobs\.a\.environment\]\nVARIABLE_0 = "value number 0"\n/);
  assert.match(toml, /\ncommand = '''\nset -e\necho 'one'\necho two\n'''\n/);
  assert.match(toml, /\npreloader = true\n/);
  assert.deepEqual(parseWorkflow(toml), wf);
});

Deno.test("the examples load, and save back to TOML that loads identically", async () => {
  for (const file of ["demo.toml", "hello.toml"]) {
    const wf = await loadWorkflow(new URL(`../../examples/${file}`, import.meta.url).pathname);
    assert.deepEqual(parseWorkflow(workflowToToml(wf)), wf);
  }
});

Deno.test("saveWorkflow() writes TOML or, for .json paths, JSON that loadWorkflow() reads back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const wf = defineWorkflow({ name: "s", jobs: { a: { image: "alpine", matrix: { X: [1, 2] } } } });
    for (const file of ["wf.toml", "wf.json"]) {
      await saveWorkflow(wf, `${dir}/${file}`);
      assert.deepEqual(await loadWorkflow(`${dir}/${file}`), wf);
    }
    assert.match(await Deno.readTextFile(`${dir}/wf.toml`), /^name = "s"\n/);
    assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/wf.json`)).name, "s");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("property: any valid workflow survives workflowToToml() and workflowToJson() unchanged", () => {
  fc.assert(
    fc.property(workflowInput, (input) => {
      const wf = defineWorkflow(input);
      assert.deepEqual(parseWorkflow(workflowToToml(wf)), wf);
      assert.deepEqual(parseWorkflow(workflowToJson(wf)), wf);
      assert.deepEqual(defineWorkflow(wf), wf);
    }),
    { numRuns: 100 },
  );
});
