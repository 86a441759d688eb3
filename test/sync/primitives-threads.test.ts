/**
 * The cross-thread primitives (Mutex, ThreadEvent, Semaphore, Barrier) with
 * real worker threads, each rebuilding the primitive from what it was sent.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Worker } from "node:worker_threads";
import { Barrier, Mutex, Semaphore, ThreadEvent, ThreadPoolExecutor, defineTask, now } from "concurrency-lab";

const LIB = require.resolve("concurrency-lab");

/** A worker running `body`, with `lib` (this package), `parentPort` and `workerData` in scope. */
function startWorker(body: string, workerData: unknown): Worker {
  const prelude = `const lib = require(${JSON.stringify(LIB)}); const { parentPort, workerData } = require("node:worker_threads");\n`;
  return new Worker(prelude + body, { eval: true, workerData });
}

/** Every message a worker posts, once it has exited cleanly. */
function messagesUntilExit<T>(worker: Worker): Promise<T[]> {
  const messages: T[] = [];
  return new Promise((resolve, reject) => {
    worker.on("message", (m: T) => messages.push(m));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve(messages) : reject(new Error(`worker exited with code ${code}`))));
  });
}

function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve) => worker.once("message", resolve));
}

const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Shared cells for counting who is inside a critical section: [inside now, most ever, unsafe counter].
const INSIDE = 0;
const MOST = 1;
const COUNT = 2;

/**
 * Worker body: `rounds` times, enter the section through `workerData.guard`
 * ("mutex", "semaphore" or "none"), note how many are inside, linger, leave.
 * Inside, it also does an unsafe read-then-write increment of COUNT.
 */
const SECTION_WORKER = `
  const cells = new Int32Array(workerData.cells);
  const mutex = workerData.guard === "mutex" ? lib.Mutex.from(workerData.mutex) : null;
  const sem = workerData.guard === "semaphore" ? lib.Semaphore.from(workerData.semaphore) : null;
  lib.Barrier.from(workerData.start).wait();
  for (let i = 0; i < workerData.rounds; i++) {
    if (mutex) mutex.lock();
    if (sem) sem.acquire();
    const inside = Atomics.add(cells, ${INSIDE}, 1) + 1;
    let most = Atomics.load(cells, ${MOST});
    while (inside > most) {
      const was = Atomics.compareExchange(cells, ${MOST}, most, inside);
      if (was === most) break;
      most = was;
    }
    const seen = Atomics.load(cells, ${COUNT});
    for (let spin = 0; spin < 300; spin++) Atomics.load(cells, ${INSIDE}); // linger between read and write
    Atomics.store(cells, ${COUNT}, seen + 1);
    Atomics.sub(cells, ${INSIDE}, 1);
    if (sem) sem.release();
    if (mutex) mutex.unlock();
  }
`;

function runSection(guard: "mutex" | "semaphore" | "none", workers: number, rounds: number, extra: object = {}) {
  const cells = new Int32Array(new SharedArrayBuffer(12));
  const start = new Barrier(workers);
  const data = { cells: cells.buffer, guard, rounds, start, ...extra };
  const done = Array.from({ length: workers }, () => messagesUntilExit(startWorker(SECTION_WORKER, data)));
  return { cells, done: Promise.all(done) };
}

test("Mutex serialises a critical section: never more than one holder, no lost update", async () => {
  const mutex = new Mutex();
  const rounds = 3000;
  const { cells, done } = runSection("mutex", 2, rounds, { mutex }); // the Mutex itself is sent: a structured clone
  // The main thread takes part too, through the async form.
  let mainRounds = 0;
  for (let i = 0; i < 50; i++) {
    await mutex.withLockAsync(async () => {
      const inside = Atomics.add(cells, INSIDE, 1) + 1;
      if (inside > Atomics.load(cells, MOST)) Atomics.store(cells, MOST, inside);
      const seen = Atomics.load(cells, COUNT);
      await new Promise((r) => setImmediate(r)); // hold the lock across an await
      Atomics.store(cells, COUNT, seen + 1);
      Atomics.sub(cells, INSIDE, 1);
    });
    mainRounds++;
  }
  await done;
  assert.is(cells[MOST], 1, "at most one holder at a time");
  assert.is(cells[COUNT], 2 * rounds + mainRounds, "the unsafe increment inside the lock lost nothing");
  assert.is(mutex.locked(), false);
});

test("the same section without the mutex does see two holders (the check above can fail)", async () => {
  const { cells, done } = runSection("none", 2, 20_000);
  await done;
  assert.ok(cells[MOST] >= 2, `most holders at once: ${cells[MOST]}`);
});

test("Mutex misuse: unlock when unlocked, lock() on the main thread, wrong handle", () => {
  const mutex = new Mutex();
  assert.throws(() => mutex.unlock(), /not locked/);
  assert.throws(() => mutex.lock(), /main thread.*lockAsync/);
  assert.ok(mutex.tryLock());
  assert.not.ok(mutex.tryLock());
  mutex.unlock();
  assert.throws(() => Mutex.from(new Semaphore(1).buffer), (e: unknown) => e instanceof TypeError && /not hold a Mutex/.test(String(e)));
  assert.throws(() => Mutex.from({} as never), (e: unknown) => e instanceof TypeError);
});

test("ThreadEvent releases a waiting worker when set, and not before", async () => {
  const event = new ThreadEvent();
  const worker = startWorker(
    `const ev = lib.ThreadEvent.from(workerData.event);
     parentPort.postMessage("waiting");
     const ok = ev.wait();
     parentPort.postMessage({ ok, at: lib.now() });`,
    { event: event.buffer },
  );
  const finished = messagesUntilExit<unknown>(worker);
  assert.is(await nextMessage(worker), "waiting");
  let released = false;
  void nextMessage(worker).then(() => (released = true));
  await sleepMs(50);
  assert.not.ok(released, "the worker still sleeps in wait()");
  const setAt = now();
  event.set();
  const [, report] = (await finished) as [string, { ok: boolean; at: number }];
  assert.ok(report.ok);
  assert.ok(report.at >= setAt, "released after set()");
});

test("ThreadEvent: the main thread awaits a worker's set(); timeouts return false", async () => {
  const event = new ThreadEvent();
  assert.is(await event.waitAsync(20), false, "times out while nobody sets it");
  assert.throws(() => event.wait(), /main thread.*waitAsync/);
  const worker = startWorker(
    `const ev = lib.ThreadEvent.from(workerData.event);
     parentPort.postMessage(ev.wait(20));  // nobody sets it yet: false
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
     ev.set();`,
    { event },
  );
  const messages = messagesUntilExit<boolean>(worker);
  assert.is(await event.waitAsync(), true);
  assert.ok(event.isSet());
  assert.equal(await messages, [false]);
  event.clear();
  assert.not.ok(event.isSet());
});

test("Semaphore(2) lets at most two threads in; misuse gets clear errors", async () => {
  const semaphore = new Semaphore(2);
  const { cells, done } = runSection("semaphore", 3, 2000, { semaphore: semaphore.buffer });
  await done;
  assert.ok(cells[MOST] >= 1 && cells[MOST] <= 2, `most holders at once: ${cells[MOST]}`);
  assert.is(semaphore.value, 2, "every permit came back");

  assert.throws(() => new Semaphore(-1), (e: unknown) => e instanceof RangeError && /value/.test(String(e)));
  assert.throws(() => semaphore.release(0), RangeError);
  assert.throws(() => semaphore.acquire(), /main thread.*acquireAsync/);
});

test("Semaphore: acquire times out in a worker and in the main thread when no permit is free", async () => {
  const empty = new Semaphore(0);
  assert.is(await empty.acquireAsync(20), false);
  const [result] = await messagesUntilExit<boolean>(
    startWorker(`parentPort.postMessage(lib.Semaphore.from(workerData.s).acquire(20));`, { s: empty }),
  );
  assert.is(result, false);
  empty.release();
  assert.is(await empty.acquireAsync(20), true);
});

test("Barrier: nobody passes until all parties arrive; reusable; main joins via waitAsync", async () => {
  const parties = 4; // 3 workers + the main thread
  const barrier = new Barrier(parties);
  const stagger = [0, 30, 60];
  type Report = { arrivedAt: number; releasedAt: number; index: number };
  const runs = stagger.map((delay) =>
    messagesUntilExit<Report>(
      startWorker(
        `const b = lib.Barrier.from(workerData.barrier);
         for (let round = 0; round < 2; round++) {
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.delay);
           const arrivedAt = lib.now();
           const index = b.wait();
           parentPort.postMessage({ arrivedAt, releasedAt: lib.now(), index });
         }`,
        { barrier, delay },
      ),
    ),
  );
  const mainIndices = [await barrier.waitAsync(), await barrier.waitAsync()];
  const reports = await Promise.all(runs);
  for (const round of [0, 1]) {
    const r = reports.map((messages) => messages[round]);
    const lastArrival = Math.max(...r.map((x) => x.arrivedAt));
    for (const x of r) assert.ok(x.releasedAt >= lastArrival, `round ${round}: released before the last arrival`);
    const indices = [...r.map((x) => x.index), mainIndices[round]].sort();
    assert.equal(indices, [0, 1, 2, 3], `round ${round}: each arrival gets its own index`);
  }
  assert.is(barrier.waiting, 0);
  assert.throws(() => new Barrier(0), (e: unknown) => e instanceof RangeError && /parties/.test(String(e)));
  assert.throws(() => barrier.wait(), /main thread.*waitAsync/);
  assert.is(barrier.waiting, 0, "a refused wait() did not count as an arrival");
});

test("the primitives work inside ThreadPoolExecutor tasks (arguments are cloned, shared memory stays shared)", async () => {
  const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  try {
    const lockedIncrements = defineTask((mutex: Mutex, counter: SharedArrayBuffer, n: number) => {
      const m = require("concurrency-lab").Mutex.from(mutex) as Mutex;
      const cells = new Int32Array(counter);
      for (let i = 0; i < n; i++) {
        m.lock();
        Atomics.store(cells, 0, Atomics.load(cells, 0) + 1);
        m.unlock();
      }
      return n;
    }, "lockedIncrements");
    const mutex = new Mutex();
    const counter = new SharedArrayBuffer(4);
    await Promise.all([pool.submit(lockedIncrements, mutex, counter, 50_000), pool.submit(lockedIncrements, mutex, counter, 50_000)]);
    assert.is(new Int32Array(counter)[0], 100_000);

    const waitFor = defineTask((event: ThreadEvent) => require("concurrency-lab").ThreadEvent.from(event).wait(5000) as boolean, "waitFor");
    const go = new ThreadEvent();
    const waiting = pool.submit(waitFor, go);
    setTimeout(() => go.set(), 30);
    assert.is(await waiting, true);
  } finally {
    await pool.shutdown();
  }
});

test.run();
