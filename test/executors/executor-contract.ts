// The behaviour both executors share, run against each (see thread-pool.test.ts, process-pool.test.ts).
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import {
  CancelledError, ExecutorShutdownError, TaskAbortedError, TaskTimeoutError, Timeline, WorkerCrashedError,
  asCompleted, defineTask, now, tasks, type Executor, type ExecutorOptions,
} from "concurrency-lab";
import { fixtureTasks } from "./executor-fixture-tasks";

export function executorContract(suite: Test, make: (opts?: ExecutorOptions) => Executor, lanePattern: RegExp): void {
  const withPool = (opts: ExecutorOptions, body: (pool: Executor) => Promise<void>) => async () => {
    const pool = make(opts);
    try {
      await body(pool);
    } finally {
      await pool.shutdown({ cancelFutures: true });
    }
  };

  suite("submit returns the value, records a span on a worker lane and in the timeline", async () => {
    const timeline = new Timeline();
    await withPool({ maxWorkers: 2, timeline }, async (pool) => {
      const f = pool.submit(tasks.countPrimes, 0, 1000);
      assert.is(await f, 168);
      assert.ok(f.done && !f.running && !f.cancelled);
      assert.ok(lanePattern.test(f.span!.lane), f.span!.lane);
      assert.ok(f.span!.end >= f.span!.start);
      assert.equal(timeline.spans().map((s) => s.label), ["countPrimes"]);
      const who = await pool.submit(fixtureTasks.whoAmI);
      assert.ok(pool.lanes.includes(who.lane), `${who.lane} in ${pool.lanes}`);
    })();
  });

  suite("map yields in input order for every chunksize; mapAll collects", async () => {
    await withPool({ maxWorkers: 2 }, async (pool) => {
      const items = Array.from({ length: 50 }, (_, i) => i);
      for (const chunksize of [1, 7, 100]) {
        const got: unknown[] = [];
        for await (const v of pool.map(tasks.echo, items, { chunksize })) got.push(v);
        assert.equal(got, items, `chunksize ${chunksize}`);
      }
      assert.equal(await pool.mapAll(tasks.isPrime, [2, 4, 97]), [true, false, true]);
      assert.equal(await pool.mapAll(tasks.echo, []), []);
    })();
  });

  suite("bad options throw RangeError naming the option", () => {
    for (const maxWorkers of [0, -1, NaN, 1.5]) assert.throws(() => make({ maxWorkers }), (e: Error) => e instanceof RangeError && /maxWorkers/.test(e.message));
    const pool = make({ maxWorkers: 1 });
    for (const chunksize of [0, -2, 0.5]) assert.throws(() => pool.map(tasks.echo, [1], { chunksize }), (e: Error) => e instanceof RangeError && /chunksize/.test(e.message));
    assert.throws(() => pool.submitWith({ timeoutMs: -5 }, tasks.echo, 1), (e: Error) => e instanceof RangeError && /timeoutMs/.test(e.message));
    // Too long for setTimeout: the message must say why, not just "> 0".
    assert.throws(() => pool.submitWith({ timeoutMs: 2 ** 31 }, tasks.echo, 1), (e: Error) => e instanceof RangeError && /2\^31/.test(e.message));
    return pool.shutdown();
  });

  suite("a task's error keeps its class name, message, stack and code", async () => {
    await withPool({ maxWorkers: 1 }, async (pool) => {
      const error = (await pool.submit(fixtureTasks.failWithQuota).catch((e) => e)) as Error & { code: string; limit: number };
      assert.is(error.name, "QuotaError");
      assert.is(error.constructor.name, "QuotaError");
      assert.is(error.message, "quota of 3 exceeded");
      assert.is(error.code, "E_QUOTA");
      assert.is(error.limit, 3);
      assert.match(error.stack!, /failWithQuota/);
      const range = await pool.submit(tasks.countPrimes, 0, 10).then(() => pool.submit(defineTask(() => [].length.toFixed(200)))).catch((e) => e);
      assert.instance(range, RangeError);
    })();
  });

  suite("cancel succeeds only while queued", async () => {
    await withPool({ maxWorkers: 1 }, async (pool) => {
      const first = pool.submit(tasks.blockingSleep, 300);
      const rest = [1, 2, 3].map((i) => pool.submit(tasks.echo, i));
      await new Promise((r) => setTimeout(r, 50));
      assert.is(first.cancel(), false, "running");
      const last = rest[2]!;
      assert.is(last.cancel(), true, "queued");
      assert.is(last.cancel(), true, "cancel again");
      assert.ok(last.cancelled && last.done);
      assert.instance(await last.catch((e) => e), CancelledError);
      await first;
      assert.is(first.cancel(), false, "finished");
      assert.equal(await Promise.all(rest.slice(0, 2)), [1, 2]);
    })();
  });

  suite("a worker that exits mid-task fails only that task, naming the worker and exit code; the pool keeps serving", async () => {
    await withPool({ maxWorkers: 2 }, async (pool) => {
      const error = (await pool.submit(fixtureTasks.exitWith, 3).catch((e) => e)) as WorkerCrashedError;
      assert.instance(error, WorkerCrashedError);
      assert.is(error.exitCode, 3);
      assert.ok(lanePattern.test(error.lane), error.lane);
      assert.match(error.message, new RegExp(`${error.lane} exited with code 3 while running exitWith`));
      assert.equal(await pool.mapAll(tasks.isPrime, [7, 8, 9, 11]), [true, false, false, true]);
    })();
  });

  suite("uncloneable arguments and results reject, saying which value and why", async () => {
    await withPool({ maxWorkers: 1 }, async (pool) => {
      const arg = (await pool.submit(tasks.echo, { name: "x", onDone: () => 1 }).catch((e) => e)) as Error;
      assert.instance(arg, TypeError);
      assert.match(arg.message, /args\[0\]\.onDone\) is a function/);
      const item = (await pool.mapAll(tasks.echo, [1, 2, Symbol("s")]).catch((e) => e)) as Error;
      assert.match(item.message, /items\[2\].*symbol/);
      const result = (await pool.submit(fixtureTasks.returnFunction).catch((e) => e)) as Error;
      assert.instance(result, TypeError);
      assert.match(result.message, /returnFunction returned .* the result is a function/);
      assert.is(await pool.submit(tasks.echo, 5), 5);
    })();
  });

  suite("a timeout stops the task and replaces the worker", async () => {
    await withPool({ maxWorkers: 1 }, async (pool) => {
      const t0 = now();
      const error = await pool.submitWith({ timeoutMs: 100 }, tasks.blockingSleep, 10_000).catch((e) => e);
      assert.instance(error, TaskTimeoutError);
      // Structural: the task runs 10 s; ending before that means it was stopped, not finished.
      assert.ok(now() - t0 < 10_000, `stopped after ${now() - t0} ms`);
      assert.is(await pool.submitWith({ timeoutMs: 5000 }, tasks.echo, "still serving"), "still serving");
    })();
  });

  suite("an AbortSignal cancels a queued task and stops a running one", async () => {
    await withPool({ maxWorkers: 1 }, async (pool) => {
      const running = new AbortController();
      const queued = new AbortController();
      const a = pool.submitWith({ signal: running.signal }, tasks.blockingSleep, 10_000);
      const b = pool.submitWith({ signal: queued.signal }, tasks.echo, "b");
      const c = pool.submit(tasks.echo, "c");
      await new Promise((r) => setTimeout(r, 100));
      queued.abort();
      running.abort();
      assert.instance(await a.catch((e) => e), TaskAbortedError);
      assert.instance(await b.catch((e) => e), CancelledError);
      assert.is(await c, "c");
    })();
  });

  suite("asCompleted yields futures in completion order", async () => {
    await withPool({ maxWorkers: 3 }, async (pool) => {
      const futures = [400, 50, 200].map((ms) => pool.submit(defineTask((ms: number) => { require("concurrency-lab").blockingSleep(ms); return ms; }), ms));
      const order: number[] = [];
      for await (const f of asCompleted(futures)) order.push(f.result());
      assert.equal(order, [50, 200, 400]);
    })();
  });

  suite("shutdown: idempotent, then submit rejects; cancelFutures cancels what has not started; no worker remains", async () => {
    const pool = make({ maxWorkers: 1 });
    const running = pool.submit(tasks.blockingSleep, 200);
    const pending = [1, 2, 3, 4].map((i) => pool.submit(tasks.echo, i));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(pool.lanes.length === 1);
    await Promise.all([pool.shutdown({ cancelFutures: true }), pool.shutdown()]);
    await pool.shutdown();
    assert.ok(pool.isShutdown);
    await running;
    assert.instance(await pending[3]!.catch((e) => e), CancelledError);
    assert.equal(pool.lanes, []);
    const late = (await pool.submit(tasks.echo, 1).catch((e) => e)) as Error;
    assert.instance(late, ExecutorShutdownError);
    assert.match(late.message, /shut down/);
  });
}
