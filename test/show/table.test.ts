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
  assert.match(String(data["text/html"]), /<th style="text-align:left">way<\/th><th style="text-align:right">ms<\/th>/);
  assert.match(String(data["text/html"]), /<td style="text-align:left">&lt;threads&gt;<\/td><td style="text-align:right">1.5<\/td>/);
  assert.is(data["text/plain"], textTable([{ way: "<threads>", ms: 1.5 }, { way: "async", ms: 10 }]));
});

test("showTable shows a plain object as property and value, and picks columns", async () => {
  const [record] = await withFakeKernel(() => showTable({ cores: 2, node: "v20" }));
  assert.is(record!.data["text/plain"], "property  value\ncores     2\nnode      v20");
  const [picked] = await withFakeKernel(() => showTable([{ a: 1, b: 2 }], ["b"]));
  assert.is(picked!.data["text/plain"], "b\n2");
});

test("nested objects are spread into dotted columns, in HTML and text; never [object Object]", async () => {
  const rows = [
    { way: "gather", ms: { min: 101, median: 103.25 }, sockets: { opened: 3 } },
    { way: "one by one", ms: { min: 300, median: 310 }, sockets: { opened: 1, reused: 2 } },
  ];
  const [out] = await withFakeKernel(() => showTable(rows));
  const text = String(out!.data["text/plain"]);
  const html = String(out!.data["text/html"]);
  for (const shown of [text, html]) assert.not.match(shown, /\[object/);
  assert.is(
    text,
    [
      "way         ms.min  ms.median  sockets.opened  sockets.reused",
      "gather         101     103.25               3",
      "one by one     300        310               1               2",
    ].join("\n"),
  );
  assert.match(html, /<th style="text-align:right">ms\.median<\/th>/);
  // A record of records (property -> object) spreads the same way.
  const [record] = await withFakeKernel(() => showTable({ gather: { ms: 103 }, sequential: { ms: 310 } }));
  assert.is(record!.data["text/plain"], "property    value.ms\ngather           103\nsequential       310");
  // A nested object's name picks its columns; arrays of plain values are listed.
  assert.is(textTable(rows, ["way", "ms"]), "way         ms.min  ms.median\ngather         101     103.25\none by one     300        310");
  assert.is(textTable([{ pids: [11, 12] }]), "pids\n11, 12");
});

test("a value with no readable text is a TypeError naming its column", () => {
  class Opaque {}
  const refused = (e: unknown) => e instanceof TypeError && /column "result\.pool"/.test(String(e));
  assert.throws(() => textTable([{ result: { pool: new Opaque() } }]), refused);
  assert.throws(() => showTable([{ result: { pool: new Opaque() } }]), refused);
  assert.throws(() => textTable([{ pids: [1, new Opaque()] }]), (e: unknown) => e instanceof TypeError && /pids\[1\]/.test(String(e)));
  assert.throws(() => textTable([{ spans: [{ a: 1 }] }]), (e: unknown) => e instanceof TypeError && /spans\[0\]/.test(String(e)));
  // Objects with their own text are shown as that text.
  assert.is(textTable([{ when: new Date(0), url: new URL("http://x/") }]), "when                      url\n1970-01-01T00:00:00.000Z  http://x/");
});

test("text columns are left-aligned and numbers right-aligned, blanks allowed in a number column", () => {
  assert.is(textTable([{ name: "a", n: 1 }, { name: "bbbbbb", n: 100 }, { name: "c" }]), "name      n\na         1\nbbbbbb  100\nc");
});

test("showTable rejects empty or non-tabular data", () => {
  assert.throws(() => showTable([]), (e: unknown) => e instanceof RangeError && /empty/.test(String(e)));
  assert.throws(() => showTable("rows" as never), (e: unknown) => e instanceof TypeError);
});

test.run();
