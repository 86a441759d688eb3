import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  LABEL_LIMIT_PX, Timeline, barChart, chartBundle, distributionChart, renderSvg, saveChart, scalingChart, show,
  textWidth, timelineChart, type Chart,
} from "concurrency-lab";
import { withFakeKernel } from "./fake-kernel";
import { overlapping, svgTexts } from "./svg-text";

/** Counts the drawn items of each mark type in a vega SVG, e.g. { rect: 3, text: 3, rule: 1 }. */
function marksIn(svg: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of svg.matchAll(/<g class="mark-(\w+) role-mark [^"]*"[^>]*>(.*?)<\/g>/gs)) {
    counts[m[1]] = (counts[m[1]] ?? 0) + (m[2].match(/<(path|line|text)\b/g) ?? []).length;
  }
  return counts;
}

const VL = "application/vnd.vegalite.v5+json";
const renderMs: Record<string, number> = {};

async function bundleOf(name: string, chart: Chart) {
  const { bundle, svgMs } = await chartBundle(chart);
  renderMs[name] = svgMs;
  assert.equal(Object.keys(bundle).sort(), [VL, "image/svg+xml", "text/plain"].sort());
  const spec = bundle[VL] as { $schema: string; title: string; width: number };
  assert.is(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.ok(spec.title && spec.width <= 700, "titled and notebook-wide");
  const svg = bundle["image/svg+xml"] as string;
  assert.ok(svg.startsWith("<svg"), "an SVG document");
  return { svg, text: bundle["text/plain"] as string, marks: marksIn(svg) };
}

const emptyIs = (arg: string) => (e: unknown) => e instanceof RangeError && String(e).includes(arg);

test("barChart: one labelled bar per strategy", async () => {
  const { svg, text, marks } = await bundleOf("bar", barChart([{ label: "sequential", value: 4.1 }, { label: "threads", value: 1.05 }], { title: "Downloads" }));
  assert.is(marks.rect, 2);
  assert.ok(svg.includes("4.10 s") && svg.includes("1.05 s"), "bars carry their seconds");
  assert.ok(svg.includes("time (seconds)"), "axis title with unit");
  assert.match(text, /Downloads\nlabel\s+value\nsequential\s+4\.10 s/);
});

test("barChart: microseconds for per-operation costs", async () => {
  const { svg, text } = await bundleOf("bar (µs)", barChart([{ label: "promise hop", value: 0.126 }, { label: "worker round trip", value: 46.3 }], { unit: "µs" }));
  assert.ok(svg.includes("0.126 µs") && svg.includes("46.3 µs"), "bars carry their microseconds");
  assert.ok(svg.includes("time (microseconds)"), "axis title names microseconds");
  assert.match(text, /worker round trip\s+46\.3 µs/);
  assert.throws(() => barChart([{ label: "x", value: 1 }], { unit: "ns" as "µs" }), (e: unknown) => e instanceof RangeError && String(e).includes("opts.unit"));
});

test("barChart: measured vs published series and a floor rule", async () => {
  const chart = barChart(
    [
      { label: "sequential", value: 4.1, series: "measured" },
      { label: "sequential", value: 3.9, series: "published" },
      { label: "threads", value: 1.1, series: "measured" },
    ],
    { rules: [{ label: "floor", value: 1 }], unit: "s" },
  );
  const { svg, text, marks } = await bundleOf("bar (grouped + rule)", chart);
  assert.is(marks.rect, 3);
  assert.is(marks.rule, 1);
  assert.ok(svg.includes("published") && svg.includes("floor"), "legend and rule label drawn");
  assert.match(text, /published\s+3\.90 s/);
  assert.match(text, /floor: 1 s/);
});

test("timelineChart: one bar per span, one row per lane, fixed kind colours", async () => {
  const tl = new Timeline(1000);
  tl.add(
    { label: "compute", lane: "thread 1", start: 1010, end: 1100, kind: "running" },
    { label: "fetch", lane: "pid 42", start: 1000, end: 1080, kind: "io" },
    { label: "wait", lane: "main", start: 1000, end: 1100, kind: "waiting" },
  );
  const { svg, text, marks } = await bundleOf("timeline", timelineChart(tl, { title: "Three lanes" }));
  assert.is(marks.rect, 3);
  for (const colour of ["#4c78a8", "#54a24b", "#f58518"]) assert.ok(svg.includes(colour), `kind colour ${colour}`);
  assert.ok(svg.includes("time since start (ms)"));
  assert.match(text, /main\s+wait\s+waiting\s+0\s+100\s+100/);
  // A plain span array starts at its earliest span.
  const spec = timelineChart([{ label: "x", lane: "main", start: 5000, end: 5020, kind: "running" }]) as { data: { values: { start: number }[] } };
  assert.is(spec.data.values[0].start, 0);
});

test("timelineChart: lanes asked for come first, in that order; the rest follow", () => {
  const spans = ["server 1", "main", "thread 2", "server 0"].map((lane, i) => ({ label: lane, lane, start: i, end: i + 1, kind: "running" }));
  const spec = timelineChart(spans, { lanes: ["thread 2", "server 0", "not there"], laneTitle: "who" }) as {
    encoding: { y: { sort: string[]; title: string } };
  };
  assert.equal(spec.encoding.y.sort, ["thread 2", "server 0", "main", "server 1"]);
  assert.is(spec.encoding.y.title, "who");
});

test("scalingChart: measured line, ideal line and a rule at the core count", async () => {
  const points = [1, 2, 4].map((w) => ({ workers: w, speedup: Math.min(w, 2) * 0.95 }));
  const { svg, text, marks } = await bundleOf("scaling", scalingChart(points, { cores: 2 }));
  assert.is(marks.line, 2, "ideal + measured");
  assert.is(marks.rule, 1);
  assert.ok(svg.includes("2 cores") && svg.includes("ideal"));
  assert.match(text, /measured\s+4\s+1\.9/);
});

test("distributionChart: histogram with the expected value marked", async () => {
  const values = [200000, 187342, 200000, 164003, 199998, 200000];
  const { svg, text, marks } = await bundleOf("distribution", distributionChart(values, { expected: 200000, valueTitle: "final counter" }));
  assert.ok(marks.rect >= 3, `bins drawn: ${marks.rect}`);
  assert.is(marks.rule, 1);
  assert.ok(svg.includes("expected 200000") && svg.includes("final counter"));
  assert.match(text, /runs at expected\s+3 of 6/);
  // All runs equal: still a drawable histogram.
  assert.is((await bundleOf("distribution (one value)", distributionChart([5, 5, 5], { expected: 5 }))).marks.rule, 1);
});

test("charts reject empty or non-numeric data, naming the argument", () => {
  assert.throws(() => barChart([]), emptyIs("data"));
  assert.throws(() => timelineChart([]), emptyIs("spans"));
  assert.throws(() => timelineChart(new Timeline()), emptyIs("spans"));
  assert.throws(() => scalingChart([]), emptyIs("points"));
  assert.throws(() => distributionChart([]), emptyIs("values"));
  assert.throws(() => barChart([{ label: "a", value: NaN }]), (e: unknown) => e instanceof TypeError && /data\[0\]\.value/.test(String(e)));
  assert.throws(() => scalingChart([{ workers: 0, speedup: 1 }]), (e: unknown) => e instanceof RangeError && /workers/.test(String(e)));
  assert.throws(() => distributionChart([1, 2], { expected: NaN }), (e: unknown) => e instanceof TypeError && /expected/.test(String(e)));
});

test("show: one output with three representations in a kernel, text outside", async () => {
  const chart = barChart([{ label: "threads", value: 1.2 }]);
  const outputs = await withFakeKernel(() => show(chart));
  assert.is(outputs.length, 1, "exactly one output");
  assert.equal(Object.keys(outputs[0].data).sort(), [VL, "image/svg+xml", "text/plain"].sort());

  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(" "));
  try {
    await show(chart, { summary: "threads took 1.2 s" });
  } finally {
    console.log = log;
  }
  assert.equal(printed, ["Time per strategy\nthreads took 1.2 s"]);
  await show({} as Chart).then(() => assert.unreachable("an empty spec has nothing to draw"), () => undefined);
});

test("saveChart writes SVG or the JSON spec", async () => {
  const dir = mkdtempSync(join(tmpdir(), "charts-"));
  try {
    const chart = barChart([{ label: "threads", value: 1.2 }]);
    await saveChart(chart, join(dir, "c.svg"));
    assert.is(marksIn(readFileSync(join(dir, "c.svg"), "utf8")).rect, 1);
    await saveChart(chart, join(dir, "c.json"));
    assert.is(JSON.parse(readFileSync(join(dir, "c.json"), "utf8")).$schema, "https://vega.github.io/schema/vega-lite/v5.json");
    await saveChart(chart, join(dir, "c.png")).then(
      () => assert.unreachable("png is not supported"),
      (e) => assert.ok(e instanceof RangeError && /path/.test(String(e))),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Labels from the notebooks that vega's no-canvas estimate used to cut with "…".
const LONG_LABELS = [
  "ProcessPoolExecutor (4 workers)",
  "wait 0.3 s, return n*n · ProcessPoolExecutor",
  "sumOfSquares (CPU) · ThreadPoolExecutor",
  "Node.js, calibrated (258,002,665)",
];

test("textWidth measures with font metrics, at least as wide as Arial draws it", () => {
  // Arial/Helvetica at 10 px: "ProcessPoolExecutor (4 workers)" is about 150 px; DejaVu Sans is wider.
  const w = textWidth("ProcessPoolExecutor (4 workers)", { fontSize: 10 });
  assert.ok(w > 145 && w < 185, `width ${w}`);
  assert.ok(textWidth("MMMM", { fontSize: 10 }) > textWidth("iiii", { fontSize: 10 }) * 2, "letters differ in width");
  assert.ok(textWidth("time", { fontSize: 11, fontWeight: "bold" }) > textWidth("time", { fontSize: 11 }), "bold is wider");
  assert.is(textWidth("", { fontSize: 10 }), 0);
});

test("no label is cut with … unless longer than the limit", async () => {
  const bars = barChart(
    LONG_LABELS.flatMap((label, i) => [
      { label, value: 0.4 + i / 10, series: "Node.js (this run)" },
      { label, value: 0.5 + i / 10, series: "Python 3.11 (this run, one thread)" },
    ]),
  );
  const lanes = timelineChart(LONG_LABELS.map((lane, i) => ({ label: lane, lane, start: i * 10, end: i * 10 + 50, kind: "running" })));
  const scaling = scalingChart([{ workers: 1, speedup: 1, series: "async/await (Promise.all)" }, { workers: 2, speedup: 1.2, series: "async/await (Promise.all)" }]);
  for (const chart of [bars, lanes, scaling]) {
    const texts = svgTexts(await renderSvg(chart)).map((t) => t.text);
    assert.equal(texts.filter((t) => t.endsWith("…")), [], "labels cut with …");
    for (const label of chart === scaling ? ["async/await (Promise.all)"] : LONG_LABELS) assert.ok(texts.includes(label), `${label} drawn whole`);
  }
  // Past the limit a label is cut, so one absurd name cannot squeeze the plot away.
  const huge = "a step name much longer than any axis should ever have to hold, repeated: ".repeat(3);
  assert.ok(textWidth(huge, { fontSize: 10 }) > LABEL_LIMIT_PX);
  const cut = svgTexts(await renderSvg(barChart([{ label: huge, value: 1 }]))).filter((t) => t.text.endsWith("…"));
  assert.is(cut.length, 1);
  assert.ok(cut[0]!.box.right - cut[0]!.box.left <= LABEL_LIMIT_PX + 1, "cut at the limit");
});

test("close rule labels do not collide, and stay whole", async () => {
  const rules = [
    { label: "floor (slowest page)", value: 1 },
    { label: "ideal (10 workers)", value: 1.05 },
    { label: "sum of the pages", value: 1.1 },
    { label: "end", value: 4.6 },
  ];
  const svg = await renderSvg(barChart([{ label: "threads", value: 1.2 }, { label: "sequential", value: 4.3 }], { rules }));
  const labels = svgTexts(svg).filter((t) => t.fill === "#555");
  assert.equal(labels.map((t) => t.text).sort(), rules.map((r) => r.label).sort());
  assert.equal(overlapping(labels, 2), [], "rule labels overlap");
  // They would overlap on one line: the first three lie within 0.1 s of each other.
  assert.ok(new Set(labels.map((t) => t.box.top)).size >= 3, "close labels on separate rows");
});

test("tick labels keep a gap, on every axis of every chart", async () => {
  const big = new Timeline(0);
  big.add({ label: "long", lane: "main", start: 0, end: 1_234_567, kind: "running" }, { label: "x", lane: "worker", start: 10, end: 20, kind: "io" });
  const charts = [
    big.spans().length ? timelineChart(big) : barChart([]),
    distributionChart([987_654, 1_000_000, 912_345, 999_999, 950_000], { expected: 1_000_000 }),
    barChart([{ label: "a", value: 123_456.7 }], { unit: "ms" }),
    scalingChart([1, 2, 3, 4, 8, 16].map((w) => ({ workers: w, speedup: Math.min(w, 2) })), { cores: 16 }),
  ];
  for (const chart of charts) {
    const ticks = svgTexts(await renderSvg(chart)).filter((t) => t.group.includes("role-axis-label") && !t.rotated);
    assert.ok(ticks.length >= 2);
    assert.equal(overlapping(ticks, 2), [], "tick labels run together");
  }
});

test("heights fit the content: a one-bar chart is as tall as its bar, axis and titles", async () => {
  const height = (svg: string) => Number(/height="(\d+)"/.exec(svg)![1]);
  assert.ok(height(await renderSvg(barChart([{ label: "threads", value: 0.873 }], { labelTitle: "a long label axis title" }))) <= 110);
  const twoLanes = timelineChart([
    { label: "a", lane: "main", start: 0, end: 100, kind: "running" },
    { label: "b", lane: "worker 1", start: 20, end: 1200, kind: "waiting" },
  ]);
  assert.ok(height(await renderSvg(twoLanes)) <= 140);
});

test("report SVG render times", () => {
  console.log("  SVG render ms: " + Object.entries(renderMs).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", "));
});

test.run();
