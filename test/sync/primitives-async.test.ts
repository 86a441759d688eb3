/**
 * The event-loop primitives: AsyncLock, AsyncSemaphore, AsyncQueue, withTimeout.
 */
import { getEventListeners } from "node:events";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AsyncLock,
  AsyncQueue,
  AsyncQueueClosedError,
  AsyncSemaphore,
  OperationTimeoutError,
  withTimeout,
} from "concurrency-lab";

type ErrorClass = new (...args: never[]) => Error;

/** Asserts that `promise` rejects with an instance of `expected`, or a message matching it. */
async function rejects(promise: Promise<unknown>, expected: RegExp | ErrorClass): Promise<void> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  assert.ok("error" in outcome, `expected a rejection, got ${JSON.stringify((outcome as { value: unknown }).value)}`);
  const { error } = outcome as { error: unknown };
  if (expected instanceof RegExp) assert.match(String((error as Error)?.message ?? error), expected);
  else assert.instance(error, expected);
}

/** Asserts that `fn` throws an instance of `expected` (and a message matching `pattern`). */
function throwsA(fn: () => unknown, expected: ErrorClass, pattern = /./): void {
  assert.throws(fn, (e: unknown) => e instanceof expected && pattern.test((e as Error).message));
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `n` tasks through `guard` and returns the most that were inside at once. */
async function maxInside(n: number, guard: (body: () => Promise<void>) => Promise<void>): Promise<number> {
  let inside = 0;
  let most = 0;
  const body = async (): Promise<void> => {
    inside++;
    most = Math.max(most, inside);
    await tick(); // give the others every chance to get in
    await tick();
    inside--;
  };
  await Promise.all(Array.from({ length: n }, () => guard(body)));
  return most;
}

test("AsyncLock: one holder at a time across awaits, in arrival order", async () => {
  const lock = new AsyncLock();
  assert.is(await maxInside(8, (body) => lock.run(body)), 1);
  assert.is(await maxInside(8, (body) => body()), 8, "without the lock all 8 are inside together");

  const order: number[] = [];
  await Promise.all([1, 2, 3, 4].map((i) => lock.run(async () => { order.push(i); await tick(); })));
  assert.equal(order, [1, 2, 3, 4]);
  assert.is(lock.locked(), false);
});

test("AsyncLock: releasing an unheld lock is an error; an aborted waiter leaves the line", async () => {
  const lock = new AsyncLock();
  assert.throws(() => lock.release(), /not held/);

  await lock.acquire();
  const ac = new AbortController();
  const waiting = lock.acquire(ac.signal);
  ac.abort(new Error("gave up"));
  await rejects(waiting, /gave up/);
  lock.release();
  assert.is(lock.locked(), false, "the aborted waiter did not get the lock");
  assert.ok(lock.tryAcquire());
  lock.release();
});

test("AsyncSemaphore: at most `value` holders; negative value is a RangeError", async () => {
  const sem = new AsyncSemaphore(3);
  assert.is(await maxInside(10, (body) => sem.run(body)), 3);
  assert.is(sem.value, 3);
  throwsA(() => new AsyncSemaphore(-1), RangeError, /value/);
  throwsA(() => new AsyncSemaphore(1.5), RangeError);
});

test("AsyncSemaphore: permits go to waiters first come, first served; abort leaves the line", async () => {
  const sem = new AsyncSemaphore(1);
  await sem.acquire();
  const got: string[] = [];
  const ac = new AbortController();
  const a = sem.acquire().then(() => got.push("a"));
  const b = sem.acquire(ac.signal).then(() => got.push("b"), () => got.push("b aborted"));
  const c = sem.acquire().then(() => got.push("c"));
  assert.is(sem.waiting, 3);
  ac.abort();
  assert.not.ok(sem.tryAcquire(), "a late-comer cannot jump the line");
  sem.release();
  await a;
  sem.release();
  await Promise.all([b, c]);
  assert.equal(got, ["b aborted", "a", "c"]);
  await rejects(sem.acquire(AbortSignal.abort(new Error("aborted already"))), /aborted already/);
});

test("AsyncQueue: put waits at maxsize (back-pressure) until a get makes room", async () => {
  const queue = new AsyncQueue<number>(2);
  let produced = 0;
  const producer = (async () => {
    for (let i = 0; i < 5; i++) {
      await queue.put(i);
      produced++;
    }
  })();
  await sleepMs(20);
  assert.is(produced, 2, "the producer is held at maxsize");
  assert.ok(queue.full());

  assert.is(await queue.get(), 0);
  await tick();
  assert.is(produced, 3, "one get lets exactly one more put through");

  const rest: number[] = [];
  for (let i = 0; i < 4; i++) rest.push(await queue.get());
  await producer;
  assert.equal(rest, [1, 2, 3, 4]);
});

test("AsyncQueue: join waits for every taskDone; close ends consumers after draining", async () => {
  const queue = new AsyncQueue<string>(10);
  const seen: string[] = [];
  const consumer = (async () => {
    for await (const item of queue) {
      await tick();
      seen.push(item);
      queue.taskDone();
    }
  })();
  for (const item of ["a", "b", "c"]) await queue.put(item);
  let joined = false;
  const join = queue.join().then(() => (joined = true));
  await tick();
  assert.is(joined, false, "join waits while items are unprocessed");
  await join;
  assert.equal(seen, ["a", "b", "c"]);

  queue.putNowait("last");
  queue.close();
  await consumer; // drained "last", then the for-await loop ended
  assert.equal(seen, ["a", "b", "c", "last"]);
  await rejects(queue.put("late"), AsyncQueueClosedError);
  await rejects(queue.get(), AsyncQueueClosedError);
});

test("AsyncQueue: misuse gets clear errors", async () => {
  throwsA(() => new AsyncQueue(-1), RangeError, /maxsize/);
  const queue = new AsyncQueue<number>(1);
  assert.throws(() => queue.taskDone(), /more times/);
  queue.putNowait(1);
  assert.throws(() => queue.putNowait(2), /full/);
  queue.getNowait();
  assert.throws(() => queue.getNowait(), /empty/);
});

test("withTimeout: rejects with a TimeoutError and aborts the work's signal", async () => {
  let cancelled = false;
  let finished = false;
  let seenSignal: AbortSignal | undefined;
  const err = await withTimeout(
    (signal) =>
      new Promise<string>((resolve, reject) => {
        seenSignal = signal;
        const timer = setTimeout(() => {
          finished = true;
          resolve("too late");
        }, 2000);
        signal.addEventListener("abort", () => {
          clearTimeout(timer); // the work honours cancellation
          cancelled = true;
          reject(signal.reason);
        });
      }),
    50,
  ).catch((e: unknown) => e);
  assert.ok(err instanceof OperationTimeoutError, String(err));
  assert.is((err as Error).name, "TimeoutError");
  assert.ok(seenSignal?.aborted && seenSignal.reason === err, "the signal is aborted with the same error");
  assert.ok(cancelled, "the work was told to stop");
  // Structural: the work never finished (it would have set `finished`), so the rejection came at the deadline.
  await sleepMs(20);
  assert.not.ok(finished);
});

test("withTimeout: resolves with fast work, passes its errors on, and checks ms", async () => {
  assert.is(await withTimeout(async () => 42, 1000), 42);
  await rejects(withTimeout(async () => { throw new TypeError("boom"); }, 1000), TypeError);
  await rejects(withTimeout(() => { throw new Error("sync boom"); }, 1000), /sync boom/);
  throwsA(() => withTimeout(async () => 1, -1), RangeError, /ms/);

  const outer = new AbortController();
  const p = withTimeout((signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))), 1000, {
    signal: outer.signal,
  });
  outer.abort(new Error("user cancelled"));
  await rejects(p, /user cancelled/);
});

test("withTimeout: once time runs out it drops its outer-signal listener, even if the work never settles", async () => {
  const outer = new AbortController();
  await rejects(withTimeout(() => new Promise<never>(() => {}), 20, { signal: outer.signal }), OperationTimeoutError);
  assert.is(getEventListeners(outer.signal, "abort").length, 0, "listener left on the outer signal");
});

test("AsyncLock: locked() as soon as acquire() has taken the lock, before the caller resumes", async () => {
  const lock = new AsyncLock();
  const taken = lock.acquire();
  assert.ok(lock.locked(), "acquire() took the lock, yet locked() says it is free");
  assert.not.ok(lock.tryAcquire());
  await taken;
  lock.release();
  assert.not.ok(lock.locked());
});

test.run();
