import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearResults, experiment, recordedValues, recordValues, results, resultsDir, roundsCeiling, saveResults, type ResultsFile } from "concurrency-lab";
import { fakeLab } from "./fake-lab";

async function twoComparisons() {
  clearResults();
  const lab = fakeLab();
  await experiment({
    id: "pool", question: "Does the pool help?", probes: lab.probes,
    variants: { sequential: lab.variant("s", [300]), pool: lab.variant("p", [100]) },
    bounds: { pool: roundsCeiling({ workers: 2, tasks: 3, cores: 2 }) },
  });
  await experiment({
    id: "async", question: "Is async faster?", probes: lab.probes,
    variants: { sequential: lab.variant("s", [400]), async: lab.variant("a", [100]) },
  });
}

test("saveResults writes <dir>/<notebook>.results.json: every comparison with stats, ratio, bound, flags, verdict, machine, noise", async () => {
  await twoComparisons();
  const dir = mkdtempSync(join(tmpdir(), "results-"));
  try {
    const path = await saveResults("notebooks/02-async-cheatsheet.ipynb", { dir });
    assert.is(path, join(dir, "02-async-cheatsheet.results.json"));
    const file = JSON.parse(readFileSync(path, "utf8")) as ResultsFile;
    assert.is(file.notebook, "02-async-cheatsheet");
    assert.equal(file.suspect, ["pool"]);
    assert.equal(file.comparisons.map((c) => c.id), ["pool", "async"]);
    const pool = file.comparisons[0]!;
    assert.is(pool.question, "Does the pool help?");
    assert.is(pool.variants.pool!.medianMs, 100);
    assert.is(pool.ratios[0]!.speedup, 3);
    assert.is(pool.ratios[0]!.ceiling, 1.5);
    assert.ok(pool.ratios[0]!.bound!.why.length > 0);
    assert.ok(pool.suspect);
    assert.match(pool.reason!, /beyond the ceiling/);
    assert.match(pool.verdict, /SUSPECT/);
    assert.equal(pool.machine, { cores: 2, node: "test" });
    assert.ok("noise" in pool);
    assert.is(file.comparisons[1]!.ratios[0]!.outcome, "faster");
    assert.is(file.comparisons[1]!.ratios[0]!.ceiling, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    clearResults();
  }
});

test("resultsDir: $CONCURRENCY_LAB_RESULTS_DIR, else the checkout's build/handouts", async () => {
  const saved = process.env.CONCURRENCY_LAB_RESULTS_DIR;
  const dir = mkdtempSync(join(tmpdir(), "results-env-"));
  try {
    delete process.env.CONCURRENCY_LAB_RESULTS_DIR;
    assert.match(resultsDir(), /[\\/]build[\\/]handouts$/);
    process.env.CONCURRENCY_LAB_RESULTS_DIR = dir;
    assert.is(resultsDir(), dir);
    await twoComparisons();
    const path = await saveResults("00-setup-check");
    assert.is(path, join(dir, "00-setup-check.results.json"));
    assert.is((JSON.parse(readFileSync(path, "utf8")) as ResultsFile).comparisons.length, 2);
  } finally {
    if (saved === undefined) delete process.env.CONCURRENCY_LAB_RESULTS_DIR;
    else process.env.CONCURRENCY_LAB_RESULTS_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
    clearResults();
  }
});

test("saveResults needs a name; an empty collection still writes a file", async () => {
  clearResults();
  try {
    await saveResults("  ");
    assert.unreachable("expected a TypeError");
  } catch (e) {
    assert.instance(e, TypeError);
  }
  const dir = mkdtempSync(join(tmpdir(), "results-empty-"));
  try {
    const file = JSON.parse(readFileSync(await saveResults("x", { dir }), "utf8")) as ResultsFile;
    assert.equal(file.comparisons, []);
    assert.equal(results(), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("recordValues: values that are not timings, in the JSON; estimates kept; re-recording replaces by id", async () => {
  clearResults();
  recordValues({ id: "memory", question: "Memory per worker", unit: "MB PSS", values: { thread: 9 } });
  recordValues({
    id: "memory", question: "Memory per worker", unit: "MB PSS",
    values: { thread: 9.5, process: 41.2, "100 processes": { value: 4120, estimate: "100 x one process" } },
    verdict: "computed",
  });
  assert.is(recordedValues().length, 1);
  const dir = mkdtempSync(join(tmpdir(), "results-values-"));
  try {
    const file = JSON.parse(readFileSync(await saveResults("v", { dir }), "utf8")) as ResultsFile;
    assert.is(file.values.length, 1);
    assert.equal(file.values[0]!.values.map((v) => [v.name, v.value, v.estimate]), [
      ["thread", 9.5, null], ["process", 41.2, null], ["100 processes", 4120, "100 x one process"],
    ]);
    assert.is(file.values[0]!.verdict, "computed");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => recordValues({ id: "x", question: "?", unit: "", values: { a: 1 } }), /unit/);
  assert.throws(() => recordValues({ id: "x", question: "?", unit: "u", values: { a: NaN } }), /"a"/);
  clearResults();
  assert.is(recordedValues().length, 0);
});

test.run();
