import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkFloor, cpuCeiling, formatMs, formatRatio, judge, roundsCeiling, waitFloor,
  type Bound, type MachineNoise, type VariantStats,
} from "concurrency-lab";

const quiet: MachineNoise = { known: true, wallMs: 1000, cpus: 2, busyCores: 1, ourCores: 1, otherCores: 0, stealShare: 0 };
const unknown: MachineNoise = { known: false, reason: "this OS offers no /proc/stat" };

/** Variant statistics as experiment() computes them, from samples and a few extras. */
function vs(name: string, samplesMs: number[], extra: Partial<VariantStats> = {}): VariantStats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const bound = extra.bound ?? null;
  const floor = checkFloor(name, medianMs, bound);
  return {
    name, runs: samplesMs.length, samplesMs, medianMs, minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]!,
    meanMs: samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length,
    spread: (sorted[sorted.length - 1]! - sorted[0]!) / medianMs,
    cpuMs: null, processCpuMs: 0, childCpuMs: null, cpuSource: "measured", coresBusy: null, perTask: null, estimate: null,
    suspect: floor.suspect, reason: floor.reason,
    ...extra, bound,
  };
}

const ceiling2: Bound = { ceiling: 2, why: "min(2 workers, 2 cores, 4 tasks)" };

test("faster, at its ceiling: names the ceiling and why", () => {
  const { ratios, verdict } = judge({ seq: vs("seq", [400, 410, 405]), pool: vs("pool", [205, 210, 200], { bound: ceiling2 }) }, "seq", quiet);
  assert.is(ratios.length, 1);
  assert.is(ratios[0]!.outcome, "faster");
  assert.not.ok(ratios[0]!.suspect);
  assert.is(ratios[0]!.ceiling, 2);
  assert.equal(ratios[0]!.roundRange, [400 / 205, 405 / 200]);
  assert.match(verdict, /^pool: 1\.98x faster than seq \(median 205 ms against 405 ms; 3 rounds, all faster\); at its ceiling 2\.00x \(min\(2 workers, 2 cores, 4 tasks\)\)\.$/);
});

test("faster but short of the ceiling: each measured reason, only when the data shows it", () => {
  const seq = vs("seq", [400, 400, 400], { cpuMs: 400, coresBusy: 1, perTask: { medianMs: 100, minMs: 95, maxMs: 105, count: 12 } });
  const pool = vs("pool", [300, 300, 300], {
    bound: ceiling2, cpuMs: 500, coresBusy: 1.4, perTask: { medianMs: 140, minMs: 130, maxMs: 150, count: 12 },
  });
  const busy: MachineNoise = { ...quiet, otherCores: 0.9, stealShare: 0.04 };
  const { ratios, verdict } = judge({ seq, pool }, "seq", busy);
  assert.is(ratios[0]!.outcome, "faster");
  assert.match(verdict, /pool: 1\.33x faster than seq .*; short of its ceiling 2\.00x \(min\(2 workers, 2 cores, 4 tasks\)\): /);
  assert.match(verdict, /each task took 140 ms in pool against 100 ms in seq \(1\.40x as long\)/);
  assert.match(verdict, /pool kept 1\.40 cores busy on average, where the ceiling needs 2/);
  assert.match(verdict, /pool used 500 ms of CPU per run against 400 ms for seq/);
  assert.match(verdict, /other programs kept 0\.90 cores busy during the run/);
  assert.match(verdict, /the hypervisor took 4\.0% of CPU time \(steal\)/);
});

test("short of the ceiling with no measured reason: says the data does not show why (never a guess)", () => {
  const { verdict } = judge({ seq: vs("seq", [400, 400, 400]), pool: vs("pool", [300, 300, 300], { bound: ceiling2 }) }, "seq", unknown);
  assert.match(verdict, /short of its ceiling 2\.00x .*: the measurements taken here do not show why\.$/);
});

test("slower: every round slower; the ceiling that allowed a gain is named with the measured reasons", () => {
  const seq = vs("seq", [100, 100, 100], { cpuMs: 100 });
  const procs = vs("processes", [180, 170, 190], { cpuMs: 260, bound: ceiling2 });
  const { ratios, verdict } = judge({ seq, processes: procs }, "seq", quiet);
  assert.is(ratios[0]!.outcome, "slower");
  assert.not.ok(ratios[0]!.suspect);
  assert.match(verdict, /^processes: 1\.80x slower than seq \(median 180 ms against 100 ms; 3 rounds, all slower\), where the ceiling 2\.00x .* allows a gain: processes used 260 ms of CPU per run against 100 ms for seq\.$/);
});

test("slower with a ceiling of 1: says no gain was possible, and gives the measured reasons", () => {
  const { verdict } = judge({ sync: vs("sync", [100, 100, 100], { cpuMs: 100 }), async: vs("async", [130, 130, 130], { cpuMs: 130, bound: { ceiling: 1, why: "one thread runs JavaScript" } }) }, "sync", quiet);
  assert.match(verdict, /^async: 1\.30x slower than sync \(median 130 ms against 100 ms; 3 rounds, all slower\); its ceiling 1\.00x \(one thread runs JavaScript\) allows no gain: async used 130 ms of CPU per run against 100 ms for sync\.$/);
});

test("slower, at its floor: the deliberate waits are named, not CPU or the machine's load", () => {
  const all = vs("all at once", [105, 104, 106], { cpuMs: 20, bound: { floorMs: 100, why: "1 wave x 100 ms" } });
  const limited = vs("limited", [310, 305, 312], { cpuMs: 40, bound: { floorMs: 300, why: "3 waves x 100 ms" } });
  const busy: MachineNoise = { ...quiet, otherCores: 1.5 };
  const { ratios, verdict } = judge({ "all at once": all, limited }, "all at once", busy);
  assert.is(ratios[0]!.outcome, "slower");
  assert.not.ok(ratios[0]!.suspect);
  assert.match(verdict, /^limited: 2\.95x slower than all at once \(median 310 ms against 105 ms; 3 rounds, all slower\): limited sits at its floor of 300 ms \(3 waves x 100 ms\): the deliberate waits set its time, not CPU or load\.$/m);
  assert.not.match(verdict.split("\n")[0]!, /CPU per run|other programs/);
});

test("slower, above a floor that alone exceeds the baseline: the floor's share, then reasons for the rest", () => {
  const all = vs("all at once", [181, 139, 185], { cpuMs: 54, bound: { floorMs: 100, why: "1 wave x 100 ms" } });
  const limited = vs("limited", [393, 352, 434], { cpuMs: 102, bound: { floorMs: 300, why: "3 waves x 100 ms" } });
  const busy: MachineNoise = { ...quiet, otherCores: 1.73 };
  const { verdict } = judge({ "all at once": all, limited }, "all at once", busy);
  assert.match(verdict, /^limited: 2\.17x slower than all at once \(.*\): its floor of 300 ms \(3 waves x 100 ms\) alone makes it 1\.66x as long as all at once's 181 ms; for the 93\.0 ms above that floor: limited used 102 ms of CPU per run against 54\.0 ms for all at once; other programs kept 1\.73 cores busy during the run\.$/m);
});

test("slower, with a floor far below the baseline's time: the measured reasons stand alone", () => {
  const seq = vs("seq", [100, 100, 100], { cpuMs: 100 });
  const procs = vs("processes", [180, 170, 190], { cpuMs: 260, bound: { floorMs: 50, why: "one task" } });
  const { verdict } = judge({ seq, processes: procs }, "seq", quiet);
  assert.match(verdict, /^processes: 1\.80x slower than seq \(median 180 ms against 100 ms; 3 rounds, all slower\): processes used 260 ms of CPU per run against 100 ms for seq\.$/m);
});

test("no gain: speed-up within ±10% and every round within ±21%", () => {
  const { ratios, verdict } = judge({ seq: vs("seq", [100, 104, 98]), threads: vs("threads", [101, 99, 103], { bound: ceiling2, coresBusy: 1.0 }) }, "seq", quiet);
  assert.is(ratios[0]!.outcome, "no gain");
  assert.not.ok(ratios[0]!.suspect);
  assert.match(verdict, /^No gain: threads and seq took about the same time \(0\.99x, .*3 rounds, all within 21%\); short of its ceiling 2\.00x .*threads kept 1\.00 cores busy on average, where the ceiling needs 2\.$/);
});

test("too noisy to tell: rounds disagree; suspect, with the spreads and the machine's load", () => {
  const busy: MachineNoise = { ...quiet, otherCores: 1.1 };
  const { ratios, verdict } = judge({ seq: vs("seq", [100, 160, 100]), pool: vs("pool", [130, 80, 60], { bound: ceiling2 }) }, "seq", busy);
  const r = ratios[0]!;
  assert.is(r.outcome, "too noisy");
  assert.ok(r.suspect);
  assert.match(r.reason!, /single rounds ranged from 0\.77x to 2\.00x, which does not separate the variants \(spreads 88% for pool and 60% for seq\)/);
  assert.match(verdict, /^Too noisy to tell: pool against seq measured 1\.25x/);
  assert.match(verdict, /other programs kept 1\.10 cores busy during the run\. Not evidence/);
});

test("a gain that not every round shows is too noisy, even with a good median", () => {
  const { ratios } = judge({ seq: vs("seq", [200, 200, 200]), pool: vs("pool", [100, 100, 210]) }, "seq", quiet);
  assert.is(ratios[0]!.outcome, "too noisy");
  assert.is(ratios[0]!.trimmed, 0);
});

test("from 5 rounds on, the most extreme round at each end is set aside before judging", () => {
  const seq = vs("seq", [200, 200, 200, 200, 200, 200]);
  const pool = vs("pool", [100, 100, 100, 100, 100, 400]); // one round hit by a passing load
  const { ratios, verdict } = judge({ seq, pool }, "seq", quiet);
  const r = ratios[0]!;
  assert.is(r.trimmed, 1);
  assert.equal(r.roundRange, [0.5, 2]);
  assert.equal(r.judgedRange, [2, 2]);
  assert.is(r.outcome, "faster");
  assert.match(verdict, /^pool: 2\.00x faster than seq \(median 100 ms against 200 ms; the middle 4 of 6 rounds faster\)\.$/);
  const two = vs("pool", [100, 100, 100, 100, 400, 400, 400, 100, 100, 100]); // 3 of 10 slow: too many to set aside
  const noisy = judge({ seq: vs("seq", Array(10).fill(200)), pool: two }, "seq", quiet).ratios[0]!;
  assert.is(noisy.trimmed, 2);
  assert.is(noisy.outcome, "too noisy");
  assert.match(noisy.reason!, /the middle 6 of 10 rounds ranged from 0\.50x to 2\.00x/);
});

test("beyond its ceiling: suspect, not evidence, with the CPU evidence when it differs", () => {
  const seq = vs("seq", [300, 300, 300], { cpuMs: 300 });
  const pool = vs("pool", [120, 125, 118], { cpuMs: 190, bound: { ceiling: 1.5, why: "3 tasks on 2 workers" } });
  const { ratios, verdict } = judge({ seq, pool }, "seq", quiet);
  assert.is(ratios[0]!.outcome, "beyond bound");
  assert.ok(ratios[0]!.suspect);
  assert.match(verdict, /^SUSPECT, not evidence: pool against seq: its speed-up of 2\.50x is beyond the ceiling 1\.50x \(3 tasks on 2 workers\) by more than 10%/);
  assert.match(verdict, /CPU per run: 300 ms for seq, 190 ms for pool\./);
  assert.match(verdict, /did not do the same work, or the machine's speed changed between them\.$/);
});

test("tolerance and sameWithin are honoured", () => {
  const stats = { seq: vs("seq", [300, 300, 300]), pool: vs("pool", [180, 180, 180], { bound: { ceiling: 1.5, why: "w" } }) }; // 1.67x
  assert.is(judge(stats, "seq", quiet).ratios[0]!.outcome, "beyond bound");
  assert.is(judge(stats, "seq", quiet, { tolerance: 0.2 }).ratios[0]!.outcome, "faster");
  const close = { seq: vs("seq", [100, 100, 100]), b: vs("b", [92, 92, 92]) }; // 1.087x
  assert.is(judge(close, "seq", quiet).ratios[0]!.outcome, "no gain");
  assert.is(judge(close, "seq", quiet, { sameWithin: 0.05 }).ratios[0]!.outcome, "faster");
});

test("floors: sentence above the floor; suspect below it", () => {
  const floor = waitFloor({ tasks: 10, workers: 3, delayMs: 250 });
  const ok = judge({ seq: vs("seq", [2600, 2600, 2600]), threads: vs("threads", [1100, 1050, 1080], { bound: floor }) }, "seq", quiet);
  assert.match(ok.verdict, /threads took 1\.08 s, 80\.0 ms \(8%\) above its floor of 1\.00 s \(ceil\(10 tasks \/ 3 at a time\) = 4 rounds x 250 ms\)\./);
  const below = judge({ seq: vs("seq", [2600, 2600, 2600]), threads: vs("threads", [700, 700, 700], { bound: floor }) }, "seq", quiet);
  assert.is(below.ratios[0]!.outcome, "beyond bound");
  assert.match(below.verdict, /threads took 700 ms, below its floor of 1\.00 s/);
  assert.match(below.verdict, /No schedule can shorten the deliberate waits/);
});

test("a single variant: its time (and floor) is the verdict", () => {
  assert.match(judge({ only: vs("only", [50, 52, 51]) }, "only", quiet).verdict, /^only took 51\.0 ms \(median of 3, spread 4%\)\.$/);
  const below = judge({ only: vs("only", [50, 52, 51], { bound: { floorMs: 100, why: "one 100 ms wait" } }) }, "only", quiet);
  assert.match(below.verdict, /^SUSPECT, not evidence: only took 51\.0 ms, below its floor of 100 ms/);
  assert.throws(() => judge({ a: vs("a", [1]) }, "b", quiet), (e: unknown) => e instanceof RangeError && /"b"/.test(String(e)));
});

test("bound helpers compute from first principles", () => {
  assert.equal(cpuCeiling({ workers: 4, tasks: 3, cores: 2 }), { ceiling: 2, why: "min(4 workers, 2 cores, 3 tasks) = 2 tasks at a time" });
  assert.is(roundsCeiling({ workers: 2, tasks: 3, cores: 2 }).ceiling, 1.5);
  assert.is(roundsCeiling({ workers: 4, tasks: 4, cores: 4 }).ceiling, 4);
  assert.is(roundsCeiling({ workers: 8, tasks: 5, cores: 2 }).ceiling, 1.667);
  assert.equal(waitFloor({ tasks: 3, workers: 3, delayMs: 100 }), { floorMs: 100, why: "ceil(3 tasks / 3 at a time) = 1 round x 100 ms" });
  assert.throws(() => cpuCeiling({ workers: 0, tasks: 1 }), /workers/);
  assert.throws(() => waitFloor({ tasks: 1, workers: 1, delayMs: -1 }), /delayMs/);
});

test("formatting helpers", () => {
  assert.is(formatMs(1234), "1.23 s");
  assert.is(formatMs(212.4), "212 ms");
  assert.is(formatMs(51.04), "51.0 ms");
  assert.is(formatMs(0.5), "0.50 ms");
  assert.is(formatRatio(1.4249), "1.42x");
  assert.is(formatRatio(12.34), "12.3x");
  assert.is(formatRatio(7877.4), "7,900x"); // two significant figures at the extremes
  assert.is(formatRatio(0.0013), "0.0013x");
});

test.run();
