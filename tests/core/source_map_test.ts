import assert from "node:assert/strict";
import { locateToml } from "../../core/toml_locate.ts";
import { locateJson } from "../../core/json_locate.ts";

Deno.test("locateToml() finds keys in tables, arrays of tables, dotted keys, inline tables and arrays", () => {
  const map = locateToml(`# comment
name = "x"   # trailing
text = """
multi "line" [not a table]
"""
lit = '''
[also not]
'''

[jobs.a]
image = "i"
matrix = { A = [1, 2], "quoted key" = { deep = true } }
list = [
  "one",
  { k = 1 },
]
site.owner = 'me'

[[jobs.a.mounts.read]]
source = "s3://b/1"

[[jobs.a.mounts.read]]
source = "s3://b/2"

[jobs."b c"]
image = "j"
`);
  assert.equal(map.lineOf(["name"]), 2);
  assert.equal(map.lineOf(["lit"]), 6);
  assert.equal(map.lineOf(["jobs", "a"]), 10);
  assert.equal(map.lineOf(["jobs", "a", "image"]), 11);
  assert.equal(map.lineOf(["jobs", "a", "matrix", "A", 1]), 12);
  assert.equal(map.lineOf(["jobs", "a", "matrix", "quoted key", "deep"]), 12);
  assert.equal(map.lineOf(["jobs", "a", "list", 0]), 14);
  assert.equal(map.lineOf(["jobs", "a", "list", 1, "k"]), 15);
  assert.equal(map.lineOf(["jobs", "a", "site", "owner"]), 17);
  assert.equal(map.lineOf(["jobs", "a", "mounts", "read", 0, "source"]), 20);
  assert.equal(map.lineOf(["jobs", "a", "mounts", "read", 1]), 22);
  assert.equal(map.lineOf(["jobs", "a", "mounts", "read", 1, "source"]), 23);
  assert.equal(map.lineOf(["jobs", "b c", "image"]), 26);
  // Unknown paths fall back to the nearest known ancestor.
  assert.equal(map.lineOf(["jobs", "a", "vcpus"]), 10);
  assert.equal(map.lineOf(["nothing"]), undefined);
});

Deno.test("locateJson() finds keys and array elements", () => {
  const map = locateJson(`{
  "name": "x",
  "jobs": {
    "a": {"image": "i",
      "mounts": {"read": [
        {"source": "s3://b/k"},
        {"source": "s3://b/\\"q\\""}
      ]}
    }
  }
}`);
  assert.equal(map.lineOf(["name"]), 2);
  assert.equal(map.lineOf(["jobs", "a", "image"]), 4);
  assert.equal(map.lineOf(["jobs", "a", "mounts", "read", 0, "source"]), 6);
  assert.equal(map.lineOf(["jobs", "a", "mounts", "read", 1, "source"]), 7);
});

Deno.test("the locators never throw on text they do not understand", () => {
  for (const text of ["[[", "a = [", '{"a": ', "= = =", "[x]\n]]]", "a = '''\n", "\u0000"]) {
    assert.doesNotThrow(() => locateToml(text));
    assert.doesNotThrow(() => locateJson(text));
  }
});
