import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  blockingSleep, calibrate, eventLoopLag, machineInfo, measureLag, now, repeat, sampleStats, sleep, timed,
} from "concurrency-lab";

const throwsNaming = (kind: ErrorConstructor, arg: string) => (e: unknown) => e instanceof kind && String(e).includes(arg);
const rejectsNaming = async (p: Promise<unknown>, kind: ErrorConstructor, arg: string) => {
  try {
    await p;
  } catch (e) {
    assert.ok(throwsNaming(kind, arg)(e), `expected a ${kind.name} naming "${arg}", got ${String(e)}`);
    return;
  }
  assert.unreachable(`expected a ${kind.name} naming "${arg}"`);
};

/** A CPU loop whose time grows linearly with n. */
function countDown(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + i) % 1_000_003;
  return x;
}

test("sampleStats on known samples", () => {
  assert.equal(sampleStats([3, 1, 2, 10]), { min: 1, median: 2.5, max: 10, mean: 4, samples: [3, 1, 2, 10] });
  assert.is(sampleStats([5, 1, 3]).median, 3);
  assert.throws(() => sampleStats([]), throwsNaming(RangeError, "samples"));
  assert.throws(() => sampleStats([1, NaN]), throwsNaming(TypeError, "samples"));
});

test("repeat runs warmup + runs times and summarises the timed runs", async () => {
  let calls = 0;
  const r = await repeat(() => { calls++; return sleep(5); }, { runs: 4, warmup: 2 });
  assert.is(calls, 6);
  assert.is(r.samples.length, 4);
  assert.ok(r.min <= r.median && r.median <= r.max);
  assert.ok(r.min >= 4, `each run sleeps 5 ms, min was ${r.min}`);
  await rejectsNaming(repeat(() => 0, { runs: -1 }), RangeError, "runs");
  await rejectsNaming(repeat(() => 0, { runs: 1.5 }), TypeError, "runs");
  await rejectsNaming(repeat(() => 0, { warmup: -2 }), RangeError, "warmup");
});

test("sleep and blockingSleep reject bad durations", async () => {
  assert.throws(() => sleep(NaN), throwsNaming(TypeError, "ms"));
  assert.throws(() => sleep(-1), throwsNaming(RangeError, "ms"));
  assert.throws(() => blockingSleep(NaN), throwsNaming(TypeError, "ms"));
  assert.throws(() => blockingSleep(Infinity), throwsNaming(RangeError, "ms"));
});

test("blockingSleep freezes the event loop, sleep does not", async () => {
  const blocking = await measureLag(() => blockingSleep(150));
  const waiting = await measureLag(() => sleep(150));
  assert.ok(blocking.lag.maxMs > 100, `blockingSleep(150) should block the loop ~150 ms, saw ${blocking.lag.maxMs}`);
  assert.ok(waiting.lag.maxMs < blocking.lag.maxMs / 3, `sleep should leave the loop free: ${waiting.lag.maxMs} vs ${blocking.lag.maxMs}`);
  const t0 = now();
  blockingSleep(40);
  assert.ok(now() - t0 >= 39, "blockingSleep waits at least its duration");
});

test("sleep can be aborted", async () => {
  const controller = new AbortController();
  const t0 = now();
  const slept = sleep(5_000, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error("stop")), 10);
  await rejectsNaming(slept, Error, "stop");
  assert.ok(now() - t0 < 1000, "abort ends the wait early");
  await rejectsNaming(sleep(10, { signal: AbortSignal.abort(new Error("already")) }), Error, "already");
});

test("eventLoopLag: stop() is idempotent and an idle loop reads near 0", async () => {
  const lag = eventLoopLag({ resolutionMs: 2 });
  await sleep(50);
  const first = lag.stop();
  assert.is(lag.stop(), first);
  assert.ok(first.count > 0);
  assert.ok(first.meanMs < 20, `idle mean lag ${first.meanMs}`);
  assert.throws(() => eventLoopLag({ resolutionMs: 0 }), throwsNaming(RangeError, "resolutionMs"));
});

test("timed: waiting costs wall time but little CPU; computing costs CPU", async () => {
  const waiting = await timed(() => sleep(150));
  assert.ok(waiting.wallMs >= 145);
  assert.ok(waiting.userMs + waiting.systemMs < waiting.wallMs / 2, `sleeping used ${waiting.userMs} ms CPU`);
  const computing = await timed(() => countDown(3e7));
  assert.type(computing.value, "number");
  assert.ok(computing.userMs + computing.systemMs > computing.wallMs * 0.2, `busy loop: ${JSON.stringify(computing)}`);
});

test("calibrate finds a size that takes about the target time", async () => {
  const target = 150;
  const c = await calibrate(countDown, target);
  assert.ok(Math.abs(c.ms - target) <= 0.25 * target, `calibrated run took ${c.ms} ms`);
  // Re-measure independently: the size must still take about the target (generous: the machine is shared).
  const again = (await repeat(() => countDown(c.n), { runs: 3, warmup: 0 })).median;
  console.log(`  calibrate(${target} ms): n=${c.n} in ${c.rounds} rounds, ${c.ms.toFixed(1)} ms; re-measured median ${again.toFixed(1)} ms`);
  assert.ok(again > target * 0.5 && again < target * 1.5, `re-measured ${again} ms`);
  await rejectsNaming(calibrate(countDown, NaN), TypeError, "targetMs");
  await rejectsNaming(calibrate(countDown, -5), RangeError, "targetMs");
  await rejectsNaming(calibrate(() => 0, 50, { maxRounds: 8 }), RangeError, "grow");
});

test("machineInfo describes this machine", () => {
  const m = machineInfo();
  assert.ok(Number.isInteger(m.cores) && m.cores >= 1);
  assert.is(m.node, process.versions.node);
  assert.ok(m.totalMemoryGB > 0);
  assert.ok(m.python3 === null || /^\d+\.\d+/.test(m.python3), String(m.python3));
});

test.run();
