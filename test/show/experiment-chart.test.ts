import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  chartBundle, clearResults, recordValues, experiment, experimentChart, experimentRows, showExperiment, showSummary, summaryRows, variantStatus,
} from "concurrency-lab";
import { fakeLab } from "../measure/fake-lab";
import { withFakeKernel } from "./fake-kernel";

async function mixed() {
  clearResults();
  const lab = fakeLab();
  const beyond = await experiment({
    id: "beyond", question: "Three CPU tasks on two threads", probes: lab.probes,
    variants: { sequential: lab.variant("s", [300]), pool: lab.variant("p", [100]), estimate: lab.variant("e", [200]) },
    bounds: { pool: { ceiling: 1.5, why: "3 tasks, 2 at a time" } },
    estimates: { estimate: "1 task x 3" },
  });
  const fine = await experiment({
    id: "fine", question: "Ten waits", probes: lab.probes,
    variants: { sequential: lab.variant("s", [2500]), threads: lab.variant("t", [1050]) },
    bounds: { threads: { floorMs: 1000, why: "4 rounds x 250 ms" } },
  });
  return { beyond, fine };
}

type Layer = { mark?: { type?: string }; data?: { values?: unknown[] } };

test("experimentChart: bars by status (suspect grey, estimate light), a min-max line, a red tick at the bound", async () => {
  const { beyond, fine } = await mixed();
  assert.is(variantStatus(beyond, "pool"), "suspect");
  assert.is(variantStatus(beyond, "estimate"), "estimate");
  assert.is(variantStatus(beyond, "sequential"), "measured");
  const spec = experimentChart(beyond) as unknown as { data: { values: Record<string, unknown>[] }; layer: Layer[] };
  const pool = spec.data.values.find((v) => v.variant === "pool")!;
  assert.is(pool.status, "suspect");
  assert.match(String(pool.text), /suspect$/);
  assert.is(pool.bound, 200, "fastest the ceiling allows: 300 ms / 1.5");
  assert.match(String(spec.data.values.find((v) => v.variant === "estimate")!.text), /estimate$/);
  assert.equal(spec.layer.map((l) => l.mark?.type), ["bar", "rule", "text", "tick"]);
  const secs = experimentChart(fine) as unknown as { data: { values: Record<string, unknown>[] } };
  assert.is(secs.data.values.find((v) => v.variant === "threads")!.median, 1.05, "seconds when runs last over 2 s");
  const { bundle } = await chartBundle(experimentChart(beyond));
  assert.ok(String(bundle["image/svg+xml"]).includes("suspect"), "the SVG carries the suspect label");
  assert.match(String(bundle["text/plain"]), /SUSPECT/);
  clearResults();
});

test("experimentRows and summaryRows flag suspect and estimate values; suspect rows say not evidence", async () => {
  const { beyond } = await mixed();
  const rows = experimentRows(beyond);
  assert.equal(rows.map((r) => r.flag), ["", "suspect", "estimate"]);
  assert.equal(rows.map((r) => r["vs sequential"]), ["baseline", "3.00x", "1.50x"]);
  const summary = summaryRows();
  assert.equal(summary.map((r) => `${r.comparison}/${r.variant}`), ["beyond/sequential", "beyond/pool", "beyond/estimate", "fine/sequential", "fine/threads"]);
  assert.is(summary[1]!.flag, "SUSPECT, not evidence");
  assert.is(summary[1]!.verdict, "beyond its bound");
  assert.is(summary[1]!.bound, "<= 1.50x");
  assert.is(summary[2]!.flag, "estimate");
  assert.is(summary[2]!.bound, "none given", "a ratio without a bound says so");
  assert.is(summary[0]!.bound, "");
  assert.is(summary[4]!.verdict, "2.38x faster; 50.0 ms above floor");
  assert.is(summary[4]!.bound, ">= 1.00 s");
  clearResults();
});

test("showExperiment and showSummary display chart, table, verdict and the flagged list", async () => {
  const { beyond } = await mixed();
  const shown = await withFakeKernel(() => showExperiment(beyond));
  assert.is(shown.length, 3);
  assert.ok("image/svg+xml" in shown[0]!.data);
  assert.ok("text/html" in shown[1]!.data);
  assert.match(String(shown[2]!.data["text/plain"]), /^Verdict \(beyond, \d+ rounds\):\n- SUSPECT/);
  const summary = await withFakeKernel(() => showSummary());
  assert.is(summary.length, 2);
  assert.match(String(summary[0]!.data["text/plain"]), /comparison\s+variant\s+time\s+ratio\s+bound\s+flag\s+verdict/);
  assert.match(String(summary[1]!.data["text/plain"]), /beyond \/ pool: .*beyond the ceiling/);
  assert.match(String(summary[1]!.data["text/plain"]), /beyond \/ estimate is an estimate: 1 task x 3/);
  recordValues({ id: "memory", question: "Memory", unit: "MB PSS", values: { a: 9.5, b: { value: 950, estimate: "100 x a" } }, verdict: "b is 100 times a" });
  const withValues = await withFakeKernel(() => showSummary());
  assert.is(withValues.length, 4);
  assert.match(String(withValues[1]!.data["text/plain"]), /memory\s+b\s+950 MB PSS\s+estimate/);
  assert.match(String(withValues[2]!.data["text/plain"]), /memory: b is 100 times a/);
  assert.match(String(withValues[3]!.data["text/plain"]), /memory \/ b is an estimate: 100 x a/);
  clearResults();
  const empty = await withFakeKernel(() => showSummary());
  assert.match(String(empty[0]!.data["text/plain"]), /No experiments collected yet/);
});

test("experimentChart with scale log: a log axis from a power of ten, bars drawn from it, room for the labels", async () => {
  clearResults();
  const lab = fakeLab();
  const e = await experiment({
    id: "copy", question: "Copied or transferred?", probes: lab.probes,
    variants: { copied: lab.variant("c", [100]), transferred: lab.variant("t", [0.5]) },
  });
  type Spec = { encoding?: unknown; layer: { mark?: { type?: string }; encoding: Record<string, { scale?: { type?: string; domain?: number[] }; title?: string; datum?: number }> }[];
    data: { values: Record<string, number | string>[] } };
  const spec = experimentChart(e, { scale: "log" }) as unknown as Spec;
  const bar = spec.layer[0]!;
  assert.is(bar.encoding.x!.scale!.type, "log");
  const [lo, hi] = bar.encoding.x!.scale!.domain!;
  assert.is(lo, 0.1, "the axis starts at the power of ten below the smallest time");
  const copied = spec.data.values.find((v) => v.variant === "copied")!;
  const room = (Math.log10(hi!) - Math.log10(Number(copied.labelAt))) / (Math.log10(hi!) - Math.log10(lo!));
  assert.ok(room > 0.05, `room right of the longest bar for its label (${room.toFixed(3)} of the axis)`);
  assert.is(bar.encoding.x2!.datum, 0.1, "bars start at the axis' first power of ten, not at 0");
  assert.match(String(bar.encoding.x!.title), /log scale/);
  const linear = experimentChart(e) as unknown as Spec;
  assert.is(linear.layer[0]!.encoding.x!.scale!.type, undefined, "linear stays the default");
  assert.is(linear.layer[0]!.encoding.x2, undefined);
  const { bundle } = await chartBundle(experimentChart(e, { scale: "log" }));
  assert.ok(String(bundle["image/svg+xml"]).includes("log scale"), "the SVG renders with its log axis");
  const near = await experiment({
    id: "near", question: "A value just above a power of ten", probes: lab.probes,
    variants: { slow: lab.variant("s", [10_000]), quick: lab.variant("q", [101]) },
  });
  const nearSpec = experimentChart(near, { scale: "log" }) as unknown as Spec;
  assert.is(nearSpec.layer[0]!.encoding.x!.scale!.domain![0], 0.01, "0.101 s: the axis starts at 0.01 s, so the bar has a length");
  const shown = await withFakeKernel(() => showExperiment(e, { scale: "log" }));
  assert.ok(String(shown[0]!.data["image/svg+xml"]).includes("log scale"));
  clearResults();
});

test("experimentChart: a ratio inside the no-gain band is labelled 'no gain', not 'slower'", async () => {
  clearResults();
  const lab = fakeLab();
  const e = await experiment({
    id: "no-gain-label", question: "Same work twice", probes: lab.probes,
    variants: { a: lab.variant("a", [100]), b: lab.variant("b", [105]) },
    bounds: { b: { ceiling: 1, why: "the same work" } },
  });
  assert.is(e.ratios[0]!.outcome, "no gain");
  const spec = experimentChart(e) as unknown as { data: { values: Record<string, unknown>[] } };
  const b = spec.data.values.find((v) => v.variant === "b")!;
  assert.match(String(b.text), /no gain, 0\.95x/);
  assert.not.match(String(b.text), /slower/);
});

test.run();
