/**
 * The race-condition lab: counterRace / repeatRace on real threads, asyncRace
 * on the event loop, and the Python side by side.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { availableParallelism } from "node:os";
import { asyncRace, counterRace, pythonCounterRace, repeatRace } from "concurrency-lab";

const multiCore = availableParallelism() >= 2;

test("atomic and mutex always give the exact count", async () => {
  for (const mode of ["atomic", "mutex"] as const) {
    for (let run = 0; run < 3; run++) {
      const r = await counterRace({ mode, threads: 2, increments: 200_000 });
      assert.is(r.actual, 400_000, `${mode} run ${run}`);
      assert.is(r.lost, 0);
      assert.match(r.note, /as it must be|1 core/);
    }
  }
});

test("unsafe loses updates in at least one of 10 runs (on >= 2 cores)", async () => {
  const d = await repeatRace({ mode: "unsafe", increments: 500_000 }, 10);
  console.log(`  unsafe: lost in ${d.lossRate * 10}/10 runs, median ${d.medianLost} of ${d.expected}; lost per run ${d.lost.join(", ")}`);
  assert.is(d.lost.length, 10);
  for (const r of d.results) assert.is(r.actual + r.lost, r.expected);
  if (multiCore) {
    assert.ok(d.lossRate > 0, "no run lost an update");
  } else {
    assert.match(d.results[0].note, /1 core/, "on one core the result says so");
    assert.not.ok(d.results[0].parallel);
  }
});

test("counterRace: the threads start together behind the barrier and report spans on one clock", async () => {
  const r = await counterRace({ mode: "mutex", threads: 2, increments: 100_000 });
  const running = r.spans.filter((s) => s.kind === "running");
  const waiting = r.spans.filter((s) => s.kind === "waiting");
  assert.is(running.length, 2);
  assert.is(waiting.length, 2);
  assert.is.not(running[0].lane, running[1].lane, "one lane per thread");
  for (const s of r.spans) assert.ok(s.end >= s.start);
  // Released together: each thread starts before the other one ends.
  const [a, b] = running;
  assert.ok(a.start < b.end && b.start < a.end, "the two running spans overlap");
  assert.ok(r.wallMs > 0 && r.nsPerIncrement > 0);
  assert.is(r.cores, availableParallelism());
});

test("counterRace checks its options", async () => {
  const rejectsWith = async (p: Promise<unknown>, type: new () => Error, pattern: RegExp) => {
    const e = await p.then(() => undefined, (err: unknown) => err);
    assert.instance(e, type);
    assert.match(String(e), pattern);
  };
  await rejectsWith(counterRace({ threads: 0 }), RangeError, /threads/);
  await rejectsWith(counterRace({ increments: 1.5 }), RangeError, /increments/);
  await rejectsWith(counterRace({ mode: "sloppy" as never }), TypeError, /mode/);
  await rejectsWith(repeatRace({}, 0), RangeError, /runs/);
});

test("asyncRace: read, await, write loses updates with no threads at all; the AsyncLock fix loses none", async () => {
  const r = await asyncRace({ tasks: 4, increments: 500 });
  assert.is(r.expected, 2000);
  assert.ok(r.unsafe.lost > 0, "the unlocked version lost nothing");
  // Each round, all four tasks read the same value before any writes: three of every four updates vanish.
  assert.is(r.unsafe.actual, 500);
  assert.is(r.locked.lost, 0);
  assert.is(r.locked.actual, 2000);

  const slow = await asyncRace({ tasks: 3, increments: 20, pause: () => new Promise((res) => setTimeout(res, 1)) });
  assert.ok(slow.unsafe.lost > 0 && slow.locked.lost === 0, "a timer pause races the same way");
});

test("pythonCounterRace runs the document's program, or says python is absent", async () => {
  const missing = await pythonCounterRace({ python: "python3-that-does-not-exist" });
  assert.is(missing.available, false);
  if (!missing.available) assert.match(missing.reason, /not found/);

  const py = await pythonCounterRace({ increments: 200_000, runs: 2 });
  if (!py.available) {
    console.log(`  (skipped the Python run: ${py.reason})`);
    return;
  }
  assert.is(py.expected, 400_000);
  assert.equal(py.variants.map((v) => v.variant), ["counter += 1", "read, call, write"]);
  for (const v of py.variants) {
    assert.is(v.runs.length, 2);
    for (const run of v.runs) {
      assert.is(run.actual + run.lost, 400_000);
      assert.ok(run.actual > 0 && run.actual <= 400_000, `counter ${run.actual}`);
    }
  }
  console.log(`  python ${py.version}: lost ${py.variants.map((v) => `${v.variant}: ${v.runs.map((r) => r.lost).join("/")}`).join("; ")}`);
});

test("pythonCounterRace withLock adds the locked variant, which loses nothing", async () => {
  const py = await pythonCounterRace({ increments: 50_000, runs: 1, withLock: true });
  if (!py.available) {
    console.log(`  (skipped the Python run: ${py.reason})`);
    return;
  }
  assert.equal(py.variants.map((v) => v.variant), ["counter += 1", "read, call, write", "with lock: counter += 1"]);
  const locked = py.variants[2].runs[0];
  assert.is(locked.actual, 100_000);
  assert.is(locked.lost, 0);
  assert.ok(locked.seconds > 0);
});

test.run();
