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
  // A lower bound (a busy machine can only lengthen the block) and an ordering (no timing bound):
  const blocking = await measureLag(() => blockingSleep(150));
  assert.ok(blocking.lag.maxMs > 100, `blockingSleep(150) should block the loop ~150 ms, saw ${blocking.lag.maxMs}`);
  // A 10 ms interval expires before sleep(150)'s timer, so it runs during the sleep unless the loop is frozen.
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  await sleep(150);
  assert.ok(ticks >= 1, "the loop ran other callbacks while sleep() waited");
  ticks = 0;
  blockingSleep(50);
  const ticksDuringBlock = ticks;
  clearInterval(ticker);
  assert.is(ticksDuringBlock, 0, "no callback ran during blockingSleep");
  const t0 = now();
  blockingSleep(40);
  assert.ok(now() - t0 >= 39, "blockingSleep waits at least its duration");
});

test("sleep can be aborted", async () => {
  const controller = new AbortController();
  const slept = sleep(60_000, { signal: controller.signal });
  let settled = false;
  slept.catch(() => (settled = true));
  controller.abort(new Error("stop"));
  await new Promise((r) => setImmediate(r)); // one loop turn, far short of the 60 s timer
  assert.ok(settled, "abort ends the wait at once, not when the timer would have fired");
  await rejectsNaming(slept, Error, "stop");
  await rejectsNaming(sleep(10, { signal: AbortSignal.abort(new Error("already")) }), Error, "already");
});

test("eventLoopLag: stop() is idempotent and reads a sample", async () => {
  const lag = eventLoopLag({ resolutionMs: 2 });
  await sleep(50);
  const first = lag.stop();
  assert.is(lag.stop(), first);
  assert.ok(first.count > 0);
  // How near 0 an idle loop reads depends on the machine's load: printed by the benchmarks, not asserted.
  assert.ok(first.meanMs >= 0 && Number.isFinite(first.meanMs), `mean lag ${first.meanMs}`);
  assert.throws(() => eventLoopLag({ resolutionMs: 0 }), throwsNaming(RangeError, "resolutionMs"));
});

test("timed: waiting costs wall time but little CPU; computing costs CPU", async () => {
  const waiting = await timed(() => sleep(150));
  assert.ok(waiting.wallMs >= 145);
  assert.ok(waiting.userMs + waiting.systemMs < waiting.wallMs / 2, `sleeping used ${waiting.userMs} ms CPU`);
  const computing = await timed(() => countDown(3e7));
  assert.type(computing.value, "number");
  // CPU time, unlike wall time, does not grow when other programs share the cores.
  const cpu = (t: { userMs: number; systemMs: number }) => t.userMs + t.systemMs;
  assert.ok(cpu(computing) > cpu(waiting), `busy loop ${cpu(computing)} ms CPU vs sleeping ${cpu(waiting)} ms`);
});

/** A fake clock: work(n) "takes" n * msPerUnit ms, plus `extra(run)` for the run-th run (load). */
function fakeWork(msPerUnit: number, extra: (run: number) => number = () => 0) {
  let t = 0;
  let run = 0;
  return { clock: () => t, work: (n: number) => void (t += n * msPerUnit + extra(run++)) };
}

test("calibrate finds the size that takes the target time (fake clock: no timing involved)", async () => {
  const { clock, work } = fakeWork(0.001); // 1 µs per unit: 150 ms is n = 150,000
  const c = await calibrate(work, 150, { clock });
  assert.ok(Math.abs(c.n - 150_000) <= 0.25 * 150_000, `n = ${c.n}`);
  assert.ok(Math.abs(c.ms - 150) <= 0.25 * 150, `ms = ${c.ms}`);
  assert.ok(c.rounds >= 2, `rounds ${c.rounds}`);
});

test("calibrate keeps the faster of two runs near the target, so a slowed run does not shrink n", async () => {
  // Every other run is slowed by 100 ms (another program on the core): the search must ignore those.
  const { clock, work } = fakeWork(0.001, (run) => (run % 2 === 1 ? 100 : 0));
  const c = await calibrate(work, 150, { clock });
  assert.ok(Math.abs(c.n - 150_000) <= 0.25 * 150_000, `n = ${c.n}: the slowed runs shrank it`);
});

test("calibrate on the real clock returns a size that met its own tolerance", async () => {
  const target = 50;
  const tolerance = 0.9; // wide: on a shared machine only the search's contract is checked, not the timing
  const c = await calibrate(countDown, target, { tolerance });
  assert.ok(Number.isInteger(c.n) && c.n > 0, `n = ${c.n}`);
  assert.ok(Math.abs(c.ms - target) <= tolerance * target, `the returned run met the tolerance: ${c.ms} ms`);
  await rejectsNaming(calibrate(countDown, NaN), TypeError, "targetMs");
  await rejectsNaming(calibrate(countDown, -5), RangeError, "targetMs");
  await rejectsNaming(calibrate(() => 0, 50, { maxRounds: 8 }), RangeError, "grow");
  await rejectsNaming(calibrate(countDown, 50, { clock: 5 as never }), TypeError, "clock");
});

test("machineInfo describes this machine", () => {
  const m = machineInfo();
  assert.ok(Number.isInteger(m.cores) && m.cores >= 1);
  assert.is(m.node, process.versions.node);
  assert.ok(m.totalMemoryGB > 0);
  assert.ok(m.python3 === null || /^\d+\.\d+/.test(m.python3), String(m.python3));
});

test.run();
