import { test } from "uvu";
import * as assert from "uvu/assert";
import { showTable, textTable } from "concurrency-lab";
import { withFakeKernel } from "./fake-kernel";

test("textTable aligns columns and right-aligns numbers", () => {
  assert.is(textTable([{ a: "x", n: 1.23456 }, { a: "long", n: 10 }]), "a         n\nx     1.235\nlong     10");
  assert.is(textTable([]), "(no rows)");
});

test("showTable sends one output with an HTML table and the same table as text", async () => {
  const outputs = await withFakeKernel(() => showTable([{ way: "<threads>", ms: 1.5 }, { way: "async", ms: 10 }]));
  assert.is(outputs.length, 1);
  const { data } = outputs[0]!;
  assert.equal(Object.keys(data).sort(), ["text/html", "text/plain"]);
  assert.match(String(data["text/html"]), /<th>way<\/th><th>ms<\/th>/);
  assert.match(String(data["text/html"]), /<td>&lt;threads&gt;<\/td><td style="text-align:right">1.5<\/td>/);
  assert.is(data["text/plain"], textTable([{ way: "<threads>", ms: 1.5 }, { way: "async", ms: 10 }]));
});

test("showTable shows a plain object as property and value, and picks columns", async () => {
  const [record] = await withFakeKernel(() => showTable({ cores: 2, node: "v20" }));
  assert.is(record!.data["text/plain"], "property  value\ncores     2\nnode      v20");
  const [picked] = await withFakeKernel(() => showTable([{ a: 1, b: 2 }], ["b"]));
  assert.is(picked!.data["text/plain"], "b\n2");
});

test("showTable rejects empty or non-tabular data", () => {
  assert.throws(() => showTable([]), (e: unknown) => e instanceof RangeError && /empty/.test(String(e)));
  assert.throws(() => showTable("rows" as never), (e: unknown) => e instanceof TypeError);
});

test.run();
