import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { Timeline, currentLane, now, sleep, spanOf, timelineChart } from "concurrency-lab";

const LIB = require.resolve("concurrency-lab");

test("record, begin and spanOf make spans on the shared clock", async () => {
  const tl = new Timeline();
  await tl.record("nap", () => sleep(30), { kind: "waiting" });
  const end = tl.begin("manual", { lane: "io lane", kind: "io" });
  await sleep(10);
  const span = end();
  assert.is(end(), span, "ending twice returns the same span");
  const { value, span: s2 } = await spanOf("sum", () => 1 + 1);
  assert.is(value, 2);
  tl.add(s2);
  const spans = tl.spans();
  assert.is(spans.length, 3, "ending twice records once");
  assert.equal(spans.map((s) => s.label), ["nap", "manual", "sum"]);
  assert.ok(spans[0].start >= 0 && spans[0].end - spans[0].start >= 25, "relative to origin, about 30 ms long");
  assert.equal(tl.lanes(), ["main", "io lane"]);
  assert.is(currentLane(), "main");
});

test("add rejects a span that ends before it starts", () => {
  const tl = new Timeline();
  assert.throws(() => tl.add({ label: "bad", lane: "main", start: 10, end: 5, kind: "running" }), (e: unknown) => e instanceof RangeError && /bad/.test(String(e)));
});

/**
 * The worker and the child both block until the main thread releases them at a
 * moment M read on the main thread's clock, then read their own clock. If the
 * three clocks are one, each reading lies just after M (by the wake-up
 * latency); a separate per-process clock would be off by seconds.
 */
const WORKER_CODE = `
const { workerData, parentPort } = require("node:worker_threads");
const { now, currentLane } = require(workerData.lib);
const flag = new Int32Array(workerData.sab);
for (let round = 1; round <= workerData.rounds; round++) {
  parentPort.postMessage("ready");
  Atomics.wait(flag, 0, round - 1);
  parentPort.postMessage({ t: now(), lane: currentLane() });
}`;

const CHILD_CODE = `
const fs = require("node:fs");
const { now, currentLane } = require(${JSON.stringify(LIB)});
process.on("disconnect", () => process.exit(0));
const byte = Buffer.alloc(1);
function waitForRelease() {
  for (;;) {
    try { return fs.readSync(0, byte, 0, 1, null); } catch (e) { if (e.code !== "EAGAIN") throw e; }
  }
}
function round() {
  process.send("ready", () => {
    if (waitForRelease() === 0) return process.exit(0); // parent closed stdin
    const t = now();
    process.send({ t, lane: currentLane() }, round);
  });
}
round();`;

test("a worker thread and a child process read the main thread's clock: each reading falls between release and receipt", async () => {
  const rounds = 7;
  const sab = new SharedArrayBuffer(4);
  const flag = new Int32Array(sab);
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { lib: LIB, sab, rounds } });
  const workerLane = `thread ${worker.threadId}`; // threadId reads -1 once the worker is gone
  const child = spawn(process.execPath, ["-e", CHILD_CODE], { stdio: ["pipe", "inherit", "inherit", "ipc"] });
  const nextMessage = (emitter: Worker | typeof child) => once(emitter, "message").then(([m]) => m);
  const tl = new Timeline();
  const workerErr: number[] = [];
  const childErr: number[] = [];
  const afterReceipt: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      await Promise.all([nextMessage(worker), nextMessage(child)]); // both "ready"
      await sleep(15); // let both settle into their blocking wait
      // The time each answer arrives here: a reading after it would mean a clock that runs ahead.
      const workerDone = nextMessage(worker).then((m) => ({ ...m, got: now() }));
      const childDone = nextMessage(child).then((m) => ({ ...m, got: now() }));
      const released = now();
      child.stdin!.write("x");
      Atomics.store(flag, 0, round);
      Atomics.notify(flag, 0);
      const [w, c] = (await Promise.all([workerDone, childDone])) as { t: number; lane: string; got: number }[];
      afterReceipt.push(w.t - w.got, c.t - c.got);
      workerErr.push(w.t - released);
      childErr.push(c.t - released);
      tl.add(
        { label: "release", lane: "main", start: released, end: released, kind: "running" },
        { label: "woke", lane: w.lane, start: w.t, end: w.t, kind: "running" },
        { label: "woke", lane: c.lane, start: c.t, end: c.t, kind: "running" },
      );
    }
  } finally {
    child.stdin!.end();
    child.disconnect();
    await worker.terminate();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const errors = { worker: median(workerErr), child: median(childErr) };
  console.log(
    `  alignment (wake-up time after release, median of ${rounds}): worker ${errors.worker.toFixed(3)} ms, ` +
      `child ${errors.child.toFixed(3)} ms; max worker ${Math.max(...workerErr).toFixed(3)}, child ${Math.max(...childErr).toFixed(3)}`,
  );
  // Nothing can wake before it is released: a reading before M means a clock that runs behind.
  assert.ok(Math.min(...workerErr, ...childErr) > -0.05, `a reading precedes the release: ${workerErr} / ${childErr}`);
  // Nothing can read the clock after its answer arrived: a reading after receipt means a clock that runs ahead.
  // (How soon they wake is scheduling, not the clock: printed above, not asserted.)
  assert.ok(Math.max(...afterReceipt) < 0.05, `a reading follows its receipt: ${afterReceipt}`);
  assert.equal(tl.lanes().sort(), ["main", `pid ${child.pid}`, workerLane].sort());
  // The child may have exited already; `once` would then wait for ever.
  if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
});

test("timelineChart accepts a Timeline with spans from three lanes", () => {
  const tl = new Timeline(0);
  tl.add(
    { label: "a", lane: "main", start: 0, end: 5, kind: "running" },
    { label: "b", lane: "thread 1", start: 1, end: 4, kind: "waiting" },
  );
  const spec = timelineChart(tl) as { data: { values: { lane: string }[] } };
  assert.equal(spec.data.values.map((v) => v.lane), ["main", "thread 1"]);
});

test.run();
