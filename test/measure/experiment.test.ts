import { test } from "uvu";
import * as assert from "uvu/assert";
import { clearResults, experiment, experimentFromSamples, noiseDuring, results, roundsCeiling, waitFloor } from "concurrency-lab";
import { fakeLab, statLine } from "./fake-lab";

const quiet = { collect: false } as const;

test("variants run interleaved A B C A B C, after the warm-up rounds", async () => {
  const lab = fakeLab();
  await experiment({
    ...quiet, id: "order", question: "order?", probes: lab.probes, warmup: 2, rounds: 3, budgetMs: 0,
    variants: { A: lab.variant("A", [10]), B: lab.variant("B", [10]), C: lab.variant("C", [10]) },
  });
  assert.equal(lab.log, ["A", "B", "C", "A", "B", "C", /* timed: */ "A", "B", "C", "A", "B", "C", "A", "B", "C"]);
});

test("rounds continue while the next round fits in the budget (warm-up included), then stop", async () => {
  const lab = fakeLab();
  const e = await experiment({
    ...quiet, id: "budget", question: "budget?", probes: lab.probes, warmup: 1, rounds: 2, budgetMs: 1000,
    variants: { A: lab.variant("A", [100]), B: lab.variant("B", [100]) },
  });
  // warm-up 200 ms; after each round of 200 ms: 400, 600, 800, 1000 (+200 > budget: stop)
  assert.is(e.rounds, 4);
  assert.is(e.totalMs, 1000);
  const capped = await experiment({
    ...quiet, id: "max", question: "max?", probes: fakeLab().probes, rounds: 1, maxRounds: 5, budgetMs: 1e9, variants: { A: () => 1 },
  });
  assert.is(capped.rounds, 5);
  const slow = await experiment({
    ...quiet, id: "slow", question: "slow?", probes: lab.probes, rounds: 3, budgetMs: 10,
    variants: { A: lab.variant("A", [500]) },
  });
  assert.is(slow.rounds, 3, "the minimum number of rounds runs even past the budget");
});

test("statistics per variant: median, min, max, spread, samples in round order", async () => {
  const lab = fakeLab();
  const e = await experiment({
    ...quiet, id: "stats", question: "stats?", probes: lab.probes, warmup: 1, rounds: 5, maxRounds: 5,
    variants: { A: lab.variant("A", [999, 100, 120, 80, 110, 90]), B: lab.variant("B", [1, 50, 50, 50, 50, 50]) },
  });
  const a = e.variants.A!;
  assert.equal(a.samplesMs, [100, 120, 80, 110, 90], "warm-up run excluded");
  assert.is(a.medianMs, 100);
  assert.is(a.minMs, 80);
  assert.is(a.maxMs, 120);
  assert.is(a.meanMs, 100);
  assert.is(a.spread, 0.4);
  assert.is(a.runs, 5);
  assert.is(e.variants.B!.spread, 0);
});

test("CPU per run: this process plus child processes (also those that exited); cores busy = CPU / wall", async () => {
  const lab = fakeLab();
  const e = await experiment({
    ...quiet, id: "cpu", question: "cpu?", probes: lab.probes, warmup: 0, rounds: 2, maxRounds: 2,
    variants: {
      threads: lab.variant("threads", [100], { cpuFactor: 1.8 }),
      processes: () => {
        lab.work(100, 10); // the parent mostly waits
        lab.childWork(7, 9); // 90 ms in a living child
        lab.childWork(8, 9);
        lab.childExit(8); // and 90 ms in one that exited during the run
      },
    },
  });
  assert.is(e.variants.threads!.cpuMs, 180);
  assert.is(e.variants.threads!.childCpuMs, 0);
  assert.is(e.variants.threads!.coresBusy, 1.8);
  assert.is(e.variants.processes!.processCpuMs, 10);
  assert.is(e.variants.processes!.childCpuMs, 180);
  assert.is(e.variants.processes!.cpuMs, 190);
  assert.is(e.variants.processes!.coresBusy, 1.9);
  assert.is(e.variants.processes!.cpuSource, "measured");
});

test("childPids: asked before and after each run and passed to the process-tree reader", async () => {
  const lab = fakeLab();
  const seen: (readonly number[])[] = [];
  const read = lab.probes.readProcessTree!;
  const e = await experiment({
    ...quiet, id: "pids", question: "?", warmup: 0, rounds: 1, maxRounds: 1, childPids: () => [77, 78],
    probes: { ...lab.probes, readProcessTree: (extra) => (seen.push(extra), read(extra)) },
    variants: { A: lab.variant("A", [10]) },
  });
  assert.is(e.rounds, 1);
  assert.ok(seen.length >= 4 && seen.every((x) => x.join() === "77,78"));
  try {
    await experiment({ ...quiet, id: "bad", question: "?", probes: lab.probes, childPids: (() => 5) as never, variants: { A: () => 1 } });
    assert.unreachable("expected a TypeError");
  } catch (err) {
    assert.match(String(err), /childPids/);
  }
});

test("without /proc, child CPU, total CPU and cores busy are unknown (null), process CPU is still given", async () => {
  const lab = fakeLab({ tree: false });
  const e = await experiment({ ...quiet, id: "noproc", question: "?", probes: lab.probes, variants: { A: lab.variant("A", [100]) } });
  const a = e.variants.A!;
  assert.is(a.childCpuMs, null);
  assert.is(a.cpuMs, null);
  assert.is(a.coresBusy, null);
  assert.is(a.processCpuMs, 100);
  assert.equal(e.noise, { known: false, reason: "this OS offers no /proc/stat" });
  assert.match(e.noiseText, /unknown/);
});

test("a variant's report: its own wallMs and cpuMs replace the harness's; perTaskMs are collected; estimate marks it", async () => {
  const lab = fakeLab();
  const e = await experiment({
    ...quiet, id: "report", question: "?", probes: lab.probes, warmup: 0, rounds: 2, maxRounds: 2,
    variants: {
      python: () => {
        lab.work(300, 5);
        return { wallMs: 200, cpuMs: 190, perTaskMs: [100, 100], ignored: "x" };
      },
      scaled: () => {
        lab.work(10);
        return { wallMs: 50, estimate: "5 tasks x one task's time" };
      },
      plain: () => [1, 2, 3],
    },
  });
  const p = e.variants.python!;
  assert.is(p.medianMs, 200);
  assert.is(p.cpuMs, 190);
  assert.is(p.cpuSource, "reported");
  assert.is(p.coresBusy, 0.95);
  assert.equal(p.perTask, { medianMs: 100, minMs: 100, maxMs: 100, count: 4 });
  assert.is(e.variants.scaled!.estimate, "5 tasks x one task's time");
  assert.is(e.variants.plain!.perTask, null);
  assert.match(e.verdict, /Estimate \(scaled: 5 tasks x one task's time\)/);
});

test("estimates can also be declared in the options", async () => {
  const lab = fakeLab();
  const e = await experiment({
    ...quiet, id: "est", question: "?", probes: lab.probes, estimates: { A: "1 of 10 runs x 10" },
    variants: { A: lab.variant("A", [100]) },
  });
  assert.is(e.variants.A!.estimate, "1 of 10 runs x 10");
});

test("machine noise from /proc/stat around the timed rounds: other programs' cores and steal", async () => {
  // Window: 3 rounds x 100 ms = 300 ms = 30 ticks per CPU, 2 CPUs -> 60 ticks.
  // Busy 45 ticks = 450 ms = 1.5 cores; ours 300 ms CPU = 1 core -> others 0.5. Steal 3 of 60 = 5%.
  const lab = fakeLab({ procStat: [statLine({ user: 1000, idle: 1000 }), statLine({ user: 1045, idle: 1012, steal: 3 })] });
  const e = await experiment({
    ...quiet, id: "noise", question: "?", probes: lab.probes, warmup: 0, rounds: 3, maxRounds: 3,
    variants: { A: lab.variant("A", [100]) },
  });
  assert.equal(e.noise, { known: true, wallMs: 300, cpus: 2, busyCores: 1.5, ourCores: 1, otherCores: 0.5, stealShare: 0.05 });
  assert.match(e.noiseText, /other programs kept 0\.50 cores busy, steal 5\.0%/);
});

test("bounds: a speed-up beyond its ceiling (plus tolerance) is suspect, within tolerance it is not", async () => {
  const run = async (poolMs: number) => {
    const lab = fakeLab();
    return experiment({
      ...quiet, id: "ceiling", question: "?", probes: lab.probes, rounds: 3, maxRounds: 3,
      variants: { sequential: lab.variant("s", [300]), pool: lab.variant("p", [poolMs], { cpuFactor: 1.5 }) },
      bounds: { pool: roundsCeiling({ workers: 2, tasks: 3, cores: 2 }) },
    });
  };
  const beyond = await run(120); // 2.5x > 1.5x * 1.1
  assert.ok(beyond.suspect);
  assert.is(beyond.ratios[0]!.outcome, "beyond bound");
  assert.match(beyond.ratios[0]!.reason!, /2\.50x is beyond the ceiling 1\.50x \(3 tasks in 2 rounds of 2 at a time, the least of 2 workers and 2 cores: 3\/2\)/);
  assert.match(beyond.verdict, /^SUSPECT, not evidence/);
  const edge = await run(190); // 1.58x <= 1.65x
  assert.not.ok(edge.suspect);
  assert.is(edge.ratios[0]!.outcome, "faster");
  assert.match(edge.verdict, /at its ceiling 1\.50x/);
});

test("bounds: a time below its floor is suspect, on a variant or on the baseline", async () => {
  const lab = fakeLab();
  const e = await experiment({
    ...quiet, id: "floor", question: "?", probes: lab.probes,
    variants: { sequential: lab.variant("s", [1000]), threads: lab.variant("t", [600]) },
    bounds: { sequential: { floorMs: 2000, why: "10 x 200 ms" }, threads: waitFloor({ tasks: 10, workers: 3, delayMs: 200 }) },
  });
  assert.ok(e.variants.sequential!.suspect);
  assert.match(e.variants.sequential!.reason!, /sequential took 1\.00 s, below its floor of 2\.00 s \(10 x 200 ms\)/);
  assert.ok(e.variants.threads!.suspect, "600 ms < 800 ms floor");
  assert.is(e.ratios[0]!.outcome, "beyond bound");
  assert.ok(e.suspect);
});

test("option checks name the option", async () => {
  const bad = async (o: object, word: string) => {
    try {
      await experiment({ ...quiet, id: "x", question: "?", variants: { a: () => 1 }, ...o } as never);
    } catch (err) {
      assert.ok(String(err).includes(word), `${String(err)} should name ${word}`);
      return;
    }
    assert.unreachable(`expected an error naming ${word}`);
  };
  await bad({ id: "" }, "id");
  await bad({ variants: {} }, "variants");
  await bad({ variants: { a: 1 } }, `"a"`);
  await bad({ baseline: "z" }, `"z"`);
  await bad({ bounds: { z: { ceiling: 2, why: "w" } } }, `"z"`);
  await bad({ bounds: { a: { why: "w" } } }, "neither");
  await bad({ variants: { a: () => 1, b: () => 1 }, bounds: { b: { ceiling: 2 } } }, "why");
  await bad({ rounds: 0 }, "rounds");
  await bad({ tolerance: 2 }, "tolerance");
  await bad({ variants: { a: () => ({ perTaskMs: ["x"] }) } }, `"a"`);
  await bad({ variants: { a: () => { throw new Error("boom"); } } }, `variant "a" failed: boom`);
});

test("collected by id: re-running replaces the entry instead of adding one", async () => {
  clearResults();
  const lab = fakeLab();
  const opts = { id: "rerun", question: "?", probes: lab.probes, variants: { A: lab.variant("A", [100]) } };
  await experiment(opts);
  await experiment({ ...opts, id: "other" });
  const again = await experiment(opts);
  assert.equal(results().map((e) => e.id), ["rerun", "other"]);
  assert.is(results()[0], again);
  await experiment({ ...opts, id: "hidden", collect: false });
  assert.is(results().length, 2);
  clearResults();
});

test("experimentFromSamples judges samples taken elsewhere like experiment() judges its own runs", async () => {
  clearResults();
  const e = experimentFromSamples({
    id: "python", question: "Python pool", machine: { cores: 2 },
    variants: { sequential: { samplesMs: [300, 310, 305], cpuMs: [300, 310, 305] }, pool: { samplesMs: [210, 200, 205], cpuMs: [300, 300, 300] } },
    bounds: { pool: roundsCeiling({ workers: 2, tasks: 3, cores: 2 }) },
  });
  assert.is(e.rounds, 3);
  assert.is(e.variants.pool!.medianMs, 205);
  assert.is(e.variants.pool!.cpuSource, "reported");
  assert.is(e.variants.pool!.processCpuMs, null);
  assert.is(e.variants.pool!.coresBusy, 1.463); // median of 300/210, 300/200, 300/205
  assert.is(e.ratios[0]!.outcome, "faster");
  assert.match(e.verdict, /at its ceiling 1\.50x/);
  assert.is(e.noise.known, false);
  assert.equal(results().map((r) => r.id), ["python"]);
  const plain = experimentFromSamples({ id: "p2", question: "?", variants: { a: [100, 100], b: [300, 300] }, collect: false, machine: {} });
  assert.is(plain.ratios[0]!.outcome, "slower");
  assert.throws(() => experimentFromSamples({ id: "x", question: "?", variants: { a: [1, 2], b: [1] } }), /same number of rounds/);
  assert.throws(() => experimentFromSamples({ id: "x", question: "?", variants: { a: [1, -2] } }), /"a"/);
  assert.throws(() => experimentFromSamples({ id: "x", question: "?", variants: { a: { samplesMs: [1], cpuMs: [1, 2] } } }), /cpuMs/);
  clearResults();
});

test("noiseDuring returns the value, the wall time and the noise of its window", async () => {
  const r = await noiseDuring(() => 42);
  assert.is(r.value, 42);
  assert.ok(r.wallMs >= 0);
  assert.type(r.noise.known, "boolean");
});

test.run();
