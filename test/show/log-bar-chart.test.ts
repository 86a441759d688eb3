/** logBarChart: a log-10 axis for values that span orders of magnitude. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chartBundle, logBarChart } from "concurrency-lab";

const VL = "application/vnd.vegalite.v5+json";

test("bars start a power of ten below the smallest value, on a log scale", async () => {
  const chart = logBarChart([
    { label: "promise", value: 0.4 },
    { label: "process", value: 80, flag: "suspect" },
  ], { unit: "µs", title: "hand-over" });
  const { bundle } = await chartBundle(chart);
  const spec = bundle[VL] as { layer: { encoding: { x: { scale?: { type: string; domain: number[] } } } }[] };
  const scale = spec.layer[0]!.encoding.x.scale!;
  assert.is(scale.type, "log");
  assert.is(scale.domain[0], 0.1);
  assert.ok(scale.domain[1]! >= 100);
  assert.match(bundle["image/svg+xml"] as string, /^<svg/);
  const text = bundle["text/plain"] as string;
  assert.match(text, /0\.400 µs/);
  assert.match(text, /80 µs  suspect/);
});

test("a smallest value just above a power of ten still gets a visible bar", () => {
  const spec = logBarChart([
    { label: "sequential", value: 10 },
    { label: "async", value: 0.101 },
  ], { unit: "s" }) as unknown as { layer: { encoding: { x: { scale?: { domain: number[] } } } }[] };
  assert.is(spec.layer[0]!.encoding.x.scale!.domain[0], 0.01, "0.101 starts a decade below 0.1, not at 0.1");
});

test("grouped bars carry their series", () => {
  const chart = logBarChart([
    { label: "thread", value: 0.06, series: "Python" },
    { label: "thread", value: 30, series: "Node.js" },
  ]) as unknown as { data: { values: { series: string }[] } };
  assert.equal(chart.data.values.map((v) => v.series), ["Python", "Node.js"]);
});

test("zero, negative and missing values are refused", () => {
  assert.throws(() => logBarChart([{ label: "x", value: 0 }]), /no zero/);
  assert.throws(() => logBarChart([{ label: "x", value: -1 }]), (e: unknown) => e instanceof RangeError);
  assert.throws(() => logBarChart([]), (e: unknown) => e instanceof RangeError);
});

test.run();
